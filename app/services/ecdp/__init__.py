"""Orders to ECDP: pushing the cached orders that match (AddOrReplace, in
batches, only what ECDP has not confirmed), and what each order's push
state is.
"""
