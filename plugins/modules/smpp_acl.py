#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_acl
short_description: Keep the list of IP addresses allowed to bind to an OVHcloud SMPP account
version_added: 0.1.0
description:
  - Converges the SMPP account's allowed-IP list (Control Panel "Options > SMPP settings > Authorised IPs")
    in one task, in as few C(add) and C(remove) requests as OVH's limit of 10 addresses allows.
  - Additions are sent first and, with O(wait=true), applied before any removal, so swapping client addresses
    never locks out the clients that stay. When the current and the new addresses together exceed 10, unwanted
    addresses are removed only as far as needed to make room for the next additions, never the last one.
  - Each request is computed from a fresh read of the list and checked again against the guards below just before it
    is sent; concurrent tasks on the same controller for the same account take turns.
  - A change that would leave the list empty fails unless O(allow_empty=true), because with no allowed IP every SMPP
    client is locked out.
  - A change that would leave only addresses no SMPP client on the Internet can bind from fails unless
    O(allow_unreachable=true).
  - The account must be an SMPP account (not a plain SMS account); this is checked before any write.
  - All input is validated before any write - single IPv4 or IPv6 host addresses only (C(/32) and C(/128) are
    accepted and normalised), no other CIDR, no host names, no duplicates after normalisation, at most 10
    addresses in the resulting list.
options:
  service_name:
    description: The SMPP account, for example V(smpp-ab12345-1).
    type: str
    required: true
  ips:
    description:
      - IPv4 or IPv6 host addresses. IPv6 is compared in canonical form (V(2001:DB8::1) equals V(2001:db8:0:0::1)).
      - Loopback, private-range, link-local and unspecified addresses are accepted with a warning, since OVH can
        never see them as the source of an SMPP bind.
      - An IPv4-mapped IPv6 address (V(::ffff:203.0.113.10)) is the IPv4 address it maps. A scoped IPv6 address
        (V(fe80::1%eth0)) is refused.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) makes sure O(ips) are allowed; V(absent) removes them.
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), remove every allowed address not listed in O(ips), so the list becomes exactly O(ips).
    type: bool
    default: false
  allow_empty:
    description:
      - Allow a change that leaves the allowed-IP list empty (locking out every SMPP client).
    type: bool
    default: false
  allow_unreachable:
    description:
      - Allow a change that leaves only loopback, private, link-local, unspecified, multicast or reserved addresses,
        from which no SMPP client on the Internet can bind (locking out every real client).
    type: bool
    default: false
    version_added: 0.2.0
  wait:
    description:
      - Wait until OVH has applied the change (settings status leaves C(UPDATING_IP)).
    type: bool
    default: true
  wait_timeout:
    description:
      - Seconds to wait when O(wait=true). On timeout the task fails, saying the change was sent and is still being applied.
    type: int
    default: 300
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Predicts RV(added), RV(removed) and RV(allowed_ips) from one read, without writing.
    support: full
  diff_mode:
    description: Shows the allowed-IP list before and after.
    support: full
author:
  - smppops.ovh maintainers (@smppops)
"""

EXAMPLES = r"""
- name: Allow two gateways (others stay)
  smppops.ovh.smpp_acl:
    service_name: smpp-ab12345-1
    ips:
      - 203.0.113.10
      - 2001:db8::10

- name: Make the list exactly these addresses (a safe swap, new ones are added and applied first)
  smppops.ovh.smpp_acl:
    service_name: smpp-ab12345-1
    ips: [203.0.113.20, 203.0.113.21]
    purge: true

- name: Retire a gateway
  smppops.ovh.smpp_acl:
    service_name: smpp-ab12345-1
    ips: [203.0.113.10]
    state: absent
"""

RETURN = r"""
allowed_ips:
  description: The allowed addresses after the task (predicted in check mode), IPv4 first, sorted numerically.
  returned: success
  type: list
  elements: str
  sample: ["203.0.113.20", "203.0.113.21"]
added:
  description: Addresses added (or that would be, in check mode); on failure, those of the writes that were sent.
  returned: success, and on a failure after a write was sent (the wait timed out, or the list does not show the write)
  type: list
  elements: str
  sample: ["203.0.113.21"]
removed:
  description: Addresses removed (or that would be, in check mode); on failure, those of the writes that were sent.
  returned: success, and on a failure after a write was sent (the wait timed out, or the list does not show the write)
  type: list
  elements: str
  sample: ["203.0.113.10"]
status:
  description: SMPP settings status read after the change; null when nothing was waited for.
  returned: success, and when the wait for OVH to apply the change times out
  type: str
  sample: SUCCESS
api_calls:
  description: The API calls the task made, in order.
  returned: when O(report_api_calls=true)
  type: list
  elements: dict
error:
  description: On API failure, what OVH answered; quote C(query_id) to OVHcloud support.
  returned: failure
  type: dict
"""

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_acl as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
