#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: smpp_bind_check
short_description: Check that an SMPP client host can bind to an OVHcloud SMPP account
version_added: 0.2.0
description:
  - Runs B(on the SMPP client host) (or on the host it is delegated to), because OVH allows a bind only from the
    addresses in the account's allowed-IP list. It opens the account's SMPP endpoint, binds with the system ID and
    the password, optionally sends C(enquire_link) and a test message, and unbinds.
  - Reports whether the bind succeeded, the SMPP C(command_status) by name (for example C(ESME_RINVPASWD),
    C(ESME_RINVSYSID), C(ESME_RBINDFAIL), C(ESME_RBINDTHROTTLED)), what to do about it, the address the connection
    came from, the TLS version and the gateway certificate's subject and expiry, and the bind latency.
  - Fails when the host cannot bind, with RV(bound=false) and the same details, so that a play stops; use
    C(failed_when) to collect results instead (as the C(smppops.ovh.verify) playbook does).
  - Needs nothing on the target host but Python 3.9 or newer and its standard library. It never calls the OVH API,
    so it takes none of the API connection options and is not in the C(smppops.ovh.all) action group.
  - Speaks SMPP 3.4 (bind, enquire_link, submit_sm, unbind); OVH's secured endpoint requires TLS 1.3, which this
    module also requires when O(tls=true).
