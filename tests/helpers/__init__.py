"""Shared test helpers (fakes of OS boundaries only, never of our own code)."""
