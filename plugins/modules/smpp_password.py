#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_password
short_description: Renew the password of an OVHcloud SMPP account, safely on a schedule
version_added: 0.1.0
description:
  - Renews the SMPP password (Control Panel "Generate a new password"). OVH e-mails the new password to the
    account's contact e-mail address; the API never returns it, and neither does this module.
  - Without O(max_age_days) every run renews (an explicit action, reported as changed). With O(max_age_days), it
    renews only when the last recorded renewal is older, so a daily scheduled job renews at most once per period.
    An account whose last renewal is not recorded is not renewed unless O(untracked) says so.
  - Before renewing, waits (up to O(wait_timeout)) while OVH applies an allowed-IP change (status C(UPDATING_IP));
    OVH allows a renewal in status C(SUCCESS) only. Fails without renewing in status C(DELETED), C(ERROR),
    C(UNKNOWN) or C(WAITING_IP), and on plain SMS accounts.
  - The renewal time (UTC, C(YYYY-MM-DDTHH:MM:SSZ)) is recorded as the IAM tag C(smppops-password-rotated-at) on the
    account B(before) the renewal is sent, and read back from the IAM v2 resource. If it cannot be recorded (for
    example the credentials lack the IAM tag rights), the password is not renewed and the task fails naming the
    access rules to add.
  - An existing record is replaced without ever deleting it (OVH does not document an add on an existing key; when it
    is refused, the tags are replaced in one update), so a failure leaves either the new time or the previous one.
  - A renewal request whose outcome is unknown (timeout, dropped connection, server error, unreadable answer) is never
    repeated; the task fails with RV(renewal_outcome=unknown) and says that the password may have been renewed, and
    the record stays, so scheduled runs do not renew it again. A renewal OVH refuses gets the previous record back.
  - The last renewal time is read from the 1.0 account (C(iam.tags)) and, when that does not settle it, from the
    authoritative IAM v2 resource.
  - A renewal due by O(max_age_days) holds the account (a lock shared by the workers of one run, a lease recorded as
    the IAM tag C(smppops-lease) across runs) and decides again on the record read under the hold, so that two runs
    at once renew it once.
options:
  service_name:
    description: The SMPP account, for example V(smpp-ab12345-1).
    type: str
    required: true
  max_age_days:
    description:
      - Renew only when the last recorded renewal is older than this many days, or when none is recorded.
      - If not set, the password is renewed on every run.
    type: int
  untracked:
    description:
      - With O(max_age_days), what to do with an account whose last renewal is not recorded or cannot be read, for
        example an account created before the collection managed it.
      - V(skip) leaves the password alone and warns (RV(untracked=true)).
      - V(track) records the current time as its last renewal without renewing, so the maximum age counts from now.
      - V(renew) renews it now.
    type: str
    choices: [skip, track, renew]
    default: skip
  force:
    description: Renew regardless of O(max_age_days).
    type: bool
    default: false
  wait_timeout:
    description: Seconds to wait for the account to reach status C(SUCCESS) before renewing.
    type: int
    default: 300
  lock_timeout:
    description:
      - With O(max_age_days), seconds to wait while another task or run holds the account (it may be renewing it).
    type: int
    default: 300
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Reports whether the password would be renewed or tracked (and fails where the real run would), without writing.
    support: full
  diff_mode:
    description: The password is never shown; there is nothing to diff.
    support: none
author:
  - smppops.ovh maintainers (@smppops)
"""

EXAMPLES = r"""
- name: Renew now (explicit action)
  smppops.ovh.smpp_password:
    service_name: smpp-ab12345-1

- name: Daily job - renew only when the password is older than 90 days
  smppops.ovh.smpp_password:
    service_name: smpp-ab12345-1
    max_age_days: 90
  register: renewal

- name: Adopt existing accounts - start counting their age from now, without renewing
  smppops.ovh.smpp_password:
    service_name: smpp-ab12345-1
    max_age_days: 90
    untracked: track

- name: Tell where the password went
  ansible.builtin.debug:
    msg: "{{ renewal.msg }}"
  when: renewal.rotated
"""

RETURN = r"""
rotated:
  description: Whether the password was renewed (in check mode, whether it would be).
  returned: success
  type: bool
  sample: true
rotated_at:
  description: UTC time of this renewal; null when the password was not renewed.
  returned: success
  type: str
  sample: "2026-11-24T17:58:03Z"
previous_rotated_at:
  description: The renewal time recorded before this task; null when none was recorded.
  returned: success
  type: str
  sample: "2026-08-26T06:00:00Z"
rotation_recorded:
  description: Whether a time was recorded on the account (IAM tag C(smppops-password-rotated-at)) by this task.
  returned: success, and when a renewal failed after its record was written
  type: bool
  sample: true
untracked:
  description: Whether no readable renewal time was recorded on the account before this task.
  returned: success
  type: bool
  sample: false
tracked_since:
  description: The time recorded by O(untracked=track), from which the maximum age now counts.
  returned: when O(untracked=track) started tracking the account
  type: str
  sample: "2026-11-29T15:00:00Z"
renewal_outcome:
  description:
    - After a failed renewal request, V(not_renewed) (OVH refused it; the previous record was put back) or V(unknown)
      (the password may have been renewed - check the contact's mailbox before using O(force)).
  returned: when the renewal request failed
  type: str
  sample: unknown
reason:
  description: Why the password was, or was not, renewed.
  returned: success
  type: str
  sample: "the last renewal (2026-08-26T06:00:00Z) is 90.5 days old, more than max_age_days=90"
msg:
  description: What happened, including where OVH sends the new password.
  returned: always
  type: str
status:
  description: SMPP settings status that prevented the renewal.
  returned: when the status prevents a renewal
  type: str
  sample: ERROR
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

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_password as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
