"""The order's details beside the table: every field, grouped, read-only;
the marker of an edit not settled; what this desk wrote to the order.
"""
