"""Synthetic garbling: named operations composed into recipes, every edit recorded.

recipe = load_recipe("typo")
garbled, edits = recipe.garble(text, spans, seed=0, doc_id="doc-1")
texts, columns = recipe.apply_columns(texts, spans_per_text, seed=0, doc_ids=ids)  # a batch, edits as arrays
"""

from builder.noise.columns import EditColumns
from builder.noise.recipe import Recipe, UnknownRecipeError, available_recipes, load_recipe
from builder.noise.registry import OPERATIONS

__all__ = ["OPERATIONS", "EditColumns", "Recipe", "UnknownRecipeError", "available_recipes", "load_recipe"]
