"""Rendering untrusted HTML documents and printing them to PDF with
QtWebEngine, offscreen: the page an invoice is rendered in (``page.py``:
scripts off, requests gated) and the PDF printer (``pdf.py``). The window's
invoice preview and bulk PDF use it, and the command line imports ``pdf.py``
plainly where it prints (the one import of this layer it makes, declared in
``tests/test_layering.py``). It imports no other feature package of the window.
"""
