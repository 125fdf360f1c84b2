"""The recipe schema: a recipe as the YAML files in ``builder/conf/noise/`` write it.

Kept apart from :mod:`builder.noise.recipe` so that reading the schema (the build's
config schema extends it, ``--help`` prints it) does not load the operations.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from builder.core.options import option

#: ``omegaconf.MISSING`` (a value the config must give), spelt out so that reading the schema
#: does not import OmegaConf.
MISSING = "???"
#: The highest ``level``: each operation's odds are capped at 1 well before it.
MAX_LEVEL = 20.0


@dataclass
class OpSpec:
    """One operation of a recipe, as the YAML files write it."""

    op: str = option(MISSING, "the operation: keyboard, ocr, char_delete, word_swap, name_mangle, ...")
    weight: float = option(1.0, "its share of the recipe's edits")
    params: dict[str, Any] = option(doc="the operation's own settings", factory=dict)


@dataclass
class StructureSpec:
    """Sentence-level garbling, probabilities per sentence (not scaled by level)."""

    split: float = option(0.0, 'split a sentence at a clause boundary (", and", ", but", ";" ...)')
    merge: float = option(0.0, "join a sentence with the next one of its paragraph")
    drop: float = option(0.0, "leave a sentence out")
    insert: float = option(0.0, "insert a caption or credit line after a sentence")


@dataclass
class RecipeSpec:
    """A recipe as the YAML files write it: the schema ``Recipe.from_config`` checks."""

    name: str = option(MISSING, "the recipe's name, recorded in each synthetic row's `recipe`")
    level: float = option(
        0.1, "about the share of words an edit touches; above 1, each operation's odds are capped at 1"
    )
    ops: list[OpSpec] = option(doc="the operations: a list of {op, weight, params}", factory=list)
    protect_names: bool = option(False, "leave every proper noun intact")
    protect_numbers: bool = option(False, 'keep every number as written ("$18.90", "16%", "1st"): no edit touches one')
    structure: StructureSpec = option(doc="sentence-level garbling, per sentence", factory=StructureSpec)
    intensity: list[float] = option(
        doc="how noisy each sentence is, relative to the mean: quantiles at equal steps from 0 to 1 (empty: all 1)",
        factory=list,
    )
    bigrams: str = option("en", "word pairs that read naturally: en (shipped), none (no check) or a table file")
    conditioning: dict[str, list[float]] = option(
        doc="a factor per bucket of frequency, length, position, case on a word's odds (builder.noise.conditioning)",
        factory=dict,
    )
