"""``python -m builder [overrides]``: build a dataset with Hydra.

Before Hydra starts, every run the command line asks for (every point of a ``-m``
sweep) is composed and validated, so a wrong key or value is reported in one line
and nothing is read or written.
"""

from __future__ import annotations

import logging
import re
import signal
import sys
from pathlib import Path

import hydra
from hydra import compose, initialize_config_dir
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.types import RunMode
from omegaconf import DictConfig

from builder.app.config import register, validate
from builder.app.steps import make_pipeline
from builder.core.errors import BuildError, ConfigError
from builder.core.resources import CONF_DIR
from builder.pipeline.readers import make_reader

log = logging.getLogger("builder")
register()

MAX_CHECKED_RUNS = 256
_SWEPT: set[str] = set()  # keys a -m sweep varies; they name each run's output folder
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


def _one_line(exc: BaseException) -> str:
    """The most useful single line from a Hydra/OmegaConf error chain."""
    parts = []
    while exc is not None:
        text = str(exc).strip()
        if text:
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


def _overrides(argv: list[str]) -> tuple[list[str], bool]:
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


def _sweep_suffix(task_overrides: list[str]) -> str:
    """The overrides a sweep varies, as the suffix of the point's folder name (where and
    how fast a build runs does not name a dataset)."""
    swept = [o for o in task_overrides if o.split("=", 1)[0].lstrip("+~") in _SWEPT - _NOT_IN_NAME]
    return ",".join(swept)


_NOT_IN_NAME = {"write.name", "write.root", "runner.workers", "runner.progress", "runner.batch_size"}


def check_command_line(argv: list[str]) -> int:
    """Compose and validate every run ``argv`` asks for; return how many there are. Two
    points of a sweep that would write the same folder are refused here, before any work."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    from builder.app.build import target_for

    overrides, multirun = _overrides(argv)
    if multirun:
        parsed = OverridesParser.create().parse_overrides(overrides)
        _SWEPT.update(o.get_key_element() for o in parsed if o.is_sweep_override())
        runs = BasicSweeper.split_arguments(parsed, None)[0]
    else:
        runs = [overrides]
    targets: dict[Path, str] = {}
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        for run in runs[:MAX_CHECKED_RUNS]:
            try:
                cfg = compose(config_name="config", overrides=list(run))
            except Exception as e:
                raise ConfigError(_one_line(e)) from None
            validate(cfg)
            make_pipeline(cfg)
            make_reader(cfg.source).check()
            target = target_for(cfg, _sweep_suffix(list(run)) if multirun else "")
            folder = target.final.expanduser().resolve()
            point = " ".join(run) or "(defaults)"
            if folder in targets:
                raise ConfigError(f"two runs would write {folder}: '{targets[folder]}' and '{point}'")
            targets[folder] = point
    return len(runs)


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base="1.3")
def _run(cfg: DictConfig) -> None:
    from builder.app.build import build

    hc = HydraConfig.get()
    suffix = ""
    if hc.mode == RunMode.MULTIRUN:
        suffix = _sweep_suffix(list(hc.overrides.task)) or str(hc.job.num)
    try:
        result = build(cfg, sweep_suffix=suffix)
    except ConfigError as e:
        _exit(f"error: {e}", 2)
    except BuildError as e:
        _exit(f"error: {e}", 1)
    except KeyboardInterrupt:
        _exit("interrupted: nothing was replaced; run the same command again to resume from the finished work", 130)
    print(summary(result))


def summary(result) -> str:
    s = result.stats
    d = s["documents"]
    parts = [
        f"built {result.path}" + (" (replaced the earlier build)" if result.replaced else ""),
        ", ".join(f"{k} {v:,} rows" for k, v in s["splits"].items()),
        f"documents {d['in']:,} in, {d['written']:,} written, {sum(d['filtered'].values()):,} filtered, "
        f"{sum(d['rejected'].values()):,} rejected (rejects.jsonl)",
    ]
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
    return " | ".join(parts)


def _exit(line: str, code: int) -> None:
    print(line, file=sys.stderr)
    sys.stderr.flush()
    sys.exit(code)


def _terminate(signum, frame) -> None:
    """SIGTERM ends a build the way Ctrl-C does: the lock is released and staging removed."""
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)
    argv = sys.argv[1:]
    try:
        if not any(a in ("--help", "-h", "--hydra-help", "--cfg", "-c", "--info", "-i") for a in argv):
            try:
                check_command_line(argv)
            except ConfigError as e:
                _exit(f"error: {e}", 2)
        _run()
    except KeyboardInterrupt:
        _exit("interrupted", 130)

