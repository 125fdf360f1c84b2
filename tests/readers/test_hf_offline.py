"""source=hf without a network: a hub name is one config line at once, not half a
minute of retries and a traceback; local datasets keep working offline."""

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from omegaconf import OmegaConf

from builder.core.errors import ConfigError
from builder.pipeline.readers import make_reader
from tests.readers.support import articles, expected, good, read, source_cfg

ROOT = Path(__file__).resolve().parents[2]


def _no_hub(*args, **kwargs):
    raise AssertionError("this must be decided without asking the hub")


def test_an_unreachable_hub_is_one_config_line(monkeypatch):
    import datasets.config
    import huggingface_hub.constants

    # online, whatever other tests in this process set, with a hub nothing listens at
    monkeypatch.setattr(datasets.config, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", "http://127.0.0.1:9")
    started = time.perf_counter()
    with pytest.raises(ConfigError) as err:
        list(make_reader(source_cfg("hf", "someuser/somedataset")).documents())
    print(f"unreachable hub: ConfigError after {time.perf_counter() - started:.2f} s")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(
        "source=hf path='someuser/somedataset': not a local dataset and the Hugging Face hub cannot be reached ("
    )


def test_a_name_that_is_neither_a_path_nor_a_hub_name_is_one_config_line(monkeypatch):
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub.HfApi, "dataset_info", _no_hub)
    with pytest.raises(ConfigError, match=r"^source=hf path='no such/folder!': not a local path, nor a hub dataset"):
        make_reader(source_cfg("hf", "no such/folder!")).check()


_OFFLINE_SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    from omegaconf import OmegaConf
    from builder.core.errors import ConfigError
    from builder.pipeline.readers import make_reader

    hub, saved, files = (OmegaConf.create(c) for c in json.load(sys.stdin))
    out = {}
    started = time.perf_counter()
    try:
        list(make_reader(hub).documents())
    except ConfigError as e:
        out["error"] = str(e)
    out["seconds"] = time.perf_counter() - started
    for name, cfg in (("saved", saved), ("files", files)):
        out[name] = [[d["doc_id"], d["clean"]] for d in make_reader(cfg).documents()]
    print(json.dumps(out))
    """
)


@pytest.mark.slow
def test_offline_a_hub_name_is_one_line_and_local_datasets_still_read(tmp_path):
    """In a fresh process, so the Hugging Face libraries see the offline switch at import.
    (The source configs are made here and handed over as plain data: the reader needs
    nothing else, and the process starts without the rest of the builder.)"""
    import datasets

    items = articles(3)
    ds = datasets.Dataset.from_list(items)
    ds.save_to_disk(str(tmp_path / "saved"))
    (tmp_path / "files").mkdir()
    ds.to_json(str(tmp_path / "files" / "train.jsonl"))
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_DATASETS_CACHE": str(tmp_path / "hf-cache"),
        "PYTHONPATH": str(ROOT),
    }
    configs = [
        OmegaConf.to_container(source_cfg("hf", path))
        for path in ("someuser/somedataset", tmp_path / "saved", tmp_path / "files")
    ]
    run = subprocess.run(
        [sys.executable, "-c", _OFFLINE_SCRIPT],
        input=json.dumps(configs),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"offline hub name: ConfigError after {out['seconds']:.2f} s")
    assert "\n" not in out["error"]
    assert out["error"].startswith(
        "source=hf path='someuser/somedataset': not a local dataset, and offline (HF_HUB_OFFLINE) "
        "it must be in the Hugging Face cache ("
    )
    want = [list(pair) for pair in expected(items)]
    assert out["saved"] == want and out["files"] == want


def test_local_datasets_do_not_ask_the_hub(tmp_path, monkeypatch):
    import datasets
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub.HfApi, "dataset_info", _no_hub)
    items = articles(2)
    datasets.Dataset.from_list(items).save_to_disk(str(tmp_path / "saved"))
    make_reader(source_cfg("hf", tmp_path / "saved")).check()
    assert good(read("hf", tmp_path / "saved")) == expected(items)
