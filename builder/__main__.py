"""``python -m builder``: see :mod:`builder.app.cli`."""

from builder.app.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
