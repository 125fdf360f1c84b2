"""Ligatures in targets: how many real OCR pairs teach a model to create one.

The ICDAR post-OCR gold (the clean side) keeps the ligatures of the printed page (ﬁ, ﬀ,
ﬃ, ﬂ), while the OCR output (the garbled side) spells them out. A row whose clean side
holds a presentation form that its garbled side spells out teaches a model to turn "fi"
into "ﬁ". This counts such rows before and after ``normalize.clean=ligatures``:

- segments: the line-aligned segments of the file (line n with line n), the text as read;
- rows: the sentence rows of a real build of the file (``source=jsonl``, the default
  pipeline) with ``normalize.clean=none`` and with the default ``ligatures``.

It also counts what full NFKC (``normalize.clean=nfkc``) would change beyond the
presentation forms on the clean side: the characters that are written on purpose.

    python -m benchmarks.ligatures

Results: benchmarks/results/ligatures.json. Needs ../shared/real_pairs (GARBLE_SHARED).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

from benchmarks.common import SHARED, write_result
from builder.app.api import build
from builder.text.normalize import normalize_clean, presentation_forms

ICDAR = SHARED / "real_pairs" / "icdar_postocr_en.jsonl"


def teaches_ligatures(clean: str, garbled: str) -> bool:
    """The clean side holds a presentation form whose spelled-out letters are on the
    garbled side, which holds no presentation form itself."""
    forms = presentation_forms()
    found = [c for c in set(clean) if ord(c) in forms]
    if not found or any(ord(c) in forms for c in garbled):
        return False
    return any(forms[ord(c)] in garbled for c in found)


def segments() -> dict:
    before = after = total = 0
    for line in ICDAR.open(encoding="utf-8"):
        row = json.loads(line)
        for clean, garbled in zip(row["clean"].split("\n"), row["noisy"].split("\n"), strict=True):
            total += 1
            before += teaches_ligatures(clean, garbled)
            after += teaches_ligatures(normalize_clean(clean, "ligatures"), garbled)
    return {"segments": total, "teach_ligatures_before": before, "teach_ligatures_after": after}


def rows(mode: str, root: Path) -> dict:
    built = build(
        [
            "source=jsonl",
            f"source.path={ICDAR}",
            f"write.name=icdar_{mode}",
            "noise=none",
            f"normalize.clean={mode}",
            "runner.progress=false",
        ],
        write_root=root,
    )
    n = hits = 0
    for split in built.dataset.values():
        for clean, garbled in zip(split["clean"], split["garbled"], strict=True):
            n += 1
            hits += teaches_ligatures(clean, garbled)
    # the row ledger: a row that differed only by its ligatures is now identical, and dropped
    return {"rows": n, "teach_ligatures": hits, "ledger": built.stats.get("rows", {})}


def nfkc_beyond_presentation() -> dict:
    """Clean-side characters NFKC changes that are not presentation forms, by character."""
    forms = presentation_forms()
    chars: Counter = Counter()
    docs = 0
    for line in ICDAR.open(encoding="utf-8"):
        clean = json.loads(line)["clean"]
        changed = {c for c in set(clean) if ord(c) not in forms and unicodedata.normalize("NFKC", c) != c}
        docs += bool(changed)
        for c in clean:
            if c in changed:
                chars[c] += 1
    return {
        "documents": docs,
        "characters": {
            f"{c} U+{ord(c):04X} -> {unicodedata.normalize('NFKC', c)!r}": k for c, k in chars.most_common()
        },
    }


def main(argv: list[str] | None = None) -> dict:
    if not ICDAR.is_file():
        data = {"skipped": f"{ICDAR} not found"}
        write_result("ligatures", data)
        return data
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        data = {
            "segments": segments(),
            "rows": {mode: rows(mode, Path(tmp)) for mode in ("none", "ligatures")},
            "nfkc_beyond_presentation_forms": nfkc_beyond_presentation(),
        }
    data["seconds"] = round(time.perf_counter() - t0, 1)
    write_result("ligatures", data)
    return data


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2, ensure_ascii=False))
