# Two commands do all set-up on a fresh machine (see README):
#   make run                   install, then crawl every subscription (subscriptions.yaml) into output/
#                              (make run FEED=<url>: crawl just that feed)
#   make test                  install everything the tests need, then run them
#   make test-fast             the tests that need no server, no process of their own and no crawl (seconds)
# Everything lands in .venv/ (Python) and tests/hexo/node_modules/ (Hexo); nothing is installed globally
# except Debian packages for the real servers some tests start.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

SUBSCRIPTIONS ?= $(firstword $(wildcard subscriptions.yaml) subscriptions.example.yaml)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install run test test-fast lint hexo-deps system-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
ifdef FEED
	$(BIN)/scrapy crawl feed -a url=$(FEED)
else
	$(BIN)/aggregator crawl --subscriptions $(SUBSCRIPTIONS)
endif

hexo-deps:
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/hexo && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: install Node.js 20+ (Debian: apt-get install nodejs npm) for the Hexo render tests" >&2; exit 1; \
	fi

# Real servers the tests start: redis-server (distributed mode). scrapyd comes from PyPI with the test extra.
system-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q redis-server; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install system-deps hexo-deps lint
	$(BIN)/python -m pytest -q

FAST := not slow and not redis and not hexo and not scrapyd and not crawl
test-fast: install
	$(BIN)/python -m pytest -q -m "$(FAST)" --hypothesis-profile=fast

clean:
	rm -rf $(VENV) tests/hexo/node_modules .pytest_cache
