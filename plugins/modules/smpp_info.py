#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_info
short_description: Read OVHcloud SMS SMPP accounts (login details, allowed IPs, credits, senders, history)
version_added: 0.1.0
description:
  - Reads one SMPP account, or every SMPP account of the customer, as the OVHcloud Control Panel's SMPP screens
    show them - system ID, SMPP endpoints, status, throughput, windowing, allowed IPs, credits, automatic
    re-credit settings, senders - plus the last password rotation recorded by M(smppops.ovh.smpp_password).
  - Optionally reads the SMS history (outgoing and incoming messages since a datetime).
  - Never returns a password; OVH's API cannot read it back.
  - Without O(service_name), lists every SMS service (C(GET /sms)) and keeps the accounts whose C(smpp) flag is true;
    accounts are read side by side, at most O(max_concurrent_requests) requests at a time.
options:
  service_name:
    description:
      - The SMPP account to read, for example V(smpp-ab12345-1).
      - If not set, every SMPP account of the customer is returned.
      - The task fails if the account exists but is a plain SMS account (not SMPP).
    type: str
  history:
    description:
      - Read the SMS history too. Each direction is read only when its C(_since) option is set.
    type: dict
    suboptions:
      outgoing_since:
        description: ISO 8601 datetime (for example V(2026-11-01T00:00:00Z)); count and list messages sent since then.
        type: str
      incoming_since:
        description: ISO 8601 datetime; count and list messages received since then.
        type: str
      limit:
        description: At most this many messages per direction are returned in RV(smpp_accounts[].history), newest first (the count is always complete).
        type: int
        default: 20
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Read-only; runs normally in check mode.
    support: full
  diff_mode:
    description: Read-only; there is nothing to diff.
    support: N/A
author:
  - smppops.ovh maintainers (@smppops)
seealso:
  - name: Managing an SMS SMPP account (OVHcloud guide)
    description: What the Control Panel shows for an SMPP account.
    link: https://help.ovhcloud.com/csm/en-sms-smpp-control-panel
"""

EXAMPLES = r"""
- name: Read every SMPP account of the customer
  smppops.ovh.smpp_info:
  register: smpp

- name: Show where to connect
  ansible.builtin.debug:
    msg: "{{ item.service_name }}: {{ item.system_id }} @ {{ item.endpoints | map(attribute='secured') | join(', ') }}"
  loop: "{{ smpp.smpp_accounts }}"

- name: Read one account with the last day of history, credentials from a module_defaults group
  module_defaults:
    group/smppops.ovh.all:
      application_key: "{{ ovh_application_key }}"
      application_secret: "{{ ovh_application_secret }}"
      consumer_key: "{{ ovh_consumer_key }}"
  smppops.ovh.smpp_info:
    service_name: smpp-ab12345-1
    history:
      outgoing_since: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now(utc=true).timestamp() - 86400, utc=true) }}"
      limit: 5
"""

RETURN = r"""
smpp_accounts:
  description: The SMPP accounts read, sorted by service name.
  returned: success
  type: list
  elements: dict
  contains:
    service_name:
      description: The account's service name.
      type: str
      sample: smpp-ab12345-1
    system_id:
      description: SMPP C(system_id) to bind with (falls back to the service name on accounts that have none).
      type: str
      sample: 8fz2kq3w
    status:
      description: SMPP settings status (V(SUCCESS), V(UPDATING_IP), V(WAITING_IP), V(ERROR), V(DELETED), V(UNKNOWN)).
      type: str
      sample: SUCCESS
    account_status:
      description: SMS account status (V(enable) or V(disable)).
      type: str
      sample: enable
    endpoints:
      description: SMPP endpoints as C(host:port); C(secured) uses TLS 1.3, C(unsecured) is plain text.
      type: list
      elements: dict
      sample: [{"secured": "smpp1.example.invalid:2776", "unsecured": "smpp1.example.invalid:2775"}]
    throughput:
      description: Messages per second allowed per connection.
      type: int
      sample: 20
    windowing:
      description: Messages processed simultaneously.
      type: int
      sample: 10
    allowed_ips:
      description: IP addresses allowed to bind, IPv4 first, sorted numerically.
      type: list
      elements: str
      sample: ["203.0.113.10", "2001:db8::10"]
    credits_left:
      description: SMS credits left on the account.
      type: float
      sample: 1500.0
    automatic_recredit_amount:
      description: Credits bought automatically when the threshold is reached; null when disabled.
      type: int
      sample: 1000
    automatic_recredit_threshold:
      description: Credit level that triggers the automatic re-credit.
      type: float
      sample: 100.0
    senders:
      description: The account's senders.
      type: list
      elements: dict
      contains:
        sender:
          description: Sender name or number.
          type: str
        description:
          description: Description given when it was requested.
          type: str
        status:
          description: V(enable), V(disable), V(waitingValidation) or V(refused).
          type: str
        type:
          description: V(alpha), V(numeric), V(shortcode) or V(virtual).
          type: str
        referer:
          description: Origin of the sender (V(custom), V(nic), ...).
          type: str
        comment:
          description: OVH moderator's comment, if any.
          type: str
    description:
      description: Account description.
      type: str
    channel:
      description: Account channel (V(transactional) or V(marketing)).
      type: str
      sample: transactional
    password_rotated_at:
      description: >-
        UTC time of the last password renewal recorded by M(smppops.ovh.smpp_password) (IAM tag
        C(smppops-password-rotated-at)); null when none was recorded.
      type: str
      sample: "2026-11-24T17:58:03Z"
    read_at:
      description:
        - UTC time when this account's reads began (C(YYYY-MM-DDTHH:MM:SS.ffffffZ)). Every value of the
          account was read at this time or later; tasks given the account as a snapshot judge its age by it.
      type: str
      sample: "2026-11-24T18:02:11.532907Z"
      version_added: 0.2.0
    history:
      description: SMS history, when O(history) is set.
      type: dict
      returned: when O(history) is set
      contains:
        outgoing:
          description: C(since), C(count) (all messages since then) and C(items) (newest first, at most O(history.limit)).
          type: dict
          returned: when O(history.outgoing_since) is set
        incoming:
          description: Same shape as RV(smpp_accounts[].history.outgoing).
          type: dict
          returned: when O(history.incoming_since) is set
api_calls:
  description: The API calls the task made, in order; the HTTP status is null when no answer arrived.
  returned: when O(report_api_calls=true)
  type: list
  elements: dict
  sample: [{"method": "GET", "path": "/sms/smpp-ab12345-1", "status": 200}]
error:
  description: On API failure, what OVH answered; quote C(query_id) to OVHcloud support.
  returned: failure
  type: dict
  sample: {"http_status": 404, "error_class": "Client::NotFound", "message": "This service does not exist",
           "query_id": "EU.ext-1.6744c1a2.12345.abcdef", "method": "GET", "path": "/sms/smpp-zz00000-1"}
"""

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_info as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
