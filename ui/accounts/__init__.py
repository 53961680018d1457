"""The account dialogs: the stores connected, and connecting one (its token
checked before anything is saved).
"""
