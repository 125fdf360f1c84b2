"""``python -m builder.report``: see :mod:`builder.app.report_cli`."""

from builder.app.report_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
