"""Turning ``source.path`` (a file, a folder or a glob) into an ordered list of files.

Nothing under the folder is skipped without a word: a sub-folder that cannot be listed
and a link that points nowhere are listed too, so reading them turns into a reject
that names them.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

from builder.core.errors import ConfigError


def with_compression(suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """``suffixes`` plus their ``.gz``, ``.bz2`` and ``.xz`` forms."""
    return tuple(s + c for s in suffixes for c in ("", ".gz", ".bz2", ".xz"))


def walk(folder: Path) -> tuple[list[Path], dict[Path, OSError]]:
    """Every file under ``folder`` (links to nowhere included), and the folders that
    could not be listed with their error. Links to folders are not followed (a link to
    an ancestor would loop)."""
    files: list[Path] = []
    errors: dict[Path, OSError] = {}

    def failed(err: OSError) -> None:
        errors[Path(err.filename or folder)] = err

    for root, _dirs, names in os.walk(folder, onerror=failed):
        files.extend(Path(root) / n for n in names)
    return files, errors


def expand(path: str, suffixes: tuple[str, ...]) -> tuple[list[Path], dict[Path, OSError]]:
    """Files named by ``path`` (a suffix matches in any case), sorted so every run reads
    them in the same order; and the sub-folders that could not be listed."""
    p = Path(path).expanduser()
    errors: dict[Path, OSError] = {}
    lowered = tuple(s.lower() for s in suffixes)
    if p.is_file():
        files = [p]
    elif p.is_dir():
        found, errors = walk(p)
        files = sorted(f for f in found if f.name.lower().endswith(lowered))
    else:
        files = sorted(Path(f) for f in glob.glob(str(p), recursive=True) if Path(f).is_file())
    if not files and not errors:
        raise ConfigError(f"source.path={path!r}: no {'/'.join(suffixes)} files found there")
    return files, errors
