"""Working on orders: finding the one order a reference names, the editor's
working copy and the change it makes, validation in words, totals, bulk
changes, new orders, saving one edit, drafts, and fields and values in
words; exports made safe for spreadsheets.
"""
