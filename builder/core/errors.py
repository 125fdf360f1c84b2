"""The errors a user is meant to read: one line each, never a traceback.

``ConfigError``: the configuration cannot run (checked before any work starts).
``BuildError``: the build could not finish for a reason outside the config (another
build holds the name, the disk is full, the target is not the builder's to replace).
``NothingToWrite``: every document was rejected or filtered; the ledger was written
where the message says, and any earlier dataset is left as it was.
"""

from __future__ import annotations


class ConfigError(ValueError):
    """A configuration that cannot run; the message is one line for the user."""


class BuildError(RuntimeError):
    """A build that stopped for a reason the user can act on; the message is one line."""


class NothingToWrite(BuildError):
    """No row survived; ``report`` is the folder holding stats.json and rejects.jsonl."""

    def __init__(self, message: str, report: str | None = None) -> None:
        super().__init__(message)
        self.report = report
