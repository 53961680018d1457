"""What every part of the window shares: light and dark appearance, the
event loop, the task runner, the notice banner, the error dialog, the
read-only result table, the connect dialogs' base, icons, the
garbage-collection guard and PySide6's import hook answered. Imports nothing
from the other feature packages.
"""
