"""The smpp_accounts inventory plugin at its entry point: parse() with a loader and an inventory object,
against the OVH API emulator served in-process over HTTP (real python-ovh clients, real signatures)."""

import gc
import re
import threading
from datetime import datetime, timezone

import pytest
import requests

import yaml

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins import inventory as inventory_base

from emulator_clients import APPLICATION_KEY, APPLICATION_SECRET, CONSUMER_KEY
from tests.emulator import EmulatorServer
from tests.perf import fleet_world

from ansible.plugins.doc_fragments.constructed import ModuleDocFragment as Constructed
from ansible.plugins.doc_fragments.inventory_cache import ModuleDocFragment as InventoryCache
from ansible.utils.plugin_docs import merge_fragment

from ansible_collections.smppops.ovh.plugins.doc_fragments.api import ModuleDocFragment as Api
from ansible_collections.smppops.ovh.plugins.inventory import smpp_accounts
from ansible_collections.smppops.ovh.plugins.module_utils._connect import build_client

ACCOUNTS = fleet_world.account_names(12)
PLUGIN = "smppops.ovh.smpp_accounts"
READ_AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


@pytest.fixture(scope="module")
def plugin_options():
    """The plugin's option definitions as ansible-core's loader registers them: its DOCUMENTATION with the
    fragments it extends merged in (the list is checked, so a fragment added to the plugin is not missed)."""
    doc = yaml.safe_load(smpp_accounts.DOCUMENTATION)
    fragments = {"smppops.ovh.api": Api.DOCUMENTATION, "smppops.ovh.api.inventory": Api.INVENTORY,
                 "ansible.builtin.constructed": Constructed.DOCUMENTATION,
                 "ansible.builtin.inventory_cache": InventoryCache.DOCUMENTATION}
    assert doc["extends_documentation_fragment"] == list(fragments)
    for text in fragments.values():
        merge_fragment(doc["options"], yaml.safe_load(text)["options"])
    C.config.initialize_plugin_configuration_definitions("inventory", PLUGIN, doc["options"])
    return doc["options"]


@pytest.fixture()
def emulator():
    with EmulatorServer(seed=fleet_world.seed(len(ACCOUNTS), 0, converge=False)) as server:
        yield server


