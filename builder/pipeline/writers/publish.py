"""Putting a finished dataset in place without ever exposing a half-written one."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def publish(staging: Path, final: Path, previous: Path) -> None:
    """Rename ``staging`` to ``final``. An older ``final`` is first renamed to ``previous``
    and removed only once the new one is in place (renames within one folder are atomic);
    a build killed in between leaves ``previous``, which the next build puts back."""
    if previous.exists():
        shutil.rmtree(previous)
    old = None
    if final.exists():
        os.rename(final, previous)
        old = previous
    try:
        os.rename(staging, final)
    except BaseException:
        if old is not None:
            os.rename(old, final)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
