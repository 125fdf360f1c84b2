"""JSON Lines (optionally gzip-compressed): one article object per line."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

from builder.readers.base import Reader, Record
from builder.readers.files import expand


class JsonlReader(Reader):
    kind = "jsonl"
    suffixes = (".jsonl", ".jsonl.gz", ".json", ".json.gz", ".ndjson")

    def check(self) -> None:
        expand(self.cfg.path, self.suffixes)

    def records(self) -> Iterator[Record]:
        for path in expand(self.cfg.path, self.suffixes):
            opener = gzip.open if path.name.endswith(".gz") else open
            with opener(path, "rb") as fh:
                for lineno, raw in enumerate(fh, 1):
                    where = f"{path.name}:{lineno}"
                    if not raw.strip():
                        continue
                    try:
                        line = raw.decode("utf-8")
                    except UnicodeDecodeError as e:
                        yield Record(where, error="bad_encoding", detail=f"not UTF-8 ({e.reason} at byte {e.start})")
                        continue
                    try:
                        data = json.loads(line)
                    except json.JSONDecodeError as e:
                        yield Record(where, error="invalid_json", detail=f"{e.msg} at column {e.colno}")
                        continue
                    if not isinstance(data, dict):
                        yield Record(
                            where, error="not_an_object", detail=f"a JSON {type(data).__name__}, not an object"
                        )
                        continue
                    yield Record(where, data)
