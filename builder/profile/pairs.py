"""Real garbled/clean pairs in, categorised edits per pair out.

A pair may be one sentence or a whole document. Both sides are cut into sentences and,
when either has more than one, aligned with ``builder.align.Aligner``: the alignment's
2-1, 1-2, 0-1 and 1-0 groups are the sentence-structure categories (split, merge,
drop, insert), and the words and characters are compared inside each group, so a
sentence moved or dropped is not counted as dozens of word edits.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from builder.align import Aligner
from builder.align.windows import WINDOW_CHARS, align_in_windows
from builder.core.errors import ConfigError
from builder.core.metrics import cer, wer
from builder.core.textfile import SNIFF_BYTES, TextFileError, check_not_binary, checked_path, decode_utf8, read_utf8
from builder.profile.categorize import Observation, categorize, count_words
from builder.text.detokenize import detokenizer as text_detokenizer
from builder.text.normalize import normalize_text
from builder.text.segment import Segmenter

#: Sentence-structure categories, counted per clean sentence.
SENTENCE_CATEGORIES = ("split_sentence", "merge_sentence", "drop_sentence", "insert_caption")
#: Alignment group (garbled-clean sentences) -> the structural edit it shows.
_GROUP_CATEGORY = {"2-1": "split_sentence", "1-2": "merge_sentence", "0-1": "drop_sentence", "1-0": "insert_caption"}
#: Fields read for each side of a JSONL pair when none is named: the builder's own
#: names first, then those of common post-editing and OCR sets.
GARBLED_FIELDS = ("garbled", "noisy")
CLEAN_FIELDS = ("clean",)
#: Up to this many characters a side, a pair's CER and WER are the edit distance of
#: the whole texts. Beyond it that distance is quadratic (hours for a book), so it is
#: summed over stretches of aligned sentence groups of ``_DISTANCE_CHUNK_CHARS``: the
#: same number when the stretches' ends are aligned right, in time linear in length.
EXACT_DISTANCE_CHARS = 100_000
_DISTANCE_CHUNK_CHARS = 10_000
#: A sentence left unaligned is looked for this far (characters) either side of its
#: place in the other text before it counts as dropped or added.
_NEARBY_CHARS = 20_000


class PairsError(ValueError):
    """Pairs that cannot be read: the message says which line and why, in one line."""


@dataclass
class PairStats:
    """What one pair shows: edit counts and the sizes they are rates of."""

    words: int  # clean words
    sentences: int  # clean sentences
    observations: list[Observation] = field(default_factory=list)
    groups: Counter = field(default_factory=Counter)  # alignment group kinds
    cer: float = 0.0
    wer: float = 0.0
    length_ratio: float = 1.0  # garbled characters / clean characters
    identical: bool = False

    @cached_property
    def counts(self) -> Counter:
        return Counter(o.category for o in self.observations)


class PairMeasurer:
    """Segments, aligns and categorises pairs; one instance serves many pairs."""

    def __init__(
        self, aligner: Aligner | None = None, segmenter: Segmenter | None = None, window_chars: int = WINDOW_CHARS
    ) -> None:
        self.segmenter = segmenter or Segmenter()
        self._aligner = aligner
        self.window_chars = window_chars  # longer documents are aligned a window at a time

    @property
    def aligner(self) -> Aligner:
        if self._aligner is None:
            self._aligner = Aligner()
        return self._aligner

    def groups(self, clean: str, garbled: str) -> tuple[list[tuple[list[str], list[str]]], int]:
        """(garbled sentences, clean sentences) per alignment group, and the clean sentence count.

        Long documents are aligned a bounded window at a time (``builder.align.windows``)."""
        cs = self.segmenter.sentences(clean) if clean.strip() else []
        gs = self.segmenter.sentences(garbled) if garbled.strip() else []
        if len(cs) <= 1 and len(gs) <= 1:
            return [(gs, cs)], len(cs)
        groups = align_in_windows(self.aligner, gs, cs, self.window_chars)
        return [([gs[i] for i in g.garbled], [cs[j] for j in g.clean]) for g in groups], len(cs)

    def measure(self, clean: str, garbled: str) -> PairStats:
        stats = PairStats(
            words=count_words(clean),
            sentences=0,
            length_ratio=len(garbled) / max(1, len(clean)),
            identical=clean == garbled,
        )
        if stats.identical:
            stats.sentences = len(self.segmenter.sentences(clean)) if clean.strip() else 0
            return stats
        groups, stats.sentences = self.groups(clean, garbled)
        stats.cer, stats.wer = error_rates(clean, garbled, groups)
        c_pos = g_pos = 0  # where the group starts in each text, about
        for g_sents, c_sents in groups:
            stats.groups[f"{len(g_sents)}-{len(c_sents)}"] += 1
            if g_sents and c_sents:
                stats.observations += _aligned_group(g_sents, c_sents)
            else:  # only the text near it is searched: a long document stays linear
                other = _nearby(garbled, g_pos) if c_sents else _nearby(clean, c_pos)
                stats.observations += _unaligned_group(g_sents, c_sents, other)
            c_pos += sum(len(x) + 1 for x in c_sents)
            g_pos += sum(len(x) + 1 for x in g_sents)
        return stats


def _aligned_group(g_sents: list[str], c_sents: list[str]) -> list[Observation]:
    """A split or merge if the group shows one, and the edits inside the group."""
    category = _GROUP_CATEGORY.get(f"{len(g_sents)}-{len(c_sents)}")
    out = [Observation(category, " ".join(c_sents), " ".join(g_sents))] if category else []
    return out + categorize(" ".join(c_sents), " ".join(g_sents))


def _unaligned_group(g_sents: list[str], c_sents: list[str], other_side: str) -> list[Observation]:
    """A dropped or inserted sentence, unless its text is (nearly) all in ``other_side``:
    the aligner left it out of a group (segmentation broke differently), but nothing was
    dropped or added."""
    category = _GROUP_CATEGORY.get(f"{len(g_sents)}-{len(c_sents)}")
    if category is None or _still_there(" ".join(c_sents or g_sents), other_side):
        return []
    return [Observation(category, " ".join(c_sents), " ".join(g_sents))]


def error_rates(clean: str, garbled: str, groups: Sequence[tuple[list[str], list[str]]]) -> tuple[float, float]:
    """CER and WER of a pair: exact up to ``EXACT_DISTANCE_CHARS``, else summed over
    stretches of consecutive aligned groups of about ``_DISTANCE_CHUNK_CHARS``."""
    if max(len(clean), len(garbled)) <= EXACT_DISTANCE_CHARS:
        return cer(garbled, clean), wer(garbled, clean)
    chars = words = 0
    for c, g in _stretches(groups):
        chars += Levenshtein.distance(c, g)
        words += Levenshtein.distance(c.split(), g.split())
    return chars / max(1, len(clean)), words / max(1, len(clean.split()))


def _stretches(groups: Sequence[tuple[list[str], list[str]]]) -> Iterator[tuple[str, str]]:
    """(clean, garbled) text of runs of consecutive groups, each run ending with a group
    that has both sides once it holds ``_DISTANCE_CHUNK_CHARS``: an unaligned sentence is
    compared with its neighbours, as in the distance of the whole texts."""
    c_run: list[str] = []
    g_run: list[str] = []
    size = 0
    for g_sents, c_sents in groups:
        c_run += c_sents
        g_run += g_sents
        size += sum(map(len, c_sents))
        if size >= _DISTANCE_CHUNK_CHARS and g_sents and c_sents:
            yield " ".join(c_run), " ".join(g_run)
            c_run, g_run, size = [], [], 0
    if c_run or g_run:
        yield " ".join(c_run), " ".join(g_run)


def sentence_pairs(clean: str, garbled: str, measurer: PairMeasurer | None = None) -> list[tuple[str, str]]:
    """A document pair cut into its aligned sentence groups, as (clean, garbled) pairs;
    a dropped or inserted sentence is a pair with one side empty."""
    groups, _ = (measurer or PairMeasurer()).groups(clean, garbled)
    return [(" ".join(cs), " ".join(gs)) for gs, cs in groups]


def _nearby(text: str, at: int) -> str:
    """The stretch of ``text`` within ``_NEARBY_CHARS`` of offset ``at``."""
    return text[max(0, at - _NEARBY_CHARS) : at + _NEARBY_CHARS]


def _still_there(sentence: str, other_side: str) -> bool:
    """The sentence's text is (nearly) all in the other side's text."""
    if len(sentence) < 4:
        return True
    return fuzz.partial_ratio(sentence.lower(), other_side.lower()) >= 80


# -- reading pairs -----------------------------------------------------------------------


def detokenizer() -> Callable[[str], str]:
    """Moses detokenisation (for MLQE-PE style ``1918 , and`` text): the package's one
    detokeniser (``builder.text.detokenize``, as ``source.detokenize=moses`` uses)."""
    try:
        return text_detokenizer("en", what="--detokenize")
    except ConfigError as e:
        raise PairsError(str(e)) from None


def json_rows(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number, object) for each non-blank line of a JSONL file; a PairsError naming
    the file (and line) for a directory, a binary file, bytes that are not UTF-8, a
    line that is not JSON or not an object."""
    try:
        path = checked_path(path, "JSONL file of pairs")
        with open(path, "rb") as fh:
            check_not_binary(fh.read(SNIFF_BYTES), str(path))
            fh.seek(0)
            for number, raw in enumerate(fh, start=1):
                line = decode_utf8(raw, f"{path}:{number}")
                if line.strip():
                    yield number, _json_object(line, f"{path}:{number}")
    except (TextFileError, OSError) as e:
        raise PairsError(str(e) if isinstance(e, TextFileError) else f"{path}: {e.strerror or e}") from None


