"""Recipes for the build and the API: a named recipe, a noise section, or a profile.

The noise layer knows recipes of operations; a noise profile is the profile layer's.
Only here do the two meet, so ``noise`` never imports ``profile``.

OmegaConf and the profile layer are imported only when a recipe needs them: a plain
``python -m builder.noise --recipe typo`` starts without either.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from builder.core.errors import ConfigError
from builder.core.resources import CONF_DIR
from builder.noise.recipe import Recipe, load_recipe, recipe_file

if TYPE_CHECKING:
    from builder.profile.estimate import Profile

__all__ = ["recipe_for", "recipe_names", "resolve_recipe"]


def _is_dictconfig(section: Any) -> bool:
    omegaconf = sys.modules.get("omegaconf")  # no DictConfig exists before omegaconf is imported
    return omegaconf is not None and isinstance(section, omegaconf.DictConfig)


def _plain(section: Any) -> dict[str, Any]:
    if _is_dictconfig(section):
        from omegaconf import OmegaConf

        return OmegaConf.to_container(section, resolve=True)  # type: ignore[return-value]
    if dataclasses.is_dataclass(section) and not isinstance(section, type):
        return dataclasses.asdict(section)
    if isinstance(section, Mapping):
        return dict(section)
    raise TypeError(f"a noise section must be a mapping, not {type(section).__name__}")


def recipe_for(section: Any) -> Recipe:
    """The recipe a ``noise`` config section describes. With ``path`` it is the noise
    profile's recipe, its rates scaled by ``level`` (1: as estimated). Raises ConfigError."""
    data = _plain(section)
    path = data.get("path")
    try:
        if path:
            if data.get("ops"):
                raise ConfigError("noise.path (a profile) replaces noise.ops: use noise=profile noise.path=<file>")
            from builder.profile.estimate import Profile
            from builder.profile.to_recipe import recipe_from_profile

            profile = Profile.load(path)
            made = recipe_from_profile(
                profile,
                scale=float(data.get("level", 1.0)),
                protect_names=bool(data.get("protect_names", False)),
                protect_numbers=bool(data.get("protect_numbers", False)),
                bigrams=str(data.get("bigrams") or "en"),
            )
            return made.recipe
        return Recipe.from_config(data)
    except ValueError as e:  # ProfileError is one
        raise ConfigError(f"noise: {e}") from None


def resolve_recipe(recipe: str | Recipe | Profile | Mapping[str, Any], level: float | None = None) -> Recipe:
    """What the API accepts where a recipe goes: a recipe name (``builder/conf/noise``), a
    ``Recipe``, a ``Profile`` or a mapping like a ``noise`` section. ``level`` replaces the
    recipe's level (for a profile: scales its rates)."""
    if isinstance(recipe, Recipe):
        return recipe if level is None else recipe.with_level(level)
    if isinstance(recipe, str):
        path = CONF_DIR / "noise" / f"{recipe}.yaml"
        if "/" in recipe or "\\" in recipe or not path.is_file():
            load_recipe(recipe)  # raises UnknownRecipeError, naming the recipes there are
        data = recipe_file(path)
        data.setdefault("name", recipe)
        if not data.get("path"):  # a recipe of operations
            made = Recipe.from_config(data)
            return made if level is None else made.with_level(level)
        recipe = data
    else:
        from builder.profile.estimate import Profile

        if isinstance(recipe, Profile):
            from builder.profile.to_recipe import recipe_from_profile

            return recipe_from_profile(recipe, scale=1.0 if level is None else float(level)).recipe
    data = _plain(recipe)
    if level is not None:
        data["level"] = level
    return recipe_for(data)


def recipe_names() -> list[str]:
    """Every recipe name ``resolve_recipe`` (and ``noise=<name>``) accepts."""
    return sorted(p.stem for p in (CONF_DIR / "noise").glob("*.yaml"))
