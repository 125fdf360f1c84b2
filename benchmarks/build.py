"""Build speed and memory, against what a build cannot beat, in one run.

    python -m benchmarks.build                        # throughput at 20,000 documents, memory at 10k and 100k
    python -m benchmarks.build --only throughput --docs 2000
    python -m benchmarks.build --only memory --memory-docs 10000,100000,1000000
    python benchmarks/build.py --only memory --docs 1000000     # the million point alone

The corpus: ``--docs`` documents made from the clean news of ../shared/corpora (the BBC
and Lee corpora; the Lee corpus that gensim ships when ../shared is absent), each copy
with a new id and a few words changed (seeded), so no two are exact duplicates. It is
written as JSONL a document at a time (a million documents are about 2.3 GB).

Throughput, all in one run and on the same file, so the ratios hold on a noisy machine:

- the ceiling: pyarrow reads the JSONL and writes it as Parquet (zstd);
- Punkt alone: NLTK's ``PunktSentenceTokenizer()`` as shipped, and NLTK's Punkt with our
  parameters (``builder.text.punkt_reference``), splitting every text; and our segmenter;
- the build, ``noise=typo``, with 1 and 2 workers, each run as a user runs it (``python -m
  builder`` in a fresh process), the splitters and the two builds alternated for
  ``BUILD_ROUNDS`` rounds (each side's best round is compared, and round by round): MB/s of
  clean text (the fastest round's build time, as the build reports it), its ratio to Punkt
  (above 1: the whole build is faster than Punkt alone) and to the ceiling, the 2-worker
  speed-up (of the fastest rounds, and round by round), and the whole command's time;
- ``noise=profile`` (the MT profile) against ``noise=rtt`` on 2,000 documents, 1 worker;
- ``python -m builder --help``, the fastest of three fresh processes.

Memory: each point is a whole build (``noise=typo``, 1 worker, near-copy grouping off: the
copies are near-copies by construction) in a fresh process, which samples its anonymous
memory (``RssAnon``: memory-mapped Arrow files are page cache, ``RssFile``, reported
apart) and the size of the build's work folder, and checks the folder is gone after.

Results: benchmarks/results/build.json (``--only``: build_throughput.json or build_memory.json).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

if __package__ in (None, ""):  # run as a script (python benchmarks/build.py): import from the clone, and
    sys.path[0] = str(Path(__file__).resolve().parents[1])  # not from benchmarks/ (its numbers.py is a module name)

from benchmarks.common import PROJECT_DIR, SHARED, compose, corpus_path, write_result

_NUMBER = re.compile(r"\d+")


def source_articles() -> tuple[list[dict], str]:
    """The clean articles copies are made from, and what they are."""
    paths = sorted((SHARED / "corpora").glob("*.jsonl"))
    if not paths:
        path, name = corpus_path()
        paths = [path]
    else:
        name = ", ".join(p.stem for p in paths)
    rows = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh]
    return [r for r in rows if r.get("text")], name


def copies(articles: list[dict], n: int) -> Iterator[dict]:
    """``n`` documents: the articles in turn, each round a copy with a new id and, after
    the first round, three changes (a word doubled, two words swapped, a number moved on)."""
    for i in range(n):
        round_, art = divmod(i, len(articles))
        base = articles[art]
        text = base["text"]
        if round_:
            rng = random.Random(i)
            words = text.split(" ")
            k = rng.randrange(len(words))
            words.insert(k, words[k])
            if len(words) > 3:
                j = rng.randrange(len(words) - 1)
                words[j], words[j + 1] = words[j + 1], words[j]
            step = round_
            text = _NUMBER.sub(lambda m, step=step: str(int(m.group()) + step), " ".join(words), count=1)
        yield {**base, "id": f"{base.get('id', art)}~{round_}", "text": text}


def make_corpus(n: int, path: Path) -> dict:
    articles, name = source_articles()
    clean = 0
    with open(path, "w", encoding="utf-8") as fh:
        for doc in copies(articles, n):
            clean += len(doc["text"].encode("utf-8"))
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    size = round(path.stat().st_size / 1e6, 1)
    return {"documents": n, "made_from": name, "clean_mb": round(clean / 1e6, 2), "file_mb": size}


def _best(fn, runs: int = 1) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def ceiling(path: Path, tmp: Path) -> float:
    import pyarrow.json as pj
    import pyarrow.parquet as pq

    return _best(lambda: pq.write_table(pj.read_json(path), tmp / "ceiling.parquet", compression="zstd"), 2)


def segmenters(texts: list[str]) -> dict[str, float]:
    """Seconds each splitter takes over every text. Each text's sentences are made and
    then let go, as a build (or any reader of a stream) does: kept for the whole corpus,
    hundreds of thousands of sentences make the garbage collector's full passes the
    larger cost, and a cost of the splitter's result type (the ``*_all_kept`` keys, with
    every sentence of every text kept, measure that: a ``Sentence`` is a named tuple,
    which the collector walks on every pass, where Punkt's plain tuples of numbers drop
    out of its passes)."""
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    from builder.text.punkt_reference import reference_tokenizer
    from builder.text.segment import Segmenter

    stock = PunktSentenceTokenizer()
    seg = Segmenter()
    ours_params = reference_tokenizer(seg.extra_abbreviations)
    return {
        "punkt_stock": _best(lambda: [len(list(stock.span_tokenize(t))) for t in texts]),
        "punkt_our_params": _best(lambda: [len(list(ours_params.span_tokenize(t))) for t in texts]),
        "segmenter_ours": _best(lambda: [len(seg.split(t)) for t in texts]),
        "punkt_stock_all_kept": _best(lambda: [list(stock.span_tokenize(t)) for t in texts]),
        "segmenter_ours_all_kept": _best(lambda: [seg.split(t) for t in texts]),
    }


def build_seconds(path: Path, root: Path, *overrides: str) -> tuple[float, dict]:
    from builder.app.build import build

    common = ("source=jsonl", f"source.path={path}", "runner.progress=false", "write.overwrite=true")
    cfg = compose(root, *common, *overrides)
    t = time.perf_counter()
    result = build(cfg)
    return time.perf_counter() - t, result.timing


#: Rounds of the 1- and 2-worker builds, alternated: the machine's speed drifts between runs.
BUILD_ROUNDS = 2
_SUMMARY_SECONDS = re.compile(r"\| ([0-9.]+)s, [0-9.]+ MB/s of clean text")
_SUMMARY_WORK = re.compile(r"work folder peaked at ([0-9,]+) MB")


def command_build(path: Path, root: Path, *overrides: str) -> dict:
    """``python -m builder`` on ``path`` in a fresh process: the build's own time (from
    its summary line), the whole command's, and the work folder at its largest."""
    where = (f"hydra.run.dir={root / 'hydra'}", f"write.root={root}", "runner.progress=false", "write.overwrite=true")
    code = [sys.executable, "-m", "builder", "source=jsonl", f"source.path={path}", *where, *overrides]
    t = time.perf_counter()
    done = subprocess.run(code, capture_output=True, text=True, check=True, cwd=PROJECT_DIR)
    process = time.perf_counter() - t
    seconds, work = _SUMMARY_SECONDS.search(done.stdout), _SUMMARY_WORK.search(done.stdout)
    if seconds is None:
        raise RuntimeError(f"no summary line from the build: {done.stdout[-500:]!r} {done.stderr[-500:]!r}")
    return {
        "seconds": float(seconds.group(1)),
        "process_seconds": round(process, 2),
        "work_folder_mb": float(work.group(1).replace(",", "")) if work else None,
    }


