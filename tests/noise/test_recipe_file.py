"""Recipes load lazily and give exactly what they gave when everything was loaded.

``recipe_file`` reads plain YAML with PyYAML under OmegaConf's rules, and
``Recipe.from_config`` takes plain data of the schema's types without OmegaConf, so
garbling starts fast; anything else goes through OmegaConf as before. An operation is
found by name without importing every module of ``builder.noise.ops``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from omegaconf import OmegaConf

from builder.noise.recipe import Recipe, RecipeSpec, load_recipe, recipe_dir, recipe_file
from builder.noise.registry import OPERATIONS, homes, operation


def _omegaconf_file(path: Path) -> object:
    return OmegaConf.to_container(OmegaConf.load(path), resolve=True)


def _omegaconf_recipe(data: dict) -> Recipe:
    return Recipe.from_config(OmegaConf.to_object(OmegaConf.merge(OmegaConf.structured(RecipeSpec), data)))


@pytest.mark.parametrize("path", sorted(recipe_dir().glob("*.yaml")), ids=lambda p: p.stem)
def test_every_packaged_recipe_reads_as_omegaconf_reads_it(path: Path) -> None:
    data = recipe_file(path)
    assert repr(data) == repr(_omegaconf_file(path))  # the same values of the same types
    if not data.get("path"):  # a recipe of operations (noise=profile names a profile instead)
        assert load_recipe(path.stem) == _omegaconf_recipe({"name": path.stem, **data})


YAML = {
    "exponent": "level: 1e-1\nops:\n  - {op: keyboard, weight: 2}\n",
    "yaml_1_1": "a: yes\nb: 1_000\nc: .5\nd: 2024-01-01\ne: ~\nf: 0x10\n",
    "interpolation": "level: 0.2\nops:\n  - {op: keyboard, weight: '${level}'}\n",
    "escaped": "name: '\\${not}'\n",
    "missing": "name: ???\n",
    "empty": "",
    "nested": "ops:\n  - op: word_insert\n    params:\n      table: [['', 'the', 10], ['', 'of', 6.5]]\n",
}


@pytest.mark.parametrize("name", sorted(YAML))
def test_tricky_yaml_reads_as_omegaconf_reads_it(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(YAML[name], encoding="utf-8")
    assert repr(recipe_file(path)) == repr(_omegaconf_file(path))


def test_what_omegaconf_refuses_is_refused_the_same_way(tmp_path: Path) -> None:
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("level: 0.1\nlevel: 0.2\n", encoding="utf-8")
    with pytest.raises(Exception, match="duplicate key") as ours:
        recipe_file(duplicate)
    with pytest.raises(Exception, match="duplicate key") as theirs:
        OmegaConf.load(duplicate)
    assert type(ours.value) is type(theirs.value)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="must be a mapping"):
        recipe_file(listed)


@pytest.mark.parametrize(
    "data",
    [
        {"name": "x", "level": 1, "ops": [{"op": "keyboard", "weight": 2}], "structure": {"split": 0}},
        {"name": "x", "ops": [{"op": "char_insert", "params": {"repeat": 0.5}}], "protect_names": True},
        {"name": "x", "level": "0.3"},  # OmegaConf turns the string into a float
    ],
)
def test_plain_data_makes_the_recipe_omegaconf_makes(data: dict) -> None:
    assert Recipe.from_config(data) == _omegaconf_recipe(data)


@pytest.mark.parametrize(
    ("data", "why"),
    [
        ({"name": "x", "level": "high"}, "high"),
        ({"name": "x", "levle": 0.1}, "levle"),
        ({"level": 0.1}, "name"),
        ({"name": "x", "ops": [{"weight": 1.0}]}, "op"),
        ({"name": "x", "structure": {"split": "often"}}, "often"),
    ],
)
def test_wrong_recipes_fail_with_omegaconfs_reason(data: dict, why: str) -> None:
    with pytest.raises(ValueError, match=why) as e:
        Recipe.from_config(data)
    assert str(e.value).startswith(f"noise recipe {data.get('name', '?')!r}: ")


def test_an_operation_found_by_name_is_the_registered_one() -> None:
    assert set(homes()) == set(OPERATIONS)  # every operation's module is found from its source
    for name, cls in OPERATIONS.items():
        assert operation(name) is cls
        assert cls.__module__ == f"builder.noise.ops.{homes()[name]}"
    assert operation("no_such_op") is None
    with pytest.raises(ValueError, match=r"unknown noise op 'no_such_op' \(known: .*keyboard"):
        Recipe.from_config({"name": "x", "ops": [{"op": "no_such_op"}]})