options:
  host:
    description:
      - The gateway host name, from the account's endpoints (M(smppops.ovh.smpp_info), C(endpoints[].secured) or
        C(endpoints[].unsecured), the part before the colon).
    type: str
    required: true
  port:
    description: The gateway port (the part of the endpoint after the colon).
    type: int
    required: true
  tls:
    description:
      - Use TLS (OVH's C(secured) endpoint, TLS 1.3 minimum). V(false) for the C(unsecured) endpoint, kept by OVH
        for older clients only.
    type: bool
    default: true
  validate_certs:
    description:
      - Verify the gateway's certificate and host name. Set to V(false) only for tests; the certificate details
        are then not reported.
    type: bool
    default: true
  ca_path:
    description:
      - A PEM file of CA certificates to trust instead of the host's default trust store (for example a test
        gateway's own CA). A path on the host the module runs on.
    type: path
  system_id:
    description: The account's SMPP system ID (C(system_id) in M(smppops.ovh.smpp_info)), at most 15 characters.
    type: str
    required: true
  password:
    description:
      - The SMPP password, at most 8 characters (SMPP 3.4). Keep it in a vault. It never appears in the results.
    type: str
    required: true
  bind_type:
    description: How to bind.
    type: str
    choices: [transceiver, transmitter, receiver]
    default: transceiver
  source_address:
    description:
      - Local address to connect from, on a host with several addresses. The gateway checks this address against
        the account's allowed IPs. By default the system picks it.
    type: str
  timeout:
    description: Seconds the whole check may take (connection, TLS, bind, enquire_link, test message, unbind).
    type: float
    default: 10
  enquire_link:
    description: After binding, send C(enquire_link) and report whether the gateway answers it.
    type: bool
    default: false
  test_message:
    description:
      - Send one SMS through the bind (C(submit_sm)). It costs credits; off unless given. The task is then
        C(changed). In check mode the message is not sent.
      - The returned C(message_id) is the C(messageID) of the message in the account's outgoing history.
    type: dict
    suboptions:
      to:
        description: International number with its country code, for example V(+33601020304).
        type: str
        required: true
      text:
        description: The text; GSM 7-bit when every character allows it, otherwise UCS2. One SMS at most.
        type: str
        required: true
      sender:
        description: The sender (an allowed sender of the account, a short code or a virtual number).
        type: str
        default: ""
attributes:
  check_mode:
    description: The bind check runs in check mode too (it changes nothing); a test message is not sent.
    support: full
  diff_mode:
    description: Nothing to diff.
    support: none
  platform:
    description: Runs on the SMPP client host; any POSIX host with Python 3.9 or newer.
    support: full
    platforms: posix
notes:
  - The module does not read the OVH API. To check every client host against its account, with the system ID and
    endpoint read from the API, use the C(smppops.ovh.verify) playbook.
seealso:
  - module: smppops.ovh.smpp_info
  - module: smppops.ovh.smpp_acl
  - module: smppops.ovh.smpp_password
author:
  - smppops.ovh maintainers (@smppops)
"""

EXAMPLES = r"""
- name: Can this gateway host still bind after the password renewal?
  smppops.ovh.smpp_bind_check:
    host: smpp1.example.net
    port: 2776
    system_id: k3y9q2w7
    password: "{{ vault_smpp_password }}"
    enquire_link: true
  register: bind

- name: Collect the result instead of failing
  smppops.ovh.smpp_bind_check:
    host: smpp1.example.net
    port: 2776
    system_id: k3y9q2w7
    password: "{{ vault_smpp_password }}"
    source_address: 192.0.2.15
  register: bind
  failed_when: false

- name: Send one test SMS (costs credits)
  smppops.ovh.smpp_bind_check:
    host: smpp1.example.net
    port: 2776
    system_id: k3y9q2w7
    password: "{{ vault_smpp_password }}"
    test_message:
      to: "+33601020304"
      text: SMPP test
      sender: ACME
"""

RETURN = r"""
bound:
  description: Whether the bind succeeded.
  returned: always
  type: bool
  sample: false
outcome:
  description:
    - V(bound); V(refused) (the gateway answered the bind with an error status); V(unreachable) (connection
      refused or no route); V(timeout); V(tls_error); V(closed) (closed without answering); V(protocol_error);
      V(invalid) (bad options, nothing sent).
  returned: always
  type: str
  sample: refused
command_status:
  description: The C(command_status) of the bind response; null when there was none.
  returned: always
  type: int
  sample: 14
command_status_name:
  description: Its SMPP name.
  returned: always
  type: str
  sample: ESME_RINVPASWD
command_status_description:
  description: What the status means.
  returned: always
  type: str
  sample: Invalid password
advice:
  description: What to do about a failure.
  returned: always
  type: list
  elements: str
  sample: ["The gateway refused the password for this system ID. If the password was renewed ..."]
endpoint:
  description: The C(host:port) checked.
  returned: always
  type: str
  sample: smpp1.example.net:2776
system_id:
  description: The system ID used.
  returned: always
  type: str
  sample: k3y9q2w7
bind_type:
  description: The bind type used.
  returned: always
  type: str
  sample: transceiver
local_address:
  description: The address the connection came from, which the gateway compares with the allowed IPs (unless a NAT
    is in between); null when no connection was made.
  returned: always
  type: str
  sample: 192.0.2.15
remote_address:
  description: The gateway address connected to.
  returned: always
  type: str
  sample: 198.51.100.5
gateway_system_id:
  description: The system ID the gateway answered with.
  returned: when bound
  type: str
latency_ms:
  description: Milliseconds between sending the bind and receiving its response.
  returned: always
  type: float
  sample: 42.5
tls:
  description: TLS facts; null when no connection was made.
  returned: always
  type: dict
  contains:
    enabled:
      description: Whether TLS was used.
      type: bool
    version:
      description: TLS version negotiated.
      type: str
      sample: TLSv1.3
    cipher:
      description: Cipher negotiated.
      type: str
    certificate:
      description: The gateway certificate (null when O(validate_certs=false)).
      type: dict
      contains:
        subject:
          description: Subject.
          type: str
        issuer:
          description: Issuer.
          type: str
        not_after:
          description: Expiry (UTC).
          type: str
          sample: "2027-11-29T15:00:00Z"
        days_left:
          description: Whole days until expiry.
          type: int
enquire_link:
  description: The C(enquire_link) answer (C(ok), C(command_status), C(command_status_name), C(latency_ms)).
  returned: when O(enquire_link=true) and bound
  type: dict
test_message:
  description:
    - C(sent), C(to), and when sent C(message_id) (the C(messageID) of the account's outgoing history) and the
      C(command_status) of C(submit_sm).
  returned: when O(test_message) is given and bound
  type: dict
msg:
  description: What happened.
  returned: always
  type: str
  sample: Bound to smpp1.example.net:2776 as k3y9q2w7 (transceiver) from 192.0.2.15 in 42.5 ms
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.smppops.ovh.plugins.module_utils._smpp_bind_check import ARGUMENT_SPEC, check


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    failed, result = check(module.params, check_mode=module.check_mode)
    if failed:
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
