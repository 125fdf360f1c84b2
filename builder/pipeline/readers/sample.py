"""The embedded sample: one real garbled/clean article and 300 clean ABC news texts.

The real pair is ``builder/resources/sample/garbled.txt`` with its restoration ``restored.txt``.
The clean news is the Lee corpus that gensim ships (``lee_background.cor``, one
document per line); gensim is needed only here, as the ``sample`` extra.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

from builder.core.errors import ConfigError
from builder.core.resources import SAMPLE_DIR
from builder.pipeline.readers.base import Reader, Record

SEED_DOC_ID = "seed-kursk-2025-03-12"


def lee_corpus_path() -> str:
    """Where gensim keeps the Lee corpus (its test data), found without importing gensim:
    its import takes most of a second, and only the file is read."""
    spec = importlib.util.find_spec("gensim")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "test" / "test_data" / "lee_background.cor"
        if path.is_file():
            return str(path)
    raise ConfigError(
        "source=sample needs gensim for its clean news"
        + (" (its copy has no test_data/lee_background.cor)" if folders else "")
        + ": pip install -e '.[sample]' (make data does this), or set source.include_lee=false"
    )


GARBLED, CLEAN = SAMPLE_DIR / "garbled.txt", SAMPLE_DIR / "restored.txt"


class SampleReader(Reader):
    kind = "sample"

    def files(self) -> list[Path]:
        """Every file the sample is read from (a resumed build compares them)."""
        return [GARBLED, CLEAN, *([Path(lee_corpus_path())] if self.cfg.include_lee else [])]

    def check(self) -> None:
        for path in (GARBLED, CLEAN):
            if not path.is_file():
                raise ConfigError(f"the embedded sample is missing: {path}")
        if self.cfg.include_lee:
            lee_corpus_path()

    def records(self) -> Iterator[Record]:
        garbled = GARBLED.read_text(encoding="utf-8")
        clean = CLEAN.read_text(encoding="utf-8")
        yield Record(
            "samples/garbled.txt",
            {"doc_id": SEED_DOC_ID, "garbled": garbled, "clean": clean, "date": "2025-03-12", "source": "sample/seed"},
        )
        if not self.cfg.include_lee:
            return
        with open(lee_corpus_path(), "rb") as fh:
            for i, raw in enumerate(fh):
                where = f"lee_background.cor:{i + 1}"
                try:
                    text = raw.decode("utf-8").strip()
                except UnicodeDecodeError:
                    text = raw.decode("latin-1").strip()  # the corpus predates UTF-8 everywhere
                yield Record(where, {"doc_id": f"lee-background-{i:03d}", "clean": text, "source": "sample/lee"})


def provenance() -> str:
    """What is known of the sample's sources and their licences (for the dataset card)."""
    return (SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
