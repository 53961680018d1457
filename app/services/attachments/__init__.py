"""Files on order items: checking a file before it is sent, uploading files
to an item's option one after another with progress and cancel, and
removing one or all of them.
"""
