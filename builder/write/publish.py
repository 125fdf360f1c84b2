"""Putting a finished dataset in place without ever exposing a half-written one."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path


def staging_dir(final: Path, tag: str) -> Path:
    return final.parent / f".{final.name}.{tag}-{uuid.uuid4().hex[:8]}"


def publish(staging: Path, final: Path) -> None:
    """Rename ``staging`` to ``final``; an older ``final`` is moved aside first and removed
    only once the new one is in place (renames within one folder are atomic)."""
    old = None
    if final.exists():
        old = staging_dir(final, "old")
        os.rename(final, old)
    try:
        os.rename(staging, final)
    except BaseException:
        if old is not None:
            os.rename(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
