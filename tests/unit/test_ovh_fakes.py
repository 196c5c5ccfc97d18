"""The unit fakes are strict: what they were not scripted for fails the test, whatever the code under test catches."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_info
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._task import run_task

from ovh_fakes import FakeOvhClient, FakeResponse, FakeSmsCustomer, UnexpectedCall


def test_an_unscripted_call_escapes_the_task_runner_instead_of_becoming_a_failed_task():
    client = FakeOvhClient({})
    with pytest.raises(UnexpectedCall, match="unexpected call GET /sms/smpp-1"):
        run_task(_smpp_info, {"service_name": "smpp-1", "api_retries": 0, "report_api_calls": False,
                              "history": False}, client_factory=lambda params: client)


def test_one_write_more_than_scripted_is_unexpected_but_reads_may_be_polled():
    api = OvhApi(FakeOvhClient({("PUT", "/x"): [FakeResponse(200, None)], ("GET", "/x"): [FakeResponse(200, 1)]}), retries=0)
    api.put("/x", {})
    assert [api.get("/x") for unused in range(3)] == [1, 1, 1]
    with pytest.raises(UnexpectedCall, match="unexpected call PUT /x"):
        api.put("/x", {})


def test_the_customer_fake_refuses_accounts_and_routes_it_does_not_have():
    api = OvhApi(FakeSmsCustomer({"smpp-1": {"creditsLeft": 1}}), retries=0)
    assert api.get("/sms/smpp-1")["creditsLeft"] == 1
    with pytest.raises(UnexpectedCall):
        api.get("/sms/smpp-9")
    with pytest.raises(UnexpectedCall):
        api.delete("/sms/smpp-1/senders/ACME")
