"""For tests that compare this process with another Python process."""

from __future__ import annotations

import os


def other_hash_seed() -> str:
    """A PYTHONHASHSEED unlike this process's: ours is random unless the environment fixed it,
    so a fixed seed other than the environment's gives the other process other salted hashes."""
    return "987" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
