"""The reader contract: records in, documents (or rejects) out.

A concrete reader only says how to walk one file of its format (``file_records``).
Everything a user relies on across formats lives here: the files in a fixed order, a
file that fails half-way turning into a reject while the next file is still read,
field mapping, the usual field names, type checks, stable ids, duplicate ids, size
limits, and the rule that a record that cannot be used becomes a reject with its
reason instead of vanishing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from builder.core import reasons
from builder.core.errors import ConfigError
from builder.core.seeding import stable_hex
from builder.pipeline.readers.dates import normalize_date
from builder.pipeline.readers.files import expand
from builder.pipeline.readers.ranges import Span
from builder.pipeline.readers.text import SURROGATE, has_surrogate, printable
from builder.text.detokenize import detokenizer

__all__ = ["USUAL_NAMES", "Reader", "Record", "describe", "empty_document", "normalize_date"]

#: Names tried, in order, when ``source.fields.<x>`` is not set.
USUAL_NAMES: dict[str, tuple[str, ...]] = {
    "doc_id": ("doc_id", "id", "article_id", "uid"),
    "clean": ("clean", "text", "body", "content", "article", "reference"),
    "garbled": ("garbled", "noisy", "ocr", "corrupted", "spun"),
    "title": ("title", "headline"),
    "date": ("date", "published", "publish_date", "datetime", "timestamp"),
    "url": ("url", "link"),
    "source": ("source", "outlet", "publisher"),
    "lang": ("lang", "language"),
}
TEXT_FIELDS = ("clean", "garbled")
_POSITION = re.compile(r":([a-z]*)(\d+)$")


@dataclass
class Record:
    """One raw record as found in the input; ``error`` is set when it could not be parsed."""

    where: str  # file:line or similar, for messages
    data: dict[str, Any] | None = None
    error: str = ""  # reason category
    detail: str = ""


def describe(err: BaseException, limit: int = 300) -> str:
    """``Type: first line of the message``, short enough for a reject detail."""
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0][:limit]}" if text else type(err).__name__


class Reader:
    kind: ClassVar[str] = ""
    suffixes: ClassVar[tuple[str, ...]] = ()
    #: How a position in a file is written after its name: "" for lines, "row" for rows.
    unit: ClassVar[str] = ""

    def __init__(self, cfg: Any, pairing: bool = False) -> None:
        self.cfg = cfg
        self.fields = {k: getattr(cfg.fields, k, None) for k in USUAL_NAMES}
        #: each field and the keys it is looked up by, in order: the one set, else the usual ones
        self._lookups = [
            (name, (self.fields[name],) if self.fields[name] else keys) for name, keys in USUAL_NAMES.items()
        ]
        self.source_name = cfg.name
        # read once: a config lookup per record costs more than the record's checks
        self.max_chars: int = cfg.max_chars
        self.lang: str = cfg.lang
        self.pairing = pairing
        #: ``source.detokenize=moses``: both sides are detokenised as they are read, so every
        #: stage after (pairing, dedup, segmentation) sees running text.
        self.detokenize = getattr(cfg, "detokenize", "none") == "moses"

    # -- what a format implements ------------------------------------------------
    def file_records(self, path: Path) -> Iterator[Record]:  # pragma: no cover - abstract
        """The records of one file, each with its ``file:line`` (or ``file:rowN``)."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise ConfigError now if the input cannot be found, before any work starts."""
        expand(self.cfg.path, self.suffixes)

    def records(self) -> Iterator[Record]:
        """Records of every file in a fixed order; one file's failure is one reject."""
        for path, error in self.parts():
            yield from self.part_records(path, error)

    def parts(self) -> list[tuple[Path, OSError | None]]:
        """The input's files in reading order, each with the error that kept its folder
        from being listed (then the part is that one reject)."""
        files, unlisted = expand(self.cfg.path, self.suffixes)
        return [(path, unlisted.get(path)) for path in sorted([*files, *unlisted])]

    def part_records(self, path: Path, error: OSError | None = None, span: Span | None = None) -> Iterator[Record]:
        """The records of one part of ``parts`` (or of its byte range ``span``): what reading
        it in its turn gives."""
        name = self.display_name(path)
        if error is not None:
            yield Record(name, error=reasons.UNREADABLE_FILE, detail=f"cannot list this folder ({describe(error)})")
        else:
            yield from self.guarded(name, self.file_records(path, span) if span else self.file_records(path))

    def range_encodings(self, path: Path) -> tuple[str, str] | None:
        """How ``path`` is decoded if it can be read in byte ranges (``ranges``), else None:
        only a format whose records start at line starts can be."""
        return None

    @property
    def by_file(self) -> bool:
        """Whether each file can be read on its own (then in parallel, see ``part_documents``):
        a reader of files, with no ``source.limit`` counting across them."""
        return type(self).records is Reader.records and self.cfg.limit is None

    def display_name(self, path: Path) -> str:
        """A file as messages name it: relative to ``source.path`` when that is a folder."""
        root = Path(self.cfg.path).expanduser()
        try:
            name = path.relative_to(root).as_posix() if root.is_dir() else path.name
        except ValueError:
            name = path.name
        return printable(name or path.name)

    def guarded(self, name: str, records: Iterator[Record]) -> Iterator[Record]:
        """``records`` of one file; an unexpected error while reading it ends that file with
        one ``unreadable_file`` reject (the records before it stay) instead of the build."""
        count, last = 0, ""
        try:
            for rec in records:
                count += 1
                last = rec.where
                yield rec
        except ConfigError:
            raise
        except Exception as e:
            detail = f"reading stopped after {count} records ({describe(e)})"
            yield Record(self._next_position(name, last), error=reasons.UNREADABLE_FILE, detail=detail)

    def _next_position(self, name: str, last: str) -> str:
        """Where reading stopped: just after the last record read, else the file's start."""
        m = _POSITION.search(last)
        return f"{name}:{m.group(1)}{int(m.group(2)) + 1}" if m else f"{name}:{self.unit}1"

    # -- shared logic --------------------------------------------------------------
    def documents(self) -> Iterator[dict[str, Any]]:
        """Documents in input order, each with a ``doc_seq``; rejects included.

        Raises ConfigError at the end when a field set explicitly in ``source.fields``
        was in no record: a misspelt name would otherwise reject every record one by one.
        (Not when ``source.limit`` stopped reading early: a later record may have it.)
        """
        seen: set[str] = set()
        for doc in self.unchecked_documents():
            if not doc["reject"]:
                if doc["doc_id"] in seen:
                    doc["reject"], doc["reject_detail"] = reasons.DUPLICATE_DOC_ID, repeated_id_detail(doc)
                else:
                    seen.add(doc["doc_id"])
            yield doc

    def unchecked_documents(self) -> Iterator[dict[str, Any]]:
        """``documents`` without the repeated-id check: a build checks ids afterwards
        with 64-bit keys (``builder.pipeline.readers.assemble``) instead of a set of every id."""
        fields = self.field_check()
        limit = self.cfg.limit
        for seq, rec in enumerate(self.records()):
            if limit is not None and seq >= limit:
                return
            if rec.data is not None:
                fields.saw(rec.data)
            doc = self._to_document(rec)
            doc["doc_seq"] = seq
            yield doc
        fields.check()

    def field_check(self) -> FieldCheck:
        return FieldCheck(self.fields)

    def part_documents(
        self, path: Path, error: OSError | None, fields: FieldCheck, span: Span | None = None
    ) -> Iterator[dict[str, Any]]:
        """The documents of one part (``doc_seq`` counted within it), as ``unchecked_documents``
        makes them; ``fields`` notes the fields its records had."""
        for seq, rec in enumerate(self.part_records(path, error, span)):
            if rec.data is not None:
                fields.saw(rec.data)
            doc = self._to_document(rec)
            doc["doc_seq"] = seq
            yield doc

    def no_text_detail(self) -> str:
        wanted = self.fields.get("clean") or "/".join(USUAL_NAMES["clean"])
        return f"no clean or garbled text (looked for {wanted})"

    def _to_document(self, rec: Record) -> dict[str, Any]:
        doc = empty_document(self.source_name, self.lang)
        where = printable(rec.where)
        doc["origin"] = where
        if rec.error or rec.data is None:
            doc["doc_id"] = f"{self.source_name}:{where}"
            doc["reject"] = rec.error or reasons.UNREADABLE_FILE
            doc["reject_detail"] = printable(f"{where}: {rec.detail}")
            return doc
        data = rec.data
        used: set[str] = set()
        try:
            for name, keys in self._lookups:
                for key in keys:  # the first key with a value (None counts as absent)
                    value = data.get(key)
                    if value is not None:
                        used.add(key)
                        doc[name] = _field_text(name, key, value)
                        break
            for name in TEXT_FIELDS:
                if len(doc[name]) > self.max_chars:
                    raise _Reject(
                        reasons.TOO_LARGE,
                        f"{name} has {len(doc[name]):,} characters (source.max_chars={self.max_chars:,})",
                    )
            if self.detokenize:
                doc["clean"], doc["garbled"] = self._detokenized(doc)
            if not doc["clean"].strip() and not doc["garbled"].strip():
                raise _Reject(reasons.NO_TEXT, self.no_text_detail())
            if doc["garbled"].strip() and not doc["clean"].strip() and not self.pairing:
                raise _Reject(reasons.NO_CLEAN_REFERENCE, "a garbled text without its clean reference")
            if not doc["doc_id"]:
                doc["doc_id"] = "h" + stable_hex(doc["garbled"], doc["clean"], size=8)
            doc["meta"] = _meta_json({k: v for k, v in data.items() if k not in used})
        except _Reject as r:
            doc["reject"], doc["reject_detail"] = r.reason, f"{where}: {r.detail}"
            if not doc["doc_id"]:
                doc["doc_id"] = f"{self.source_name}:{where}"
        return doc

    def _detokenized(self, doc: dict[str, Any]) -> tuple[str, str]:
        """Both sides Moses-detokenised with the rules of the document's language."""
        detok = detokenizer(doc["lang"] or self.lang, what="source.detokenize=moses")
        try:
            return detok(doc["clean"]), detok(doc["garbled"])
        except Exception as e:  # sacremoses on text it does not expect: this record only
            raise _Reject(reasons.STAGE_ERROR, f"source.detokenize=moses failed ({describe(e)})") from None


