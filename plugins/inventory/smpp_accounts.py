# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: smpp_accounts
short_description: Every OVHcloud SMPP account of the customer as an inventory host
version_added: 0.1.0
author:
  - smppops.ovh contributors (@smppops)
description:
  - Reads the customer's SMS services through the OVHcloud API and adds every SMPP account as a host named after
    its service name, with C(ansible_connection=local) (the collection's modules run in the controller).
  - Plain SMS accounts (without SMPP) are left out.
  - Host variables come from the same reads as M(smppops.ovh.smpp_info), prefixed with C(smpp_), for example
    C(smpp_system_id), C(smpp_status), C(smpp_allowed_ips), C(smpp_credits_left), C(smpp_senders),
    C(smpp_password_rotated_at). Every host is in the group C(smpp_accounts).
  - C(smpp_read_at) is the UTC time when that account's reads began (C(YYYY-MM-DDTHH:MM:SS.ffffffZ)), and
    C(smpp_observed) holds the whole account as M(smppops.ovh.smpp_info) returns it, C(read_at) included, for
    tasks that accept a recent snapshot instead of reading again. A cached inventory keeps the time of its reads.
  - Accounts are read side by side, at most O(max_concurrent_requests) API requests at a time.
  - The consumer key needs read access only, to C(GET /sms) and C(GET /sms/*).
  - Uses a YAML configuration file whose name ends with C(smpp_accounts.yml) or C(smpp_accounts.yaml).
  - Works as an AWX/AAP inventory source; the E(OVH_*) variables of an AWX credential reach it.
  - Once the hosts are added, everything the controller holds is moved out of reach of Python's cyclic garbage
    collector (C(gc.freeze)), which spares every worker ansible-core forks from walking and copying it. Objects no
    longer referenced are still freed; only reference cycles made before that moment stay until the run ends.
options:
  plugin:
    description: Marks the file as a configuration of this plugin.
    type: str
    required: true
    choices:
      - smppops.ovh.smpp_accounts
  skip_unreadable:
    description:
      - What to do when one account cannot be read (an API error on its settings, allowed IPs or senders).
      - V(false), the default, fails the whole source with a message naming the account and the cause, so
        C(ansible-inventory) and an AWX/AAP inventory sync fail instead of silently dropping hosts (AWX keeps the
        hosts of the last good sync). Playbooks of this collection that find no account repeat this message.
      - V(true) keeps the accounts that could be read and warns once per skipped account.
    type: bool
    default: false
    version_added: 0.2.0
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.inventory
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
"""

EXAMPLES = r"""
# inventory/ovh.smpp_accounts.yml; credentials and endpoint come from the OVH_* environment variables.
# The smallest file is the first line alone; the rest groups the accounts by SMPP status and channel,
# flags accounts low on credits and keeps the answer for an hour between runs.
plugin: smppops.ovh.smpp_accounts
keyed_groups:
  - key: smpp_status
    prefix: status
  - key: smpp_channel
    prefix: channel
groups:
  low_credits: smpp_credits_left < 100
compose:
  smpp_first_endpoint: smpp_endpoints[0].secured
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/smppops-inventory
cache_timeout: 3600
"""

import gc

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.display import Display

from ansible_collections.smppops.ovh.plugins.module_utils import _fleet_reads
from ansible_collections.smppops.ovh.plugins.module_utils._connect import ApiMaker, build_client
from ansible_collections.smppops.ovh.plugins.module_utils._errors import SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._inputs import check_options
from ansible_collections.smppops.ovh.plugins.module_utils._options import COMMON_ARGUMENT_SPEC, argument_spec, constraints
from ansible_collections.smppops.ovh.plugins.plugin_utils._progress import Ticker
from ansible_collections.smppops.ovh.plugins.plugin_utils._template_safety import protect

display = Display()

GROUP = "smpp_accounts"
VARIABLE_PREFIX = "smpp_"


ERROR_VARIABLE = "smppops_inventory_error"
OBSERVED_VARIABLE = "smpp_observed"


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "smppops.ovh.smpp_accounts"
    # How a python-ovh client is built from the connection options (tests give a fake API's client).
    client_factory = staticmethod(build_client)

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("smpp_accounts.yml", "smpp_accounts.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        refresh_cache = self.get_option("cache") and not cache
        accounts = None
        if use_cache:
            try:
                accounts = self._cache[cache_key]
            except KeyError:  # nothing cached yet, or expired
                accounts = None
        if accounts is None:
            accounts = self._read_accounts()
            refresh_cache = self.get_option("cache")
        if refresh_cache:
            self._cache[cache_key] = accounts
        self._populate(accounts)
        # ansible-core forks a worker for every host and task, and each worker inherits this process's heap,
        # the accounts just added included (they stay alive for the whole run). A full collection in a worker
        # visits every tracked object and writes to each one's header, so the worker copies every page of the
        # inherited heap: 0.3-1.8 s per collection at 400 accounts. Frozen objects are never visited, by the
        # controller's collections or by its workers' (Python's advice for processes that fork). Measured in
        # docs/performance.md.
        gc.freeze()

    def _connection_params(self):
        """The connection options, checked with the same rules as the modules' (auth modes not mixed)."""
        # Unset options are left out: the validator counts a present key, even None, as set. An empty
        # value is unset too: an AWX credential injects its unused fields as empty variables.
        options = {name: self.get_option(name) for name in COMMON_ARGUMENT_SPEC if name != "report_api_calls"}
        options = {name: value for name, value in options.items() if value not in (None, "")}
        validation = ArgumentSpecValidator(argument_spec({}), **constraints()).validate(options)
        if validation.error_messages:
            raise AnsibleError("smpp_accounts inventory: %s" % "; ".join(validation.error_messages))
        return validation.validated_parameters

    def _read_accounts(self):
        try:
            params = self._connection_params()
            # The same local rules as every module's (endpoint form, credential characters, bounds).
            check_options(argument_spec({}), params)
            new_api = ApiMaker(params, warn=display.warning, client_factory=self.client_factory,
                               clock_dir=C.DEFAULT_LOCAL_TMP)  # pylint: disable=no-member
            with Ticker(lambda line: display.display(line, stderr=True), "smpp_accounts inventory: reading SMPP accounts"):
                found, skipped = _fleet_reads.read_fleet(
                    new_api(), new_api, params["max_concurrent_requests"], self.get_option("skip_unreadable"))
        except SmppOpsError as exc:
            # The message already names the account, the route, the OVH error and its query ID.
            message = "smpp_accounts inventory: %s" % exc.msg
            # Ansible only warns about a source that fails (unless told otherwise) and goes on with no
            # host: the playbooks read this variable to repeat the cause instead of a generic message.
            self.inventory.set_variable("all", ERROR_VARIABLE, message)
            raise AnsibleError(message)
        for item in skipped:
            display.warning("smpp_accounts inventory: skipped %s (skip_unreadable=true): %s"
                            % (item["service_name"], item["msg"]))
        return found

    def _populate(self, accounts):
        strict = self.get_option("strict")
        self.inventory.add_group(GROUP)
        for facts in accounts:
            host = self.inventory.add_host(facts["service_name"], group=GROUP)
            # API data is never templated (a description holding '{{ ... }}' stays text); values that
            # could not be templated stay plain, so an AWX inventory sync imports the export.
            hostvars = {VARIABLE_PREFIX + key: protect(value) for key, value in facts.items()}
            # The whole account as read, for tasks that may skip their own reads while it is fresh
            # (smpp_account_state's ``observed``); a cached snapshot keeps its old read_at.
            hostvars[OBSERVED_VARIABLE] = protect(facts)
            hostvars["ansible_connection"] = protect("local")
            for key, value in hostvars.items():
                self.inventory.set_variable(host, key, value)
            self._set_composite_vars(self.get_option("compose"), hostvars, host, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, host, strict=strict)
