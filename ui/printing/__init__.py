"""The Qt adapter that prints HTML documents to PDF with QtWebEngine
(offscreen): used by the window and, imported plainly, by the command line.
"""
