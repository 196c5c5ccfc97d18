"""Test sessions of smppops.ovh. ``make test`` runs the default ones and prints the totals.

Every session works on a copy of the tree at build/<session>/ansible_collections/smppops/ovh,
because ansible-test only runs from inside an ``ansible_collections/<ns>/<name>`` path.
"""

import glob
import os
import shutil
import subprocess
import sys

import nox

ROOT = os.path.dirname(os.path.abspath(__file__))
JUNIT = os.path.join(ROOT, "tests", "output", "junit")
# ansible-core releases users run today, each on a Python its controller supports: 2.16 (AAP 2.5
# execution environments) to 2.21 (current, Python 3.12+). Python 3.11 is the interpreter that runs
# nox here (make test creates it from python3); 3.12 comes from pyenv (installed on every machine
# of this kind, CI included) or from PATH.
CORES = {
    "2.16": "ansible-core>=2.16,<2.17",
    "2.19": "ansible-core>=2.19,<2.20",
    "2.20": "ansible-core>=2.20,<2.21",
    "2.21": "ansible-core>=2.21,<2.22",
}
CORE_PYTHON = {"2.16": "3.11", "2.19": "3.11", "2.20": "3.12", "2.21": "3.12"}
OLDEST, NEWEST = "2.16", "2.21"
# What runs where, to keep a cold `make test` well under CI's limit on 2 cores: unit tests on every
# release; sanity (the slowest: a virtualenv per test) on the oldest and newest; the ansible-test
# integration targets (every module through ansible-playbook) on every release; the live suite
# (playbooks, inventory, AWX runner jobs, faults, concurrency rounds) on the oldest and newest.
SANITY_CORES = [OLDEST, NEWEST]
UNITS_CORES = list(CORES)
INTEGRATION_CORES = list(CORES)
LIVE_CORES = [OLDEST, NEWEST]


