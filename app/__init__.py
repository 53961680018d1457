"""Backroom: a desktop order manager for Ecwid stores.

`app` holds everything but the GUI and never imports Qt (a test checks it).
"""

__version__ = "0.1.0"
