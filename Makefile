# Two commands do all set-up on a fresh machine (see README):
#   make run FEED=<feed url>   install, then crawl that feed into output/
#   make test                  install everything the tests need, then run them
# Everything lands in .venv/ (Python) and tests/hexo/node_modules/ (Hexo); nothing is installed globally
# except Debian packages for the real servers some tests start.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint hexo-deps clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: install
ifndef FEED
	$(error Say which feed: make run FEED=https://example.com/feed.xml)
endif
	$(BIN)/scrapy crawl feed -a url=$(FEED)

hexo-deps:
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/hexo && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	else \
		echo "npm not found: install Node.js 20+ (Debian: apt-get install nodejs npm) for the Hexo render tests" >&2; exit 1; \
	fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: install hexo-deps lint
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) tests/hexo/node_modules .pytest_cache
