# smppops.ovh developer entry points. Needs only Python 3.11, pip, git and make.
PYTHON ?= python3
TOOLS := .venv/tools
NOX := $(TOOLS)/bin/nox

.PHONY: test demo perf sanity units integration clean

$(NOX):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "nox>=2024.4" pyyaml

# The one test command: sanity, unit and integration tests on ansible-core 2.16 and 2.19, packaging checks, then totals.
test: $(NOX)
	rm -rf tests/output/junit
	$(NOX) --no-color --sessions sanity units integration packaging; status=$$?; \
	$(TOOLS)/bin/python tests/tools/report.py tests/output/junit; exit $$(( status || $$? ))

sanity units integration: $(NOX)
	$(NOX) --no-color --sessions $@

# Runs smpp_info through ansible-playbook against the embedded OVH API emulator.
demo: $(NOX)
	$(NOX) --no-color --sessions demo

clean:
	rm -rf build .nox .venv tests/output

# Benchmarks (tests/perf): ratios measured in one run, not absolute times.
perf: $(NOX)
	$(NOX) --no-color --sessions perf