def help_seconds() -> float:
    def run() -> None:
        subprocess.run([sys.executable, "-m", "builder", "--help"], capture_output=True, check=True, cwd=PROJECT_DIR)

    return _best(run, 3)


def throughput(n: int, tmp: Path) -> dict:
    path = tmp / f"corpus-{n}.jsonl"
    corpus = make_corpus(n, path)
    mb = corpus["clean_mb"]
    with open(path, encoding="utf-8") as fh:
        texts = [json.loads(line)["text"] for line in fh]
    out: dict = {"corpus": corpus}
    base = ceiling(path, tmp)
    # the splitters take their turn in each round too: each side gets as many tries, as
    # close in time, and the best of each is compared
    splits: list[dict[str, float]] = []
    rounds: dict[int, list[dict]] = {1: [], 2: []}
    for _ in range(BUILD_ROUNDS):
        splits.append(segmenters(texts))
        for workers in (1, 2):
            rounds[workers].append(command_build(path, tmp / f"w{workers}", "noise=typo", f"runner.workers={workers}"))
    del texts
    split = {k: min(s[k] for s in splits) for k in splits[0]}
    out["ceiling_mb_per_s"] = round(mb / base, 2)
    out["splitters_mb_per_s"] = {k: round(mb / v, 2) for k, v in split.items()}
    out["splitters_mb_per_s_by_round"] = [{k: round(mb / v, 2) for k, v in s.items()} for s in splits]
    out["segmenter_vs_punkt_stock"] = round(split["punkt_stock"] / split["segmenter_ours"], 2)
    out["segmenter_vs_punkt_stock_by_round"] = [round(s["punkt_stock"] / s["segmenter_ours"], 2) for s in splits]
    kept = split["punkt_stock_all_kept"] / split["segmenter_ours_all_kept"]
    out["segmenter_vs_punkt_stock_all_kept"] = round(kept, 2)
    best = {}
    for workers, runs in rounds.items():
        fastest = min(runs, key=lambda r: r["seconds"])
        seconds = best[workers] = fastest["seconds"]
        out[f"build_{workers}_worker"] = {
            "seconds": seconds,
            "mb_per_s": round(mb / seconds, 3),
            "vs_punkt_stock": round(split["punkt_stock"] / seconds, 3),
            "vs_punkt_our_params": round(split["punkt_our_params"] / seconds, 3),
            "vs_ceiling": round(base / seconds, 4),
            "work_folder_mb": fastest["work_folder_mb"],
            "rounds_seconds": [r["seconds"] for r in runs],
            "vs_punkt_stock_by_round": [
                round(sp["punkt_stock"] / r["seconds"], 3) for sp, r in zip(splits, runs, strict=True)
            ],
            "command_seconds": [r["process_seconds"] for r in runs],  # the whole python -m builder
        }
    out["speedup_2_workers"] = round(best[1] / best[2], 2)
    out["speedup_2_workers_by_round"] = [
        round(a["seconds"] / b["seconds"], 2) for a, b in zip(rounds[1], rounds[2], strict=True)
    ]
    out["speedup_2_workers_whole_command"] = round(
        min(r["process_seconds"] for r in rounds[1]) / min(r["process_seconds"] for r in rounds[2]), 2
    )
    small = tmp / "corpus-2000.jsonl"
    make_corpus(min(n, 2000), small)
    rtt, _ = build_seconds(small, tmp / "rtt", "noise=rtt")
    profile, _ = build_seconds(small, tmp / "profile", "noise=profile", "noise.path=mt")
    out["profile_vs_rtt"] = {"rtt_s": round(rtt, 2), "profile_s": round(profile, 2), "ratio": round(profile / rtt, 2)}
    out["help_seconds"] = round(help_seconds(), 2)
    return out


