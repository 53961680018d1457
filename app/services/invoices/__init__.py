"""Invoices and packing slips: the store's invoice HTML (kept for offline
use), the offline template rendered from the cached order, the store's
letterhead, money in the store's currency, and merging many PDFs into one.
"""
