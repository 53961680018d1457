"""The orders table and what acts on the orders it shows: the lazy table
model over the cache, the view, the filter bar and its pills, saved views,
bulk changes with their undo bar, and deleting.
"""
