"""The collection's filters as Jinja reaches them: FilterModule().filters(), types checked at the entry."""

import pytest
from ansible.errors import AnsibleFilterError

from ansible_collections.smppops.ovh.plugins.filter import smpp_account, smpp_bind

ACCOUNT_FILTERS = smpp_account.FilterModule().filters()
BIND_FILTERS = smpp_bind.FilterModule().filters()
ROW = {"host": "gw-a", "account": "smpp-1", "expected": True, "bound": False, "status": "ESME_RINVPASWD",
       "from": "192.0.2.8", "allowed": True, "account_status": "SUCCESS", "latency_ms": 4.0,
       "msg": "Wrong password", "advice": []}


def test_each_filter_is_published_under_its_documented_name():
    assert sorted(ACCOUNT_FILTERS) == ["smpp_account_errors", "smpp_account_findings", "smpp_account_summaries"]
    assert sorted(BIND_FILTERS) == ["smpp_bind_table", "smpp_bind_unexpected"]


@pytest.mark.parametrize("name", ["smpp_account_errors", "smpp_account_findings"])
@pytest.mark.parametrize("value", [None, ["a"], "smpp-1"])
def test_account_filters_refuse_what_is_not_a_dictionary_by_name(name, value):
    with pytest.raises(AnsibleFilterError) as caught:
        ACCOUNT_FILTERS[name](value)
    assert str(caught.value).startswith("%s expects a dictionary, got %s" % (name, type(value).__name__))


def test_account_errors_name_the_variable_and_value():
    assert ACCOUNT_FILTERS["smpp_account_errors"]({"service_name": "smpp-1"}) == []
    errors = ACCOUNT_FILTERS["smpp_account_errors"]({"service_name": "smpp-1", "min_credits": -5, "credit_source": "smpp-2"})
    assert len(errors) == 1 and "smpp_account_min_credits=-5 must be 0 or more" in errors[0]


@pytest.mark.parametrize("evaluation", [{}, {"service_name": ""}, {"results": {}}])
def test_findings_need_the_service_name(evaluation):
    with pytest.raises(AnsibleFilterError, match="smpp_account_findings needs service_name"):
        ACCOUNT_FILTERS["smpp_account_findings"](evaluation)


def test_findings_pass_every_part_of_the_evaluation():
    found = ACCOUNT_FILTERS["smpp_account_findings"]({
        "service_name": "smpp-1", "results": {"allowed_ips": {"changed": True, "added": ["198.51.100.21"], "removed": []}},
        "info": {"status": "SUCCESS", "credits_left": 5.0}, "low_credits_below": 10})
    assert [(item["kind"], item["area"], item["message"]) for item in found] == [
        ("drift", "allowed_ips", "allowed IPs differ: missing 198.51.100.21"),
        ("low_credits", "credits", "5 credits left, below 10")]
    healthy = {"service_name": "smpp-1", "results": None, "info": {"status": "SUCCESS", "credits_left": 50.0},
               "low_credits_below": 10}
    assert ACCOUNT_FILTERS["smpp_account_findings"](healthy) == []
    errored = ACCOUNT_FILTERS["smpp_account_findings"]({"service_name": "smpp-1", "error": "HTTP 403"})
    assert [(item["kind"], item["message"]) for item in errored] == [
        ("error", "the audit could not evaluate the account: HTTP 403")]


def test_summaries_cover_the_hosts_that_registered_an_account_and_only_them():
    account = {"system_id": "smpp-sys-1", "status": "SUCCESS", "allowed_ips": ["198.51.100.20"], "credits_left": 500.0,
               "endpoints": [{"host": "smpp1.example", "secured": True}, {"host": "smpp2.example", "secured": False}],
               "senders": [{"sender": "ACME", "status": "enable"}], "password_rotated_at": "2026-11-01T10:00:00Z"}
    hostvars = {"smpp-1": {"smpp_account_state": {"changed": False, "smpp_account": account}},
                "smpp-2": {"smpp_account_state": {"skipped": True}},
                "smpp-3": {},
                "smpp-4": {"smpp_account_state": {"smpp_account": dict(account, senders=[], endpoints=None)}}}
    summaries = ACCOUNT_FILTERS["smpp_account_summaries"](hostvars, ["smpp-1", "smpp-2", "smpp-3"])
    assert summaries == {"smpp-1": {
        "system_id": "smpp-sys-1", "status": "SUCCESS", "endpoints": [True, False], "allowed_ips": ["198.51.100.20"],
        "credits_left": 500.0, "senders": ["ACME"], "password_rotated_at": "2026-11-01T10:00:00Z"}}
    assert ACCOUNT_FILTERS["smpp_account_summaries"](hostvars, ["smpp-4"])["smpp-4"]["endpoints"] == []


@pytest.mark.parametrize("hosts", [None, "smpp-1", {"smpp-1": 1}])
def test_summaries_need_a_list_of_hosts(hosts):
    with pytest.raises(AnsibleFilterError, match="smpp_account_summaries expects a list of hosts, got %s"
                       % type(hosts).__name__):
        ACCOUNT_FILTERS["smpp_account_summaries"]({}, hosts)


@pytest.mark.parametrize("name", ["smpp_bind_table", "smpp_bind_unexpected"])
def test_bind_filters_refuse_rows_that_are_not_dictionaries(name):
    with pytest.raises(AnsibleFilterError) as caught:
        BIND_FILTERS[name]([ROW, "gw-b"])
    assert str(caught.value).startswith("%s expects a list of dictionaries" % name)


def test_bind_filters_accept_any_iterable_of_rows():
    assert [row["host"] for row in BIND_FILTERS["smpp_bind_unexpected"](iter([ROW]))] == ["gw-a"]
    table = BIND_FILTERS["smpp_bind_table"](row for row in [ROW])
    assert len(table) == 2 and table[0].startswith("HOST") and table[1].startswith("gw-a  smpp-1")
    assert BIND_FILTERS["smpp_bind_unexpected"]([]) == []
