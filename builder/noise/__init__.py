"""Synthetic garbling: named operations composed into recipes, every edit recorded.

recipe = load_recipe("typo")
garbled, edits = recipe.garble(text, spans, seed=0, doc_id="doc-1")
texts, columns = recipe.apply_columns(texts, spans_per_text, seed=0, doc_ids=ids)  # a batch, edits as arrays

The names below are loaded on first use, so that importing a light module of the
package (the recipe schema, ``builder.noise.spec``) does not load every operation.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from builder.noise.columns import EditColumns
    from builder.noise.recipe import Recipe, UnknownRecipeError, available_recipes, load_recipe
    from builder.noise.registry import OPERATIONS

_WHERE = {
    "EditColumns": "builder.noise.columns",
    "Recipe": "builder.noise.recipe",
    "UnknownRecipeError": "builder.noise.recipe",
    "available_recipes": "builder.noise.recipe",
    "load_recipe": "builder.noise.recipe",
    "OPERATIONS": "builder.noise.registry",
}

__all__ = ["OPERATIONS", "EditColumns", "Recipe", "UnknownRecipeError", "available_recipes", "load_recipe"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