def _json_object(line: str, where: str) -> dict:
    try:
        row = json.loads(line)
    except json.JSONDecodeError as e:
        raise PairsError(f"{where}: not JSON ({e.msg})") from None
    if not isinstance(row, dict):
        raise PairsError(f"{where}: not a JSON object (a {type(row).__name__})")
    return row


def resolve_fields(
    path: str | Path, garbled_field: str | None = None, clean_field: str | None = None
) -> tuple[str, str]:
    """The (garbled, clean) field names to read: those given, else the first of
    ``GARBLED_FIELDS`` / ``CLEAN_FIELDS`` that the file's first pair holds as text."""
    first = next(json_rows(path), None)
    if first is None:
        return garbled_field or GARBLED_FIELDS[0], clean_field or CLEAN_FIELDS[0]
    number, row = first
    found = []
    for side, given, candidates in (("garbled", garbled_field, GARBLED_FIELDS), ("clean", clean_field, CLEAN_FIELDS)):
        names = (given,) if given else candidates
        name = next((f for f in names if isinstance(row.get(f), str)), None)
        if name is None:
            looked = " or ".join(repr(f) for f in names)
            raise PairsError(
                f"{path}:{number}: no text field {looked} (fields: {', '.join(row)}); name it with --{side}-field"
            )
        found.append(name)
    return found[0], found[1]


