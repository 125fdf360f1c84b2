"""Where the package's own data files live: inside the package, so an installed wheel
has them as a clone does."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
#: Word lists, tables, bundled profiles and the sample's real article pair.
RESOURCES_DIR = PACKAGE_DIR / "resources"
#: The Hydra config tree (``pkg://builder.conf``); its ``noise/`` group holds the recipes.
CONF_DIR = PACKAGE_DIR / "conf"
#: The embedded sample's real garbled article and its clean restoration.
SAMPLE_DIR = RESOURCES_DIR / "sample"
