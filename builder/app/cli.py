"""``garble-builder [overrides]`` (``python -m builder``): build a dataset with Hydra.

Before Hydra starts, every run the command line asks for (every point of a ``-m``
sweep) is composed and validated, so a wrong key or value is reported in one line
and nothing is read or written.

The configs are found as ``pkg://builder.conf``, inside the installed package, so the
command works from any folder. ``--help`` is the manual of :mod:`builder.app.manual`;
it loads neither Hydra nor the pipeline. Hydra writes nothing of its own unless asked
(see builder/conf/config.yaml): a sweep's ``multirun.yaml`` goes to a temporary folder
unless ``hydra.sweep.dir`` is given.
"""

from __future__ import annotations

import itertools
import re
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.core.errors import BuildError, ConfigError
from builder.core.resources import ResourceError

CONFIG_MODULE = "builder.conf"
CONFIG_PATH = f"pkg://{CONFIG_MODULE}"
CONFIG_NAME = "config"
MAX_CHECKED_RUNS = 256
HELP_FLAGS = ("--help", "-h")
# Flags that Hydra answers without running a build: the command line is not checked first.
_HYDRA_ANSWERS = ("--hydra-help", "--cfg", "-c", "--info", "-i", "--shell-completion", "-sc")
_HYDRA_FLAGS_WITH_VALUE = {
    "-cp",
    "--config-path",
    "-cn",
    "--config-name",
    "-cd",
    "--config-dir",
    "--info",
    "-i",
    "--experimental-rerun",
}
#: Where and how fast a build runs does not name a dataset.
_NOT_IN_NAME = {"write.name", "write.root", "runner.workers", "runner.progress", "runner.batch_size"}


@dataclass(frozen=True)
class CommandLine:
    """The runs a command line asks for: one, or every point of a ``-m`` sweep."""

    runs: list[list[str]]  # each run's overrides
    swept: frozenset[str]  # the keys a sweep varies: they name each point's output folder
    multirun: bool


def _one_line(exc: BaseException) -> str:
    """The most useful single line from a Hydra/OmegaConf error chain."""
    from builder.app.config import RENAMED

    parts = []
    while exc is not None:
        if getattr(exc, "full_key", None) in RENAMED:
            return RENAMED[exc.full_key]
        text = str(exc).strip()
        if text and text != "None":
            first = text.splitlines()[0].strip()
            options = re.search(r"Available options in '[^']+':\n((?:\t.*\n?)+)", text)
            if options:
                names = [o.strip() for o in options.group(1).splitlines() if not o.strip().endswith("_schema")]
                first += f" (available: {', '.join(names)})"
            key = getattr(exc, "full_key", None)
            if key and key not in first:
                first = f"{key}: {first}"
            if first not in parts:
                parts.append(first)
        exc = exc.__cause__ or exc.__context__
    return " - ".join(parts[:2]) if parts else "invalid configuration"


def _overrides(argv: Sequence[str]) -> tuple[list[str], bool]:
    """The config overrides of ``argv`` (Hydra's own flags and ``hydra.*`` left out), and
    whether it asks for a sweep (``-m``)."""
    out, multirun, skip = [], False, False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("-m", "--multirun"):
            multirun = True
        elif arg in _HYDRA_FLAGS_WITH_VALUE:
            skip = True
        elif arg.startswith("-") or arg.startswith("hydra.") or arg.startswith("hydra/"):
            continue
        else:
            out.append(arg)
    return out, multirun


def _bare(key: str) -> str:
    return key.lstrip("+~")


def _sweep_values(override: Any) -> list[str]:
    """The values one sweep override takes, as override strings."""
    from hydra.core.override_parser.types import Glob, ValueType

    if override.value_type == ValueType.GLOB_CHOICE_SWEEP:
        glob: Glob = override.value()
        from builder.core.resources import CONF_DIR

        options = sorted(p.stem for p in (CONF_DIR / _bare(override.key_or_group)).glob("*.yaml"))
        return glob.filter(options)
    return list(override.sweep_string_iterator())


def parse_command_line(argv: Sequence[str]) -> CommandLine:
    """The runs ``argv`` asks for. A sweep is expanded as Hydra's basic sweeper does it:
    every combination of the swept values, in command-line order."""
    overrides, multirun = _overrides(argv)
    if not multirun:
        return CommandLine([overrides], frozenset(), False)
    from hydra.core.override_parser.overrides_parser import OverridesParser

    try:
        parsed = OverridesParser.create().parse_overrides(overrides)
    except Exception as e:
        raise ConfigError(_one_line(e)) from None
    choices: dict[str, list[str]] = {}  # a key given twice: the last one wins, in the first one's place
    swept: set[str] = set()
    for o in parsed:
        key = o.get_key_element()
        if o.is_sweep_override():
            if not o.is_discrete_sweep():
                raise ConfigError(f"{key}: only a list or a range can be swept here (not {o.value_type.name})")
            choices[key] = [f"{key}={value}" for value in _sweep_values(o)]
            swept.add(_bare(key))
        else:
            choices[key] = [f"{key}={o.get_value_element_as_str()}"]
            swept.discard(_bare(key))
    runs = [list(point) for point in itertools.product(*choices.values())]
    return CommandLine(runs, frozenset(swept), True)


