# Two commands do everything on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DATA   ?= data
PORT   ?= 50051

BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: install demo test serve proto lint bench bench-quality bench-scale bench-names \
	bench-documents bench-load bench-report clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/screening demo --data $(DATA)

test: $(STAMP)
	$(BIN)/python -m pytest -q tests

serve: $(STAMP)
	$(BIN)/screening serve --data $(DATA) --port $(PORT)

# Regenerate screening/pb from proto/ (the only source of the API).
proto: $(STAMP)
	bash scripts/gen_proto.sh $(BIN)/python

lint: $(STAMP)
	$(BIN)/ruff check screening indexes bench tests

# Benchmarks: heavy, outside the default test run. Extras (peers, plotting) on demand.
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m pip install --quiet --no-deps 'nomenklatura==4.17.4'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python -m pytest -q bench/kernels --benchmark-only

# Scaling: names at 10k..10M (cost per passenger vs the rapidfuzz peer), documents at
# 1M..128M (build, restart, lookups), then bench/results/scale.md. Tens of minutes, ~15 GiB.
bench-scale: bench-names bench-documents
	$(BIN)/python -m bench.scale.report

bench-names: $(BENCH_STAMP)
	$(BIN)/python -m bench.scale.names --out bench/results

LOAD_PERSONS   ?= 1000000
LOAD_DOCUMENTS ?= 1000000
bench-documents: $(BENCH_STAMP)
	$(BIN)/python -m bench.scale.documents --out bench/results \
		$(if $(wildcard bench/data/load/gen-p$(LOAD_PERSONS)-d$(LOAD_DOCUMENTS)/nominal.jsonl),\
		--nominal bench/data/load/gen-p$(LOAD_PERSONS)-d$(LOAD_DOCUMENTS)/nominal.jsonl)

# bench/results/scale.md from its sections, and the README headline table from summary.json.
bench-report: $(BENCH_STAMP)
	$(BIN)/python -m bench.scale.report
	$(BIN)/python -m bench.headline

# Load: the real server (2 workers, TLS, tokens) against the echo floor, 1M persons.
bench-load: $(BENCH_STAMP)
	$(BIN)/python -m bench.load.run --persons $(LOAD_PERSONS) --documents $(LOAD_DOCUMENTS) \
		--out bench/results

bench-quality: $(BENCH_STAMP)
	$(BIN)/python -m bench.quality --out bench/results

clean:
	rm -rf $(VENV) build *.egg-info
