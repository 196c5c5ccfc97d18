"""How the fleet benchmark runs each configuration and what it measures of one run.

Every run is a separate process (ansible-playbook or the python-ovh script) against the same emulator
process, reset to the pass's seed first: its wall time, the CPU time of the process and its children
(forked workers, AnsiballZ module processes), the emulator's request log by route, and whether the
world ended in the desired state.
"""

import os
import re
import resource
import shutil
import subprocess
import sys
import time
from collections import Counter

import requests
import yaml

import fleet_world

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = fleet_world.ROOT
NO_OP, CONVERGE = "no-op", "converge"
PASSES = (NO_OP, CONVERGE)
# What a copy of the collection for the module path keeps: enough for the playbooks, the role, the
# inventory and filter plugins, and the modules, which then run as AnsiballZ processes.
COLLECTION_PARTS = ("galaxy.yml", "meta", "playbooks", "plugins", "roles")
INVENTORY_FILE = "fleet.smpp_accounts.yml"


class Configuration:
    """One way of doing the job: the bootstrap playbook (action plugins or module path) or the script."""

    def __init__(self, key, label, short, kind, threads=1, settings=None):
        self.key = key
        self.label = label
        self.short = short
        self.kind = kind
        self.threads = threads
        self.settings = settings or {}  # ansible-core settings (environment variables) of a knob's variant

    def command(self, workspace, forks):
        if self.kind == "script":
            return [sys.executable, os.path.join(HERE, "fleet_script.py"), "--threads", str(self.threads)]
        return [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), "-i", workspace.inventory,
                "smppops.ovh.bootstrap", "--forks", str(forks)]

    def environment(self, workspace):
        if self.kind == "script":
            return dict(workspace.environment, PYTHONPATH=HERE)
        if self.kind == "module":
            return dict(workspace.environment, ANSIBLE_COLLECTIONS_PATH=workspace.module_collections)
        return dict(workspace.environment, **self.settings)


def configurations(forks):
    """The four configurations every run compares."""
    return [
        Configuration("bootstrap", "`bootstrap`", "bootstrap", "playbook"),
        Configuration("module_path", "`bootstrap`, module path (no action plugins)", "module path", "module"),
        Configuration("serial_script", "python-ovh script, serial", "serial script", "script"),
        Configuration("threaded_script", "python-ovh script, %d threads" % forks, "%d-thread script" % forks, "script",
                      threads=forks),
    ]


def knob_configurations():
    """``bootstrap`` with one ansible-core setting changed (docs/performance.md, Knobs); run only when named."""
    return [
        Configuration("bootstrap_free", "`bootstrap`, strategy free", "strategy free", "playbook",
                      settings={"ANSIBLE_STRATEGY": "free"}),
        Configuration("bootstrap_poll_10ms", "`bootstrap`, internal poll interval 10 ms", "poll 10 ms", "playbook",
                      settings={"ANSIBLE_INTERNAL_POLL_INTERVAL": "0.01"}),
    ]


def collections_path():
    """The directory holding ansible_collections/smppops/ovh: the tree this benchmark belongs to."""
    parts = ROOT.split(os.sep)
    if parts[-3:-1] != ["ansible_collections", "smppops"]:
        raise SystemExit("run the benchmark from a tree at .../ansible_collections/smppops/ovh (make bench does)")
    return os.sep.join(parts[:-3])


class Workspace:
    """The files every run shares: the inventory with the desired state, and the module-path collection."""

    def __init__(self, directory, emulator, latency):
        self.directory = directory
        self.latency = latency
        self.inventory = os.path.join(directory, "inventory")
        os.makedirs(os.path.join(self.inventory, "group_vars"))
        with open(os.path.join(self.inventory, INVENTORY_FILE), "w", encoding="utf-8") as handle:
            handle.write("---\nplugin: smppops.ovh.smpp_accounts\n")
        with open(os.path.join(self.inventory, "group_vars", "smpp_accounts.yml"), "w", encoding="utf-8") as handle:
            yaml.safe_dump(fleet_world.group_vars(), handle, explicit_start=True, sort_keys=False)
        self.module_collections = os.path.join(directory, "module_path")
        _copy_without_action_plugins(os.path.join(self.module_collections, "ansible_collections", "smppops", "ovh"))
        self.environment = dict(
            os.environ, ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED="0",
            **emulator.environment())
        self.environment.pop("PYTHONPATH", None)


