#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_credential_check
short_description: Check that the OVH consumer key grants the API calls a run needs, before it writes
version_added: 0.2.0
description:
  - Reads the consumer key's own access rules (C(GET /auth/currentCredential)) and names the rules of
    O(required_rules) that none of them covers, so that a job fails before its first write instead of half-way.
  - The rules each module needs are in the collection's C(playbooks/vars/consumer_key_rules.yml), the file the
    C(smppops.ovh.consumer_key) playbook requests keys from; the playbooks run this check first with
    C(-e smpp_check_credential=true).
  - A granted C(*) matches any text, C(/) included; a required C(*) is covered only by a granted C(*), so a key
    limited to one account (C(/sms/smpp-ab12345-1/*)) does not cover C(/sms/*).
  - With an OAuth2 service account (O(client_id)) nothing is read; rights then come from IAM policies and the
    module warns that it did not check.
  - Never changes anything.
options:
  required_rules:
    description: The access rules the run needs.
    type: list
    elements: dict
    required: true
    suboptions:
      method:
        description: HTTP method.
        type: str
        required: true
        choices: [GET, POST, PUT, DELETE]
      path:
        description: API path, relative to the API version root, with C(*) wildcards, for example V(/sms/*/smpp/allowedIPs).
        type: str
        required: true
  fail_on_missing:
    description: Fail when a rule is missing or the key is not validated. With V(false), only report them.
    type: bool
    default: true
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
  - name: OVHcloud API access rules
    description: How consumer keys are restricted to routes.
    link: https://help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api
"""

EXAMPLES = r"""
- name: Stop now if the key cannot renew passwords
  smppops.ovh.smpp_credential_check:
    required_rules:
      - {method: GET, path: /sms/*}
      - {method: POST, path: /sms/*/smpp/password}
      - {method: POST, path: /v2/iam/resource/*}
      - {method: DELETE, path: /v2/iam/resource/*}

- name: Report what a bootstrap would need, without failing
  smppops.ovh.smpp_credential_check:
    required_rules: "{{ consumer_key_rules_by_module.values() | flatten | unique | list }}"
    fail_on_missing: false
  register: credential_check
"""

RETURN = r"""
checked:
  description: Whether the credential was read (false with an OAuth2 service account).
  returned: always
  type: bool
  sample: true
missing_rules:
  description: The required rules no granted rule covers, without duplicates.
  returned: always
  type: list
  elements: dict
  sample: [{"method": "POST", "path": "/sms/*/smpp/password"}]
credential:
  description: The consumer key as OVH describes it; null when not read.
  returned: always
  type: dict
  contains:
    status:
      description: V(validated), V(pendingValidation), V(refused) or V(expired).
      type: str
      sample: validated
    expiration:
      description: When the key expires, if it does.
      type: str
    rules:
      description: The access rules granted to the key.
      type: list
      elements: dict
      sample: [{"method": "GET", "path": "/sms/*"}]
    allowed_ips:
      description: The addresses the key may be used from, if restricted.
      type: list
      elements: str
api_calls:
  description: The API calls the task made, in order; the HTTP status is null when no answer arrived.
  returned: when O(report_api_calls=true)
  type: list
  elements: dict
  sample: [{"method": "GET", "path": "/auth/currentCredential", "status": 200}]
error:
  description: On API failure, what OVH answered; quote C(query_id) to OVHcloud support.
  returned: failure
  type: dict
  sample: {"http_status": 403, "error_class": "Client::Forbidden", "message": "This credential is not valid",
           "query_id": "EU.ext-1.6744c1a2.12345.abcdef", "method": "GET", "path": "/auth/currentCredential"}
"""

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_credential_check as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
