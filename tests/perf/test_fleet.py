"""The fleet benchmark in small (N=5 accounts, no added latency, one repeat), as part of the test suite.

It checks that every configuration completes and does its job: the converge pass ends with the desired
state, the no-op pass writes nothing. It asserts nothing about time: `make bench` measures that.
"""

import pytest

import bench_fleet
import bench_growth
import fleet_runs
import fleet_world
from tests.emulator import State

SMALL = 5


def _views(seed):
    world = State(seed)
    return {name: world.internal_view(account) for name, account in world.accounts.items()}


def test_the_no_op_seed_is_already_as_desired():
    seed = fleet_world.seed(SMALL, 0, converge=False)
    assert fleet_world.world_problems(seed, _views(seed)) == []


def test_the_converge_seed_leaves_one_change_of_each_kind_on_every_account():
    seed = fleet_world.seed(SMALL, 0, converge=True)
    problems = fleet_world.world_problems(seed, _views(seed))
    for name in fleet_world.account_names(SMALL):
        assert sorted(item.split(": ", 1)[1].split(" ")[0] for item in problems if item.startswith(name + ":")) == [
            str(fleet_world.CONVERGE_CREDITS), "allowed", "sender"], problems
    assert fleet_world.POOL + ": gave 0 credits, the shortfalls were %d" % (SMALL * 60) in problems


def test_a_renewal_a_lost_credit_and_a_lease_left_behind_are_problems():
    seed = fleet_world.seed(2, 0, converge=False)
    views = _views(seed)
    first, second = fleet_world.account_names(2)
    views[first]["password_renewals"] = 1
    views[second]["tags"]["smppops-credit-lease"] = "owner/0"
    views[fleet_world.POOL]["credits_left"] -= 10
    assert fleet_world.world_problems(seed, views) == [
        "%s: password renewed although not due" % first,
        "%s: records left behind: smppops-credit-lease" % second,
        "%s: gave 10 credits, the shortfalls were 0" % fleet_world.POOL,
    ]


@pytest.mark.parametrize("method,path,expected", [
    ("GET", "/1.0/sms", "GET /sms"),
    ("GET", "/1.0/sms/smpp-fl00001-1", "GET /sms/{sn}"),
    ("GET", "/1.0/sms/smpp-fl00001-1/senders/ACME%7CACMEALERT", "GET /sms/{sn}/senders/{sender}"),
    ("PUT", "/v1/sms/smpp-fl00001-1/smpp/allowedIPs", "PUT /sms/{sn}/smpp/allowedIPs"),
    ("DELETE", "/v2/iam/resource/urn%3Av1%3Aeu%3Aresource%3Asms%3Asmpp-fl00001-1/tag/smppops-credit-lease",
     "DELETE /v2/iam/resource/{urn}/tag/{key}"),
    ("GET", "/1.0/auth/time", "GET /auth/time"),
])
def test_requests_are_counted_by_route(method, path, expected):
    assert fleet_runs.route(method, path) == expected


def test_every_configuration_completes_and_converges(tmp_path):
    summary, json_path, markdown_path = bench_fleet.run_benchmark(
        accounts=SMALL, latency=0, forks=20, repeats=1, results_dir=str(tmp_path))
    assert [(line["configuration"], line["pass"]) for line in summary] == [
        (configuration.key, pass_name) for configuration in fleet_runs.configurations(20)
        for pass_name in fleet_runs.PASSES]
    for line in summary:
        assert line["problems"] == [], "%s, %s: %s" % (line["label"], line["pass"], line["problems"])
        if line["pass"] == fleet_runs.CONVERGE:
            for name, number in fleet_world.CONVERGE_WRITES.items():
                assert line["routes_per_account"].get(name, 0) >= number, (line["label"], line["routes_per_account"])
    scripts = [line for line in summary if line["configuration"].endswith("_script") and line["pass"] == "converge"]
    for line in scripts:
        assert {name: number for name, number in line["routes_per_account"].items() if not name.startswith("GET ")} == \
            fleet_world.CONVERGE_WRITES, "the script writes exactly what the seed leaves to do"
    with open(markdown_path, encoding="utf-8") as handle:
        assert "| `bootstrap` | no-op |" in handle.read()
    assert json_path.endswith(".json")


def test_the_growth_benchmark_runs_both_sizes_and_reports_their_ratio(tmp_path):
    lines, json_path, markdown_path = bench_growth.run_growth(accounts=2, factor=2, latency=0, forks=4, repeats=1,
                                                              results_dir=str(tmp_path), say=lambda text: None)
    assert [line["pass"] for line in lines] == list(fleet_runs.PASSES)
    for line in lines:
        assert line["problems"] == [], line
        assert sorted(line["sizes"]) == [2, 4] and line["accounts_growth"] == 2.0
        assert line["wall_growth"] == line["sizes"][4]["wall_seconds"] / line["sizes"][2]["wall_seconds"]
        assert line["cpu_growth"] == line["sizes"][4]["cpu_seconds"] / line["sizes"][2]["cpu_seconds"]
        assert line["sizes"][2]["requests_per_account"] > 0 and line["sizes"][4]["requests_per_account"] > 0
    with open(markdown_path, encoding="utf-8") as handle:
        text = handle.read()
    assert "| no-op |" in text and "| converge |" in text and "N=2 and N=4" in text
    assert json_path.endswith(".json")


def test_a_knob_variant_changes_only_its_setting_and_runs_only_when_named():
    workspace = type("Workspace", (), {"environment": {"ANSIBLE_NOCOLOR": "1"}})()
    free, poll = fleet_runs.knob_configurations()
    assert free.environment(workspace) == {"ANSIBLE_NOCOLOR": "1", "ANSIBLE_STRATEGY": "free"}
    assert poll.environment(workspace) == {"ANSIBLE_NOCOLOR": "1", "ANSIBLE_INTERNAL_POLL_INTERVAL": "0.01"}
    assert fleet_runs.configurations(20)[0].environment(workspace) == workspace.environment
    assert not {item.key for item in fleet_runs.knob_configurations()} & {item.key for item in fleet_runs.configurations(20)}