class _Reject(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def repeated_id_detail(doc: dict[str, Any]) -> str:
    """Why a document whose id an earlier record had is rejected."""
    return f"{doc['origin']}: doc_id {doc['doc_id']!r} was already used by an earlier record"


class FieldCheck:
    """Fields named in ``source.fields`` that no record has had so far, and a sample of
    the field names records did have (for the message). Checks of parts read apart
    ``merge`` into the check of the whole input."""

    def __init__(self, fields: dict[str, str | None]) -> None:
        self.missing = {attr: name for attr, name in fields.items() if name}
        self.keys: dict[str, None] = {}
        self.records = 0

    def saw(self, data: dict[str, Any]) -> None:
        self.records += 1
        if self.missing:
            self.missing = {attr: name for attr, name in self.missing.items() if name not in data}
            if len(self.keys) < 100:
                self.keys.update(dict.fromkeys(str(k) for k in data))

    def merge(self, other: FieldCheck) -> None:
        self.records += other.records
        self.missing = {attr: name for attr, name in self.missing.items() if attr in other.missing}
        for key in other.keys:
            if len(self.keys) < 100:
                self.keys[key] = None

    def check(self) -> None:
        if not self.records or not self.missing:
            return
        named = ", ".join(f"source.fields.{attr}={name!r}" for attr, name in self.missing.items())
        these = "this field" if len(self.missing) == 1 else "these fields"
        seen = ", ".join(printable(k) for k in list(self.keys)[:20]) + (", ..." if len(self.keys) > 20 else "")
        raise ConfigError(f"{named}: no record has {these} (fields seen: {seen})")


def _field_text(name: str, key: str, value: Any) -> str:
    """A mapped field as the text a document stores, or a reject saying why it cannot be."""
    if type(value) is str and name != "date":  # the usual field: already text
        text = value
    elif name in TEXT_FIELDS and not isinstance(value, str):
        raise _Reject(reasons.BAD_FIELD_TYPE, f"field {key!r} is {type(value).__name__}, not text")
    else:
        text = _as_text(name, key, value)
    bad = SURROGATE.search(text) if has_surrogate(text) else None
    if bad is not None:
        raise _Reject(
            reasons.BAD_ENCODING,
            f"field {key!r} holds a lone surrogate (U+{ord(bad.group()):04X} at character {bad.start()}), "
            "which is not valid Unicode text and cannot be stored",
        )
    return text


def _as_text(name: str, key: str, value: Any) -> str:
    """A date as ISO text where it reads as one, anything else as ``str`` gives it."""
    try:
        return normalize_date(value) if name == "date" else value if isinstance(value, str) else str(value)
    except Exception as e:  # str() of a deeply nested value, say
        raise _Reject(reasons.BAD_FIELD_TYPE, f"field {key!r} cannot be read as text ({describe(e)})") from None


def _meta_json(rest: dict[Any, Any]) -> str:
    """The unmapped fields as one JSON object (lone surrogates escaped so it can be stored)."""
    if not rest:
        return ""
    rest = {str(k): v for k, v in rest.items()}
    try:
        text = json.dumps(rest, ensure_ascii=False, default=str, sort_keys=True)
    except (TypeError, ValueError, RecursionError) as e:
        key, err = _meta_culprit(rest, e)
        raise _Reject(reasons.BAD_FIELD_TYPE, f"field {key!r} cannot be kept in meta ({describe(err)})") from None
    if has_surrogate(text):
        text = json.dumps(rest, ensure_ascii=True, default=str, sort_keys=True)
    return text


def _meta_culprit(rest: dict[str, Any], err: Exception) -> tuple[str, Exception]:
    """The first field whose value cannot be written as JSON, with its error."""
    for key, value in rest.items():
        try:
            json.dumps(value, default=str, sort_keys=True)
        except (TypeError, ValueError, RecursionError) as e:
            return key, e
    return next(iter(rest)), err


def empty_document(source: str, lang: str) -> dict[str, Any]:
    return {
        "doc_seq": 0,
        "doc_id": "",
        "origin": "",
        "source": source,
        "title": "",
        "date": "",
        "url": "",
        "clean": "",
        "garbled": "",
        "lang": lang,
        "meta": "",
        "reject": "",
        "reject_detail": "",
    }