def _copy_without_action_plugins(target):
    for part in COLLECTION_PARTS:
        source = os.path.join(ROOT, part)
        if os.path.isdir(source):
            shutil.copytree(source, os.path.join(target, part),
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            os.makedirs(target, exist_ok=True)
            shutil.copy2(source, os.path.join(target, part))
    shutil.rmtree(os.path.join(target, "plugins", "action"))


class Control:
    """The emulator's control API."""

    def __init__(self, root_url):
        self.root = root_url + "/_emulator"

    def call(self, method, path, **kwargs):
        answer = requests.request(method, self.root + path, timeout=60, **kwargs)
        answer.raise_for_status()
        return answer.json()

    def reset(self, seed):
        self.call("POST", "/reset", json=seed)

    def requests(self):
        return self.call("GET", "/log")["requests"]

    def views(self, names):
        return {name: self.call("GET", "/accounts/%s" % name) for name in names}


ROUTE_PATTERNS = (
    (re.compile(r"^/(1\.0|v1)"), ""),
    (re.compile(r"^/sms/[^/]+"), "/sms/{sn}"),
    (re.compile(r"/senders/[^/]+"), "/senders/{sender}"),
    (re.compile(r"/(outgoing|incoming)/[^/]+$"), r"/\1/{id}"),
    (re.compile(r"^/v2/iam/resource/[^/]+"), "/v2/iam/resource/{urn}"),
    (re.compile(r"/tag/[^/]+$"), "/tag/{key}"),
)


def route(method, path):
    """``GET /sms/{sn}/senders/{sender}`` for ``GET /1.0/sms/smpp-x-1/senders/ACME``: requests counted by route."""
    for pattern, replacement in ROUTE_PATTERNS:
        path = pattern.sub(replacement, path)
    return "%s %s" % (method, path)


def measure(configuration, pass_name, count, forks, workspace, control, log_path):
    """Run one configuration once, from the pass's seed; the record of what it cost and how it ended.

    The output of the run goes to ``log_path``.
    """
    seed = fleet_world.seed(count, workspace.latency, pass_name == CONVERGE)
    control.reset(seed)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        # The inventory reads F accounts' routes at once, as the script's F threads do.
        environment = dict(configuration.environment(workspace), OVH_MAX_CONCURRENT_REQUESTS=str(forks))
        status = subprocess.call(configuration.command(workspace, forks), env=environment,
                                 cwd=workspace.directory, stdout=log, stderr=subprocess.STDOUT)
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log_requests = control.requests()
    views = control.views([item["service_name"] for item in seed["accounts"]])
    routes = Counter(route(item["method"], item["path"]) for item in log_requests)
    problems = fleet_world.world_problems(seed, views)
    writes = sum(number for name, number in routes.items() if not name.startswith("GET "))
    if pass_name == NO_OP and writes:
        problems.append("%d writes although nothing was to change" % writes)
    if status:
        problems.insert(0, "exit status %d (output: %s)" % (status, log_path))
    return {
        "configuration": configuration.key,
        "pass": pass_name,
        "exit_status": status,
        "wall_seconds": wall,
        "cpu_seconds": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "requests": len(log_requests),
        "writes": writes,
        "routes": dict(sorted(routes.items())),
        "failed_requests": dict(sorted(Counter(
            "%s %s" % (item["status"], route(item["method"], item["path"])) for item in log_requests
            if item["status"] is None or item["status"] >= 400).items())),
        "problems": problems,
    }
