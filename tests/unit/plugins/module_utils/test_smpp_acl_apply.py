"""smpp_acl: the guards that keep the allowed-IP list from locking clients out, and exact reports of every stop."""

import itertools
import tempfile

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError
from ansible_collections.smppops.ovh.plugins.module_utils._lock import LockTimeout, account_lock
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeResponse
from test_smpp_acl import BASE, LIST, NAME, SETTINGS, AclClient, run, settings
from test_smpp_acl import no_real_sleep  # pylint: disable=unused-import  # autouse: waits take no real time

FULL = ["203.0.113.%d" % n for n in range(10, 20)]
LOCKED_OUT = "this change would leave no allowed IP on smpp-1, which locks every SMPP client out; set allow_empty=true " \
             "if that is intended"


def still_applying(sent, not_sent=""):
    return ("the allowed IP change of smpp-1 was sent (%s) and OVH is still applying it: status UPDATING_IP after 12 s "
            "(wait_timeout=12)%s; run again later to finish and check it" % (sent, not_sent))


def task(client, check_mode=False, **params):
    failed, result = run_task(_smpp_acl, dict(BASE, **params), check_mode=check_mode, client_factory=lambda unused: client)
    result.pop("api_calls")
    return failed, result


def puts(client):
    return [(request["data"]["action"], request["data"]["ips"]) for request in client.requests if request["method"] == "PUT"]


# --- the guards, in check mode and before each write --------------------------------------------------------------

def test_check_mode_refuses_to_empty_the_list_like_the_real_run():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.10"], state="absent", check_mode=True)
    assert (failed, writes) == (True, [])
    assert {key: result[key] for key in ("changed", "msg")} == {"changed": False, "msg": LOCKED_OUT}


def test_check_mode_predicts_an_emptying_that_is_allowed_exactly():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.10"], state="absent", allow_empty=True,
                                         check_mode=True)
    assert (failed, writes) == (False, [])
    result.pop("api_calls")
    assert result == {"changed": True, "allowed_ips": [], "added": [], "removed": ["203.0.113.10"], "status": None,
                      "diff": {"before": {"allowed_ips": ["203.0.113.10"]}, "after": {"allowed_ips": []}}}


def test_a_list_over_the_limit_is_refused_before_any_write_naming_the_account():
    client = AclClient(FULL[:8], {})
    failed, result = task(client, ips=["198.51.100.1", "198.51.100.2", "198.51.100.3"])
    assert (failed, puts(client)) == (True, [])
    assert result == {"changed": False,
                      "msg": "the allowed IP list of smpp-1 would hold 11 addresses, more than OVH's limit of 10: "
                             "198.51.100.1, 198.51.100.2, 198.51.100.3, 203.0.113.10, 203.0.113.11, 203.0.113.12, "
                             "203.0.113.13, 203.0.113.14, 203.0.113.15, 203.0.113.16, 203.0.113.17"}


def test_a_step_that_would_leave_only_unreachable_addresses_is_refused_naming_the_account():
    private = ["10.0.0.%d" % n for n in range(1, 10)]
    client = AclClient(private + ["203.0.113.10"], {})
    failed, result = task(client, ips=private + ["203.0.113.11"], purge=True)
    assert (failed, puts(client)) == (True, [])
    assert result == {"changed": False,
                      "msg": "this change would leave on smpp-1 only addresses no SMPP client on the Internet can bind "
                             "from (%s), which locks every real client out; set allow_unreachable=true if that is "
                             "intended" % ", ".join("%s: private or link-local" % ip for ip in private)}


def test_a_plain_sms_account_is_refused_naming_it():
    client = AclClient(["203.0.113.10"], {}, smpp=False)
    failed, result = task(client, ips=["203.0.113.11"])
    assert (failed, puts(client)) == (True, [])
    assert result == {"changed": False,
                      "msg": "service_name=smpp-1 is an SMS account without SMPP (its 'smpp' flag is false); SMPP "
                             "settings, allowed IPs and passwords exist only on SMPP accounts"}


def test_an_address_ovh_lists_that_is_not_one_is_named_as_read_from_ovh():
    client = AclClient(["203.0.113.10", "gateway"], {})
    failed, result = task(client, ips=["203.0.113.11"])
    assert (failed, puts(client)) == (True, [])
    assert result == {"changed": False, "msg": "current allowed IPs: 'gateway' is not an IPv4 or IPv6 address (host "
                                               "names are not accepted)"}


def test_an_observed_address_that_is_not_one_is_named_as_observed():
    with pytest.raises(InputError) as caught:
        _smpp_acl.needs_change(dict(BASE, ips=["203.0.113.11"]), {"allowed_ips": ["203.0.113.10", "gateway"]})
    assert caught.value.msg == "observed allowed IPs: 'gateway' is not an IPv4 or IPv6 address (host names are not accepted)"


# --- one writer per account ---------------------------------------------------------------------------------------

