"""``python -m builder [overrides]``: build a dataset with Hydra.

Before Hydra starts, every run the command line asks for (every point of a ``-m``
sweep) is composed and validated, so a wrong key or value is reported in one line
and nothing is read or written.
"""

from __future__ import annotations

import logging
import re
import sys

import hydra
from hydra import compose, initialize_config_dir
from hydra.core.hydra_config import HydraConfig
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.types import RunMode
from omegaconf import DictConfig

from builder.config import ConfigError, register, validate
from builder.paths import CONFIG_DIR
from builder.pipeline import Pipeline
from builder.readers import make_reader

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


def check_command_line(argv: list[str]) -> int:
    """Compose and validate every run ``argv`` asks for; return how many there are."""
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    overrides, multirun = _overrides(argv)
    if multirun:
        parsed = OverridesParser.create().parse_overrides(overrides)
        _SWEPT.update(o.get_key_element() for o in parsed if o.is_sweep_override())
        runs = BasicSweeper.split_arguments(parsed, None)[0]
    else:
        runs = [overrides]
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
        for run in runs[:MAX_CHECKED_RUNS]:
            try:
                cfg = compose(config_name="config", overrides=list(run))
            except Exception as e:
                raise ConfigError(_one_line(e)) from None
            validate(cfg)
            Pipeline(cfg)
            make_reader(cfg.source).check()
    return len(runs)


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _run(cfg: DictConfig) -> None:
    from builder.build import build

    hc = HydraConfig.get()
    suffix = ""
    if hc.mode == RunMode.MULTIRUN:
        swept = [o for o in hc.overrides.task if o.split("=", 1)[0].lstrip("+~") in _SWEPT]
        suffix = ",".join(swept) or str(hc.job.num)
    try:
        result = build(cfg, sweep_suffix=suffix)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        sys.exit(2)
    s = result.stats
    print(
        f"built {result.path}: "
        + ", ".join(f"{k} {v:,} rows" for k, v in s["splits"].items())
        + f" | documents {s['documents']['in']:,} in, {s['documents']['written']:,} written, "
        f"{sum(s['documents']['filtered'].values()):,} filtered, {sum(s['documents']['rejected'].values()):,} "
        f"rejected | {s['time_seconds']:.1f}s, {s['throughput']['clean_mb_per_second']:.3f} MB/s of clean text"
    )


def main() -> None:
    argv = sys.argv[1:]
    if not any(a in ("--help", "-h", "--hydra-help", "--cfg", "-c", "--info", "-i") for a in argv):
        try:
            check_command_line(argv)
        except ConfigError as e:
            print(f"error: {e}", file=sys.stderr)
            sys.exit(2)
    _run()


if __name__ == "__main__":
    main()