def read_pairs(
    path: str | Path,
    garbled_field: str | None = None,
    clean_field: str | None = None,
    detokenize: bool = False,
    split_lines: bool = False,
    limit: int | None = None,
) -> Iterator[tuple[str, str, str]]:
    """(pair id, clean, garbled) from a JSONL file, Unicode- and whitespace-normalised.

    Fields not named are found with ``resolve_fields`` (``garbled`` or ``noisy``, and
    ``clean``). ``split_lines``: the two sides are line-aligned (line n of one is line
    n of the other, as in the ICDAR post-OCR sets): each line pair is a pair of its own.
    """
    detok = detokenizer() if detokenize else None
    garbled_field, clean_field = resolve_fields(path, garbled_field, clean_field)
    n = 0
    for number, row in json_rows(path):
        where = f"{path}:{number}"
        missing = [f for f in (garbled_field, clean_field) if not isinstance(row.get(f), str)]
        if missing:
            raise PairsError(f"{where}: no text field {missing[0]!r} (fields: {', '.join(row)})")
        pair_id = str(row.get("id", number))
        for item_id, c, g in _items(pair_id, row[clean_field], row[garbled_field], split_lines, where):
            if detok is not None:
                c, g = detok(c), detok(g)
            c, g = normalize_text(c), normalize_text(g)
            if c and g:
                yield item_id, c, g
                n += 1
                if limit is not None and n >= limit:
                    return


def _items(pair_id: str, clean: str, garbled: str, split_lines: bool, where: str) -> list[tuple[str, str, str]]:
    """One row's pairs: itself, or with ``split_lines`` one per line."""
    if not split_lines:
        return [(pair_id, clean, garbled)]
    g_lines, c_lines = garbled.split("\n"), clean.split("\n")
    if len(g_lines) != len(c_lines):
        raise PairsError(f"{where}: {len(g_lines)} garbled lines but {len(c_lines)} clean lines")
    return [(f"{pair_id}/{k}", c, g) for k, (g, c) in enumerate(zip(g_lines, c_lines, strict=True))]


def read_text_pair(garbled: str | Path, clean: str | Path, detokenize: bool = False) -> Iterator[tuple[str, str, str]]:
    """One document pair from two text files, as ``read_pairs`` yields it."""
    try:
        texts = [read_utf8(path) for path in (clean, garbled)]
    except TextFileError as e:
        raise PairsError(str(e)) from None
    if detokenize:
        detok = detokenizer()
        texts = [detok(t) for t in texts]  # line by line
    c, g = (normalize_text(t) for t in texts)
    if c and g:
        yield Path(garbled).stem, c, g


def halves(ids: Sequence[str], salt: str = "half") -> tuple[list[int], list[int]]:
    """A deterministic split of items into two halves by a hash of their ids (not order)."""
    from builder.core.seeding import unit_interval

    keyed = sorted(range(len(ids)), key=lambda k: (unit_interval(salt, ids[k]), k))
    mid = len(keyed) // 2
    return sorted(keyed[:mid]), sorted(keyed[mid:])
