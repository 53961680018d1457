"""Accounts as use cases: connecting a store or an ECDP business unit (the
token checked, then kept in the keyring), removing one, how the store wants
its orders shown (its name, currency and status names, and the scopes its
token lacks), and the built-in demo store.
"""
