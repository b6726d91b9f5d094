# Two commands set everything up on a fresh machine:
#   make site   build the site into site/
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test serve validate render clean golden

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)  ## validate the content and build site/ with mkdocs build --strict
	$(PY) -m generator build

test: $(STAMP)  ## run every test (unit, golden, build, browser)
	$(PY) -m pytest

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000/
	$(PY) -m generator serve --allow-overdue

validate: $(STAMP)  ## check the content and print every problem
	$(PY) -m generator validate

render: $(STAMP)  ## write the Markdown tree to build/markdown/
	$(PY) -m generator render --out build/markdown

clean:
	rm -rf site build .site-* .pytest_cache

golden: $(STAMP)  ## refresh the expected output of the golden cases in tests/cases/
	$(PY) -m pytest -q tests/test_cases.py --update-golden
