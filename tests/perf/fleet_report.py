"""The fleet benchmark's figures: medians over the repeats, ratios within the run, the floor, and the
Markdown table (the JSON keeps every run)."""

import statistics
from collections import defaultdict

import fleet_world
from fleet_runs import CONVERGE, PASSES


def floors(settings):
    """The least wall time each pass can take: its requests per account, ``forks`` accounts at a time.

    No-op: the reads alone. Converge: the reads plus the writes the seed leaves to do; and since transfers
    from one pool go one at a time, never less than one transfer request per account in a row.
    """
    count, latency, forks = settings["accounts"], settings["latency_seconds"], settings["forks"]
    reads = fleet_world.READS_PER_ACCOUNT * count * latency / forks
    writes = sum(fleet_world.CONVERGE_WRITES.values())
    converge = max((fleet_world.READS_PER_ACCOUNT + writes) * count * latency / forks, count * latency)
    return {"no-op": reads, CONVERGE: converge}


def summarise(records, settings, configurations):
    """One line per configuration and pass, in the order of ``configurations`` and PASSES."""
    count = settings["accounts"]
    grouped = defaultdict(list)
    for record in records:
        grouped[(record["configuration"], record["pass"])].append(record)
    floor = floors(settings)
    lines = []
    for configuration in configurations:
        for pass_name in PASSES:
            runs = grouped.get((configuration.key, pass_name))
            if not runs:
                continue
            routes = defaultdict(float)
            for run in runs:
                for name, number in run["routes"].items():
                    routes[name] += number / float(count * len(runs))
            lines.append({
                "configuration": configuration.key, "label": configuration.label, "short": configuration.short,
                "pass": pass_name, "runs": len(runs),
                "wall_seconds": statistics.median(run["wall_seconds"] for run in runs),
                "wall_each": [round(run["wall_seconds"], 2) for run in runs],
                "cpu_seconds": statistics.median(run["cpu_seconds"] for run in runs),
                "requests_per_account": statistics.median(run["requests"] for run in runs) / count,
                "writes_per_account": statistics.median(run["writes"] for run in runs) / count,
                "routes_per_account": dict(sorted(routes.items())),
                "floor_seconds": floor[pass_name],
                "problems": sorted({problem for run in runs for problem in run["problems"]}),
            })
    _add_ratios(lines)
    return lines


def _add_ratios(lines):
    by_key = {(line["configuration"], line["pass"]): line for line in lines}
    for line in lines:
        serial = by_key.get(("serial_script", line["pass"]))
        module = by_key.get(("module_path", line["pass"]))
        line["wall_vs_serial_script"] = _ratio(line["wall_seconds"], serial and serial["wall_seconds"])
        line["wall_vs_floor"] = _ratio(line["wall_seconds"], line["floor_seconds"])
        line["cpu_vs_module_path"] = _ratio(line["cpu_seconds"], module and module["cpu_seconds"])


def _ratio(value, reference):
    return round(value / reference, 3) if reference else None


def markdown(summary, settings, environment):
    out = ["# Fleet benchmark: N=%(accounts)d accounts, L=%(latency_ms)g ms per request, forks F=%(forks)d, "
           "%(repeats)d repeat(s), interleaved" % dict(settings, latency_ms=settings["latency_seconds"] * 1000), ""]
    out.append("Measured %(date)s on %(cpus)s CPU(s), Python %(python)s, ansible-core %(ansible_core)s, python-ovh "
               "%(ovh)s. Wall and CPU are medians over the repeats; CPU counts the process and its children. Ratios "
               "are within this run." % environment)
    out += ["", "| run | pass | wall s | CPU s | requests / account | writes / account | wall ÷ serial script | "
                "wall ÷ floor | CPU ÷ module path | ended as desired | wall s of each repeat |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for line in summary:
        out.append("| %s | %s | %.2f | %.2f | %.1f | %.1f | %s | %s | %s | %s | %s |" % (
            line["label"], line["pass"], line["wall_seconds"], line["cpu_seconds"], line["requests_per_account"],
            line["writes_per_account"], _show(line["wall_vs_serial_script"]), _show(line["wall_vs_floor"]),
            _show(line["cpu_vs_module_path"]), "yes" if not line["problems"] else "**no**",
            ", ".join("%.2f" % wall for wall in line["wall_each"])))
    floor = {line["pass"]: line["floor_seconds"] for line in summary}
    out += ["", "Floor: no-op %.2f s (%d reads per account × N × L / F); converge %.2f s (reads and the %d writes "
                "needed per account × N × L / F, and never less than N × L: transfers from one pool go one at a time)."
            % (floor.get("no-op", 0), fleet_world.READS_PER_ACCOUNT, floor.get(CONVERGE, 0),
               sum(fleet_world.CONVERGE_WRITES.values())), ""]
    out += _routes_table(summary)
    problems = [(line, problem) for line in summary for problem in line["problems"]]
    if problems:
        out += ["", "## Problems", ""] + ["- %s, %s: %s" % (line["label"], line["pass"], problem)
                                          for line, problem in problems]
    out.append("")
    return "\n".join(out)


def _routes_table(summary):
    routes = sorted({name for line in summary for name in line["routes_per_account"]}, key=_route_order)
    out = ["## Requests per account by route", "",
           "| route | %s |" % " | ".join("%s, %s" % (line["short"], line["pass"]) for line in summary),
           "|---|%s" % ("---|" * len(summary))]
    for name in routes:
        out.append("| `%s` | %s |" % (name, " | ".join(
            "%.2f" % line["routes_per_account"][name] if name in line["routes_per_account"] else ""
            for line in summary)))
    return out


def _route_order(name):
    method, path = name.split(" ", 1)
    return (method != "GET", path, method)


def _show(ratio):
    return "" if ratio is None else "%.2f×" % ratio
