#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_account_state
short_description: Bring one whole OVHcloud SMPP account to its desired state in one task
version_added: 0.2.0
description:
  - Converges, in this order and with one API client, the allowed IP addresses (as M(smppops.ovh.smpp_acl)), the
    senders (as M(smppops.ovh.smpp_sender)), a top-up from another account and the automatic re-credit (as
    M(smppops.ovh.smpp_credit)) and the password maximum age (as M(smppops.ovh.smpp_password)), then returns the
    account as it is now, in the shape of one element of M(smppops.ovh.smpp_info)'s RV(smppops.ovh.smpp_info#module:smpp_accounts).
  - Each area runs the logic, guards and holds of its module, unchanged. An area whose option is omitted is not
    managed.
  - The whole desired state is validated with each area module's own rules before the first request; on a bad value
    nothing is sent and the message names the option and the value (for example O(allowed_ips.ips) and the
    network given where a host address is expected).
  - When an area fails, the later areas are not run; the result says which areas ran and what each did.
  - B(Snapshot rule.) O(observed) is the account as read earlier in the run (the inventory's C(smpp_observed) host
    variable, or one element of RV(smppops.ovh.smpp_info#module:smpp_accounts)). It may only conclude that an area
    has nothing to do; an area with anything to do reads the account afresh and decides every write from that read,
    under the account's hold. With nothing to change and a usable snapshot the task sends no request at all.
  - A snapshot is not used (the account is read afresh) when it is older than O(observed_max_age), dated more than
    5 seconds in the future of the controller's clock, of another account, or missing a field; RV(observed_ignored)
    says why.
  - The smppops.ovh.smpp_account role is this one task.
options:
  service_name:
    description: The SMPP account, for example V(smpp-ab12345-1).
    type: str
    required: true
  allowed_ips:
    description: The allowed IP addresses, as M(smppops.ovh.smpp_acl) converges them. Omitted, the list is left alone.
    type: dict
    suboptions:
      ips:
        description: IPv4 or IPv6 host addresses (C(/32) and C(/128) accepted), at most 10.
        type: list
        elements: str
        required: true
      purge:
        description: Remove the allowed addresses not listed in O(allowed_ips.ips).
        type: bool
        default: false
      allow_empty:
        description: Allow a change that leaves no allowed address (locks every SMPP client out).
        type: bool
        default: false
      allow_unreachable:
        description: Allow a list that holds only addresses no SMPP client on the Internet can bind from.
        type: bool
        default: false
      wait:
        description: Wait until OVH has applied the change (settings status leaves C(UPDATING_IP)).
        type: bool
        default: true
      wait_timeout:
        description: Seconds to wait when O(allowed_ips.wait=true).
        type: int
        default: 300
  senders:
    description: The senders, as M(smppops.ovh.smpp_sender) converges them. Omitted, the senders are left alone.
    type: dict
    suboptions:
      senders:
        description: The senders, each as M(smppops.ovh.smpp_sender)'s O(smppops.ovh.smpp_sender#module:senders) takes it.
        type: list
        elements: dict
        required: true
        suboptions:
          sender:
            description: Sender name (up to 11 characters) or phone number.
            type: str
            required: true
          description:
            description: Description shown in the Control Panel.
            type: str
          reason:
            description: Why the sender is needed, sent to OVH with the request for a new sender.
            type: str
          enabled:
            description: Whether the sender is enabled (only once OVH has validated it).
            type: bool
          state:
            description: V(absent) deletes the sender.
            type: str
            choices: [present, absent]
            default: present
      purge:
        description: Delete the senders not listed.
        type: bool
        default: false
  top_up:
    description:
      - Top the account up to O(top_up.min_credits) from another account, as M(smppops.ovh.smpp_credit) with
        O(smppops.ovh.smpp_credit#module:target_min_credits) does it (at most once, holding the source and this
        account, never below the source's reserve). Omitted, no credit moves.
    type: dict
    suboptions:
      source:
        description: The SMS account the credits come from (of the same OVH customer). Required.
        type: str
      min_credits:
        description: Transfer exactly the shortfall when the account has fewer credits than this. Required.
        type: float
      source_reserve:
        description: Never take the source below this many credits; the top-up fails instead.
        type: float
        default: 0
      settle_timeout:
        description: Seconds to settle a transfer whose answer was lost, from both balances.
        type: int
        default: 60
      lock_timeout:
        description: Seconds to wait for the source and this account to be free of other transfers.
        type: int
        default: 300
  automatic_recredit:
    description: The automatic re-credit settings, as M(smppops.ovh.smpp_credit) sets them. Omitted, they are left alone.
    type: dict
    suboptions:
      amount:
        description: Credits bought when the balance falls under the threshold; V(0) disables it.
        type: int
        choices: [0, 100, 200, 250, 500, 1000, 5000, 10000]
      threshold:
        description: Balance under which the automatic re-credit triggers.
        type: float
  password:
    description:
      - Renew the SMPP password when its recorded renewal is older than O(password.max_age_days), as
        M(smppops.ovh.smpp_password) does it. Omitted, the password is never renewed.
      - In check mode, an account still waiting for its first allowed IP (status C(WAITING_IP)) is reported as a
        renewal that becomes possible once the allowed IPs are applied.
    type: dict
    suboptions:
      max_age_days:
        description: Maximum age of the password in days.
        type: int
        required: true
      untracked:
        description: What to do when no renewal is recorded; see M(smppops.ovh.smpp_password).
        type: str
        choices: [skip, track, renew]
        default: skip
      lock_timeout:
        description: Seconds to wait for another run renewing the same password.
        type: int
        default: 300
  observed:
    description:
      - The account as read earlier in the run, in the shape of one element of M(smppops.ovh.smpp_info)'s
        RV(smppops.ovh.smpp_info#module:smpp_accounts) with its C(read_at) (UTC, C(YYYY-MM-DDTHH:MM:SS.ffffffZ)).
      - Only used to skip areas with nothing to do; see the snapshot rule above.
      - The same dict as a JSON string is accepted too, as for any dict option. The smppops.ovh.smpp_account
        role passes C(smpp_observed | to_json), because ansible-core keeps every host's task arguments until the task
        has run on all hosts, and one string takes a fraction of the memory of a copy of every value with its origin.
      - Not echoed in the result's C(invocation) (shown with C(-v)), for the same reason.
    type: dict
  observed_max_age:
    description: Seconds after its C(read_at) during which O(observed) may be used.
    type: int
    default: 300
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Each managed area predicts what it would change from reads only; nothing is written.
    support: full
  diff_mode:
    description: Shows the whole account view before and after (predicted in check mode).
    support: full
seealso:
  - module: smppops.ovh.smpp_acl
  - module: smppops.ovh.smpp_sender
  - module: smppops.ovh.smpp_credit
  - module: smppops.ovh.smpp_password
  - module: smppops.ovh.smpp_info
author:
  - smppops.ovh maintainers (@smppops)
"""

EXAMPLES = r"""
- name: Bring the account to its desired state, skipping what the inventory just read as already right
  smppops.ovh.smpp_account_state:
    service_name: "{{ inventory_hostname }}"
    observed: "{{ smpp_observed | default(omit) }}"
    allowed_ips:
      ips: [203.0.113.10, 2001:db8::10]
      purge: true
    senders:
      senders:
        - sender: ACME
          description: Alerts
    top_up:
      source: smpp-ab12345-1
      min_credits: 500
      source_reserve: 1000
    automatic_recredit:
      amount: 0
    password:
      max_age_days: 90
      untracked: track
  register: smpp_account_state

- name: Show the balance as it is now
  ansible.builtin.debug:
    var: smpp_account_state.smpp_account.credits_left
"""

RETURN = r"""
smpp_account:
  description:
    - The account as it is now (predicted in check mode), in the shape of one element of M(smppops.ovh.smpp_info)'s
      RV(smppops.ovh.smpp_info#module:smpp_accounts), with C(read_at), when the first reads (or the snapshot) were made.
    - Built from the snapshot or the first reads, updated from what each area that changed returned; only what an
      area cannot tell is read again.
  returned: success
  type: dict
allowed_ips:
  description: What the allowed IP area did, as M(smppops.ovh.smpp_acl) returns it, with C(ran) (false when there was nothing to do and nothing was sent).
  returned: when O(allowed_ips) is set
  type: dict
senders:
  description: What the sender area did, as M(smppops.ovh.smpp_sender) returns it, with C(ran).
  returned: when O(senders) is set
  type: dict
top_up:
  description: What the top-up did, as M(smppops.ovh.smpp_credit) returns it (this account is its target), with C(ran).
  returned: when O(top_up) is set
  type: dict
automatic_recredit:
  description: What the automatic re-credit area did, as M(smppops.ovh.smpp_credit) returns it, with C(ran).
  returned: when O(automatic_recredit) is set
  type: dict
password:
  description: What the password area did, as M(smppops.ovh.smpp_password) returns it, with C(ran).
  returned: when O(password) is set
  type: dict
areas_run:
  description: The areas that ran their module's logic, in order (an area with nothing to do is not run).
  returned: always
  type: list
  elements: str
  sample: [allowed_ips, password]
failed_area:
  description: The area that failed; the areas after it were not run.
  returned: failure of an area
  type: str
  sample: top_up
observed_used:
  description: Whether O(observed) was used to skip areas with nothing to do.
  returned: always
  type: bool
observed_ignored:
  description: Why O(observed) was not used (null when it was).
  returned: always
  type: str
  sample: the snapshot was read 412 s ago, more than observed_max_age=300
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

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_account_state as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
