# make        -- set up .venv (and TeX on Debian/Ubuntu), run the notebooks, write report/report.pdf
# make test   -- unit tests, nbval re-runs of every notebook, and a PDF build check
# make bench  -- speed benchmark: figures/benchmark.png and figures/benchmark.md
# make check  -- check the settings and the corpus (make runs it before any notebook)
# Settings come from the environment, e.g.  CORPUS=data/goblet_book.txt STEPS=20000 make
# QUICK=1 make scales every training budget down to a smoke test (about two minutes).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
TEX_PACKAGES := texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc poppler-utils \
                fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all check notebooks report test bench tex clean

all: report

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Settings and corpus, checked with the standard library before anything is installed or run.
check:
	@$(PYTHON) -m helpers.config

# TeX for nbconvert's PDF export, pandoc for Markdown, poppler's pdftotext for the report test,
# DejaVu fonts for any character of a user's text.
tex:
	@if command -v xelatex >/dev/null && command -v pandoc >/dev/null && command -v pdftotext >/dev/null \
	    && fc-list 2>/dev/null | grep -q "DejaVu Serif"; then :; \
	elif command -v apt-get >/dev/null; then \
	  echo "Installing $(TEX_PACKAGES)"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(TEX_PACKAGES); \
	else \
	  echo "Please install xelatex (TeX Live), pandoc, pdftotext (poppler) and the DejaVu fonts, then run make again."; exit 1; \
	fi

notebooks: check $(STAMP)
	@$(PY) -m helpers.report execute $(NOTEBOOKS)

report: check tex notebooks
	@$(PY) -m helpers.report pdf $(NOTEBOOKS)

test: $(STAMP) tex
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg -p no:cacheprovider

bench: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m helpers.bench

clean:
	rm -rf checkpoints report/build
