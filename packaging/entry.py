"""The frozen bundle's entry point (PyInstaller runs this file as __main__)."""

from app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
