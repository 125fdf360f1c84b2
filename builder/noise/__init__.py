"""Synthetic garbling: named operations composed into recipes, every edit recorded.

recipe = load_recipe("typo")
garbled, edits = recipe.garble(text, spans, seed=0, doc_id="doc-1")
texts, columns = recipe.apply_columns(texts, spans_per_text, seed=0, doc_ids=ids)  # a batch, edits as arrays

The names below are imported on first use (PEP 562), so importing one module of the
package (``python -m builder.noise --help``) does not load every operation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.core.lazy import lazy_exports

if TYPE_CHECKING:
    from builder.noise.columns import EditColumns
    from builder.noise.recipe import Recipe, UnknownRecipeError, available_recipes, load_recipe
    from builder.noise.registry import OPERATIONS

_HOMES = {
    "OPERATIONS": "builder.noise.registry",
    "EditColumns": "builder.noise.columns",
    "Recipe": "builder.noise.recipe",
    "UnknownRecipeError": "builder.noise.recipe",
    "available_recipes": "builder.noise.recipe",
    "load_recipe": "builder.noise.recipe",
}
__all__ = ["OPERATIONS", "EditColumns", "Recipe", "UnknownRecipeError", "available_recipes", "load_recipe"]


__getattr__, __dir__ = lazy_exports(globals(), _HOMES)
