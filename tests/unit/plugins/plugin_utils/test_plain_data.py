"""Task arguments rebuilt from Python's own types (what the resource logic is given by the action plugins)."""

import pytest
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.smppops.ovh.plugins.plugin_utils._plain_data import plain_data
from builtin_subclasses import Text, exact_types

try:  # ansible-core 2.19 and later: tagged values
    from ansible.template import trust_as_template
except ImportError:  # earlier versions have no tags
    trust_as_template = None


class Number(int):
    pass


class Decimal(float):
    pass


class Items(list):
    pass


class Record(dict):
    pass


SUBCLASSED = Record({
    Text("service_name"): Text("smpp-ab12345-1"),
    Text("allowed_ips"): Items([Text("198.51.100.20"), wrap_var("198.51.100.21")]),
    Text("credits_left"): Decimal(150.5),
    Text("throughput"): Number(20),
    Text("flags"): (True, None, Text("{{ not templated }}")),
})


def test_subclasses_become_the_builtin_types_with_the_same_values():
    plain = plain_data(SUBCLASSED)
    assert plain == SUBCLASSED
    assert exact_types(plain) <= {dict, list, tuple, str, int, float, bool, type(None)}, exact_types(plain)
    assert plain["flags"][2] == "{{ not templated }}", "text stays text"


@pytest.mark.skipif(trust_as_template is None, reason="ansible-core before 2.19 has no tagged values")
def test_tagged_values_lose_their_tags():
    tagged = {trust_as_template("description"): trust_as_template("Fleet gateway"), "senders": [wrap_var("ACME")]}
    assert exact_types(plain_data(tagged)) == {dict, list, str}


def test_other_values_are_kept_as_they_are():
    marker = object()
    assert plain_data({"key": marker})["key"] is marker
    assert plain_data(True) is True and plain_data(None) is None
