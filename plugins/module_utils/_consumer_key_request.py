# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resource logic of ``smppops.ovh.consumer_key_request``: ask OVH for a new consumer key (private).

``POST /auth/credential`` is the one unsigned call of the API (only the application key is sent),
but it goes through the same client as every other call: the same endpoint rules (plain http only
to loopback, redirects refused), timeouts, query IDs and the POST rule (never repeated). The new
key is a secret: it is written to ``dest`` (mode 0600, replaced atomically) and never returned,
so no callback, ``-vvv`` or ``ANSIBLE_DEBUG`` output can show it.
"""

from __future__ import annotations

import os
import tempfile

from ansible_collections.smppops.ovh.plugins.module_utils._errors import InputError, SmppOpsError
from ansible_collections.smppops.ovh.plugins.module_utils._options import access_rules_option

ARGUMENT_SPEC = {
    "access_rules": access_rules_option(),
    "redirection": {"type": "str"},
    "dest": {"type": "path", "required": True},
    "overwrite": {"type": "bool", "default": False},
}
CONSTRAINTS = {}
# python-ovh will not build a client without an application secret, although this call is not
# signed; a user who has only the application key at hand gets this stand-in, never sent.
UNSIGNED_SECRET = "unused-the-consumer-key-request-is-not-signed"


def client_params(params):
    """The connection options of an unsigned call: the application key and the endpoint rules only."""
    return dict(params, application_secret=params.get("application_secret") or UNSIGNED_SECRET,
                consumer_key=None, client_id=None, client_secret=None)


def run(params, ctx):
    if params.get("client_id"):
        raise InputError("client_id: an OAuth2 service account gets its rights from IAM policies, not from a "
                         "consumer key; use application_key")
    rules = _unique(params["access_rules"])
    dest = params["dest"]
    _check_dest(dest, params["overwrite"])
    result = {"changed": True, "access_rules": rules, "dest": dest, "validation_url": None, "state": None}
    if ctx.check_mode:
        return result
    body = {"accessRules": rules}
    if params.get("redirection"):
        body["redirection"] = params["redirection"]
    answer = ctx.api.post("/auth/credential", body, signed=False)
    key = (answer or {}).get("consumerKey")
    if not isinstance(key, str) or not key:
        raise SmppOpsError("OVH answered POST /auth/credential without a consumer key (OVH query ID %s); "
                           "nothing was written to %s" % (ctx.api.last_query_id, dest))
    _write_private(dest, "OVH_CONSUMER_KEY=%s\n" % key)
    result.update(validation_url=answer.get("validationUrl"), state=answer.get("state"))
    return result


def _unique(rules):
    unique = []
    for rule in rules:
        wanted = {"method": rule["method"], "path": rule["path"]}
        if wanted not in unique:
            unique.append(wanted)
    return unique


def _check_dest(dest, overwrite):
    """Refuse, before any request, a destination that cannot be written or that holds a key already."""
    directory = os.path.dirname(dest) or "."
    if not os.path.isdir(directory):
        raise InputError("dest=%s: the directory %s does not exist" % (dest, directory))
    if os.path.isdir(dest):
        raise InputError("dest=%s is a directory; give the path of the file to write" % dest)
    if os.path.exists(dest) and not overwrite:
        raise InputError("dest=%s exists and may hold a key still in use; move it away or set overwrite=true" % dest)


def _write_private(dest, content):
    """Write ``content`` readable by its owner only, replacing ``dest`` in one step."""
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(dest) or ".", prefix=".consumer-key-")
    try:
        with os.fdopen(handle, "w") as stream:  # mkstemp creates the file 0600
            stream.write(content)
        os.replace(temporary, dest)
    except OSError as exc:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise SmppOpsError("the new consumer key could not be written to %s (%s); it is lost: request another"
                           % (dest, exc.strerror or exc))