# -- memory: a build in a fresh process ----------------------------------------------------------------------------


def _status(field: str) -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0


def _folder_bytes(folder: Path) -> int:
    total = 0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                continue
    return total


def _builder_stack(thread_id: int, depth: int = 4) -> list[str]:
    """Where the build thread is: its innermost ``builder`` frames as module:function, and
    the innermost frame of all when that is in a library."""
    frame = sys._current_frames().get(thread_id)
    if frame is None:
        return []
    stack = traceback.extract_stack(frame)
    where = [f"{Path(f.filename).stem}:{f.name}" for f in stack if f"{os.sep}builder{os.sep}" in f.filename][-depth:]
    if stack and f"{os.sep}builder{os.sep}" not in stack[-1].filename:
        where.append(f"({Path(stack[-1].filename).parent.name}/{Path(stack[-1].filename).stem}:{stack[-1].name})")
    return where


def child(path: Path, root: Path) -> dict:
    """One memory point, run in its own process (``--child``). Each time anonymous memory
    jumps to a new high by a megabyte or more between two samples, the watcher notes where
    the build is, so the result says which step the last such jump belongs to."""
    peak: dict = {"anon": 0, "file": 0, "work": 0, "at": []}
    build_thread = threading.get_ident()

    def watch() -> None:
        tick = 0
        while True:
            anon = _status("RssAnon:")
            if anon > peak["anon"] + 2**20:  # a jump, not the allocator's slow creep
                peak["at"] = _builder_stack(build_thread)
            peak["anon"] = max(peak["anon"], anon)
            peak["file"] = max(peak["file"], _status("RssFile:"))
            tick += 1
            if tick % 50 == 0:
                for work in root.glob(".*.work"):
                    peak["work"] = max(peak["work"], _folder_bytes(work))
            time.sleep(0.02)

    threading.Thread(target=watch, daemon=True).start()
    seconds, timing = build_seconds(path, root, "noise=typo", "dedup.near=false", "runner.workers=1")
    return {
        "seconds": round(seconds, 1),
        "peak_anon_mb": round(peak["anon"] / 2**20, 1),
        "peak_anon_at": " > ".join(peak["at"]),
        "peak_file_mapped_mb": round(peak["file"] / 2**20, 1),
        "peak_work_folder_mb": round(max(peak["work"] / 1e6, timing.get("work_folder_mb") or 0), 1),
        "work_folder_removed": not list(root.glob(".*.work")),
    }


