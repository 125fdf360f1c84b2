"""Hugging Face datasets: a hub name, a local dataset folder, or a ``save_to_disk`` copy.

Hub and data-file datasets are streamed, so a large corpus is never held in memory.
A hub name is checked with one short request before anything is loaded: without it,
an unreachable hub costs half a minute of retries and ends in a traceback; with it,
the user gets one line at once. Offline (``HF_HUB_OFFLINE``/``HF_DATASETS_OFFLINE``),
the dataset must be in the local cache, and a miss is one line too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from builder.core.errors import ConfigError
from builder.pipeline.readers.base import Reader, Record, describe

HUB_TIMEOUT = 10.0  # seconds for the one request that checks a hub name
_SAVED_MARKERS = ("state.json", "dataset_dict.json")  # what save_to_disk writes


def offline() -> bool:
    """Whether ``datasets`` runs offline (HF_HUB_OFFLINE/HF_DATASETS_OFFLINE as it read them
    at import): then loading a hub name only looks in the cache, so there is nothing to probe."""
    import datasets.config

    return bool(datasets.config.HF_HUB_OFFLINE)


class HfReader(Reader):
    kind = "hf"
    unit = "row"

    def __init__(self, cfg: Any, pairing: bool = False) -> None:
        super().__init__(cfg, pairing)
        self._dataset: Any = None

    def _where(self) -> str:
        return f"source=hf path={self.cfg.path!r}"

    def _local(self) -> Path | None:
        path = Path(self.cfg.path).expanduser()
        return path if path.exists() else None

    def check(self) -> None:
        """A local path is checked when read; a hub name now: probed online, loaded from
        the cache offline, so either way a bad name is one line before any work."""
        if self._local() is None:
            self._open()

    def _open(self) -> Any:
        """The dataset, loaded once (streamed unless it is a ``save_to_disk`` copy)."""
        if self._dataset is None:
            path = self._local()
            if path is not None and path.is_dir() and any((path / f).exists() for f in _SAVED_MARKERS):
                self._dataset = self._from_disk(path)
            else:
                if path is None:
                    self._check_hub_name()
                self._dataset = self._load(path)
        return self._dataset

    def _check_hub_name(self) -> None:
        """A valid hub name, and online, one that the hub answers for: one request with a
        short timeout and no retries."""
        from huggingface_hub import HfApi
        from huggingface_hub.errors import HfHubHTTPError, HFValidationError, RepositoryNotFoundError
        from huggingface_hub.utils import validate_repo_id

        try:
            validate_repo_id(self.cfg.path)
        except HFValidationError as e:
            raise ConfigError(f"{self._where()}: not a local path, nor a hub dataset name ({describe(e)})") from None
        if offline():
            return
        try:
            HfApi().dataset_info(self.cfg.path, timeout=HUB_TIMEOUT)
        except RepositoryNotFoundError:
            raise ConfigError(
                f"{self._where()}: not a local path, and the hub has no such dataset (or it is private: log in)"
            ) from None
        except HfHubHTTPError as e:
            raise ConfigError(f"{self._where()}: the Hugging Face hub refused it ({describe(e)})") from None
        except Exception as e:
            raise ConfigError(
                f"{self._where()}: not a local dataset and the Hugging Face hub cannot be reached ({describe(e)})"
            ) from None

    def _load(self, path: Path | None) -> Any:
        import datasets

        try:
            return datasets.load_dataset(
                str(path) if path is not None else self.cfg.path,
                name=self.cfg.config_name,
                split=self.cfg.split,
                streaming=True,
            )
        except Exception as e:
            if path is None and offline():
                raise ConfigError(
                    f"{self._where()}: not a local dataset, and offline (HF_HUB_OFFLINE) it must be in the "
                    f"Hugging Face cache ({describe(e)})"
                ) from None
            if isinstance(e, (FileNotFoundError, ValueError, ConnectionError)):
                raise ConfigError(f"{self._where()}: {describe(e)}") from None
            raise

    def _from_disk(self, path: Path) -> Any:
        import datasets

        ds = datasets.load_from_disk(str(path))
        if isinstance(ds, datasets.DatasetDict):
            if self.cfg.split not in ds:
                raise ConfigError(f"source.split={self.cfg.split!r} is not in {str(path)!r} (has {', '.join(ds)})")
            ds = ds[self.cfg.split]
        return ds

    def records(self) -> Iterator[Record]:
        rows = iter(self._open())
        yield from self.guarded(str(self.cfg.split), self._numbered(rows))

    def _numbered(self, rows: Iterator[dict[str, Any]]) -> Iterator[Record]:
        for i, row in enumerate(rows, 1):
            yield Record(f"{self.cfg.split}:row{i}", dict(row))
