"""smpp_acl resource logic: validation before writes, minimal PUTs, safe ordering, waiting."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl, _wait
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeClock, FakeOvhClient, FakeResponse

NAME = "smpp-1"
LIST = "/sms/%s/smpp/allowedIPs" % NAME
SETTINGS = "/sms/%s/smpp/settings" % NAME
BASE = {"service_name": NAME, "state": "present", "purge": False, "allow_empty": False, "wait": True,
        "wait_timeout": 300, "api_retries": 0, "report_api_calls": True}


@pytest.fixture(autouse=True)
def no_real_sleep(monkeypatch):
    # The waiting module's own view of time (its ``time`` name), not the process-wide time module.
    clock = FakeClock()
    monkeypatch.setattr(_wait, "time", clock)
    return clock


def settings(*statuses):
    return [FakeResponse(200, {"status": status}) for status in statuses]


class AclClient(FakeOvhClient):
    """Keeps the list: PUT add/remove change what the next GET reads, as OVH does."""

    def __init__(self, current, script, smpp=True):
        super().__init__(script)
        self.allowed = list(current)
        self.script[("GET", "/sms/%s" % NAME)] = [FakeResponse(200, {"name": NAME, "smpp": smpp, "creditsLeft": 10})]

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        if path == LIST and method in ("GET", "PUT"):
            self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
            if method == "PUT":
                if data["action"] == "add":
                    self.allowed += [ip for ip in data["ips"] if ip not in self.allowed]
                else:
                    self.allowed = [ip for ip in self.allowed if ip not in data["ips"]]
                assert len(self.allowed) <= 10, "more than 10 allowed IPs"
            return FakeResponse(200, list(self.allowed))
        return super().raw_call(method, path, data, need_auth, headers)


def run(current, ips, check_mode=False, settings_answers=None, smpp=True, **params):
    client = AclClient(current, {("GET", SETTINGS): settings_answers or settings("SUCCESS")}, smpp=smpp)
    warnings = []
    failed, result = run_task(_smpp_acl, dict(BASE, ips=ips, **params), check_mode=check_mode, diff_mode=True,
                              warn=warnings.append, client_factory=lambda p: client)
    writes = [(r["data"]["action"], r["data"]["ips"]) for r in client.requests if r["method"] == "PUT"]
    return failed, result, writes, warnings


ACCOUNT = "/sms/%s" % NAME


def test_nothing_to_change_is_two_reads():
    failed, result, writes, unused = run(["203.0.113.10", "2001:db8::1"], ["2001:DB8:0:0::1", "203.0.113.10/32"])
    assert not failed and not result["changed"]
    assert writes == []
    assert result["api_calls"] == [{"method": "GET", "path": ACCOUNT, "status": 200},
                                   {"method": "GET", "path": LIST, "status": 200}]
    assert result["status"] is None


def test_add_sends_one_put_then_waits():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11", "203.0.113.12"],
                                         settings_answers=settings("UPDATING_IP", "UPDATING_IP", "SUCCESS"))
    assert not failed and result["changed"]
    assert writes == [("add", ["203.0.113.11", "203.0.113.12"])]
    assert result["added"] == ["203.0.113.11", "203.0.113.12"] and result["removed"] == []
    assert result["status"] == "SUCCESS"
    assert result["diff"] == {"before": {"allowed_ips": ["203.0.113.10"]},
                              "after": {"allowed_ips": ["203.0.113.10", "203.0.113.11", "203.0.113.12"]}}


def test_purge_swap_adds_and_applies_before_removing():
    failed, result, writes, unused = run(["203.0.113.10", "203.0.113.11"], ["203.0.113.11", "203.0.113.20"], purge=True,
                                         settings_answers=settings("UPDATING_IP", "SUCCESS", "SUCCESS"))
    assert not failed
    assert writes == [("add", ["203.0.113.20"]), ("remove", ["203.0.113.10"])]
    calls = [(c["method"], c["path"]) for c in result["api_calls"]]
    # Each write from a fresh read; the addition is live before the removal is sent.
    assert calls == [("GET", ACCOUNT), ("GET", LIST), ("PUT", LIST), ("GET", SETTINGS), ("GET", SETTINGS),
                     ("GET", LIST), ("PUT", LIST), ("GET", SETTINGS), ("GET", LIST)]
    assert result["allowed_ips"] == ["203.0.113.11", "203.0.113.20"]


def test_absent_removes_only_the_listed():
    failed, result, writes, unused = run(["203.0.113.10", "203.0.113.11"], ["203.0.113.10", "198.51.100.1"], state="absent")
    assert not failed and writes == [("remove", ["203.0.113.10"])]
    assert result["allowed_ips"] == ["203.0.113.11"]


def test_check_mode_predicts_without_writing():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11"], check_mode=True, purge=True)
    assert not failed and result["changed"]
    assert writes == []
    assert result["added"] == ["203.0.113.11"] and result["removed"] == ["203.0.113.10"]


def test_no_wait_sends_both_without_polling():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11"], purge=True, wait=False)
    assert not failed and len(writes) == 2
    assert not [c for c in result["api_calls"] if c["path"] == SETTINGS]


@pytest.mark.parametrize("ips,needle", [
    (["203.0.113.0/24"], "203.0.113.0/24 is a network"),
    (["smpp.example.com"], "'smpp.example.com' is not an IPv4 or IPv6 address"),
    ([""], "empty value"),
    (["2001:db8::1", "2001:DB8:0:0::1"], "are the same address"),
    (["203.0.113.1", "203.0.113.1/32"], "are the same address"),
])
def test_bad_input_fails_before_any_call(ips, needle):
    failed, result, writes, unused = run(["203.0.113.10"], ips)
    assert failed and needle in result["msg"]
    assert writes == [] and result["api_calls"] == []
    assert result["changed"] is False


def test_eleven_addresses_fail_with_nothing_written():
    ips = ["203.0.113.%d" % i for i in range(1, 12)]
    failed, result, writes, unused = run([], ips)
    assert failed and "11 addresses" in result["msg"] and "limit of 10" in result["msg"]
    assert writes == []


def test_empty_result_needs_allow_empty():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.10"], state="absent")
    assert failed and "locks every SMPP client out" in result["msg"] and writes == []
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.10"], state="absent", allow_empty=True,
                                         settings_answers=settings("WAITING_IP"))
    assert not failed and writes == [("remove", ["203.0.113.10"])] and result["status"] == "WAITING_IP"


def test_private_addresses_warn_but_pass():
    failed, unused_result, writes, warnings = run([], ["10.1.2.3", "::1", "203.0.113.5"])
    assert not failed and len(writes) == 1
    assert len(warnings) == 2 and "10.1.2.3" in warnings[0] and "::1" in warnings[1]


def test_wait_timeout_says_the_change_was_sent(no_real_sleep):
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11"], wait_timeout=12,
                                         settings_answers=settings("UPDATING_IP"))
    assert failed and result["changed"] is True
    assert writes == [("add", ["203.0.113.11"])]
    assert "was sent" in result["msg"] and "UPDATING_IP" in result["msg"] and "wait_timeout=12" in result["msg"]
    assert sum(no_real_sleep.sleeps) == pytest.approx(12)


def test_wait_timeout_names_only_the_writes_that_were_sent(no_real_sleep):
    """Another admin removes 203.0.113.11 meanwhile: the message must not claim this task removed it."""
    client = AclClient(["203.0.113.10", "203.0.113.11"],
                       {("GET", SETTINGS): settings("SUCCESS", "UPDATING_IP")})
    original = client.raw_call

    def raw_call(method, path, data=None, need_auth=True, headers=None):
        answer = original(method, path, data, need_auth, headers)
        if method == "PUT" and data["action"] == "add":
            client.allowed.remove("203.0.113.11")  # a change made elsewhere, after the addition
        return answer
    client.raw_call = raw_call
    failed, result = run_task(_smpp_acl, dict(BASE, ips=["203.0.113.20"], purge=True, wait_timeout=12),
                              client_factory=lambda p: client)
    assert failed and result["changed"] is True
    assert [r["data"] for r in client.requests if r["method"] == "PUT"] == [
        {"action": "add", "ips": ["203.0.113.20"]}, {"action": "remove", "ips": ["203.0.113.10"]}]
    assert result["added"] == ["203.0.113.20"] and result["removed"] == ["203.0.113.10"]
    assert "203.0.113.11" not in result["msg"]
    assert "added: 203.0.113.20; removed: 203.0.113.10)" in result["msg"]


def test_wait_timeout_before_the_removal_says_the_removal_was_not_sent(no_real_sleep):
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.20"], purge=True, wait_timeout=12,
                                         settings_answers=settings("UPDATING_IP"))
    assert failed and result["changed"] is True
    assert writes == [("add", ["203.0.113.20"])]
    assert result["added"] == ["203.0.113.20"] and result["removed"] == []
    assert "not sent: the removal of 203.0.113.10" in result["msg"]


def test_purge_with_absent_is_refused():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.10"], state="absent", purge=True)
    assert failed and "purge=true applies to state=present" in result["msg"] and writes == []


def test_a_swap_beyond_ten_proceeds_in_steps_that_never_exceed_ten_nor_drop_kept_addresses():
    old = ["203.0.113.%d" % i for i in range(1, 4)]
    new = ["198.51.100.%d" % i for i in range(1, 9)]
    failed, result, writes, unused = run(old, new, purge=True)
    assert not failed, result["msg"]
    assert writes == [("add", new[:7]), ("remove", ["203.0.113.1"]), ("add", new[7:]),
                      ("remove", ["203.0.113.2", "203.0.113.3"])]
    assert result["allowed_ips"] == new and result["added"] == new and result["removed"] == old


def test_a_full_list_swapped_whole_never_becomes_empty():
    old = ["203.0.113.%d" % i for i in range(1, 11)]
    new = ["198.51.100.%d" % i for i in range(1, 11)]
    client_state = []

    failed, result, writes, unused = run(old, new, purge=True)
    assert not failed, result["msg"]
    size = len(old)
    for action, ips in writes:
        size += len(ips) if action == "add" else -len(ips)
        client_state.append(size)
    assert min(client_state) >= 1 and max(client_state) <= 10
    assert result["allowed_ips"] == new


@pytest.mark.parametrize("ips", [["10.0.0.1"], ["127.0.0.1", "::1"], ["0.0.0.0"], ["224.0.0.1", "fe80::1"],
                                 ["::ffff:192.168.1.1"]])
def test_a_list_of_only_unreachable_addresses_is_refused_without_consent(ips):
    failed, result, writes, unused = run(["203.0.113.10"], ips, purge=True)
    assert failed and "allow_unreachable=true" in result["msg"] and writes == []
    failed, result, writes, unused = run(["203.0.113.10"], ips, purge=True, allow_unreachable=True)
    assert not failed and writes


def test_ipv4_mapped_ipv6_is_the_ipv4_client():
    failed, result, writes, unused = run(["203.0.113.10"], ["::ffff:203.0.113.10"])
    assert not failed and not result["changed"] and writes == []


def test_scoped_ipv6_is_refused_before_any_call():
    failed, result, writes, unused = run([], ["fe80::1%eth0"])
    assert failed and "scoped" in result["msg"] and result["api_calls"] == []


def test_a_plain_sms_account_is_refused_before_any_write():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11"], smpp=False)
    assert failed and "without SMPP" in result["msg"] and writes == []


def test_the_remove_is_recomputed_from_a_fresh_read():
    """Another writer removed 203.0.113.11 meanwhile: the guard sees the list this write would really leave."""
    client = AclClient(["203.0.113.10", "203.0.113.11"], {("GET", SETTINGS): settings("SUCCESS")})
    original = client.raw_call
    reads = {"n": 0}

    def racing(method, path, data=None, need_auth=True, headers=None):
        if method == "GET" and path == LIST:
            reads["n"] += 1
            if reads["n"] == 2:  # between this task's add and its remove
                client.allowed = [ip for ip in client.allowed if ip != "203.0.113.11"]
        return original(method, path, data, need_auth, headers)
    client.raw_call = racing
    failed, result = run_task(_smpp_acl, dict(BASE, ips=["198.51.100.1"], purge=True), client_factory=lambda p: client)
    assert not failed and client.allowed == ["198.51.100.1"]


def test_a_negative_wait_timeout_is_refused_before_any_call():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11"], wait_timeout=-1)
    assert failed and "wait_timeout=-1 must be 0 or more" in result["msg"] and writes == []


def test_additions_beyond_the_limit_with_the_current_list_are_refused_before_any_write():
    current = ["203.0.113.%d" % n for n in range(1, 9)]
    failed, result, writes, unused = run(current, ["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert failed and not result["changed"] and "would hold 11 addresses" in result["msg"] and writes == []


def test_a_write_ovh_does_not_show_stops_and_names_what_was_sent():
    class Ignoring(AclClient):
        def raw_call(self, method, path, data=None, need_auth=True, headers=None):
            if method == "PUT":
                self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
                return FakeResponse(200, None)  # accepted, never applied
            return super().raw_call(method, path, data, need_auth, headers)
    client = Ignoring(["203.0.113.10"], {("GET", SETTINGS): settings("SUCCESS")})
    failed, result = run_task(_smpp_acl, dict(BASE, ips=["203.0.113.11"]), client_factory=lambda p: client)
    assert failed and result["changed"] is True
    assert "does not show the add of 203.0.113.11" in result["msg"]
    assert result["added"] == ["203.0.113.11"] and result["removed"] == []
    assert [r["method"] for r in client.requests].count("PUT") == 1


# Pinned by mutation testing: the guards run again on what each single write leaves, not only on the final list.
def test_a_step_that_would_leave_only_unreachable_addresses_is_refused_before_it_is_sent():
    private = ["10.0.0.%d" % n for n in range(1, 10)]
    # A full list whose only reachable address is swapped for another: making room would first remove the only
    # address a client on the Internet can bind from.
    failed, result, writes, unused = run(private + ["203.0.113.10"], private + ["203.0.113.11"], purge=True)
    assert failed and writes == []
    assert "only addresses no SMPP client on the Internet can bind from" in result["msg"]
    failed, result, writes, unused = run(private + ["203.0.113.10"], private + ["203.0.113.11"], purge=True,
                                         allow_unreachable=True)
    assert not failed and writes == [("remove", ["203.0.113.10"]), ("add", ["203.0.113.11"])]


def test_a_full_list_makes_room_for_exactly_the_additions():
    current = ["203.0.113.%d" % n for n in range(10, 20)]
    wanted = current[3:] + ["198.51.100.1", "198.51.100.2"]
    failed, result, writes, unused = run(current, wanted, purge=True)
    assert not failed and writes[0] == ("remove", ["203.0.113.10", "203.0.113.11"])
    assert writes[1] == ("add", ["198.51.100.1", "198.51.100.2"]) and writes[2] == ("remove", ["203.0.113.12"])


def test_a_full_list_swapped_whole_keeps_exactly_one_address_while_making_room():
    current = ["203.0.113.%d" % n for n in range(10, 20)]
    wanted = ["198.51.100.%d" % n for n in range(1, 11)]
    failed, result, writes, unused = run(current, wanted, purge=True)
    assert not failed and writes[0] == ("remove", current[:9])
    assert writes[1] == ("add", wanted[:9])