def test_the_account_lock_is_held_from_the_fresh_read_to_the_last_write_and_released(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # lock files of this test only

    def taken():
        # What another smpp_acl task on this account would find: the lock busy (no wait: timeout 0).
        try:
            with account_lock("allowed-ips", NAME, timeout=0, sleep=lambda unused: None,
                              monotonic=itertools.count().__next__):
                return False
        except LockTimeout:
            return True

    seen = []

    class Probing(AclClient):
        def raw_call(self, method, path, data=None, need_auth=True, headers=None):
            if path == LIST:
                seen.append((method, taken()))
            return super().raw_call(method, path, data, need_auth, headers)

    client = Probing(["203.0.113.10"], {("GET", SETTINGS): settings("SUCCESS")})
    failed, result = task(client, ips=["203.0.113.11"], purge=True)
    assert not failed and client.allowed == ["203.0.113.11"]
    assert seen == [("GET", True), ("PUT", True), ("GET", True), ("PUT", True), ("GET", True)]
    assert taken() is False


# --- writes that do not land ---------------------------------------------------------------------------------------

def test_a_write_ovh_does_not_show_on_an_empty_list_says_it_still_reads_empty():
    class Ignoring(AclClient):
        def raw_call(self, method, path, data=None, need_auth=True, headers=None):
            if method == "PUT":
                self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
                return FakeResponse(200, None)  # accepted, never applied
            return super().raw_call(method, path, data, need_auth, headers)

    client = Ignoring([], {("GET", SETTINGS): settings("SUCCESS")})
    failed, result = task(client, ips=["203.0.113.11"])
    assert failed and puts(client) == [("add", ["203.0.113.11"])]
    assert result == {"changed": True, "added": ["203.0.113.11"], "removed": [],
                      "msg": "the allowed IP list of smpp-1 does not show the add of 203.0.113.11 that was just sent (it "
                             "still reads empty); run again later to finish and check it"}


def test_a_list_another_writer_keeps_changing_stops_after_the_step_limit():
    class Churning(AclClient):
        """Another writer replaces the address this task adds by a new one of its own after every write."""

        def __init__(self, *args):
            super().__init__(*args)
            self.others = ("198.51.100.%d" % n for n in itertools.count(1))

        def raw_call(self, method, path, data=None, need_auth=True, headers=None):
            answer = super().raw_call(method, path, data, need_auth, headers)
            if method == "PUT":
                self.allowed = ["203.0.113.10", next(self.others)]
            return answer

    client = Churning(["203.0.113.10"], {})
    failed, result = task(client, ips=["203.0.113.11"], wait=False)
    assert failed and puts(client) == [("add", ["203.0.113.11"])] * _smpp_acl.MAX_STEPS
    assert result == {"changed": True,
                      "msg": "the allowed IP list of smpp-1 did not converge in 22 writes; run again to check it"}


# --- a wait that times out says what was sent and what was not -------------------------------------------------------

def test_an_addition_still_applying_names_it_and_nothing_left_unsent():
    failed, result, writes, unused = run(["203.0.113.10"], ["203.0.113.11"], wait_timeout=12,
                                         settings_answers=settings("UPDATING_IP"))
    assert failed and writes == [("add", ["203.0.113.11"])]
    result.pop("api_calls")
    assert result == {"changed": True, "status": "UPDATING_IP", "added": ["203.0.113.11"], "removed": [],
                      "msg": still_applying("added: 203.0.113.11; removed: none")}


def test_a_removal_still_applying_names_it():
    failed, result, writes, unused = run(["203.0.113.10", "203.0.113.11"], ["203.0.113.10"], state="absent",
                                         wait_timeout=12, settings_answers=settings("UPDATING_IP"))
    assert failed and writes == [("remove", ["203.0.113.10"])]
    result.pop("api_calls")
    assert result == {"changed": True, "status": "UPDATING_IP", "added": [], "removed": ["203.0.113.10"],
                      "msg": still_applying("added: none; removed: 203.0.113.10")}


def test_room_made_on_a_full_list_still_applying_says_the_addition_was_not_sent():
    failed, result, writes, unused = run(FULL, FULL[1:] + ["198.51.100.1"], purge=True, wait_timeout=12,
                                         settings_answers=settings("UPDATING_IP"))
    assert failed and writes == [("remove", ["203.0.113.10"])]
    result.pop("api_calls")
    assert result == {"changed": True, "status": "UPDATING_IP", "added": [], "removed": ["203.0.113.10"],
                      "msg": still_applying("added: none; removed: 203.0.113.10",
                                            "; not sent: the addition of 198.51.100.1")}


def test_a_timeout_after_several_writes_names_every_address_they_sent():
    old = ["203.0.113.%d" % n for n in range(1, 4)]
    new = ["198.51.100.%d" % n for n in range(1, 9)]
    failed, result, writes, unused = run(old, new, purge=True, wait_timeout=12,
                                         settings_answers=settings("SUCCESS", "SUCCESS", "SUCCESS", "UPDATING_IP"))
    assert failed and writes == [("add", new[:7]), ("remove", old[:1]), ("add", new[7:]), ("remove", old[1:])]
    result.pop("api_calls")
    assert result == {"changed": True, "status": "UPDATING_IP", "added": new, "removed": old,
                      "msg": still_applying("added: %s; removed: %s" % (", ".join(new), ", ".join(old)))}
