# smppops.ovh developer entry points. Needs only Python 3.11, pip, git and make.
PYTHON ?= python3
TOOLS := .venv/tools
NOX := $(TOOLS)/bin/nox

.PHONY: test demo docs changelog perf bench bench-growth sanity units integration lint mutation clean

$(NOX):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "nox>=2024.4" pyyaml

# The one test command: unit and integration tests on ansible-core 2.16, 2.19, 2.20 and 2.21, sanity on 2.16
# and 2.21 (oldest and newest; 2.20 and 2.21 run on Python 3.12 from pyenv), packaging checks,
# mutation testing of the safety-critical modules, the docs site and its checks, antsibull and ansible-lint, then totals.
test: $(NOX)
	rm -rf tests/output/junit
	$(NOX) --no-color --sessions sanity units integration mutation packaging docs lint; status=$$?; \
	$(TOOLS)/bin/python tests/tools/report.py tests/output/junit; exit $$(( status || $$? ))

sanity units integration lint: $(NOX)
	$(NOX) --no-color --sessions $@

# Mutation testing (mutmut) of every file of plugins/module_utils and plugins/plugin_utils against the unit tests;
# fails on a surviving mutant not listed with a reason in tests/mutation/survivors.yml. `make test` runs the
# safety-critical modules only.
mutation: $(NOX)
	$(NOX) --no-color --sessions mutation -- --scope all

# Against the embedded OVH API emulator: bootstrap every SMPP account, re-run it (changed=0), then audit.
demo: $(NOX)
	$(NOX) --no-color --sessions demo

# The docs site (antsibull-docs + Sphinx) into docs/build/html.
docs: $(NOX)
	$(NOX) --no-color --sessions docs

# Release notes (CHANGELOG.md/.rst) for the version in galaxy.yml; consumes changelogs/fragments.
changelog: $(NOX)
	$(NOX) --no-color --sessions changelog

clean:
	rm -rf build .nox .venv tests/output docs/build

# Benchmarks (tests/perf): ratios measured in one run, not absolute times.
perf: $(NOX)
	$(NOX) --no-color --sessions perf

# Fleet benchmark (tests/perf/bench_fleet.py, docs/performance.md): bootstrap of N accounts with L ms per
# request against the emulator, beside a python-ovh script; results in tests/perf/results/.
# Defaults N=100, L=100 ms, forks 20, 3 repeats; e.g. make bench BENCH_ARGS="--accounts 20 --repeats 1".
BENCH_ARGS ?=
bench: $(NOX)
	$(NOX) --no-color --sessions bench -- $(BENCH_ARGS)

# Growth benchmark (tests/perf/bench_growth.py): bootstrap at N and 4×N accounts, interleaved in one run.
bench-growth: $(NOX)
	$(NOX) --no-color --sessions bench_growth -- $(BENCH_ARGS)
