"""The sample's clean news is gensim's copy of the Lee corpus, found without importing gensim."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import subprocess
import sys

import pytest

from builder.core.errors import ConfigError
from builder.pipeline.readers import sample


def test_the_lee_corpus_is_the_file_gensim_itself_names_and_gensim_is_not_imported():
    pytest.importorskip("gensim")
    code = (
        "import sys; from builder.pipeline.readers.sample import lee_corpus_path; "
        "print(lee_corpus_path()); print('gensim' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    from gensim.test.utils import datapath

    assert out == [datapath("lee_background.cor"), "False"]


def test_without_gensim_the_sample_says_how_to_get_it_or_do_without(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "gensim" else real(name, *a))
    with pytest.raises(ConfigError, match=r"needs gensim.*pip install -e '\.\[sample\]'.*include_lee=false"):
        sample.lee_corpus_path()


def test_a_gensim_without_its_test_data_is_said_so(monkeypatch, tmp_path):
    spec = importlib.machinery.ModuleSpec("gensim", None, is_package=True)
    spec.submodule_search_locations = [str(tmp_path)]
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: spec)
    with pytest.raises(ConfigError, match=r"has no test_data/lee_background\.cor"):
        sample.lee_corpus_path()
