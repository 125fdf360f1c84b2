"""Where a dataset goes, and the rule that the builder only ever replaces its own.

A dataset folder is ``<write.root>/<name>``. The name is one plain path component,
checked after it is derived (from ``write.name``, the input, a sweep suffix), so no
config can make the target ``write.root`` itself or a folder outside it. A folder
that exists is replaced only when this builder wrote it: it carries ``OWNER_MARK``
(or, from builders before the mark, the card and ``stats.json`` they wrote).

Next to the target live the builder's own hidden folders, all named after it: the
work folder (resumable), the staging folder and the previous version while it is
swapped out. ``recover`` tidies what a killed build left, and only that.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from builder.core.errors import BuildError, ConfigError

OWNER_MARK = ".garble-builder.json"
BUILDER = "garble-builder"
MAX_NAME = 200
_LEGACY_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(work|tmp|old)-[0-9a-f]{8}$")
_UNSAFE = re.compile(r"[^\w.=,+-]+")


def safe_name(raw: str, key: str) -> str:
    """``raw`` as one plain folder name, or a ConfigError naming ``key``."""
    name = _UNSAFE.sub("_", raw.strip())
    if len(name) > MAX_NAME:
        name = name[:MAX_NAME]
    if not name.strip("._") or name.startswith("."):
        raise ConfigError(
            f"{key}={raw!r} does not make a usable folder name (it must not be empty, '.', '..' or start with '.')"
        )
    return name


def mark(folder: Path, name: str) -> None:
    """Sign ``folder`` as this builder's, so a later build may replace it."""
    (folder / OWNER_MARK).write_text(json.dumps({"builder": BUILDER, "name": name}, sort_keys=True) + "\n")


def is_ours(folder: Path) -> bool:
    """True for a folder this builder wrote (signed, or an unsigned dataset of an earlier version)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        info = json.loads((folder / OWNER_MARK).read_text(encoding="utf-8"))
        return isinstance(info, dict) and info.get("builder") == BUILDER
    except (OSError, ValueError):
        pass
    try:
        stats = json.loads((folder / "stats.json").read_text(encoding="utf-8"))
        card = (folder / "README.md").read_text(encoding="utf-8")
    except (OSError, ValueError):
        return False
    return isinstance(stats, dict) and "ledger_balanced" in stats and "built by garble-builder" in card


@dataclass(frozen=True)
class Target:
    root: Path
    name: str

    @property
    def final(self) -> Path:
        return self.root / self.name

    def hidden(self, tag: str) -> Path:
        return self.root / f".{self.name}.{tag}"

    @property
    def work(self) -> Path:
        return self.hidden("work")

    @property
    def staging(self) -> Path:
        return self.hidden("tmp")

    @property
    def previous(self) -> Path:
        return self.hidden("old")

    @property
    def report(self) -> Path:
        """Where the ledger of a build that wrote nothing goes."""
        return self.root / f"{self.name}.failed"

    def prepare_root(self) -> None:
        """Create ``write.root`` if needed; a file or an unwritable folder there is one line."""
        root = self.root
        if root.exists() and not root.is_dir():
            raise BuildError(f"write.root={str(root)!r} is a file, not a folder")
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise BuildError(f"write.root={str(root)!r} cannot be created: {e.strerror or e}") from None
        if not os.access(root, os.W_OK | os.X_OK):
            raise BuildError(f"write.root={str(root)!r} is not writable")
        final = self.final.resolve(strict=False)
        if final.parent != root.resolve() or final == root.resolve():
            raise ConfigError(f"write.name={self.name!r} would not make a folder inside write.root={str(root)!r}")

    def check_replaceable(self, overwrite: bool) -> bool:
        """Whether an earlier dataset will be replaced; refuses anything not the builder's."""
        final = self.final
        if not (final.exists() or final.is_symlink()):
            return False
        if not is_ours(final):
            raise BuildError(
                f"{final} exists and was not built by {BUILDER}: it is left alone "
                "(choose another write.name or write.root, or move it away yourself)"
            )
        if not overwrite:
            raise BuildError(f"{final} exists (write.overwrite=false)")
        return True

    def recover(self) -> list[str]:
        """Undo what a killed build left (the caller holds the name's lock, so no live
        build of this name owns these folders); returns what was done, for the log."""
        done = []
        previous, final = self.previous, self.final
        if previous.is_dir() and is_ours(previous):
            if not final.exists():
                os.rename(previous, final)
                done.append(f"restored {final} from an interrupted replacement")
            else:
                shutil.rmtree(previous)
                done.append(f"removed {previous.name}")
        for leftover in (self.staging, self.work):
            if leftover.exists() and not (is_ours(leftover) or (leftover / "state.json").exists()):
                raise BuildError(f"{leftover} exists and was not made by {BUILDER}: move it away to build {self.name}")
        if self.staging.exists():
            shutil.rmtree(self.staging)
            done.append(f"removed the staging folder of a dead build ({self.staging.name})")
        for path in self.root.iterdir():
            m = _LEGACY_LEFTOVER.match(path.name)
            if m and m.group("name") == self.name and path.is_dir() and not folder_in_use(path):
                shutil.rmtree(path, ignore_errors=True)
                done.append(f"removed {path.name}, left by a dead build")
        return done


def folder_in_use(folder: Path) -> bool:
    """Whether a live process has a file open inside ``folder`` or works in it (Linux /proc);
    where that cannot be known, the folder counts as in use and is left alone."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    inside = str(folder.resolve()) + os.sep
    for pid in proc.iterdir():
        if not pid.name.isdigit():
            continue
        try:
            links = [os.readlink(pid / "cwd")] + [os.readlink(fd) for fd in (pid / "fd").iterdir()]
        except OSError:
            continue
        if any((link + os.sep).startswith(inside) for link in links):
            return True
    return False
