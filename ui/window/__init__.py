"""The main window and what belongs to it: the menus (Order, help,
preferences, accounts), the store shown and its sync controller, the status
bar panel, new-order notifications, the welcome page and the About and
shortcut dialogs.
"""
