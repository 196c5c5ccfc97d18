#!/usr/bin/env python
"""Fleet benchmark: the bootstrap of N SMPP accounts against the emulator with L seconds per request.

One invocation runs, interleaved and repeated, the no-op pass (nothing to change) and the converge pass
(one allowed address, one sender and one top-up to apply per account) of:

* ``bootstrap`` (playbooks/bootstrap.yml, smppops.ovh.smpp_accounts inventory, forks F);
* the same through the module path: a copy of the collection without plugins/action, so Ansible runs
  the modules as AnsiballZ processes;
* a python-ovh script doing the same job (fleet_script.py), serial and with F threads.

It prints, and writes as JSON and Markdown under tests/perf/results/, the wall and CPU time of each,
the requests per account by route (from the emulator's request log), the ratios within the run and the
floor. Ratios, not absolute times: the machines are shared. See docs/performance.md.

    make bench                                   # N=100, L=100 ms, F=20, 3 repeats
    make bench BENCH_ARGS="--accounts 20 --repeats 1"
"""

import argparse
import contextlib
import json
import os
import platform
import sys
import tempfile
from datetime import datetime, timezone
from importlib.metadata import version

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tools"))
# pylint: disable=wrong-import-position
import fleet_report  # noqa: E402
import fleet_runs  # noqa: E402
import fleet_world  # noqa: E402
from emulator_process import EmulatorProcess  # noqa: E402

DEFAULT_RESULTS = os.path.join(HERE, "results")


def say_now(text):
    print(text, flush=True)


def run_benchmark(accounts=100, latency=0.1, forks=20, repeats=3, results_dir=DEFAULT_RESULTS, only=None, say=say_now):
    """Run every configuration ``repeats`` times, interleaved; return (summary lines, JSON path, Markdown path)."""
    settings = {"accounts": accounts, "latency_seconds": latency, "forks": forks, "repeats": repeats}
    configurations = [item for item in fleet_runs.configurations(forks) if not only or item.key in only]
    configurations += [item for item in fleet_runs.knob_configurations() if only and item.key in only]
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = "fleet-N%d-L%g-F%d-%s" % (accounts, latency * 1000, forks, stamp)
    logs = os.path.join(results_dir, name + "-logs")
    os.makedirs(logs)
    records = []
    total = repeats * len(configurations) * len(fleet_runs.PASSES)
    with emulated_fleet(accounts, latency) as (workspace, control):
        for repeat in range(repeats):
            for configuration in configurations:
                for pass_name in fleet_runs.PASSES:
                    log_path = os.path.join(logs, "%d-%s-%s.log" % (repeat + 1, configuration.key, pass_name))
                    record = fleet_runs.measure(configuration, pass_name, accounts, forks, workspace, control, log_path)
                    record["repeat"] = repeat + 1
                    records.append(record)
                    say("[%d/%d] %s, %s: wall %.2f s, CPU %.2f s, %.1f requests/account%s" % (
                        len(records), total, configuration.label, pass_name, record["wall_seconds"],
                        record["cpu_seconds"], record["requests"] / float(accounts), problems_text(record)))
    summary = fleet_report.summarise(records, settings, configurations)
    environment = run_environment()
    json_path, markdown_path = write_results(
        results_dir, name, {"settings": settings, "environment": environment, "summary": summary, "runs": records},
        fleet_report.markdown(summary, settings, environment), say)
    return summary, json_path, markdown_path


@contextlib.contextmanager
def emulated_fleet(accounts, latency):
    """``(workspace, control)``: the emulator seeded with ``accounts`` accounts, and the files every run shares.

    Each measured pass reseeds the emulator with its own world (fleet_runs.measure).
    """
    with tempfile.TemporaryDirectory(prefix="smppops-fleet-") as directory:
        seed_path = os.path.join(directory, "seed.yml")
        with open(seed_path, "w", encoding="utf-8") as handle:
            yaml.safe_dump(fleet_world.seed(accounts, latency, converge=False), handle)
        with EmulatorProcess(seed=seed_path) as emulator:
            yield fleet_runs.Workspace(directory, emulator, latency), fleet_runs.Control(emulator.root_url)


def problems_text(record):
    return "" if not record["problems"] else "; PROBLEMS: %s" % "; ".join(record["problems"][:5])


def write_results(results_dir, name, document, text, say):
    """Write ``document`` as ``<name>.json`` and ``text`` as ``<name>.md`` in ``results_dir``; print the text."""
    json_path = os.path.join(results_dir, name + ".json")
    with open(json_path, "w", encoding="utf-8") as handle:
        json.dump(document, handle, indent=1)
    markdown_path = os.path.join(results_dir, name + ".md")
    with open(markdown_path, "w", encoding="utf-8") as handle:
        handle.write(text)
    say("\n" + text)
    say("Written: %s and %s" % (markdown_path, json_path))
    return json_path, markdown_path


def run_environment():
    """Where and with what the figures were measured (dates, CPUs, versions): part of every result."""
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "ansible_core": version("ansible-core"),
        "ovh": version("ovh"),
    }


def add_run_arguments(parser):
    """The options every fleet benchmark shares: latency, forks, repeats and where the results go."""
    parser.add_argument("--latency-ms", type=float, default=100, help="L, added to every API request (default 100)")
    parser.add_argument("--forks", type=int, default=20, help="F, Ansible forks and script threads (default 20)")
    parser.add_argument("--repeats", type=int, default=3, help="interleaved repeats (default 3)")
    parser.add_argument("--results", default=DEFAULT_RESULTS, help="where the JSON and Markdown go")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--accounts", type=int, default=100, help="N, SMPP accounts in the fleet (default 100)")
    add_run_arguments(parser)
    parser.add_argument("--only", action="append",
                        choices=[item.key for item in fleet_runs.configurations(20) + fleet_runs.knob_configurations()],
                        help="run only this configuration (repeatable); bootstrap_free and bootstrap_poll_10ms, "
                             "bootstrap with one ansible-core setting changed, run only when named")
    args = parser.parse_args(argv)
    if args.accounts < 1 or args.forks < 1 or args.repeats < 1 or args.latency_ms < 0:
        parser.error("--accounts, --forks and --repeats must be 1 or more, --latency-ms 0 or more")
    summary, unused_json, unused_markdown = run_benchmark(args.accounts, args.latency_ms / 1000.0, args.forks,
                                                          args.repeats, args.results, args.only)
    return 1 if any(line["problems"] for line in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
