"""Files on order items in the editor: the drop area, the list of an
option's files with their uploads, and the link between them and the editor.
"""