def sweep_suffix(task_overrides: Sequence[str], swept: frozenset[str]) -> str:
    """The overrides a sweep varies, as the suffix of the point's folder name."""
    named = swept - _NOT_IN_NAME
    return ",".join(o for o in task_overrides if _bare(o.split("=", 1)[0]) in named)


def check_command_line(argv: Sequence[str]) -> CommandLine:
    """Compose and validate every run ``argv`` asks for. Two points of a sweep that would
    write the same folder are refused here, before any work."""
    from hydra import compose, initialize_config_module

    from builder.app.build import target_for
    from builder.app.config import register, validate
    from builder.app.steps import make_pipeline
    from builder.pipeline.readers import make_reader

    command = parse_command_line(argv)
    register()
    targets: dict[Path, str] = {}
    with initialize_config_module(config_module=CONFIG_MODULE, version_base="1.3"):
        for run in command.runs[:MAX_CHECKED_RUNS]:
            try:
                cfg = compose(config_name=CONFIG_NAME, overrides=list(run))
            except Exception as e:
                raise ConfigError(_one_line(e)) from None
            validate(cfg)
            make_pipeline(cfg)
            make_reader(cfg.source).check()
            target = target_for(cfg, sweep_suffix(run, command.swept) if command.multirun else "")
            folder = target.final.expanduser().resolve()
            point = " ".join(run) or "(defaults)"
            if folder in targets:
                raise ConfigError(f"two runs would write {folder}: '{targets[folder]}' and '{point}'")
            targets[folder] = point
    return command


def _task(swept: frozenset[str]) -> Callable[[Any], None]:
    """The build of one run, as Hydra calls it; ``swept`` names the folder of a sweep's point."""

    def run(cfg: Any) -> None:
        from hydra.core.hydra_config import HydraConfig
        from hydra.types import RunMode

        from builder.app.build import build

        hc = HydraConfig.get()
        suffix = ""
        if hc.mode == RunMode.MULTIRUN:
            suffix = sweep_suffix(list(hc.overrides.task), swept) or str(hc.job.num)
        try:
            result = build(cfg, sweep_suffix=suffix)
        except ConfigError as e:
            _exit(f"error: {e}", 2)
        except BuildError as e:
            _exit(f"error: {e}", 1)
        except KeyboardInterrupt:
            _exit("interrupted: nothing was replaced; run the same command again to resume from the finished work", 130)
        print(summary(result))

    return run


def _hydra(argv: list[str], swept: frozenset[str]) -> None:
    """Hand the command line to Hydra. A sweep's own record (multirun.yaml, a folder per
    point) goes to a temporary folder, unless ``hydra.sweep.dir`` says where to keep it."""
    import hydra

    from builder.app.config import register

    register()
    scratch = None
    multirun = any(a in ("-m", "--multirun") for a in argv)
    if multirun and not any(a.startswith("hydra.sweep.dir=") for a in argv):
        scratch = tempfile.mkdtemp(prefix="garble-builder-sweep-")
        argv = [*argv, f"hydra.sweep.dir={scratch}"]
    saved = sys.argv
    sys.argv = [saved[0], *argv]
    try:
        hydra.main(config_path=CONFIG_PATH, config_name=CONFIG_NAME, version_base="1.3")(_task(swept))()
    finally:
        sys.argv = saved
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def summary(result) -> str:
    s = result.stats
    d = s["documents"]
    parts = [
        f"built {result.path}" + (" (replaced the earlier build)" if result.replaced else ""),
        ", ".join(f"{k} {v:,} rows" for k, v in s["splits"].items()),
        f"documents {d['in']:,} in, {d['written']:,} written, {sum(d['filtered'].values()):,} filtered, "
        f"{sum(d['rejected'].values()):,} rejected (rejects.jsonl)",
    ]
    neutral = s.get("noise", {}).get("non_english_documents", 0)
    if neutral:
        parts.append(f"{neutral:,} non-English documents garbled with script-neutral operations only")
    dates = s.get("dates", {})
    if dates.get("unreadable"):
        parts.append(f"{dates['unreadable']:,} unreadable dates")
    undated = s.get("undated")
    if undated:
        parts.append(f"{undated['documents']:,} undated documents to {undated['to']}")
    if result.resumed_chunks:
        parts.append(f"resumed: {result.resumed_chunks:,} finished chunks reused")
    t = result.timing
    parts.append(f"{t['seconds']:.1f}s, {t['clean_mb_per_second']:.3f} MB/s of clean text")
    if "work_folder_mb" in t:
        parts.append(f"work folder peaked at {t['work_folder_mb']:,.0f} MB (removed)")
    return " | ".join(parts)


def _exit(line: str, code: int) -> None:
    print(line, file=sys.stderr)
    sys.stderr.flush()
    sys.exit(code)


def _terminate(signum, frame) -> None:
    """SIGTERM ends a build the way Ctrl-C does: the lock is released and staging removed."""
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if any(a in HELP_FLAGS for a in argv):
        from builder.app.manual import manual

        sys.stdout.write(manual())
        return
    signal.signal(signal.SIGTERM, _terminate)
    try:
        swept: frozenset[str] = frozenset()
        if not any(a in _HYDRA_ANSWERS for a in argv):  # those print, they build nothing
            try:
                swept = check_command_line(argv).swept
            except (ConfigError, ResourceError) as e:
                _exit(f"error: {e}", 2)
        _hydra(argv, swept)
    except KeyboardInterrupt:
        _exit("interrupted", 130)
