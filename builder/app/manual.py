"""``garble-builder --help``: the build command's manual.

Written from what defines the command, so it cannot drift from it: the config groups
and their options are the folders and files of ``builder/conf/``, the default option of
each group is config.yaml's defaults list, and every key's line is the ``help`` of its
field in the schema (:mod:`builder.app.config`). It imports neither Hydra nor the
pipeline, so it answers at once.
"""

from __future__ import annotations

import dataclasses
import textwrap
import typing
from pathlib import Path

from builder.app.config import GROUPS, BuildConfig
from builder.core.options import help_of
from builder.core.resources import CONF_DIR

WIDTH = 100
KEY_COLUMN = 31
_WRAP = {"break_on_hyphens": False, "break_long_words": False}

USAGE = """\
garble-builder: build garbled-to-clean news sentence pairs as Parquet splits.

usage: garble-builder [OVERRIDE ...]          or: python -m builder [OVERRIDE ...]
       garble-builder -m OVERRIDE ...       a sweep: one build per combination of values
       garble-builder --help | --hydra-help | --cfg job | --info

An OVERRIDE picks a group's option (source=jsonl), sets a key (split.test=0.05), or
loads a whole setup (experiment=windows_typo). Every run is checked before any work:
a misspelt key or a bad value stops it with one line. The dataset is written to
write.root/write.name (data/processed/<input name> by default).
"""

EXAMPLES = """\
examples:
  garble-builder                                        the embedded sample -> data/processed/sample
  garble-builder source=jsonl source.path=news.jsonl noise=rtt
  garble-builder source=jsonl source.path=dump.jsonl.gz source.fields.clean=body
  garble-builder source=textdir source.path=my_pairs/ noise=none
  garble-builder source=jsonl source.path=news.jsonl noise=profile noise.path=profile.json
  garble-builder -m noise.level=0.1,0.2                 two datasets: <name>__noise.level=0.1, ...
  garble-builder experiment=windows_typo                a whole setup from the experiment group
  garble-builder runner.workers=4                       four worker processes
"""

LOGS = """\
logs:
  Nothing is written but the dataset: no run folder, no log file. Log lines go to the
  console. To keep a log file and Hydra's record of the composed config:
    garble-builder hydra/job_logging=default hydra.run.dir=logs/run1 hydra.output_subdir=.hydra
  (in a -m sweep, hydra.sweep.dir=logs/sweep1 instead of hydra.run.dir).
  --cfg job prints the composed config; --hydra-help gives Hydra's own help.

related commands:
  python -m builder.noise --recipe typo --seed 1      garble stdin lines, one JSON line each
  python -m builder.align GARBLED.txt CLEAN.txt       sentence alignment as JSON lines
  python -m builder.profile PAIRS.jsonl -o p.json     a noise profile from real pairs
"""


def group_options(group: str, conf_dir: Path = CONF_DIR) -> list[str]:
    """The options of a config group: the YAML files of its folder."""
    return sorted(p.stem for p in (conf_dir / group).glob("*.yaml"))


def default_options(conf_dir: Path = CONF_DIR) -> dict[str, str | None]:
    """Each group's default option, from config.yaml's defaults list."""
    out: dict[str, str | None] = {}
    for line in (conf_dir / "config.yaml").read_text(encoding="utf-8").splitlines():
        entry = line.strip()
        if not entry.startswith("- ") or ":" not in entry or entry.startswith("- override "):
            continue
        group, _, option = entry[2:].partition(":")
        value = option.split("#", 1)[0].strip()
        out[group.strip()] = None if value in ("null", "~", "") else value
    return out


def _summary(cls: type) -> str:
    doc = (cls.__doc__ or "").strip()
    # a dataclass without a docstring gets a generated signature: no summary then
    if not doc or doc.startswith(f"{cls.__name__}("):
        return ""
    return doc.split("\n\n", 1)[0].replace("\n", " ")


def keys(schema: type, prefix: str) -> list[tuple[str, str]]:
    """(dotted key, help line) for every key of ``schema``, nested sections flattened."""
    out = []
    hints = typing.get_type_hints(schema)
    for f in dataclasses.fields(schema):
        kind = hints[f.name]
        if dataclasses.is_dataclass(kind):
            out += keys(kind, f"{prefix}{f.name}.")  # type: ignore[arg-type]
        else:
            out.append((f"{prefix}{f.name}", help_of(f)))
    return out


def _line(key: str, text: str, indent: int = 2) -> str:
    head = f"{' ' * indent}{key}"
    if len(head) >= KEY_COLUMN:
        head += "  "
    else:
        head = head.ljust(KEY_COLUMN)
    if not text:
        return head
    return textwrap.fill(text, WIDTH, initial_indent=head, subsequent_indent=" " * KEY_COLUMN, **_WRAP)


def _options_line(group: str, default: str | None, conf_dir: Path) -> str:
    names = [f"{n} (default)" if n == default else n for n in group_options(group, conf_dir)]
    indent = "  options: "
    return textwrap.fill(", ".join(names), WIDTH, initial_indent=indent, subsequent_indent=" " * len(indent), **_WRAP)


def groups_section(conf_dir: Path = CONF_DIR) -> str:
    defaults = default_options(conf_dir)
    parts = ["config groups (GROUP=OPTION) and their keys (GROUP.KEY=VALUE):"]
    for group, schema in GROUPS.items():
        parts.append("")
        summary = _summary(schema)
        parts.append(f"{group}: {summary}" if summary else f"{group}:")
        if group_options(group, conf_dir):
            parts.append(_options_line(group, defaults.get(group), conf_dir))
        else:
            parts.append("  (a section without options: set its keys)")
        parts += [_line(key, text) for key, text in keys(schema, f"{group}.")]
    parts.append("")
    parts.append("experiment: a whole setup (several groups and keys) in one file; none by default")
    parts.append(_options_line("experiment", defaults.get("experiment"), conf_dir))
    parts.append("")
    parts.append("top-level keys:")
    seed = next(f for f in dataclasses.fields(BuildConfig) if f.name == "seed")
    parts.append(_line("seed", help_of(seed)))
    return "\n".join(parts) + "\n"


def manual(conf_dir: Path = CONF_DIR) -> str:
    """The whole text of ``garble-builder --help``."""
    return "\n".join([USAGE, EXAMPLES, groups_section(conf_dir), LOGS])


def schema_keys() -> dict[str, str]:
    """Every dotted key of the schema with its help line (for checks and tools)."""
    out: dict[str, str] = {}
    for group, schema in GROUPS.items():
        out.update(keys(schema, f"{group}."))
    return out
