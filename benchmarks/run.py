"""`make bench`: run every benchmark and print a summary. Results: benchmarks/results/.

python -m benchmarks.run              # all of them
python -m benchmarks.run noise align  # some, by name
"""

from __future__ import annotations

import json
import sys

from benchmarks import (
    align,
    build,
    calibrate_align,
    leakage,
    ligatures,
    noise,
    numbers,
    pairing,
    realism,
    segment,
    text_scaling,
)

BENCHMARKS = {
    "build": build.main,
    "align": align.main,
    "calibration": calibrate_align.main,
    "pairing": pairing.main,
    "noise": noise.main,
    "realism": realism.main,
    "segment": segment.main,
    "text_scaling": text_scaling.main,
    "numbers": numbers.main,
    "ligatures": ligatures.main,
    "leakage": leakage.main,
}


def main(names: list[str]) -> None:
    for name in names or list(BENCHMARKS):
        print(f"== {name}")
        print(json.dumps(BENCHMARKS[name](), indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
