# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the connection options shared by every module (see _options.py)."""

from __future__ import annotations


class ModuleDocFragment:
    DOCUMENTATION = r"""
options:
  endpoint:
    description:
      - OVHcloud API endpoint, as a name known to python-ovh (V(ovh-eu), V(ovh-ca), V(ovh-us),
        V(kimsufi-eu), V(kimsufi-ca), V(soyoustart-eu), V(soyoustart-ca)) or as a base URL such as
        V(https://eu.api.ovh.com/1.0).
      - A base URL must use C(https://), except for loopback hosts (V(127.0.0.1), V(::1), V(localhost)),
        where C(http://) is accepted for a local emulator or proxy.
      - SMS and SMPP accounts exist only on V(ovh-eu).
      - If not set, the value of the E(OVH_ENDPOINT) environment variable is used.
    type: str
    default: ovh-eu
  application_key:
    description:
      - Application key for signature authentication.
      - If not set, the value of the E(OVH_APPLICATION_KEY) environment variable is used, then python-ovh's
        configuration files (C(./ovh.conf), C(~/.ovh.conf), C(/etc/ovh.conf)).
      - Mutually exclusive with O(client_id).
    type: str
  application_secret:
    description:
      - Application secret for signature authentication.
      - If not set, the value of the E(OVH_APPLICATION_SECRET) environment variable is used, then python-ovh's
        configuration files.
    type: str
  consumer_key:
    description:
      - Consumer key for signature authentication. Give it only the access rules the tasks need
        (see the least-privilege guide in the collection README).
      - If not set, the value of the E(OVH_CONSUMER_KEY) environment variable is used, then python-ovh's
        configuration files.
    type: str
  client_id:
    description:
      - OAuth2 client ID of an OVHcloud service account (client credentials flow).
      - If not set, the value of the E(OVH_CLIENT_ID) environment variable is used.
      - Mutually exclusive with O(application_key) and O(consumer_key). Requires O(client_secret).
      - OAuth2 is available on V(ovh-eu), V(ovh-ca) and V(ovh-us) only.
    type: str
  client_secret:
    description:
      - OAuth2 client secret of the service account.
      - If not set, the value of the E(OVH_CLIENT_SECRET) environment variable is used.
    type: str
  api_timeout:
    description:
      - Seconds to wait for each API request before giving up on it, as a deadline for the whole request
        (connection, headers and body), so a server that answers slowly byte by byte cannot keep a task busy.
      - If not set, the value of the E(OVH_API_TIMEOUT) environment variable is used.
    type: float
    default: 30
  api_retries:
    description:
      - How many times a failed GET, PUT or DELETE is repeated after HTTP 429, 502, 503, 504, a timeout or
        a dropped connection, waiting for C(Retry-After) when the API sends it and otherwise a capped,
        jittered exponential backoff. Each retry is reported as a warning.
      - A POST is never repeated automatically, because its outcome may be unknown.
      - If not set, the value of the E(OVH_API_RETRIES) environment variable is used.
    type: int
    default: 4
  max_concurrent_requests:
    description:
      - How many API requests may be in flight at once when many accounts are read (the inventory plugin, and
        M(smppops.ovh.smpp_info) without its C(service_name) option), to stay within OVH's
        rate limits. Each account's reads stay in order; accounts are read side by side.
      - After an HTTP 429 answer, no request is sent until its C(Retry-After) is over.
      - If not set, the value of the E(OVH_MAX_CONCURRENT_REQUESTS) environment variable is used.
    type: int
    default: 10
    version_added: 0.2.0
requirements:
  - python-ovh (C(ovh)) 1.2.0 or newer, on the Ansible controller.
"""

    # What every module adds to the connection options: the action group, report_api_calls and where it runs.
    ATTRIBUTES = r"""
options:
  report_api_calls:
    description:
      - Return C(api_calls), the list of API routes the task called (method, path, HTTP status),
        to audit what a task did or to build a least-privilege consumer key.
    type: bool
    default: false
notes:
  - The modules run inside the controller process (as action plugins), whatever host the play targets, so the
    E(OVH_*) environment variables of the controller (or of the AWX/AAP job) reach them.
attributes:
  action_group:
    description: Use C(group/smppops.ovh.all) in C(module_defaults) to set the connection options once for every module.
    support: full
    membership:
      - smppops.ovh.all
"""

    # The inventory plugin reads its options through Ansible's configuration system, which takes
    # environment variables from the documentation itself: this adds only those entries to the options
    # documented above (ansible-doc merges them), as community.hashi_vault does for its plugins.
    INVENTORY = r"""
options:
  endpoint:
    env:
      - name: OVH_ENDPOINT
  application_key:
    env:
      - name: OVH_APPLICATION_KEY
  application_secret:
    env:
      - name: OVH_APPLICATION_SECRET
  consumer_key:
    env:
      - name: OVH_CONSUMER_KEY
  client_id:
    env:
      - name: OVH_CLIENT_ID
  client_secret:
    env:
      - name: OVH_CLIENT_SECRET
  api_timeout:
    env:
      - name: OVH_API_TIMEOUT
  api_retries:
    env:
      - name: OVH_API_RETRIES
  max_concurrent_requests:
    env:
      - name: OVH_MAX_CONCURRENT_REQUESTS
"""
