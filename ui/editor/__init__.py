"""The order editor: the form, the items with their options, validation by
the fields, totals, saving through the session with the conflict dialog,
drafts, the editor in a window of its own, and the New order dialog.
"""
