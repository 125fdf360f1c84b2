"""A folder of text files: ``garbled/NAME.txt`` pairs with ``clean/NAME.txt``.

A clean file alone becomes a clean-only document (for synthetic garbling); a garbled
file alone is rejected with its reason, as is a file that is not UTF-8.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from builder.config import ConfigError
from builder.readers.base import Reader, Record


class TextDirReader(Reader):
    kind = "textdir"

    def _files(self, sub: str) -> dict[str, Path]:
        folder = Path(self.cfg.path).expanduser() / sub
        if not folder.is_dir():
            return {}
        return {str(p.relative_to(folder).with_suffix("")): p for p in sorted(folder.rglob(self.cfg.glob))}

    def check(self) -> None:
        if not self._files(self.cfg.garbled_dir) and not self._files(self.cfg.clean_dir):
            raise ConfigError(
                f"source.path={self.cfg.path!r}: no {self.cfg.glob} files under "
                f"{self.cfg.garbled_dir}/ or {self.cfg.clean_dir}/"
            )

    def records(self) -> Iterator[Record]:
        self.check()
        garbled, clean = self._files(self.cfg.garbled_dir), self._files(self.cfg.clean_dir)
        for name in sorted(set(garbled) | set(clean)):
            data: dict[str, str] = {"doc_id": name}
            for field, files in (("garbled", garbled), ("clean", clean)):
                if name in files:
                    try:
                        data[field] = files[name].read_bytes().decode("utf-8")
                    except UnicodeDecodeError as e:
                        yield Record(
                            f"{field}/{files[name].name}",
                            error="bad_encoding",
                            detail=f"not UTF-8 ({e.reason} at byte {e.start})",
                        )
                        break
            else:
                yield Record(name, data)
