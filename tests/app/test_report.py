"""``python -m builder.report``: the page a user opens in a browser, the terminal summary,
and one line for every folder that is not a dataset.

The sample is built once for the module; a copy of it gets what the plots work adds to a
dataset (PNG plots listed in stats.json, identity baselines, leakage counts). The page is
opened in a real headless Chromium; where none is installed those tests say so and skip.
"""

from __future__ import annotations

import html
import json
import os
import pty
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from PIL import Image

from builder.app.build import build
from builder.app.report import load_report
from builder.app.report_cli import main
from builder.app.report_html import render_html
from builder.core.categories import CATEGORIES
from tests.conftest import compose_cfg

ROOT = Path(__file__).resolve().parents[2]
WINDOW = (1200, 900)


# -- fixtures ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample build, as the builder wrote it (with its plots, baselines and leakage)."""
    return build(compose_cfg(tmp_path_factory.mktemp("report"))).path


def _png(path: Path, size: tuple[int, int], colour: tuple[int, int, int]) -> None:
    img = Image.new("RGB", size, (255, 255, 255))
    for x in range(10, size[0] - 10, 12):  # bars, so the image is not one colour
        img.paste(colour, (x, size[1] // 3 + (x % 5) * 4, x + 8, size[1] - 5))
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, format="PNG")


@pytest.fixture(scope="module")
def decorated(built, tmp_path_factory) -> Path:
    """A copy of the build with two plots, one plot listed but missing, baselines and leakage."""
    folder = tmp_path_factory.mktemp("decorated") / "sample"
    shutil.copytree(built, folder)
    shutil.rmtree(folder / "plots")  # the build's own plots, replaced by two of known sizes
    _png(folder / "plots" / "cer.png", (160, 90), (40, 90, 200))
    _png(folder / "plots" / "lengths.png", (140, 80), (200, 80, 40))
    stats = json.loads((folder / "stats.json").read_text())
    stats["plots"] = {"cer": "plots/cer.png", "lengths": "plots/lengths.png", "wer": "plots/wer.png"}
    stats["baselines"] = {
        "train": {"rows": 1462, "cer": 0.041, "wer": 0.102, "chrf": 91.5, "bleu": 80.25},
        "test": {"rows": 129, "cer": 0.038, "wer": 0.097, "chrf": 92.0, "bleu": 81.5},
    }
    stats["leakage"] = {"exact": {"train-test": 0, "train-validation": 2}, "near": {"train-test": 7}}
    (folder / "stats.json").write_text(json.dumps(stats, indent=2, sort_keys=True))
    return folder


@pytest.fixture(scope="module")
def page(decorated, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page") / "report.html"
    assert main([str(decorated), "-o", str(out)]) == 0
    return out


# -- a real browser ---------------------------------------------------------------------------------


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    why = "no Chromium on this machine (apt-get install chromium): the page is not tested in a browser"
    if os.environ.get("GARBLE_REQUIRE_BROWSER"):  # set by .ci/run, which installs one
        pytest.fail(why)
    pytest.skip(why)


def _browser(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Headless Chromium with no network, sync or updates, in a profile of its own."""
    cmd = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--hide-scrollbars",
        *args,
    ]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _dom(tmp_path: Path, url: str) -> str:
    """The page's DOM after its scripts ran (virtual time lets the load event fire)."""
    r = _browser(tmp_path, "--virtual-time-budget=5000", "--dump-dom", url)
    assert "<body" in r.stdout, r.stderr[-2000:]
    return r.stdout


def _body(dom: str) -> dict[str, str]:
    tag = re.search(r"<body([^>]*)>", dom).group(1)
    return {k: html.unescape(v) for k, v in re.findall(r'data-([\w-]+)="([^"]*)"', tag)}


def _visible_articles(dom: str) -> list[str]:
    """The opening tags of the row articles the page shows (not hidden by a filter)."""
    tags = re.findall(r'<article class="row"[^>]*>', dom)
    return [t for t in tags if not re.search(r"\shidden(=\"\")?[\s>]", t)]


@pytest.mark.slow  # starts Chromium (about 2 s a page here)
def test_the_page_renders_every_sampled_row_and_the_plots_in_a_browser(page, decorated, tmp_path):
    report = load_report(decorated, 20)
    expected = sum(
        min(20, sum(c.rows for c in report.counts if (c.split, c.kind) == g))
        for g in {(c.split, c.kind) for c in report.counts}
    )
    body = _body(_dom(tmp_path, page.as_uri()))
    assert body["ready"] == "1"
    assert int(body["rows-total"]) == len(report.samples) == expected
    # every row laid out with a height, not only present in the markup
    assert body["rows-rendered"] == body["rows-shown"] == body["rows-total"]
    # the two plots that exist are decoded by the browser; the missing one is not an <img>
    assert body["images-total"] == "2"
    assert body["images-loaded"] == "2"

    shot = tmp_path / "shot.png"
    r = _browser(tmp_path, f"--screenshot={shot}", f"--window-size={WINDOW[0]},{WINDOW[1]}", page.as_uri())
    assert shot.exists(), r.stderr[-2000:]
    with Image.open(shot) as img:
        assert img.format == "PNG"
        assert img.size == WINDOW
        colours = img.convert("RGB").getcolors(maxcolors=1 << 16)
    # a blank page has one or two colours; text, tables and highlights make hundreds
    assert colours is None or len(colours) > 50


def test_the_page_says_which_listed_plot_it_could_not_show(page):
    text = page.read_text(encoding="utf-8")
    assert "wer: plots/wer.png (listed but not in the folder)" in text
    assert text.count('data-plot="') == 2


def test_a_dataset_without_plots_says_so(built, tmp_path, capsys):
    folder = tmp_path / "sample"
    shutil.copytree(built, folder)
    shutil.rmtree(folder / "plots")
    stats = json.loads((folder / "stats.json").read_text())
    stats.pop("plots")
    (folder / "stats.json").write_text(json.dumps(stats))
    out = tmp_path / "r.html"
    assert main([str(folder), "-o", str(out), "--rows", "1"]) == 0
    assert "no plots in this dataset" in out.read_text(encoding="utf-8")
    assert "0 plots" in capsys.readouterr().out


def _preset(tmp_path: Path, page: Path, preset: str) -> tuple[dict[str, str], list[str]]:
    dom = _dom(tmp_path, page.as_uri() + preset)
    return _body(dom), _visible_articles(dom)


@pytest.mark.slow  # starts Chromium (about 2 s a page here)
def test_filters_preset_in_the_address_show_only_the_matching_rows(page, decorated, tmp_path):
    report = load_report(decorated, 20)
    real = [r for r in report.samples if r.kind == "real"]
    assert real and len(real) < len(report.samples)

    body, shown = _preset(tmp_path, page, "#kind=real")
    assert body["filter"] == "kind=real"
    assert int(body["rows-shown"]) == len(shown) == len(real)
    assert all('data-kind="real"' in tag for tag in shown)

    # the query form works too, and filters combine: real rows have no recipe
    body, shown = _preset(tmp_path, page, "?kind=real&recipe=(none)")
    assert len(shown) == len(real)
    body, shown = _preset(tmp_path, page, "#kind=real&recipe=mixed")
    assert body["rows-shown"] == "0" and shown == []

    # by edit category: the rows with at least one keyboard slip
    keyboard = [r for r in report.samples if any("keyboard" in s.categories for s in r.spans)]
    assert 0 < len(keyboard) < len(report.samples)
    body, shown = _preset(tmp_path, page, "#category=keyboard")
    assert int(body["rows-shown"]) == len(shown) == len(keyboard)

    # by score: rows at or below a cer, the threshold chosen between two sampled values
    cers = sorted(r.cer for r in report.samples)
    cut = (cers[len(cers) // 2] + cers[len(cers) // 2 + 1]) / 2
    body, shown = _preset(tmp_path, page, f"#split=train&max_cer={cut}")
    want = [r for r in report.samples if r.split == "train" and r.cer <= cut]
    assert 0 < int(body["rows-shown"]) == len(shown) == len(want)


@pytest.mark.slow  # starts Chromium (about 2 s a page here)
def test_a_preset_the_sample_cannot_match_is_ignored_and_said(page, tmp_path):
    body, shown = _preset(tmp_path, page, "#kind=imaginary&min_score=abc")
    assert body["preset-ignored"] == "kind=imaginary&min_score=abc"
    assert body["rows-shown"] == body["rows-total"] == str(len(shown))


# -- the page itself ---------------------------------------------------------------------------------


def test_the_page_needs_nothing_from_outside(page):
    text = page.read_text(encoding="utf-8")
    assert "default-src 'none'" in text  # the browser itself refuses any request
    srcs = re.findall(r'\ssrc="([^"]*)"', text)
    assert len(srcs) == 2 and all(s.startswith("data:image/png;base64,") for s in srcs)
    assert all(h.startswith("#") for h in re.findall(r'\shref="([^"]*)"', text))
    assert "<link" not in text and "@import" not in text and "url(" not in text


def test_the_same_folder_gives_the_same_bytes_wherever_it_lies(decorated, page, tmp_path):
    moved = tmp_path / "elsewhere" / "sample"
    shutil.copytree(decorated, moved)
    again = tmp_path / "again.html"
    assert main([str(moved), "-o", str(again)]) == 0
    assert again.read_bytes() == page.read_bytes()


def test_the_sample_is_the_first_rows_of_each_split_and_kind_by_a_hash_of_id(built):
    import pyarrow.parquet as pq

    from builder.core.seeding import digest

    table = pq.read_table(next((built / "data").glob("train-*.parquet")), columns=["id", "kind"])
    ids = [i for i, k in zip(table["id"].to_pylist(), table["kind"].to_pylist(), strict=True) if k == "synthetic"]
    ids.sort(key=lambda i: digest("report", i, size=8))
    small, large = load_report(built, 3), load_report(built, 20)
    assert [r.id for r in small.samples if (r.split, r.kind) == ("train", "synthetic")] == ids[:3]
    assert [r.id for r in large.samples if (r.split, r.kind) == ("train", "synthetic")] == ids[:20]


class _Sides(HTMLParser):
    """The text of each row's garbled and clean side, with and without its deleted marks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict[str, str]] = []
        self.side = ""
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "article":
            self.rows.append({"garbled": "", "clean": ""})
        elif tag == "div" and cls.startswith("side "):
            self.side = cls.split()[1]
        elif tag == "del" or (tag == "span" and cls == "caret") or tag == "h4":
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("del", "h4") or (tag == "span" and self.skip):
            self.skip = max(0, self.skip - 1)
        if tag == "div" and self.side and self.skip == 0:
            self.side = ""

    def handle_data(self, data):
        if self.side and not self.skip:
            self.rows[-1][self.side] += data


def test_each_row_reads_as_its_garbled_and_clean_text_with_the_edits_marked_in_place(decorated, page):
    report = load_report(decorated, 20)
    sides = _Sides()
    sides.feed(page.read_text(encoding="utf-8"))
    assert len(sides.rows) == len(report.samples)
    for row, seen in zip(report.samples, sides.rows, strict=True):
        assert seen["garbled"] == row.garbled  # deletions shown struck out, not part of the text
        assert seen["clean"] == row.clean
    marked = re.findall(r'<(ins|del|mark) class="e f-(\w+)" data-cat="(\w+)"', page.read_text(encoding="utf-8"))
    assert {tag for tag, _, _ in marked} == {"ins", "del", "mark"}
    # every edit, real or synthetic, is coloured by the family of a known category
    assert all(cat in CATEGORIES and CATEGORIES[cat] == fam for _, fam, cat in marked)


def test_real_rows_edits_are_named_like_the_noise_operations(decorated):
    report = load_report(decorated, 20)
    real = [s for r in report.samples if r.kind == "real" for s in r.spans if s.op != "same"]
    assert real and all(s.category in CATEGORIES for s in real)
    assert len({s.category for s in real}) >= 4  # not one blanket name for every diff


def test_the_summary_shows_the_ledger_baselines_and_leakage(page, decorated):
    stats = json.loads((decorated / "stats.json").read_text())
    text = html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8")))
    words = " ".join(text.split())
    assert f"all {sum(stats['rows']['written'].values()):,}" in words
    assert f"in {stats['documents']['in']:,}" in words
    assert "the ledger adds up" in words
    assert "split rows cer wer chrf bleu train 1,462 0.041 0.102 91.500 80.250" in words
    assert "train-validation 2" in words and "near train-test 7" in words


# -- terminal -----------------------------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    return subprocess.run(
        [sys.executable, "-m", "builder.report", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_terminal_prints_the_summary_and_rows_with_plain_marks_into_a_pipe(decorated):
    r = _run(str(decorated), "--terminal")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "\x1b" not in out
    assert "dataset sample: " in out
    train = pq.read_table(next((decorated / "data").glob("train-*.parquet")), columns=["kind"])
    synthetic = train.column("kind").to_pylist().count("synthetic")
    assert re.search(rf"^  train\s+synthetic\s+mixed\s+{synthetic:,}\s", out, re.M)
    assert re.search(r"^  documents: .*in 301", out, re.M)
    assert "identity baselines" in out and re.search(r"^  train\s+1,462\s+0\.041", out, re.M)
    assert "\n  exact: train-test 0, train-validation 2\n  near: train-test 7\n" in out
    plots = "plots: cer plots/cer.png, lengths plots/lengths.png, wer plots/wer.png (listed but not in the folder)"
    assert plots in out
    rows = re.findall(r"^  garbled  (.*)$", out, re.M)
    assert len(rows) == len(load_report(decorated, 2).samples)
    assert any("[-" in g for g in rows) and any("{+" in g for g in rows)


def test_terminal_colours_when_stdout_is_a_terminal(built):
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("NO_COLOR", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "builder.report", str(built), "--terminal", "--rows", "1"],
        stdout=slave,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=120) == 0, proc.stderr.read()
    out = b"".join(chunks).decode("utf-8")
    assert "rows by split, kind and recipe" in out
    assert re.search(r"\x1b\[\d+;9m", out) or re.search(r"\x1b\[\d+;1;4m", out)
    assert "[-" not in out and "{+" not in out


def test_row_text_cannot_drive_the_terminal(built, tmp_path, capsys):
    from builder.app.report import SampleRow, Span
    from builder.app.report_terminal import row_lines

    hostile = "a\x1b[2Jb\nc"  # clears the screen; a line break inside a row
    row = SampleRow(
        "train", "x", "d", "real", "", "1-1", 1.0, 0.1, 0.1, hostile, "ab", (Span("same", hostile, hostile),), True
    )
    text = "\n".join(row_lines(row, colour=True))
    assert "\x1b[2J" not in text and "\\x1b[2J" in text and "b↵c" in text


# -- bad inputs: one line, exit status 2 ----------------------------------------------------------------


def _one_line_error(capsys, args: list[str]) -> str:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    return err


def test_a_folder_that_is_not_a_dataset_is_one_line(tmp_path, capsys, built):
    assert "no such folder" in _one_line_error(capsys, [str(tmp_path / "nope"), "-o", str(tmp_path / "r.html")])
    (tmp_path / "empty").mkdir()
    err = _one_line_error(capsys, [str(tmp_path / "empty"), "-o", str(tmp_path / "r.html")])
    assert "not a dataset folder built by garble-builder" in err
    (tmp_path / "file.txt").write_text("x")
    assert "is a file" in _one_line_error(capsys, [str(tmp_path / "file.txt")])
    assert "--rows must be 0 or more" in _one_line_error(capsys, [str(built), "--rows", "-1", "--terminal"])
    # the folder that holds datasets: the message names them
    err = _one_line_error(capsys, [str(built.parent), "-o", str(tmp_path / "r.html")])
    assert "the datasets in it: sample" in err
    assert not (tmp_path / "r.html").exists()


def test_a_broken_dataset_is_one_line(built, tmp_path, capsys):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    (copy / "stats.json").unlink()
    assert "stats.json is missing" in _one_line_error(capsys, [str(copy), "--terminal"])
    (copy / "stats.json").write_text("{not json")
    assert "stats.json: cannot read" in _one_line_error(capsys, [str(copy), "--terminal"])
    (copy / "stats.json").write_text("{}")
    shard = next((copy / "data").glob("train-*.parquet"))
    shard.write_bytes(b"not parquet at all")
    err = _one_line_error(capsys, [str(copy), "--terminal"])
    assert shard.name in err and "cannot read" in err
    for p in (copy / "data").glob("*.parquet"):
        p.unlink()
    assert "no <split>-NNNNN-of-NNNNN.parquet shards" in _one_line_error(capsys, [str(copy), "--terminal"])


def test_an_unwritable_output_is_one_line_and_leaves_nothing(built, tmp_path, capsys):
    err = _one_line_error(capsys, [str(built), "-o", str(tmp_path / "missing" / "r.html"), "--rows", "1"])
    assert "cannot write the report" in err and "no folder" in err
    (tmp_path / "adir").mkdir()
    assert "is a folder" in _one_line_error(capsys, [str(built), "-o", str(tmp_path / "adir"), "--rows", "1"])
    (tmp_path / "plain").write_text("x")
    err = _one_line_error(capsys, [str(built), "-o", str(tmp_path / "plain" / "r.html"), "--rows", "1"])
    assert "cannot write the report" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "plain"]
    assert list((tmp_path / "adir").iterdir()) == []


def test_a_plot_path_outside_the_folder_is_not_read(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    _png(tmp_path / "secret.png", (20, 20), (0, 0, 0))
    stats = json.loads((copy / "stats.json").read_text())
    stats["plots"] = {"a": "../secret.png", "b": str(tmp_path / "secret.png"), "c": "stats.json"}
    (copy / "stats.json").write_text(json.dumps(stats))
    report = load_report(copy, 0)
    assert [(p.key, p.mime, p.problem) for p in report.plots] == [
        ("a", "", "outside the dataset folder"),
        ("b", "", "outside the dataset folder"),
        ("c", "", "not a PNG, JPEG or GIF image"),
    ]
    assert "data:image" not in render_html(report)
