"""File › Settings: the open store's settings and the app's."""
