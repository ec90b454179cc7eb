# The two commands a new machine needs: `make run` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
APP := .venv-app/bin
ENGINE := .venv-engine/bin

.PHONY: help install system engine app kb train run chat test test-fast lint types pytest rasa-validate \
        rasa-test eval eval-understanding e2e browser bench adviser purge clean run-scaled \
        bench-scaled

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: system engine app ## System fonts, then both Python 3.10 environments (fast when nothing changed)

system:
	@scripts/install-system.sh

engine: .stamps/engine
.stamps/engine: requirements/engine.lock requirements/engine.in scripts/install-env.sh
	@scripts/install-env.sh engine

app: .stamps/app
.stamps/app: requirements/app.lock pyproject.toml scripts/install-env.sh
	@scripts/install-env.sh app

kb: app ## Migrate the database and load territories, schemes and demo offers (idempotent)
	@. scripts/env.sh && mkdir -p var && $(APP)/python -m knowledge migrate && $(APP)/python -m knowledge load

train: engine ## Train the Rasa model if config or data changed
	@scripts/train.sh

run: install train kb ## Install, train if needed, load the knowledge base, start everything
	@scripts/run-all.sh

run-scaled: install train ## 2 Rasa, 2 action servers, 2 gateways behind HAProxy, PostgreSQL + Redis (docs/scaling.md)
	@scripts/run-scaled.sh

bench-scaled: app ## Conversations through the running `make run-scaled` (ARGS="--conversations 50 --kill-rasa")
	@nice .venv-app/bin/python scripts/bench_scaled.py $(ARGS)

chat: app ## Talk to the running assistant in this terminal (through the gateway)
	@. scripts/env.sh && $(APP)/python -m channels.cli_chat

adviser: app ## Create or update an adviser account: make adviser EMAIL=a@b.fr ROLE=adviser|admin
	@. scripts/env.sh && $(APP)/python -m channels.console.accounts create --email "$(EMAIL)" --role "$(or $(ROLE),adviser)"

purge: app ## Delete personal data older than PERSONAL_DATA_RETENTION_DAYS (every store, tracker store and logs)
	@. scripts/env.sh && $(APP)/python -m channels.retention

lint: app ## ruff
	$(APP)/ruff check .
	$(APP)/ruff format --check .

types: app ## mypy (strict)
	$(APP)/mypy

pytest: app ## Unit, knowledge, channel and consistency tests (no running processes)
	$(APP)/python -m pytest -m "not e2e and not browser" -q

rasa-validate: engine ## rasa data validate
	@scripts/rasa-validate.sh

rasa-test: train ## rasa test core (stories, fail on prediction errors), rasa test nlu (held-out file), out-of-domain check
	@scripts/rasa-test.sh

eval: train ## External held-out sets: out-of-domain rejection, then SNIPS k-fold of our pipeline (slow)
	$(ENGINE)/python scripts/eval_external.py
	nice -n 19 $(ENGINE)/python scripts/eval_pipeline_snips.py

eval-understanding: install train ## Blind and development conversation sets through the real stack, then the floors gate
	@scripts/eval/lane.sh

e2e: install train kb ## End-to-end tests: start the real processes and talk to them
	$(APP)/python -m pytest -m e2e -q

browser: install train kb ## Browser tests (headless Chromium driven by Playwright)
	@scripts/install-browser.sh
	$(APP)/python -m pytest -m browser -q

test: install ## Everything: lint, types, pytest lanes, rasa validate/train/test, end-to-end, browser
	@scripts/test-all.sh

test-fast: lint types pytest ## The quick lanes only

bench: install train kb ## Latency, throughput, memory, training time and knowledge-base search figures
	@scripts/bench.sh

clean: ## Remove trained models, results and local databases (keeps the environments)
	rm -rf models results var .stamps/kb
