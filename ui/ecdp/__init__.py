"""ECDP in the window: the ECDP menu, pushing orders (on demand, and after
each sync), the ECDP panel (look up, re-status, delete), and connecting an
ECDP account.
"""
