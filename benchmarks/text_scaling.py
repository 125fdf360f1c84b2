"""How the text tools scale with input length: time and peak memory.

    python -m benchmarks.text_scaling            # everything (about 15 minutes)
    python -m benchmarks.text_scaling segment    # one part: segment, profile or align

- segment: ``Segmenter.split`` on one paragraph of short news sentences of 0.1, 1 and
  10 MB, next to stock NLTK Punkt (its regular expressions under ``nltk.redos``'s
  5-second wall-clock timeout, NLTK >= 3.10), which fails on the longer ones.
- profile: ``python -m builder.profile`` on one garbled/clean pair of 10k, 100k and 1M
  words.
- align: ``python -m builder.align`` on a file that is a single line of 1 and 10 MB,
  without sentence ends (one giant "sentence") and as prose.

Each case runs in a fresh process, so its peak resident memory is its own;
``rss_before_mb`` is what the process held before the measured work (for segment: the
imports and the text; for the commands: Python alone, the command imports its own
modules). Segmentation times are the fastest of three runs. Results:
``benchmarks/results/text_scaling.json``.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import PROJECT_DIR, write_result

SEGMENT_MB = (0.1, 1.0, 10.0)
PROFILE_WORDS = (10_000, 100_000, 1_000_000)
ALIGN_MB = (1.0, 10.0)

# fmt: off
_NOUNS = [
    "minister", "council", "bank", "river", "storm", "police", "court", "market", "school", "hospital",
    "village", "army", "factory", "harbour", "election", "budget", "railway", "museum", "festival",
    "airport", "bridge", "union", "treaty", "border", "farmers", "doctors", "judges", "pilots", "miners",
    "students", "voters", "nurses", "workers", "teachers", "engineers", "fishermen", "traders", "senator",
]
_VERBS = ["said", "closed", "opened", "blamed", "praised", "visited", "rejected", "approved", "delayed", "announced"]
_FORMS = [
    "The {n} of {N} {v} {k} {n} on {d}.",
    "Gen. {N} met Sen. {N} in the U.S. on Jan. {k}.",
    "“We {v} the {n},” Mr. {N} said.",
    "Officials {v} {k} {n} after the {n} {v} the {n}.",
    "Is the {n} ready for {k} {n}?",
    "The {n}, which {v} the {n} in {N}, {v} {k} {n} by {d}.",
]
# fmt: on
_DAYS = ["Monday", "Tuesday", "Friday", "Sunday"]


def news_sentences(n_chars: int, seed: int = 0) -> list[str]:
    """Short, distinct news sentences (with abbreviations and quotes) adding up to ``n_chars``."""
    rnd = random.Random(seed)
    out, size, k = [], 0, 0
    while size < n_chars:
        form = _FORMS[rnd.randrange(len(_FORMS))]
        s = form.format(
            n=rnd.choice(_NOUNS),
            N=rnd.choice(_NOUNS).title(),
            v=rnd.choice(_VERBS),
            k=k,
            d=rnd.choice(_DAYS),
        )
        out.append(s)
        size += len(s) + 1
        k += 1
    return out


def garble(sentences: list[str], seed: int = 0) -> list[str]:
    """Typing noise (doubled and swapped letters) and one sentence in 200 dropped."""
    rnd = random.Random(seed)
    out = []
    for s in sentences:
        if rnd.random() < 0.005:
            continue
        chars = list(s)
        for i in range(len(chars) - 1):
            if chars[i].isalpha() and rnd.random() < 0.02:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
        out.append("".join(chars))
    return out


def _words(n_words: int) -> list[str]:
    """Sentences adding up to about ``n_words`` words."""
    return news_sentences(n_words * 6, seed=n_words)


# -- running a case in its own process ---------------------------------------------------

# The peak is read from /proc (VmHWM: this process image only; ru_maxrss would also
# count the parent's memory at fork) where there is one.
_CASE = """
import json, resource, sys, time
def rss():
    try:
        with open("/proc/self/status") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
{setup}
before = rss()
start = time.perf_counter()
status = "ok"
try:
{work}
except SystemExit as e:
    status = "ok" if not e.code else f"exit {{e.code}}"
except Exception as e:
    status = f"{{type(e).__name__}}: {{str(e)[:100]}}"
