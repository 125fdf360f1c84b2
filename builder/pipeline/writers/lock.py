"""One build per dataset name at a time, with a lock the operating system releases.

The lock is ``flock`` on a hidden file next to the target. The kernel drops it when
its holder exits, however it exits (SIGKILL included), so a killed build never leaves
a stale lock behind. The file holds the holder's pid and command line, so a second
build can say which build is running.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import sys
from pathlib import Path

from builder.core.errors import BuildError

_HELD: set[int] = set()  # descriptors of the locks this process holds


def close_inherited() -> None:
    """In a forked worker: close the parent's lock descriptors, so the lock lives and
    dies with the parent alone (closing a copy never unlocks; ``LOCK_UN`` would)."""
    for fd in list(_HELD):
        with contextlib.suppress(OSError):
            os.close(fd)
    _HELD.clear()


class BuildLock:
    def __init__(self, path: Path, what: str) -> None:
        self.path, self.what = path, what
        self.fd: int | None = None

    def __enter__(self) -> BuildLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    busy = f"another build is writing {self.what} ({self.holder()}); try again when it ends"
                    raise BuildError(busy) from None
                raise
            # The holder before us may have removed the file after we opened it: then our
            # lock is on a file nobody else will look at, so take the new one instead.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps({"pid": os.getpid(), "command": " ".join(sys.argv)}).encode())
        self.fd = fd
        _HELD.add(fd)

    def holder(self) -> str:
        try:
            info = json.loads(self.path.read_text(encoding="utf-8"))
            return f"pid {info['pid']}: {info['command']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "holder unknown"

    def release(self) -> None:
        if self.fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            _HELD.discard(self.fd)
            os.close(self.fd)
            self.fd = None
