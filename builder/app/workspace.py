"""The work folder of a build, and when a later build may pick it up.

A build keeps its documents and finished chunks in ``.<name>.work`` next to its
target, with ``state.json`` naming the fingerprint of what it was building: the
config that decides the rows, the input files (path, size, modification time) and
the builder's own code. A build that finds a work folder (its owner is dead: the
caller holds the name's lock) reuses it when the fingerprint is the same and
``write.resume`` is on, and removes it otherwise.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from builder.core.resources import PACKAGE_DIR
from builder.core.seeding import stable_hex

#: Settings that change where or how fast the work runs, never which rows it makes.
NOT_IN_FINGERPRINT = {
    "runner": ("workers", "batch_size", "progress", "address", "kind"),
    "write": ("root", "name", "overwrite", "resume", "compression", "max_rows_per_shard"),
}


def code_fingerprint() -> str:
    """The builder's own source and data files: a resumed build must run the same code."""
    parts = []
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            parts += [path.relative_to(PACKAGE_DIR).as_posix(), path.read_bytes()]
    return stable_hex(*parts, size=16)


def input_files(path: str | None) -> list[Path]:
    """The local files a ``source.path`` names (a file, a folder, a glob), sorted."""
    if not path:
        return []
    p = Path(path).expanduser()
    if p.is_file():
        return [p]
    if p.is_dir():
        return sorted(f for f in p.rglob("*") if f.is_file())
    return sorted(Path(f) for f in glob.glob(str(p), recursive=True) if Path(f).is_file())


def files_fingerprint(files: Iterable[Path]) -> list[Any]:
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append([str(f.resolve()), st.st_size, st.st_mtime_ns])
        except OSError as e:
            out.append([str(f), "unreadable", e.errno])
    return out


def fingerprint(config: dict[str, Any], files: Iterable[Path]) -> str:
    """What the rows depend on: config (less where and how fast), input files, code."""
    cfg = json.loads(json.dumps(config, default=str))
    for section, keys in NOT_IN_FINGERPRINT.items():
        for key in keys:
            cfg.get(section, {}).pop(key, None)
    return stable_hex(json.dumps(cfg, sort_keys=True), json.dumps(files_fingerprint(files)), code_fingerprint())


class Workspace:
    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder, self.fingerprint = folder, fingerprint
        self.resumed = False

    @property
    def docs(self) -> Path:
        return self.folder / "docs.arrow"

    @property
    def rows(self) -> Path:
        return self.folder / "rows"

    def scratch(self) -> Path:
        """A folder the corpus steps write per-row work to (``CorpusStep.scratch``), emptied
        first: it is remade by every run, resumed or not."""
        folder = self.folder / "scratch"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        return folder

    def _state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.folder / "state.json").read_text(encoding="utf-8"))
            return state if isinstance(state, dict) else {}
        except (OSError, ValueError):
            return {}

    def open(self, resume: bool) -> str:
        """Reuse or clear what a dead build left; returns what happened, for the log."""
        note = ""
        if self.folder.exists():
            if resume and self._state().get("fingerprint") == self.fingerprint:
                self.resumed = True
                note = "resuming the work of an interrupted build with the same config and input"
            else:
                shutil.rmtree(self.folder)
                note = "removed the work folder of a dead build (another config or input)"
        self.folder.mkdir(parents=True, exist_ok=True)
        state = {"fingerprint": self.fingerprint, "pid": os.getpid()}
        (self.folder / "state.json").write_text(json.dumps(state) + "\n")
        return note

    def size(self) -> int:
        """Bytes the work folder holds on disk now."""
        total = 0
        for root, _, files in os.walk(self.folder):
            for name in files:
                try:
                    total += os.lstat(os.path.join(root, name)).st_blocks * 512
                except OSError:
                    continue  # removed meanwhile
        return total

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
