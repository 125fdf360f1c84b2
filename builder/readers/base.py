"""The reader contract: records in, documents (or rejects) out.

A concrete reader only says how to walk its format (``records``). Everything a
user relies on across formats lives here: field mapping, the usual field names,
type checks, stable ids, duplicate ids, size limits, and the rule that a record
that cannot be used becomes a reject with its reason instead of vanishing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, ClassVar

from builder.seeding import stable_hex

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


@dataclass
class Record:
    """One raw record as found in the input; ``error`` is set when it could not be parsed."""

    where: str  # file:line or similar, for messages
    data: dict[str, Any] | None = None
    error: str = ""  # reason category
    detail: str = ""


class Reader:
    kind: ClassVar[str] = ""

    def __init__(self, cfg: Any) -> None:
        self.cfg = cfg
        self.fields = {k: getattr(cfg.fields, k, None) for k in USUAL_NAMES}
        self.source_name = cfg.name

    # -- what a format implements ------------------------------------------------
    def check(self) -> None:
        """Raise ConfigError now if the input cannot be found, before any work starts."""

    def records(self) -> Iterator[Record]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- shared logic --------------------------------------------------------------
    def documents(self) -> Iterator[dict[str, Any]]:
        """Documents in input order, each with a ``doc_seq``; rejects included."""
        seen: set[str] = set()
        limit = self.cfg.limit
        for seq, rec in enumerate(self.records()):
            if limit is not None and seq >= limit:
                break
            doc = self._to_document(rec)
            doc["doc_seq"] = seq
            if not doc["reject"]:
                if doc["doc_id"] in seen:
                    doc["reject"], doc["reject_detail"] = (
                        "duplicate_doc_id",
                        f"{rec.where}: doc_id {doc['doc_id']!r} was already used by an earlier record",
                    )
                else:
                    seen.add(doc["doc_id"])
            yield doc

    def _pick(self, data: dict[str, Any], name: str) -> tuple[str | None, Any]:
        explicit = self.fields.get(name)
        if explicit:
            return explicit, data.get(explicit)
        for key in USUAL_NAMES[name]:
            if key in data and data[key] is not None:
                return key, data[key]
        return None, None

    def _to_document(self, rec: Record) -> dict[str, Any]:
        doc = empty_document(self.source_name, self.cfg.lang)
        if rec.error or rec.data is None:
            doc["doc_id"] = f"{self.source_name}:{rec.where}"
            doc["reject"], doc["reject_detail"] = rec.error or "unreadable", f"{rec.where}: {rec.detail}"
            return doc
        data = rec.data
        used: set[str] = set()
        try:
            for name in USUAL_NAMES:
                key, value = self._pick(data, name)
                if key is None or value is None:
                    continue
                used.add(key)
                if name in TEXT_FIELDS and not isinstance(value, str):
                    raise _Reject("bad_field_type", f"field {key!r} is {type(value).__name__}, not text")
                if name == "date":
                    value = normalize_date(value)
                doc[name] = str(value)
            for name in TEXT_FIELDS:
                if len(doc[name]) > self.cfg.max_chars:
                    raise _Reject(
                        "too_large",
                        f"{name} has {len(doc[name]):,} characters (source.max_chars={self.cfg.max_chars:,})",
                    )
            if not doc["clean"].strip() and not doc["garbled"].strip():
                wanted = self.fields.get("clean") or "/".join(USUAL_NAMES["clean"])
                raise _Reject("no_text", f"no clean or garbled text (looked for {wanted})")
            if doc["garbled"].strip() and not doc["clean"].strip() and not getattr(self.cfg, "pairing", False):
                raise _Reject("no_clean_reference", "a garbled text without its clean reference")
            if not doc["doc_id"]:
                doc["doc_id"] = "h" + stable_hex(doc["garbled"], doc["clean"], size=8)
            rest = {k: v for k, v in data.items() if k not in used}
            doc["meta"] = json.dumps(rest, ensure_ascii=False, default=str, sort_keys=True) if rest else ""
        except _Reject as r:
            doc["reject"], doc["reject_detail"] = r.reason, f"{rec.where}: {r.detail}"
            if not doc["doc_id"]:
                doc["doc_id"] = f"{self.source_name}:{rec.where}"
        return doc


class _Reject(Exception):
    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def empty_document(source: str, lang: str) -> dict[str, Any]:
    return {
        "doc_seq": 0,
        "doc_id": "",
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


_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y%m%d")
_ISO_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}")


def normalize_date(value: Any) -> str:
    """An ISO date (YYYY-MM-DD) when the value reads as one, else the value as given:
    ISO dates sort in time order, which the temporal split relies on."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 10**8:
        stamp = value / 1000 if value > 10**11 else value  # epoch seconds or milliseconds
        return datetime.fromtimestamp(stamp, tz=timezone.utc).date().isoformat()
    text = str(value).strip()
    if _ISO_PREFIX.match(text):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
        except ValueError:
            pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return text
