"""Where the clone's own folders are, for tests that run a command from it."""

from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
