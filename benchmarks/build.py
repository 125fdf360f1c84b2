"""Build throughput: MB of clean text per second end to end, against the ceiling.

The ceiling is what pyarrow alone does with the same input: read the JSONL and write
it as Parquet, with no segmentation, alignment or garbling. Both run in this process
on the same file, so the ratio is meaningful on a noisy machine.

Input: ../shared/corpora/bbc_news_greene2006.jsonl when present (5 MB of BBC news),
else the Lee corpus that gensim ships. Results: benchmarks/results/build.json.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.json as pj
import pyarrow.parquet as pq

from benchmarks.common import PROJECT_DIR, compose, corpus_path, write_result
from builder.app.build import build


def ceiling(path: Path, out: Path) -> float:
    t = time.perf_counter()
    table = pj.read_json(path)
    pq.write_table(table, out / "ceiling.parquet", compression="zstd")
    return time.perf_counter() - t


_CHILD = """
import json, resource, sys, threading, time
peak = [0]
def watch():  # anonymous memory only: memory-mapped Arrow files count in RSS but are page cache
    while True:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("RssAnon:"):
                    peak[0] = max(peak[0], int(line.split()[1]))
        time.sleep(0.02)
threading.Thread(target=watch, daemon=True).start()
from benchmarks.common import compose
from builder.app.build import build
cfg = compose(__import__("pathlib").Path({out!r}), "source=jsonl", "source.path={path}", "source.name=scale",
              "runner.workers=1", "runner.batch_size=32", "runner.progress=false", "noise=mixed")
t = time.perf_counter()
res = build(cfg)
print(json.dumps({{"seconds": time.perf_counter() - t, "rows": sum(res.stats["splits"].values()),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "peak_anon_mb": peak[0] / 1024}}))
"""


def memory_scaling(path: Path, tmp: Path, copies: tuple[int, ...] = (1, 4)) -> list[dict]:
    """Peak memory of a whole build in a fresh process as the corpus grows (the corpus
    repeated under new ids): it should stay flat, since work is done a batch at a time."""
    out = []
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    for k in copies:
        big = tmp / f"x{k}.jsonl"
        with open(big, "w", encoding="utf-8") as fh:
            for c in range(k):
                for r in rows:
                    text = r["text"] if c == 0 else f"{r['text']}\n\nCopy {c} of this report."  # not a duplicate
                    fh.write(json.dumps({**r, "id": f"{r['id']}#{c}", "text": text}) + "\n")
        code = _CHILD.format(out=str(tmp / f"scale{k}"), path=str(big))
        # from the clone's folder, so the child imports this clone's builder and benchmarks
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_DIR)
        run = json.loads(done.stdout.strip().splitlines()[-1])
        mb = big.stat().st_size / 1e6
        out.append(
            {
                "copies": k,
                "input_mb": round(mb, 1),
                "rows": run["rows"],
                "seconds": round(run["seconds"], 2),
                "peak_rss_mb": round(run["peak_rss_mb"], 1),
                "peak_anon_mb": round(run["peak_anon_mb"], 1),
            }
        )
    return out


def main() -> dict:
    path, name = corpus_path()
    with open(path, encoding="utf-8") as fh:
        mb = sum(len(json.loads(line)["text"].encode()) for line in fh) / 1e6
    results = {"corpus": name, "clean_mb": round(mb, 3), "runs": []}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        base = ceiling(path, tmp)
        results["ceiling_seconds"] = round(base, 3)
        results["ceiling_mb_per_s"] = round(mb / base, 2)
        for workers in (1, 2):
            cfg = compose(
                tmp / f"w{workers}",
                "source=jsonl",
                f"source.path={path}",
                "source.name=bench",
                f"runner.workers={workers}",
                "runner.batch_size=32",
                "runner.progress=false",
                "noise=mixed",
            )
            t = time.perf_counter()
            res = build(cfg)
            dt = time.perf_counter() - t
            results["runs"].append(
                {
                    "workers": workers,
                    "seconds": round(dt, 3),
                    "mb_per_s": round(mb / dt, 3),
                    "mb_per_s_per_core": round(mb / dt / workers, 3),
                    "rows": sum(res.stats["splits"].values()),
                    "ratio_to_ceiling": round(base / dt, 4),
                }
            )
        results["speedup_2_workers"] = round(results["runs"][0]["seconds"] / results["runs"][1]["seconds"], 2)
        results["memory_scaling"] = memory_scaling(path, tmp)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    write_result("build", results)
    return results


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
