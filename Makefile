# The README's commands. `make lab` and `make test` set everything up themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8888
# jupyter refuses to run as root unless told; CI and containers run as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# two workers on CI's two cores keep `make test` near 20 minutes (serially it takes over 30)
PYTEST_ARGS ?= -n auto --durations=15
# nbgrader runs tools of its environment (alembic) by name: put the environment first on PATH.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: lab test lint format strip lock release grade clean help site

help:
	@echo "make lab      install the course into $(VENV) and open JupyterLab here"
	@echo "make test     install the course into $(VENV) and run the whole test suite"
	@echo "make site     run every lesson and build the static website in site/_build/html"
	@echo "make lint     ruff check, ruff format --check, deptry (every import declared)"
	@echo "make format   ruff format and ruff check --fix"
	@echo "make strip    remove outputs from every notebook (nbstripout)"
	@echo "make lock     regenerate requirements.lock from a fresh resolution"
	@echo "make release ID=ps01-the-order   nbgrader generate_assignment + release_assignment"
	@echo "make grade ID=ps01-the-order     nbgrader autograde for every submission"
	@echo "make objective-map   which graded item assesses which lesson objective (a table)"
	@echo "make student-edition OUT=DIR   write the students' course (no answer key) to DIR"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Installs from requirements.lock so students, CI and the grader run the same versions.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@# nbgrader's and ipywidgets' extensions come enabled with their packages; check, don't assume
	$(BIN)/jupyter labextension list 2>&1 | grep -E '@jupyter/nbgrader .*enabled' >/dev/null
	$(BIN)/jupyter labextension list 2>&1 | grep -E '@jupyter-widgets/jupyterlab-manager .*enabled' >/dev/null
	$(BIN)/python -c "import course, nbgrader, ipywidgets, jupyterlab; print('course installed in $(VENV)')"
	touch $(STAMP)

lab: $(STAMP)
	mkdir -p assignments/exchange && chmod 777 assignments/exchange
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --port $(PORT) $(ROOT_FLAG)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The self-learners' website: every lesson run once (explorers as static snapshots), a page
# per dataset, search. Builds with no network; see tools/site.py and site/mkdocs.yml.
site: $(STAMP)
	$(BIN)/python -m tools.site build --out site/_build

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/deptry course

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

strip: $(STAMP)
	$(BIN)/nbstripout --keep-id lessons/*.ipynb assignments/source/*/*.ipynb

# One documented command regenerates the lock: resolve the ranges in pyproject.toml afresh
# in a scratch environment and record every version.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	.lock-venv/bin/python -m pip freeze --exclude-editable --disable-pip-version-check \
	  | grep -v '^ai-policy-course' > requirements.lock
	rm -rf .lock-venv
	@echo "requirements.lock regenerated: review 'git diff requirements.lock' and run 'make test'"

release: $(STAMP)
	@test -n "$(ID)" || { echo "usage: make release ID=<assignment id, e.g. ps01-the-order>"; exit 2; }
	mkdir -p assignments/exchange && chmod 777 assignments/exchange
	cd assignments && ../$(BIN)/nbgrader generate_assignment "$(ID)" --force
	cd assignments && ../$(BIN)/nbgrader release_assignment "$(ID)" --force

grade: $(STAMP)
	@test -n "$(ID)" || { echo "usage: make grade ID=<assignment id, e.g. ps01-the-order>"; exit 2; }
	$(BIN)/course grade "$(ID)" --course assignments; status=$$?; \
	$(BIN)/course report "$(ID)" --course assignments && \
	$(BIN)/course feedback "$(ID)" --course assignments && \
	(cd assignments && ../$(BIN)/nbgrader export) && exit $$status

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist

# Instructor tooling (reads assignments/source): the objective map as a table, and its gaps.
.PHONY: objective-map
objective-map: $(STAMP)
	$(BIN)/python tools/objective_map.py

# What students get instead of this repository: course (without course/grading), lessons,
# released problem sets (nbgrader), site sources, a student README and Makefile.
.PHONY: student-edition
student-edition: $(STAMP)
	@test -n "$(OUT)" || { echo "usage: make student-edition OUT=<new folder outside the repository>"; exit 2; }
	$(BIN)/python tools/student_edition.py --out "$(OUT)"
