# garble-builder: `make help` lists the targets. The first `make data` or `make test`
# creates .venv and installs everything it needs; later runs reuse it.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.DEFAULT_GOAL := help
.PHONY: help install data test lint bench tables clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,sample]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP) ## create .venv and install the package with its dev and sample extras

data: $(STAMP) ## build the embedded sample into data/processed/sample
	$(PY) -m builder

test: $(STAMP) ## run the test suite, one worker per core (pytest-xdist, a test file per worker at a time)
	$(PY) -m pytest -q -n auto --dist loadfile --no-loadscope-reorder

lint: $(STAMP) ## ruff and the layers contract (import-linter)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports

bench: $(STAMP) ## run the benchmarks (peers in the bench extra); results go to benchmarks/results/
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) -m pip install --quiet --no-deps --ignore-requires-python bertalign==2.0.1
	$(PY) -m benchmarks.run

SHARED ?= ../shared
MLQE   := $(SHARED)/real_pairs/mlqe_pe_xx_en.jsonl
tables: $(STAMP) ## rebuild the shipped bigram table, noise profiles (seed, mt) and MT substitutions (MLQE-PE in $(SHARED))
	$(PY) -m builder.app.bigrams_cli $(MLQE) --field clean --detokenize \
		--source "the post-edited English side of MLQE-PE (Fomicheva et al. 2020, github.com/sheffieldnlp/mlqe-pe), dev and test20 of ro/et/ne/si/ru-en; CC0 1.0" \
		--out builder/resources/noise/bigrams_en.tsv.gz
	cd builder/resources/sample && ../../../$(PY) -m builder.profile --text-pair garbled.txt restored.txt \
		--per-sentence --name seed -o ../profiles/seed.json --quiet
	$(PY) -m builder.profile $(MLQE) --detokenize --name mt -o builder/resources/profiles/mt.json --quiet
	$(PY) -m builder.app.tables_cli builder/resources/profiles/mt.json --min-count 3 \
		--out-dir builder/resources/noise --prefix mt_ --source "MLQE-PE (CC0 1.0), ro/et/ne/si/ru-en MT and post-edits"

clean: ## remove built datasets, logs and caches (keeps .venv)
	rm -rf data/processed data/logs .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
