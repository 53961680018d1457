"""Bringing the local cache up to date with the store: the sync engine (full
and incremental, resumable) and the worker processes that prepare a large
first sync's pages.
"""
