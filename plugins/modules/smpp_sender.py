#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_sender
short_description: Converge the senders of an OVHcloud SMS or SMPP account in one task
version_added: 0.1.0
description:
  - Creates the listed senders that are missing (with a description and a reason for OVH's moderator), updates
    their description and enables or disables them, and removes the ones with O(senders[].state=absent), or every
    unlisted one with O(purge=true).
  - A new sender waits for OVH's validation (status C(waitingValidation), usually up to 72 hours). That is reported in
    RV(pending), not treated as an error; its status cannot be changed until OVH decides.
  - Every sender is validated before any write - up to 11 letters, digits or C( .,&+_-) with at least one letter, or
    a phone number (3 to 15 digits, optionally starting with C(+)).
  - Senders are read with as few requests as the API allows (one list and one batch read).
options:
  service_name:
    description: The account, for example V(smpp-ab12345-1).
    type: str
    required: true
  senders:
    description: The senders to converge.
    type: list
    elements: dict
    required: true
    suboptions:
      sender:
        description: The sender name or phone number.
        type: str
        required: true
      description:
        description: Description (shown in the Control Panel).
        type: str
      reason:
        description: Why the sender is needed; read by OVH's moderator. Used only when the sender is created.
        type: str
      enabled:
        description: Enable or disable a validated sender. Ignored while OVH has not validated it.
        type: bool
      state:
        description: V(absent) removes the sender.
        type: str
        choices: [present, absent]
        default: present
  purge:
    description: Remove every sender of the account that O(senders) does not list.
    type: bool
    default: false
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Predicts creations, updates and removals without writing.
    support: full
  diff_mode:
    description: Shows the senders before and after.
    support: full
author:
  - smppops.ovh maintainers (@smppops)
"""

EXAMPLES = r"""
- name: Request a brand sender and keep the alert sender disabled
  smppops.ovh.smpp_sender:
    service_name: smpp-ab12345-1
    senders:
      - sender: ACME
        description: Main brand
        reason: Transactional messages of ACME's web shop
      - sender: ACMEALERT
        enabled: false

- name: Exactly these senders, nothing else
  smppops.ovh.smpp_sender:
    service_name: smpp-ab12345-1
    senders:
      - sender: ACME
    purge: true
"""

RETURN = r"""
senders:
  description:
    - The account's senders after the task (predicted in check mode), sorted, each with C(sender), C(description),
      C(status), C(type), C(referer) and C(comment) as OVH gives them.
  returned: success
  type: list
  elements: dict
  sample: [{"sender": "ACME", "description": "Main brand", "status": "enable", "type": "alpha", "referer": "custom",
            "comment": null}]
created:
  description: Senders created. On a failure half-way, those whose write went through.
  returned: success, and when a write fails after others were sent
  type: list
  elements: str
updated:
  description: Senders whose description or status changed. On a failure half-way, those whose write went through.
  returned: success, and when a write fails after others were sent
  type: list
  elements: str
removed:
  description: Senders removed. On a failure half-way, those whose write went through.
  returned: success, and when a write fails after others were sent
  type: list
  elements: str
pending:
  description: Senders waiting for OVH's validation.
  returned: success
  type: list
  elements: str
  sample: ["ACMENEW"]
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

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_sender as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
