"""``python -m builder.align``: see :mod:`builder.app.align_cli`."""

from builder.app.align_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
