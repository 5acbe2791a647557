# The README's two commands: `make demo` and `make test`. Each builds .venv first if needed.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test test-slow test-all bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/newsdesk demo

test: $(STAMP)
	$(VENV)/bin/pytest -q

# Suites marked slow (real Prefect server, large synthetic sites); CI runs them after `make test`.
# pytest's exit 5 ("no test selected") is not a failure here.
test-slow: $(STAMP)
	$(VENV)/bin/pytest -q -m slow; status=$$?; [ $$status -eq 0 ] || [ $$status -eq 5 ]
