"""The edits waiting for the store or for the user: the outbox dialog (retry,
discard, resolve) and the notice that a saved change was overwritten.
"""
