"""The shared order vocabulary: what the cache, the clients, the services,
the window and the command line all mean by an order reference, an outbox
state, or "the same value".

A leaf package: it imports nothing else from the project (a test checks it),
so every layer may use it.
"""
