"""Use cases shared by the GUI and the CLI. The GUI calls these, never the
HTTP clients or the cache directly."""