@pytest.fixture()
def environment(monkeypatch, emulator, plugin_options):
    for name, value in (("OVH_ENDPOINT", emulator.base_url), ("OVH_APPLICATION_KEY", APPLICATION_KEY),
                        ("OVH_APPLICATION_SECRET", APPLICATION_SECRET), ("OVH_CONSUMER_KEY", CONSUMER_KEY)):
        monkeypatch.setenv(name, value)
    for name in ("OVH_CLIENT_ID", "OVH_CLIENT_SECRET", "OVH_MAX_CONCURRENT_REQUESTS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def no_heap_freeze(monkeypatch):
    """parse() freezes the heap; here it must not: frozen, the test runner's own garbage would never be collected."""
    monkeypatch.setattr(gc, "freeze", lambda: None)


class InFlight:
    """A client factory whose clients count the requests in flight; each request waits (briefly) for
    others to join it, so the highest count reached is the cap the plugin lets through."""

    def __init__(self, cap_expected, patience=0.3):
        self.cap_expected = cap_expected
        self.patience = patience
        self.now = 0
        self.highest = 0
        self.clients = 0
        self._changed = threading.Condition()

    def __call__(self, params):
        client = build_client(params)
        send = client.raw_call
        self.clients += 1

        def raw_call(*args, **kwargs):
            with self._changed:
                self.now += 1
                self.highest = max(self.highest, self.now)
                self._changed.notify_all()
                self._changed.wait_for(lambda: self.now >= self.cap_expected, timeout=self.patience)
            try:
                return send(*args, **kwargs)
            finally:
                with self._changed:
                    self.now -= 1
        client.raw_call = raw_call
        return client


def parse(tmp_path, text="", client_factory=None, cache=True, inventory=None):
    config = tmp_path / "test.smpp_accounts.yml"
    config.write_text("plugin: smppops.ovh.smpp_accounts\n" + text)
    plugin = smpp_accounts.InventoryModule()
    # What the plugin loader sets on a plugin it loads.
    plugin._load_name = PLUGIN  # pylint: disable=protected-access
    plugin._redirected_names = [PLUGIN]  # pylint: disable=protected-access
    if client_factory is not None:
        plugin.client_factory = client_factory
    inventory = InventoryData() if inventory is None else inventory
    plugin.parse(inventory, DataLoader(), str(config), cache=cache)
    return inventory


def hostvars(inventory, name):
    return inventory.get_host(name).get_vars()


def api_log(emulator, prefix="/1.0/sms"):
    return [item for item in emulator.state.log if item["path"].startswith(prefix)]


def fault(emulator, **rule):
    answer = requests.post(emulator.root_url + "/_emulator/faults", json=rule, timeout=5)
    assert answer.status_code in (200, 201), answer.text


def test_every_smpp_account_is_a_host_with_its_facts_read_at_and_observed_snapshot(tmp_path, environment, emulator):
    before = datetime.now(timezone.utc)
    inventory = parse(tmp_path)
    after = datetime.now(timezone.utc)
    assert list(inventory.groups["smpp_accounts"].hosts) and \
        [host.name for host in inventory.groups["smpp_accounts"].hosts] == ACCOUNTS, "sorted, pool left out"
    first = hostvars(inventory, ACCOUNTS[0])
    assert first["ansible_connection"] == "local"
    assert first["smpp_system_id"] == "fl00001"
    assert first["smpp_allowed_ips"] == fleet_world.DESIRED["allowed_ips"]
    assert [item["sender"] for item in first["smpp_senders"]] == ["ACME", "ACMEALERT"]
    assert READ_AT.match(first["smpp_read_at"]), first["smpp_read_at"]
    read_at = datetime.strptime(first["smpp_read_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    assert before <= read_at <= after
    observed = first["smpp_observed"]
    assert observed == {key[len("smpp_"):]: value for key, value in first.items()
                        if key.startswith("smpp_") and key != "smpp_observed"}
    assert observed["read_at"] == first["smpp_read_at"] and observed["service_name"] == ACCOUNTS[0]
    # Reads only; per SMPP account: account, settings, allowed IPs, sender list, one batch read; plus the list.
    log = api_log(emulator)
    assert {item["method"] for item in log} == {"GET"}
    assert len(log) == 1 + 5 * len(ACCOUNTS) + 1, "one GET /sms, 5 reads per SMPP account, 1 for the pool"


def test_the_heap_is_frozen_once_the_accounts_are_hosts(tmp_path, environment, monkeypatch):
    inventory = InventoryData()
    hosts_at_each_freeze = []
    monkeypatch.setattr(gc, "freeze", lambda: hosts_at_each_freeze.append(sorted(inventory.hosts)))
    parse(tmp_path, inventory=inventory)
    assert hosts_at_each_freeze == [sorted(ACCOUNTS)], "one freeze, after every account was added"


@pytest.mark.parametrize("cap", [1, 3])
def test_requests_in_flight_never_exceed_the_cap_and_reach_it(tmp_path, environment, cap):
    counter = InFlight(cap)
    inventory = parse(tmp_path, "max_concurrent_requests: %d\n" % cap, client_factory=counter)
    assert counter.highest == cap
    assert counter.clients == cap + 1, "one client lists the services, one per worker: no client shared by threads"
    assert [host.name for host in inventory.groups["smpp_accounts"].hosts] == ACCOUNTS


def test_the_cap_comes_from_the_environment(tmp_path, environment, monkeypatch):
    monkeypatch.setenv("OVH_MAX_CONCURRENT_REQUESTS", "2")
    counter = InFlight(2)
    parse(tmp_path, client_factory=counter)
    assert counter.highest == 2


def test_order_is_the_names_order_whatever_the_completion_order(tmp_path, environment, emulator):
    # The first accounts by name answer last.
    for name in ACCOUNTS[:4]:
        fault(emulator, method="GET", path="/1.0/sms/%s/smpp/settings" % name, kind="latency", seconds=0.3, times=1)
    inventory = parse(tmp_path, "max_concurrent_requests: 6\n")
    assert [host.name for host in inventory.groups["smpp_accounts"].hosts] == ACCOUNTS
    assert list(inventory.hosts) == ACCOUNTS


@pytest.mark.parametrize("cap", [0, 101])
def test_a_cap_out_of_range_is_refused_before_any_request(tmp_path, environment, emulator, cap):
    with pytest.raises(AnsibleError, match="max_concurrent_requests=%d is out of range" % cap):
        parse(tmp_path, "max_concurrent_requests: %d\n" % cap)
    assert emulator.state.log == []


def test_an_unreadable_account_fails_the_source_naming_it_and_the_query_id(tmp_path, environment, emulator):
    broken = ACCOUNTS[5]
    fault(emulator, method="GET", path="/1.0/sms/%s/smpp/allowedIPs" % broken, kind="status", status=403)
    with pytest.raises(AnsibleError) as raised:
        parse(tmp_path)
    message = str(raised.value)
    assert message.startswith("smpp_accounts inventory: ")
    assert broken in message and "/smpp/allowedIPs" in message
    failed = [item for item in emulator.state.log if item["status"] == 403]
    assert len(failed) == 1 and "OVH query ID %s" % failed[0]["query_id"] in message


def test_skip_unreadable_keeps_the_others(tmp_path, environment, emulator, monkeypatch):
    broken = ACCOUNTS[5]
    fault(emulator, method="GET", path="/1.0/sms/%s/smpp/allowedIPs" % broken, kind="status", status=403)
    warnings = []
    monkeypatch.setattr(smpp_accounts.display, "warning", warnings.append)
    inventory = parse(tmp_path, "skip_unreadable: true\n")
    assert [host.name for host in inventory.groups["smpp_accounts"].hosts] == [n for n in ACCOUNTS if n != broken]
    assert len(warnings) == 1 and warnings[0].startswith("smpp_accounts inventory: skipped %s" % broken)


def test_bad_credentials_name_the_query_id_and_never_the_secret(tmp_path, environment, emulator, monkeypatch):
    monkeypatch.setenv("OVH_APPLICATION_SECRET", "WRONG-SECRET-42")
    with pytest.raises(AnsibleError) as raised:
        parse(tmp_path)
    message = str(raised.value)
    assert "query ID" in message and "WRONG-SECRET-42" not in message


def test_the_cache_answers_without_requests_and_keeps_the_time_of_its_reads(tmp_path, environment, emulator,
                                                                            monkeypatch):
    # One store kept between the two runs, as a cache plugin keeps it (the jsonfile plugin itself is
    # exercised by the live inventory tests: loading it needs ansible-core's collection loader).
    store = {}
    monkeypatch.setattr(inventory_base, "get_cache_plugin", lambda *args, **kwargs: store)
    cached = "cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_timeout: 600\n"
    first = parse(tmp_path, cached, cache=False)
    reads = len(emulator.state.log)
    assert reads and len(store) == 1
    second = parse(tmp_path, cached)
    assert len(emulator.state.log) == reads, "the cached run makes no request"
    for name in ACCOUNTS:
        assert hostvars(second, name)["smpp_read_at"] == hostvars(first, name)["smpp_read_at"]
        assert hostvars(second, name)["smpp_observed"] == hostvars(first, name)["smpp_observed"]
    store.clear()
    third = parse(tmp_path, cached)
    assert len(emulator.state.log) > reads, "an empty cache is read afresh"
    assert hostvars(third, ACCOUNTS[0])["smpp_read_at"] > hostvars(first, ACCOUNTS[0])["smpp_read_at"]
