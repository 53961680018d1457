"""What every part of the window shares: light and dark appearance, the task
runner, the notice banner, the error dialog, the read-only result table,
the connect dialogs' base, icons and the garbage-collection guard. Imports
nothing from the other feature packages.
"""
