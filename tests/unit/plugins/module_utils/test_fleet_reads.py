"""Reads of many accounts: the request gate (cap, pause after 429) and smpp_info's concurrent reads."""

import re

from ansible_collections.smppops.ovh.plugins.module_utils import _fleet_reads as fleet
from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_info
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._retry import BACKOFF_BASE, MAX_RETRY_AFTER

from ovh_fakes import FakeClock, FakeOvhClient, FakeResponse
from test_smpp_info import PARAMS, SETTINGS, run_with_client, smpp_script

READ_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


class Sent:
    """What a gated client sends, with the fake clock's time of each request."""

    def __init__(self, clock, answers):
        self.clock = clock
        self.answers = list(answers)
        self.times = []

    def raw_call(self, method, path, data=None, headers=None):
        del method, path, data, headers
        self.times.append(self.clock.now)
        return self.answers.pop(0)


def gate_with_clock():
    clock = FakeClock()
    return fleet.RequestGate(3, monotonic=clock.monotonic, sleep=clock.sleep), clock


def test_a_429_holds_back_every_client_until_its_retry_after():
    gate, clock = gate_with_clock()
    limited = gate.gate(Sent(clock, [FakeResponse(429, {"message": "slow down"}, headers={"Retry-After": "7"})]))
    other = gate.gate(Sent(clock, [FakeResponse(200, [])]))
    start = clock.now
    assert limited.raw_call("GET", "/sms/a").status_code == 429
    other.raw_call("GET", "/sms/b")
    assert other.times == [start + 7], "the other client waited for the Retry-After before sending"
    assert clock.sleeps == [7]


def test_a_429_without_retry_after_pauses_one_backoff_step_and_a_long_one_is_capped():
    gate, clock = gate_with_clock()
    client = gate.gate(Sent(clock, [FakeResponse(429, {}), FakeResponse(429, {}, headers={"Retry-After": "9999"}),
                                    FakeResponse(200, [])]))
    client.raw_call("GET", "/sms")
    client.raw_call("GET", "/sms")
    client.raw_call("GET", "/sms")
    assert clock.sleeps == [BACKOFF_BASE, MAX_RETRY_AFTER]


def test_other_answers_never_pause():
    gate, clock = gate_with_clock()
    client = gate.gate(Sent(clock, [FakeResponse(503, {}, headers={"Retry-After": "5"}), FakeResponse(200, [])]))
    client.raw_call("GET", "/sms")
    client.raw_call("GET", "/sms")
    assert clock.sleeps == [], "a 503 is the retry policy's business, not a rate limit for everyone"


def test_a_client_is_gated_once_whoever_gates_it_again():
    gate, clock = gate_with_clock()
    client = Sent(clock, [FakeResponse(200, [])])
    gate.gate(client)
    gated = client.raw_call
    gate.gate(client)
    assert client.raw_call is gated


def fleet_script(names):
    script = {("GET", "/sms"): [FakeResponse(200, list(reversed(names)) + ["sms-plain-1"])],
              ("GET", "/sms/sms-plain-1"): [FakeResponse(200, {"name": "sms-plain-1", "smpp": False})]}
    for name in names:
        script.update(smpp_script(name))
    return script


def test_smpp_info_reads_every_account_with_its_read_at_sorted_and_reports_every_call():
    names = ["smpp-%02d" % index for index in range(1, 8)]
    failed, result, client = run_with_client(fleet_script(names), max_concurrent_requests=3)
    assert not failed, result
    assert [item["service_name"] for item in result["smpp_accounts"]] == names
    for item in result["smpp_accounts"]:
        assert READ_AT.match(item["read_at"]), item["read_at"]
    # GET /sms, the plain account, and 4 reads per SMPP account without senders: each reported once.
    assert len(result["api_calls"]) == len(client.requests) == 2 + 4 * len(names)


def test_one_named_account_has_its_read_at_too():
    failed, result, unused = run_with_client(smpp_script("smpp-1"), service_name="smpp-1")
    assert not failed and READ_AT.match(result["smpp_accounts"][0]["read_at"])


def test_an_unreadable_account_fails_the_read_naming_it():
    names = ["smpp-%02d" % index for index in range(1, 5)]
    script = fleet_script(names)
    script[("GET", "/sms/smpp-03/smpp/settings")] = [FakeResponse(403, {"message": "nope"})]
    failed, result, unused = run_with_client(script, max_concurrent_requests=2)
    assert failed
    # The route names the account; the others' reads are left out of the message.
    assert result["msg"].startswith("GET /sms/smpp-03/smpp/settings failed: HTTP 403")
    assert "OVH query ID EU.ext-1.test.403" in result["msg"]


def test_read_fleet_keeps_the_readable_accounts_when_told_to_skip():
    names = ["smpp-%02d" % index for index in range(1, 5)]
    script = fleet_script(names)
    script[("GET", "/sms/smpp-02/smpp/allowedIPs")] = [FakeResponse(500, {"message": "boom"})]
    client = FakeOvhClient(script)
    found, skipped = fleet.read_fleet(OvhApi(client, retries=0), lambda gate: OvhApi(gate.gate(client), retries=0),
                                      2, skip_unreadable=True)
    assert [item["service_name"] for item in found] == ["smpp-01", "smpp-03", "smpp-04"]
    assert [item["service_name"] for item in skipped] == ["smpp-02"]


def test_workers_reuse_the_clock_delta_of_the_first_client_without_a_clock_file():
    """A module process (no per-run directory): one GET /auth/time for the whole read, not one per worker."""
    from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
    from tests.emulator import EmulatorServer
    from tests.perf import fleet_world
    with EmulatorServer(seed=fleet_world.seed(6, 0, converge=False)) as server:
        params = {"endpoint": server.base_url, "application_key": APPLICATION_KEY,
                  "application_secret": APPLICATION_SECRET, "consumer_key": CONSUMER_KEY, "client_id": None,
                  "client_secret": None, "api_timeout": 30.0, "api_retries": 0, "report_api_calls": False,
                  "service_name": None, "history": None, "max_concurrent_requests": 3}
        failed, result = run_task(_smpp_info, params)
        paths = [item["path"] for item in server.state.log]
    assert not failed, result
    assert len(result["smpp_accounts"]) == 6
    assert paths.count("/1.0/auth/time") == 1
    assert len(paths) == 1 + 1 + 5 * 6 + 1


def test_a_rate_limited_read_is_retried_by_its_worker_and_the_others_go_on():
    names = ["smpp-%02d" % index for index in range(1, 6)]
    script = fleet_script(names)
    script[("GET", "/sms/smpp-04/smpp/settings")] = [
        FakeResponse(429, {"message": "Too many requests"}, headers={"Retry-After": "0"}), FakeResponse(200, SETTINGS)]
    client = FakeOvhClient(script)
    warnings = []
    failed, result = run_task(_smpp_info, dict(PARAMS, max_concurrent_requests=3, api_retries=2),
                              client_factory=lambda params: client, warn=warnings.append)
    assert not failed, result
    assert [item["service_name"] for item in result["smpp_accounts"]] == names
    settings = [call["status"] for call in result["api_calls"] if call["path"] == "/sms/smpp-04/smpp/settings"]
    assert settings == [429, 200]
    assert len(warnings) == 1 and "HTTP 429" in warnings[0]
