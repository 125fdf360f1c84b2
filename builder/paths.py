"""Where the project's own files live, whether run from a clone or an editable install."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
#: Hydra config tree; GARBLE_BUILDER_CONFIGS points elsewhere (e.g. a copy with your own groups).
CONFIG_DIR = Path(os.environ.get("GARBLE_BUILDER_CONFIGS", PROJECT_DIR / "configs")).resolve()
RESOURCES_DIR = PACKAGE_DIR / "resources"
SAMPLES_DIR = Path(os.environ.get("GARBLE_BUILDER_SAMPLES", PROJECT_DIR / "data" / "samples")).resolve()