def memory(points: list[int], tmp: Path) -> dict:
    out = []
    for n in points:
        path = tmp / f"memory-{n}.jsonl"
        corpus = make_corpus(n, path)
        code = [sys.executable, "-m", "benchmarks.build", "--child", str(path), str(tmp / f"m{n}")]
        done = subprocess.run(code, capture_output=True, text=True, check=True, cwd=PROJECT_DIR)
        point = {"documents": n, "input_mb": corpus["file_mb"], **json.loads(done.stdout.strip().splitlines()[-1])}
        out.append(point)
        path.unlink()
        print(json.dumps(point), flush=True)
    result: dict = {"points": out}
    if len(out) > 1:
        result["anon_ratio_largest_to_smallest"] = round(out[-1]["peak_anon_mb"] / out[0]["peak_anon_mb"], 2)
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.build", description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("throughput", "memory"))
    parser.add_argument("--docs", type=int, help="documents for throughput (20000); with --only memory, the one point")
    parser.add_argument("--memory-docs", default="10000,100000", help="documents at each memory point")
    parser.add_argument("--child", nargs=2, metavar=("CORPUS", "ROOT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]))))
        return {}
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        if args.only in (None, "throughput"):
            results["throughput"] = throughput(args.docs or 20000, Path(tmp))
            print(json.dumps(results["throughput"], indent=2), flush=True)
        if args.only in (None, "memory"):
            points = [int(x) for x in args.memory_docs.split(",")]
            if args.only == "memory" and args.docs:
                points = [args.docs]
            results["memory"] = memory(points, Path(tmp))
    name = "build" if args.only is None else f"build_{args.only}"
    write_result(name, results)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
