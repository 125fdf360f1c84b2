"""Turning ``source.path`` (a file, a folder or a glob) into an ordered list of files."""

from __future__ import annotations

import glob
from pathlib import Path

from builder.config import ConfigError


def expand(path: str, suffixes: tuple[str, ...]) -> list[Path]:
    """Files named by ``path``, sorted so every run reads them in the same order."""
    p = Path(path).expanduser()
    if p.is_file():
        return [p]
    if p.is_dir():
        files = sorted(f for f in p.rglob("*") if f.is_file() and f.name.endswith(suffixes))
    else:
        files = sorted(Path(f) for f in glob.glob(str(p), recursive=True) if Path(f).is_file())
    if not files:
        raise ConfigError(f"source.path={path!r}: no {'/'.join(suffixes)} files found there")
    return files
