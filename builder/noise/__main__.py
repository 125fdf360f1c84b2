"""``python -m builder.noise``: see :mod:`builder.app.noise_cli`."""

from builder.app.noise_cli import main

if __name__ == "__main__":
    raise SystemExit(main())
