#!/usr/bin/env python
"""Growth benchmark: ``bootstrap`` at N and at K×N accounts, interleaved in one run, and how its cost grows.

Two separate runs of bench_fleet.py at N=100 and N=400 compare figures taken minutes apart on a shared
machine, whose speed drifts by more than the difference between linear and not (measured: the same
N=400 no-op took 31.7 s in one run and 37.8 s in the next). This script runs the two sizes one after the
other against one emulator, repeated, so that the growth ratio, like every other ratio we report, comes
from one run. Each pass is measured as bench_fleet.py measures it (fleet_runs.measure); the emulator is
reseeded with the pass's size before each.

    make bench-growth                                   # N=100 and 400, L=100 ms, F=20, 3 repeats
    make bench-growth BENCH_ARGS="--accounts 20 --factor 2 --repeats 1"
"""

import argparse
import os
import statistics
import sys
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
# pylint: disable=wrong-import-position
import bench_fleet  # noqa: E402
import fleet_runs  # noqa: E402


def run_growth(accounts=100, factor=4, latency=0.1, forks=20, repeats=3, results_dir=bench_fleet.DEFAULT_RESULTS,
               say=bench_fleet.say_now):
    """``bootstrap``'s two passes at ``accounts`` and ``factor`` × ``accounts``, interleaved; (lines, JSON, Markdown)."""
    sizes = (accounts, accounts * factor)
    bootstrap = fleet_runs.configurations(forks)[0]
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    name = "growth-N%d-x%d-L%g-F%d-%s" % (accounts, factor, latency * 1000, forks, stamp)
    logs = os.path.join(results_dir, name + "-logs")
    os.makedirs(logs)
    records = []
    total = repeats * len(sizes) * len(fleet_runs.PASSES)
    with bench_fleet.emulated_fleet(sizes[-1], latency) as (workspace, control):
        for repeat in range(repeats):
            for size in sizes:
                for pass_name in fleet_runs.PASSES:
                    log_path = os.path.join(logs, "%d-N%d-%s.log" % (repeat + 1, size, pass_name))
                    record = fleet_runs.measure(bootstrap, pass_name, size, forks, workspace, control, log_path)
                    record.update(repeat=repeat + 1, accounts=size)
                    records.append(record)
                    say("[%d/%d] N=%d, %s: wall %.2f s, CPU %.2f s, %.1f requests/account%s" % (
                        len(records), total, size, pass_name, record["wall_seconds"], record["cpu_seconds"],
                        record["requests"] / float(size), bench_fleet.problems_text(record)))
    lines = summarise(records, sizes)
    settings = {"accounts": list(sizes), "latency_seconds": latency, "forks": forks, "repeats": repeats}
    environment = bench_fleet.run_environment()
    json_path, markdown_path = bench_fleet.write_results(
        results_dir, name, {"settings": settings, "environment": environment, "summary": lines, "runs": records},
        markdown(lines, settings, environment), say)
    return lines, json_path, markdown_path


def summarise(records, sizes):
    """Per pass: the median wall and CPU at each size, their growth, and the requests per account at each size."""
    small, large = sizes
    lines = []
    for pass_name in fleet_runs.PASSES:
        figures = {}
        for size in sizes:
            runs = [item for item in records if item["pass"] == pass_name and item["accounts"] == size]
            figures[size] = {
                "wall_seconds": statistics.median(item["wall_seconds"] for item in runs),
                "cpu_seconds": statistics.median(item["cpu_seconds"] for item in runs),
                "wall_each": [round(item["wall_seconds"], 2) for item in runs],
                "cpu_each": [round(item["cpu_seconds"], 2) for item in runs],
                "requests_per_account": statistics.median(item["requests"] for item in runs) / float(size),
            }
        lines.append({
            "pass": pass_name, "sizes": figures,
            "wall_growth": figures[large]["wall_seconds"] / figures[small]["wall_seconds"],
            "cpu_growth": figures[large]["cpu_seconds"] / figures[small]["cpu_seconds"],
            "accounts_growth": large / float(small),
            "problems": sorted({problem for item in records if item["pass"] == pass_name for problem in item["problems"]}),
        })
    return lines


def markdown(lines, settings, environment):
    small, large = settings["accounts"]
    text = ["# Growth benchmark: `bootstrap` at N=%d and N=%d, L=%g ms, F=%d, %d repeat(s), interleaved" % (
        small, large, settings["latency_seconds"] * 1000, settings["forks"], settings["repeats"]), "",
        "Measured %s on %s CPU(s), Python %s, ansible-core %s, python-ovh %s. Medians over the repeats; CPU counts "
        "the process and its children. Linear growth is %g×." % (
            environment["date"], environment["cpus"], environment["python"], environment["ansible_core"],
            environment["ovh"], large / float(small)), "",
        "| pass | N=%d wall / CPU s | N=%d wall / CPU s | growth wall / CPU | requests / account | wall s of each repeat "
        "(N=%d; N=%d) | ended as desired |" % (small, large, small, large),
        "|---|---|---|---|---|---|---|"]
    for line in lines:
        sizes = line["sizes"]
        text.append("| %s | %.2f / %.2f | %.2f / %.2f | %.2f× / %.2f× | %.1f / %.1f | %s; %s | %s |" % (
            line["pass"], sizes[small]["wall_seconds"], sizes[small]["cpu_seconds"], sizes[large]["wall_seconds"],
            sizes[large]["cpu_seconds"], line["wall_growth"], line["cpu_growth"], sizes[small]["requests_per_account"],
            sizes[large]["requests_per_account"], ", ".join("%.2f" % item for item in sizes[small]["wall_each"]),
            ", ".join("%.2f" % item for item in sizes[large]["wall_each"]),
            "yes" if not line["problems"] else "NO: " + "; ".join(line["problems"][:5])))
    return "\n".join(text) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--accounts", type=int, default=100, help="N, the smaller fleet (default 100)")
    parser.add_argument("--factor", type=int, default=4, help="K, the larger fleet is K×N accounts (default 4)")
    bench_fleet.add_run_arguments(parser)
    args = parser.parse_args(argv)
    if args.accounts < 1 or args.factor < 2 or args.forks < 1 or args.repeats < 1 or args.latency_ms < 0:
        parser.error("--accounts, --forks and --repeats must be 1 or more, --factor 2 or more, --latency-ms 0 or more")
    lines, unused_json, unused_markdown = run_growth(args.accounts, args.factor, args.latency_ms / 1000.0, args.forks,
                                                     args.repeats, args.results)
    return 1 if any(line["problems"] for line in lines) else 0


if __name__ == "__main__":
    sys.exit(main())