def _interpreter(version):
    """The path of a Python ``version`` interpreter: the one running nox, pyenv's, or PATH's."""
    if version == "%d.%d" % sys.version_info[:2]:
        return sys.executable
    try:
        prefix = subprocess.run(["pyenv", "prefix", version], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        prefix = ""
    for candidate in sorted(glob.glob(os.path.join(prefix, "bin", "python%s" % version)) if prefix else []):
        return candidate
    for directory in sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*" % version)), reverse=True):
        candidate = os.path.join(directory, "bin", "python%s" % version)
        if os.path.exists(candidate):
            return candidate
    return shutil.which("python%s" % version) or "python%s" % version


def _matrix(cores):
    """nox parametrization of (python, core), named core='X.Y' like a plain core parameter."""
    return nox.parametrize("python,core", [(_interpreter(CORE_PYTHON[core]), core) for core in cores],
                           ids=["core='%s'" % core for core in cores])


PYTHON = None

nox.options.sessions = ["sanity", "units", "integration", "mutation", "packaging", "docs", "lint"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True


def _collection(session, name):
    dest = os.path.join(ROOT, "build", name)
    path = session.run("python", os.path.join(ROOT, "tests", "tools", "collection_tree.py"), dest,
                       silent=True).strip().splitlines()[-1]
    return dest, path


def _keep_junit(source_dir, prefix):
    os.makedirs(JUNIT, exist_ok=True)
    for report in glob.glob(os.path.join(source_dir, "*.xml")):
        shutil.copyfile(report, os.path.join(JUNIT, "%s-%s" % (prefix, os.path.basename(report))))


@nox.session
@_matrix(SANITY_CORES)
def sanity(session, core):
    """ansible-test sanity in its own virtualenvs (offline pip bootstrap), no ignore files."""
    session.install(CORES[core])
    session.run("python", os.path.join(ROOT, "tests", "tools", "install_get_pip.py"))
    unused_parent, path = _collection(session, "sanity-%s" % core)
    try:
        with session.chdir(path):
            session.run("ansible-test", "sanity", "--venv", "--python", CORE_PYTHON[core], "--color", "no", "--junit")
    finally:
        _keep_junit(os.path.join(path, "tests", "output", "junit"), "sanity-%s" % core)


@nox.session
@_matrix(UNITS_CORES)
def units(session, core):
    """Unit tests of the client, the emulator and the resource logic."""
    session.install(CORES[core], "-r", "requirements.txt", "-r", "tests/requirements.txt")
    parent, path = _collection(session, "units-%s" % core)
    os.makedirs(JUNIT, exist_ok=True)
    with session.chdir(path):
        # The fault matrix writes its table into the repository's docs/ (tests run on a copy of the tree).
        session.run("python", "-m", "pytest", "tests/unit", "-q", "-p", "no:cacheprovider",
                    "--junitxml=%s" % os.path.join(JUNIT, "units-%s.xml" % core),
                    env={"PYTHONPATH": parent, "SMPPOPS_DOCS_DIR": os.path.join(ROOT, "docs")})


@nox.session
@_matrix(INTEGRATION_CORES)
def integration(session, core):
    """ansible-test integration targets through ansible-playbook, against a live emulator process."""
    session.install(CORES[core], "-r", "requirements.txt", "-r", "tests/requirements.txt")
    parent, path = _collection(session, "integration-%s" % core)
    os.makedirs(JUNIT, exist_ok=True)
    with session.chdir(path):
        # The client and both shells against a live emulator process, then the ansible-test targets.
        if core in LIVE_CORES:
            # The 20-round concurrency tests run in full on the newest ansible-core, a few rounds on the oldest.
            rounds = "20" if core == NEWEST else "3"
            session.run("python", "-m", "pytest", "tests/integration/live", "-q", "-p", "no:cacheprovider",
                        "--junitxml=%s" % os.path.join(JUNIT, "live-%s.xml" % core),
                        env={"PYTHONPATH": parent, "SMPPOPS_CONCURRENCY_ROUNDS": rounds})
        if core == NEWEST:
            # The fleet benchmark in small (5 accounts, no added latency): every configuration completes and converges.
            session.run("python", "-m", "pytest", "tests/perf", "-q", "-p", "no:cacheprovider",
                        "--junitxml=%s" % os.path.join(JUNIT, "perf-%s.xml" % core), env={"PYTHONPATH": parent})
        try:
            session.run("python", "tests/tools/run_integration.py", *(session.posargs or []))
        finally:
            _keep_junit(os.path.join(path, "tests", "output", "junit"), "integration-%s" % core)


# The modules whose mistakes move credits, drop allowed IPs, renew passwords or repeat writes: their mutants run in
# every `make test`; `make mutation` runs every file of module_utils and plugin_utils.
@nox.session(python=PYTHON)
def mutation(session):
    """Mutation testing (mutmut): fails on any surviving mutant not listed with a reason in tests/mutation/survivors.yml.

    ``nox -s mutation`` covers the safety-critical modules; ``nox -s mutation -- --scope all`` everything.
    """
    session.install(CORES["2.19"], "-r", "requirements.txt", "-r", "tests/requirements.txt", "mutmut>=3.8,<3.9")
    parent, path = _collection(session, "mutation")
    # mutmut keeps its results beside the tree; each run starts from a fresh copy of the code.
    shutil.rmtree(os.path.join(parent, "mutants"), ignore_errors=True)
    shutil.rmtree(os.path.join(path, ".git"), ignore_errors=True)
    with session.chdir(parent):
        session.run("python", os.path.join(path, "tests", "mutation", "run.py"), "--jobs", "2",
                    "--survivors", os.path.join(ROOT, "tests", "mutation", "survivors.yml"), *session.posargs)


@nox.session(python=PYTHON)
def packaging(session):
    """Build the collection, install the tarball in a fresh path, use it from there (not from the tree)."""
    session.install(CORES["2.19"], "-r", "requirements.txt", "-r", "tests/requirements.txt")
    parent, path = _collection(session, "packaging")
    os.makedirs(JUNIT, exist_ok=True)
    with session.chdir(path):
        session.run("python", "-m", "pytest", "tests/packaging", "-q", "-p", "no:cacheprovider",
                    "--junitxml=%s" % os.path.join(JUNIT, "packaging.xml"), env={"PYTHONPATH": parent})


@nox.session(python=PYTHON)
def demo(session):
    """The README demo: smpp_info through ansible-playbook against the embedded emulator."""
    session.install(CORES["2.19"], "-r", "requirements.txt", "-r", "tests/requirements.txt")
    unused_parent, path = _collection(session, "demo")
    with session.chdir(path):
        session.run("python", "tests/tools/demo.py", *session.posargs)


@nox.session(python=PYTHON)
def perf(session):
    """Benchmarks of tests/perf, reporting ratios measured in one run."""
    session.install(CORES["2.19"], "-r", "requirements.txt", "-r", "tests/requirements.txt")
    unused_parent, path = _collection(session, "perf")
    with session.chdir(path):
        session.run("python", "tests/perf/bench_shells.py", *session.posargs)


@nox.session(python=PYTHON)
def bench(session):
    """Fleet benchmark (tests/perf/bench_fleet.py): its options after --; results in tests/perf/results."""
    _fleet_benchmark(session, "bench_fleet.py")


@nox.session(python=PYTHON)
def bench_growth(session):
    """Growth benchmark (tests/perf/bench_growth.py): bootstrap at N and K×N accounts in one run; options after --."""
    _fleet_benchmark(session, "bench_growth.py")


def _fleet_benchmark(session, script):
    session.install(CORES["2.19"], "-r", "requirements.txt", "-r", "tests/requirements.txt")
    unused_parent, path = _collection(session, session.name)
    with session.chdir(path):
        session.run("python", "tests/perf/" + script, "--results", os.path.join(ROOT, "tests", "perf", "results"),
                    *session.posargs)


@nox.session(python=PYTHON)
def docs(session):
    """The docs site (antsibull-docs + Sphinx, warnings are errors) into docs/build/html, then its checks."""
    session.install("-r", "docs/requirements.txt", "pytest")
    parent, path = _collection(session, "docs")
    html = os.path.join(ROOT, "docs", "build", "html")
    os.makedirs(JUNIT, exist_ok=True)
    with session.chdir(path):
        session.run("python", "tests/tools/build_docs.py", parent, html)
        session.run("python", "-m", "pytest", "tests/docs", "-q", "-p", "no:cacheprovider",
                    "--junitxml=%s" % os.path.join(JUNIT, "docs.xml"), env={"DOCS_HTML": html})


@nox.session(python=PYTHON)
def lint(session):
    """antsibull-docs and antsibull-changelog lint, and ansible-lint (production profile) on roles and playbooks."""
    session.install("-r", "docs/requirements.txt")
    parent, path = _collection(session, "lint")
    with session.chdir(path):
        session.run("antsibull-docs", "lint-collection-docs", "--plugin-docs", ".", env={"ANSIBLE_COLLECTIONS_PATH": parent})
        session.run("antsibull-changelog", "lint")
        session.run("ansible-lint", "--profile", "production", "roles", "playbooks", env={"ANSIBLE_COLLECTIONS_PATH": parent})


@nox.session(python=PYTHON)
def changelog(session):
    """Release notes: CHANGELOG.md and CHANGELOG.rst for the version in galaxy.yml (fragments are consumed)."""
    session.install(CORES["2.19"], "antsibull-changelog>=0.29")
    session.run("antsibull-changelog", "release", "--reload-plugins")
