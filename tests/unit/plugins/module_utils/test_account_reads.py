"""Reads shared by every module: an account's kind, checked once per task."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _account_reads as accounts
from ansible_collections.smppops.ovh.plugins.module_utils._api import OvhApi
from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError
from ansible_collections.smppops.ovh.plugins.module_utils._task import TaskContext

from ovh_fakes import FakeSmsCustomer


def context(client):
    return TaskContext(OvhApi(client, retries=0), check_mode=False, diff_mode=False, warn=None)


def test_an_smpp_account_is_read_once_per_task():
    client = FakeSmsCustomer({"smpp-1": {"creditsLeft": 10}})
    ctx = context(client)
    accounts.ensure_smpp(ctx, "smpp-1")
    accounts.ensure_smpp(ctx, "smpp-1")
    assert [item["path"] for item in client.requests] == ["/sms/smpp-1"]
    assert ctx.smpp_accounts == {"smpp-1"}
    accounts.ensure_smpp(context(client), "smpp-1")
    assert len(client.requests) == 2, "another task reads it again"


def test_a_plain_sms_account_is_refused_every_time_and_never_remembered():
    client = FakeSmsCustomer({"sms-1": {"creditsLeft": 10, "smpp": False}})
    ctx = context(client)
    for unused in range(2):
        with pytest.raises(InputError, match="service_name=sms-1 is an SMS account without SMPP"):
            accounts.ensure_smpp(ctx, "sms-1")
    assert len(client.requests) == 2 and ctx.smpp_accounts == set()
