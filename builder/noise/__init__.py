"""Synthetic garbling: named operations composed into recipes, every edit recorded.

recipe = load_recipe("typo")
garbled, edits = recipe.garble(text, spans, seed=0, doc_id="doc-1")
"""

from builder.noise.recipe import Recipe, UnknownRecipeError, available_recipes, load_recipe
from builder.noise.registry import OPERATIONS

__all__ = ["OPERATIONS", "Recipe", "UnknownRecipeError", "available_recipes", "load_recipe"]
