#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: consumer_key_request
short_description: Request an OVH consumer key restricted to given access rules, and keep it in a private file
version_added: 0.2.0
description:
  - Sends C(POST /auth/credential) with O(access_rules) and writes the new consumer key to O(dest) as
    C(OVH_CONSUMER_KEY=<key>), readable by its owner only (mode C(0600)), replacing the file in one step.
  - The key is never returned nor shown in any output, at any verbosity; only the file holds it. The key works
    once the owner of the OVHcloud account has opened RV(validation_url) and logged in.
  - The request is not signed (OVH asks for the application key only), so O(application_secret) and
    O(consumer_key) are not needed and not used. It goes through the same client as every module, so the same
    O(endpoint) rules apply (plain C(http://) only to a loopback host, redirects never followed), and the POST is
    never repeated after a failure.
  - The rules each module of the collection needs are kept in the collection's
    C(playbooks/vars/consumer_key_rules.yml); the C(smppops.ovh.consumer_key) playbook requests a key from them.
  - Each run creates a new key at OVH, so the task always reports a change.
options:
  access_rules:
    description: The API calls the key may make. Duplicates are sent once.
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
        description: API path, relative to the API version root, where C(*) matches any text, for example V(/sms/*).
        type: str
        required: true
  redirection:
    description: Where OVH sends the browser once the key is validated.
    type: str
  dest:
    description:
      - The file the key is written to, on the host the task runs for (the controller, as an action plugin).
      - Its directory must exist.
    type: path
    required: true
  overwrite:
    description:
      - Replace O(dest) when it exists. By default an existing file, which may hold a key still in use, makes the
        task fail before any request.
    type: bool
    default: false
extends_documentation_fragment:
  - smppops.ovh.api
  - smppops.ovh.api.attributes
attributes:
  check_mode:
    description: Checks the options and O(dest), then returns the rules that would be requested; nothing is sent
      and no file is written.
    support: full
  diff_mode:
    description: The key is a secret; there is nothing to show.
    support: none
author:
  - smppops.ovh maintainers (@smppops)
seealso:
  - name: First steps with the OVHcloud APIs
    description: Application keys, consumer keys and their validation.
    link: https://help.ovhcloud.com/csm/en-api-getting-started-ovhcloud-api
  - module: smppops.ovh.smpp_credential_check
"""

EXAMPLES = r"""
- name: Request a read-only key for the SMS services
  smppops.ovh.consumer_key_request:
    application_key: "{{ lookup('ansible.builtin.env', 'OVH_APPLICATION_KEY') }}"
    access_rules:
      - {method: GET, path: /sms}
      - {method: GET, path: /sms/*}
    dest: "{{ playbook_dir }}/ovh-consumer-key.env"
  register: new_key

- name: Tell the account owner where to validate it
  ansible.builtin.debug:
    msg: "Open {{ new_key.validation_url }} and log in as the owner of the SMS services."
"""

RETURN = r"""
access_rules:
  description: The rules requested (or that would be, in check mode), without duplicates.
  returned: always
  type: list
  elements: dict
  sample: [{"method": "GET", "path": "/sms/*"}]
dest:
  description: The file that holds the key.
  returned: always
  type: str
  sample: /home/me/ovh-consumer-key.env
validation_url:
  description: Where the owner of the OVHcloud account validates the key; null in check mode.
  returned: always
  type: str
  sample: https://www.ovh.com/auth/sso/api?credentialToken=abc
state:
  description: The key's state as OVH reports it (V(pendingValidation) for a new key); null in check mode.
  returned: always
  type: str
  sample: pendingValidation
api_calls:
  description: The API calls the task made, in order; the HTTP status is null when no answer arrived.
  returned: when O(report_api_calls=true)
  type: list
  elements: dict
  sample: [{"method": "POST", "path": "/auth/credential", "status": 200}]
error:
  description: On API failure, what OVH answered; quote C(query_id) to OVHcloud support.
  returned: failure
  type: dict
  sample: {"http_status": 403, "error_class": "INVALID_KEY", "message": "This application key is invalid",
           "query_id": "EU.ext-1.6744c1a2.12345.abcdef", "method": "POST", "path": "/auth/credential"}
"""

from ansible_collections.smppops.ovh.plugins.module_utils import _consumer_key_request as logic
from ansible_collections.smppops.ovh.plugins.module_utils._module import run_module


def main():
    run_module(logic)


if __name__ == "__main__":
    main()
