"""Hugging Face datasets: a hub name, a local dataset folder, or a ``save_to_disk`` copy.

Hub and data-file datasets are streamed, so a large corpus is never held in memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from builder.config import ConfigError
from builder.readers.base import Reader, Record


class HfReader(Reader):
    kind = "hf"

    def _rows(self):
        import datasets

        path = Path(self.cfg.path).expanduser()
        if path.is_dir() and ((path / "state.json").exists() or (path / "dataset_dict.json").exists()):
            ds = datasets.load_from_disk(str(path))
            if isinstance(ds, datasets.DatasetDict):
                if self.cfg.split not in ds:
                    raise ConfigError(f"source.split={self.cfg.split!r} is not in {str(path)!r} (has {', '.join(ds)})")
                ds = ds[self.cfg.split]
            return iter(ds)
        try:
            return iter(
                datasets.load_dataset(
                    str(path) if path.exists() else self.cfg.path,
                    name=self.cfg.config_name,
                    split=self.cfg.split,
                    streaming=True,
                )
            )
        except (FileNotFoundError, ValueError) as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise ConfigError(f"source=hf path={self.cfg.path!r}: {first}") from e

    def records(self) -> Iterator[Record]:
        for i, row in enumerate(self._rows(), 1):
            yield Record(f"row{i}", dict(row))