print(json.dumps({{"seconds": round(time.perf_counter() - start, 2), "peak_rss_mb": round(rss(), 1),
                  "rss_before_mb": round(before, 1), "status": status}}))
"""


def run_case(setup: str, work: str, repeat: int = 1) -> dict:
    """Time and peak memory of ``work`` after ``setup``, each run in a fresh Python
    process; with ``repeat``, the fastest run (the others were slowed by the machine)."""
    body = "\n".join("    " + line for line in work.strip().splitlines())
    code = _CASE.format(setup=setup.strip(), work=body)
    runs = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_DIR)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return min(runs, key=lambda r: r["seconds"])


def segment_cases(tmp: Path) -> list[dict]:
    rows = []
    for mb in SEGMENT_MB:
        path = tmp / f"segment_{mb}.txt"
        path.write_text(" ".join(news_sentences(int(mb * 1e6))), encoding="utf-8")
        ours = run_case(
            f"from builder.text.segment import Segmenter\ntext = open({str(path)!r}, encoding='utf-8').read()",
            "n = len(Segmenter().split(text))",
            repeat=3,
        )
        stock = run_case(
            "from nltk.tokenize.punkt import PunktSentenceTokenizer\n"
            f"text = open({str(path)!r}, encoding='utf-8').read()",
            "n = sum(1 for _ in PunktSentenceTokenizer().span_tokenize(text))",
            repeat=3,
        )
        rows.append({"mb": mb, "ours": ours, "stock_nltk_punkt": stock})
        print(f"segment {mb} MB: ours {ours}, stock {stock}", file=sys.stderr)
    return rows


def profile_cases(tmp: Path) -> list[dict]:
    rows = []
    for n in PROFILE_WORDS:
        clean = _words(n)
        path = tmp / f"pair_{n}.jsonl"
        path.write_text(json.dumps({"garbled": " ".join(garble(clean)), "clean": " ".join(clean)}) + "\n")
        out = tmp / f"profile_{n}.json"
        result = run_case(
            "import runpy",
            f"sys.argv = ['builder.profile', {str(path)!r}, '-o', {str(out)!r}, '--quiet']\n"
            "runpy.run_module('builder.profile', run_name='__main__')",
        )
        words = json.loads(out.read_text())["counts"]["words"] if out.exists() else None
        rows.append({"words": n, "clean_words_measured": words, **result})
        print(f"profile {n} words: {result}", file=sys.stderr)
    return rows


def align_cases(tmp: Path) -> list[dict]:
    rows = []
    for mb in ALIGN_MB:
        sentences = news_sentences(int(mb * 1e6), seed=7)
        shapes = {
            "no sentence ends": [s.replace(".", "").replace("?", "") for s in sentences],
            "prose": sentences,
        }
        for shape, clean in shapes.items():
            if shape == "prose" and mb > 1:
                continue  # 10 MB of 16-character sentences: about 8 minutes, the aligner's own speed
            g, c = tmp / f"align_g_{mb}.txt", tmp / f"align_c_{mb}.txt"
            g.write_text(" ".join(garble(clean)) + "\n", encoding="utf-8")
            c.write_text(" ".join(clean) + "\n", encoding="utf-8")
            result = run_case(
                "import contextlib, os, runpy",
                f"sys.argv = ['builder.align', {str(g)!r}, {str(c)!r}]\n"
                "with open(os.devnull, 'w') as sink, contextlib.redirect_stdout(sink):\n"
                "    runpy.run_module('builder.align', run_name='__main__')",
            )
            rows.append({"mb": mb, "shape": shape, **result})
            print(f"align {mb} MB {shape}: {result}", file=sys.stderr)
    return rows


PARTS = {"segment": segment_cases, "profile": profile_cases, "align": align_cases}


def main(argv: list[str] | None = None) -> dict:
    names = argv or list(PARTS)
    results: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            results[name] = PARTS[name](Path(tmp))
    previous = PROJECT_DIR / "benchmarks" / "results" / "text_scaling.json"
    if previous.exists() and argv:  # one part re-run: keep the others
        kept = json.loads(previous.read_text())
        results = {**{k: kept[k] for k in PARTS if k in kept}, **results}
    write_result("text_scaling", results)
    return results


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:]), indent=2))
