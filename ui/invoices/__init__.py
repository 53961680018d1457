"""Invoices in the window: the preview (QWebEngine, scripts off), its window
with print and Save as PDF, printing, and many invoices into one PDF.
"""
