"""What identifies a built dataset: its settings, its input and the builder that made it.

Two builds with the same signature hold the same rows, wherever they were written and
whenever. ``settings`` hashes the resolved config (what ``config.yaml`` holds) less the
keys that decide only where or how fast the build runs; ``input`` hashes the bytes of
the input files with their names relative to ``source.path`` (so ``source.path`` itself,
where the input happens to be, is left out of ``settings``). Unlike the resume
fingerprint (``builder.app.workspace``), which trusts size and modification time to
decide quickly whether a dead build's work is still good, the signature reads the
content: a copied or touched file is the same input, an edited one is not.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from builder.app.workspace import code_fingerprint
from builder.core.seeding import stable_hex

#: Keys that change where the dataset goes or how fast it is made, never a byte in it.
#: (``write.name`` is the folder's name: the path, not the content.)
NOT_IN_SIGNATURE: dict[str, tuple[str, ...] | None] = {
    "runner": None,  # the whole section: any runner and worker count gives the same bytes
    "write": ("root", "name", "overwrite", "resume"),
}
_BLOCK = 1 << 20


def builder_version() -> str:
    """The installed garble-builder's version ("unknown" when run from a bare checkout)."""
    try:
        return version("garble-builder")
    except PackageNotFoundError:
        return "unknown"


def settings_signature(config: dict[str, Any], by_content: bool = False) -> str:
    """A hash of the resolved settings that decide the dataset's content. ``by_content``:
    the input files are hashed, so where they are (``source.path``) is left out."""
    cfg = json.loads(json.dumps(config, default=str))
    if by_content:
        cfg.get("source", {}).pop("path", None)
    for section, keys in NOT_IN_SIGNATURE.items():
        if keys is None:
            cfg.pop(section, None)
            continue
        for key in keys:
            cfg.get(section, {}).pop(key, None)
    return stable_hex(json.dumps(cfg, sort_keys=True), size=16)


def _label(path: Path, base: Path | None) -> str:
    """The file's name as the input knows it: relative to ``source.path``, else its name
    (the sample's files live wherever their packages are installed)."""
    if base is not None:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix() or path.name
        except ValueError:
            pass
    return path.name


def _content(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    try:
        with open(path, "rb") as fh:
            while block := fh.read(_BLOCK):
                h.update(block)
    except OSError as e:
        return f"unreadable:{e.errno}"  # as the reader accounts for it: a reject, not a crash
    return h.hexdigest()


def input_signature(files: Iterable[Path], base: Path | None = None) -> str:
    """A hash of the input files' names (relative to ``base``) and bytes."""
    parts = sorted((_label(f, base), _content(f)) for f in files)
    return stable_hex(json.dumps(parts), size=16)


def signature(config: dict[str, Any], files: Iterable[Path], base: str | None) -> dict[str, str]:
    """``{"settings", "input"}``: equal for two builds of the same rows, wherever written.
    A hub dataset has no local files: its name (``source.path``) stays in the settings."""
    files = list(files)
    root = Path(base).expanduser() if base else None
    if root is not None and not root.is_dir():
        root = root.parent  # a file or a glob: names are relative to its folder
        while any(ch in root.name for ch in "*?["):
            root = root.parent
    return {"settings": settings_signature(config, by_content=bool(files)), "input": input_signature(files, root)}


def builder_identity() -> dict[str, str]:
    """The builder's version and a hash of its code and data files (an editable install
    keeps its version number while its code changes)."""
    return {"version": builder_version(), "code": code_fingerprint()}
