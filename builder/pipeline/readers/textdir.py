"""A folder of text files: ``garbled/NAME.txt`` pairs with ``clean/NAME.txt``.

A clean file alone becomes a clean-only document (for synthetic garbling); a garbled
file alone is rejected with its reason, as is a file that is not valid in
``source.encoding`` (a byte-order mark wins) or cannot be read. ``source.glob`` matches
in any case, so ``NAME.TXT`` is read too. Files pair by their path under the two
folders, sub-folders included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from builder.core import reasons
from builder.core.errors import ConfigError
from builder.pipeline.readers.base import Reader, Record, describe
from builder.pipeline.readers.files import walk
from builder.pipeline.readers.text import decode_bytes, encoding_detail, printable


class TextDirReader(Reader):
    kind = "textdir"

    def _side(self, sub: str) -> tuple[dict[str, Path], list[Record]]:
        """The files under one sub-folder by document name, and rejects for what cannot
        be used (a folder that cannot be listed, two files for one name)."""
        folder = Path(self.cfg.path).expanduser() / sub
        if not folder.is_dir():
            return {}, []
        found, unlisted = walk(folder)
        pattern = str(self.cfg.glob).lower()
        files: dict[str, Path] = {}
        problems = [
            Record(
                f"{sub}/{printable(p.relative_to(folder).as_posix())}",
                error=reasons.UNREADABLE_FILE,
                detail=f"cannot list this folder ({describe(e)})",
            )
            for p, e in sorted(unlisted.items())
        ]
        for path in sorted(found):
            rel = path.relative_to(folder)
            if not PurePosixPath(rel.as_posix().lower()).match(pattern):
                continue
            name = printable(rel.with_suffix("").as_posix())
            if name in files:
                detail = f"{sub}/{printable(files[name].relative_to(folder).as_posix())} holds the same document"
                where = f"{sub}/{printable(rel.as_posix())}"
                problems.append(Record(where, error=reasons.DUPLICATE_DOC_ID, detail=detail))
            else:
                files[name] = path
        return files, problems

    def _sides(self) -> tuple[dict[str, Path], dict[str, Path], list[Record]]:
        """Both sides and the rejects found listing them; ConfigError when there is nothing."""
        garbled, g_problems = self._side(self.cfg.garbled_dir)
        clean, c_problems = self._side(self.cfg.clean_dir)
        if not (garbled or clean or g_problems or c_problems):
            raise ConfigError(
                f"source.path={self.cfg.path!r}: no {self.cfg.glob} files under "
                f"{self.cfg.garbled_dir}/ or {self.cfg.clean_dir}/"
            )
        return garbled, clean, g_problems + c_problems

    def check(self) -> None:
        self._sides()

    def records(self) -> Iterator[Record]:
        garbled, clean, problems = self._sides()
        yield from problems
        for name in sorted(set(garbled) | set(clean)):
            yield from self.guarded(name, self._pair(name, garbled.get(name), clean.get(name)))

    def _pair(self, name: str, garbled: Path | None, clean: Path | None) -> Iterator[Record]:
        data: dict[str, str] = {"doc_id": name}
        where = ""
        for field, sub, path in (("clean", self.cfg.clean_dir, clean), ("garbled", self.cfg.garbled_dir, garbled)):
            if path is None:
                continue
            text = self._read(path, f"{sub}/{name}{path.suffix}")
            if isinstance(text, Record):
                yield text
                return
            data[field] = text
            where = where or f"{sub}/{name}{path.suffix}"  # the clean file when there is one
        yield Record(where, data)

    def no_text_detail(self) -> str:
        return "no clean or garbled text (the file holds none)"

    def _read(self, path: Path, where: str) -> str | Record:
        """The file's text, or the reject saying why it cannot be had."""
        limit = 4 * self.max_chars + 4  # more bytes than this is more than max_chars characters
        data = b""
        try:
            with open(path, "rb") as fh:
                data = fh.read(limit + 1)
            if len(data) > limit:
                return Record(
                    where, error=reasons.TOO_LARGE, detail=f"over {limit:,} bytes (source.max_chars={self.max_chars:,})"
                )
            return decode_bytes(data, self.cfg.encoding)
        except UnicodeDecodeError as e:
            return Record(where, error=reasons.BAD_ENCODING, detail=encoding_detail(data, e.start, self.cfg.encoding))
        except OSError as e:
            return Record(where, error=reasons.UNREADABLE_FILE, detail=f"cannot read this file ({describe(e)})")
