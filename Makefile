# The course in a few targets. `make lab` to learn, `make test` to check everything.
# Every target sets up (or reuses) a local .venv; nothing is installed or registered globally.

PYTHON ?= python3
VENV   := .venv
BIN    := $(CURDIR)/$(VENV)/bin
STAMP  := $(VENV)/.installed
DEV    := $(VENV)/.installed-dev
TORCH  := $(VENV)/.installed-pytorch
NBS    := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
PORT   ?= 8888

# Keep Jupyter's per-user state inside the project so nothing leaks into ~/.
export PATH := $(BIN):$(PATH)
export JUPYTERLAB_SETTINGS_DIR   := $(CURDIR)/$(VENV)/lab/user-settings
export JUPYTERLAB_WORKSPACES_DIR := $(CURDIR)/$(VENV)/lab/workspaces
export JUPYTER_RUNTIME_DIR := $(CURDIR)/$(VENV)/runtime
# Jupyter refuses to run as root unless told; containers and CI often are root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help setup setup-dev lab test test-pytorch lint unit nbval test-browser test-hub hub hub-stop bench-hub notebooks nav student slides gif bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is needed; found " + sys.version.split()[0] + ". Set PYTHON=/path/to/python3.11")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

$(DEV): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $(DEV)

setup: $(STAMP)  ## create or reuse .venv with what a student needs (stamp file: no reinstall when unchanged)

setup-dev: $(DEV)  ## setup, plus the test and maintenance tools of requirements-dev.txt

# JupyterLab's defaults for this environment: no "official Jupyter news?" pop-up over the
# first notebook, and no update check (both would call the network).
LAB_OVERRIDES := $(VENV)/share/jupyter/lab/settings/overrides.json

lab: setup  ## open JupyterLab on the start page (prints the URL)
	@mkdir -p $(dir $(LAB_OVERRIDES))
	@echo '{"@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": false}}' > $(LAB_OVERRIDES)
	@echo "Starting JupyterLab on notebooks/00_start-here.ipynb: open the http://localhost:$(PORT)/lab?token=... URL printed below. Ctrl+C stops it."
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --ServerApp.port=$(PORT) $(ROOT_FLAG) \
	  --ServerApp.open_browser=$${OPEN_BROWSER:-True} notebooks/00_start-here.ipynb

lint: setup-dev  ## ruff on helpers/, tests/, benchmarks/ and the notebooks
	$(BIN)/ruff check helpers tests tools notebooks $(wildcard benchmarks data/*.py)

unit: setup-dev  ## unit tests and doctests only
	$(BIN)/python -m pytest helpers tests

nbval: setup-dev  ## strict nbval over every notebook
	$(BIN)/python -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg -p no:randomly notebooks

test: setup-dev lint  ## everything: lint, unit tests, doctests, strict nbval, browser tests
	@mkdir -p build; start=$$(date +%s); \
	$(BIN)/python -m pytest helpers tests \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/sanitize.cfg notebooks; \
	status=$$?; echo $$(( $$(date +%s) - start )) > build/make-test-seconds.txt; exit $$status

$(TORCH): $(DEV) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[pytorch]'
	@touch $(TORCH)

test-pytorch: $(TORCH)  ## install PyTorch (CPU, pinned) into .venv; compare helpers with it in float64
	REQUIRE_TORCH=1 $(BIN)/python -m pytest -p no:randomly tests/test_pytorch.py

test-browser: setup-dev  ## JupyterLab in headless Chromium: every notebook, widget and slide deck
	$(BIN)/python -m pytest -m browser tests/browser -v

# Students' servers run as their own users and read .venv: every folder above the checkout
# must let them pass (o+x, not read). A fresh mktemp folder is 0700; open it to traversal.
TRAVERSE := d="$(CURDIR)"; while [ "$$d" != / ]; do chmod o+x "$$d"; d=$$(dirname "$$d"); done

test-hub: setup-dev  ## a class of 3 on a real JupyterHub: isolation, notebooks, a pull, faults (root)
	@$(TRAVERSE)
	@mkdir -p build; start=$$(date +%s); \
	$(BIN)/python -m pytest -m hub -p no:randomly tests/hub -v; \
	status=$$?; echo $$(( $$(date +%s) - start )) > build/make-test-hub-seconds.txt; exit $$status

hub: setup-dev  ## serve the course to the class in tools/hub/class.txt (or STUDENTS="a b") on 127.0.0.1:8000 (root)
	@$(TRAVERSE)
	exec $(BIN)/python -m tools.hub --port $${HUB_PORT:-8000}

hub-stop:  ## stop the hub, its proxy and every student's server started by make hub
	$(BIN)/python -m tools.hub --stop

bench-hub: setup-dev  ## 20 students run the whole course at once on a real JupyterHub (root)
	$(BIN)/python -m benchmarks.hub_class

notebooks: setup-dev nav  ## re-execute every notebook in place with a fresh kernel
	$(BIN)/python -m tools.execute $(NBS)

nav: setup-dev  ## rewrite the navigation cells at the top and bottom of each notebook
	$(BIN)/python -m tools.navigation

student: setup-dev  ## build the student edition into build/student/
	$(BIN)/python -m tools.student build/student

slides: setup-dev  ## build offline reveal.js decks into build/slides/
	$(BIN)/python -m tools.slides build/slides

gif: setup-dev  ## redraw the README's animation, data/sliding-kernel.gif
	$(BIN)/python -m tools.readme_gif

bench: setup-dev  ## benchmarks against SciPy/NumPy and in Chromium; writes benchmarks/results/
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.browser --out benchmarks/results/browser.json
	@if [ "$$(id -u)" = 0 ]; then $(MAKE) bench-hub; \
	else echo "make bench: the 20-student hub test needs root (it creates system users); run sudo make bench-hub"; fi

clean:  ## remove build outputs (keeps .venv)
	rm -rf build .pytest_cache .hypothesis .ruff_cache
