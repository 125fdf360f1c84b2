"""``python -m builder.profile``: see :mod:`builder.app.profile_cli`."""

from builder.app.profile_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
