# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Can this host bind to the SMPP account? Bind, optionally enquire_link and a test message, unbind (private).

Runs on the SMPP client host, so the standard library only. ``check(params, check_mode)`` returns
``(failed, result)``; nothing here knows about AnsibleModule.
"""

from __future__ import annotations

import errno
import socket
import ssl
import time

from ansible_collections.smppops.ovh.plugins.module_utils import _smpp_pdu as smpp
from ansible_collections.smppops.ovh.plugins.module_utils._smpp_session import Deadline, Session, tls_context

ARGUMENT_SPEC = dict(
    host=dict(type="str", required=True),
    port=dict(type="int", required=True),
    tls=dict(type="bool", default=True),
    validate_certs=dict(type="bool", default=True),
    ca_path=dict(type="path"),
    system_id=dict(type="str", required=True),
    password=dict(type="str", required=True, no_log=True),
    bind_type=dict(type="str", default="transceiver", choices=["transceiver", "transmitter", "receiver"]),
    source_address=dict(type="str"),
    timeout=dict(type="float", default=10),
    enquire_link=dict(type="bool", default=False),
    test_message=dict(type="dict", options=dict(
        to=dict(type="str", required=True),
        text=dict(type="str", required=True),
        sender=dict(type="str", default=""),
    )),
)

RENEWED_PASSWORD = ("If the password was renewed (smppops.ovh.smpp_password, the rotate_password playbook or the "
                    "Control Panel), OVH e-mailed the new one to the account's contact: put it in the vault, "
                    "then run the check again.")
ADVICE = {
    "ESME_RINVPASWD": ["The gateway refused the password for this system ID. " + RENEWED_PASSWORD],
    "ESME_RINVSYSID": ["The gateway does not know this system ID: use the account's systemID "
                       "(smppops.ovh.smpp_info, smpp_accounts[].system_id), which is not the account name."],
    "ESME_RBINDFAIL": [
        "The gateway refused the bind. Most often this host's address ({local}, as the gateway sees it unless a "
        "NAT or proxy is in between) is not in the account's allowed IPs: add it with smppops.ovh.smpp_acl.",
        "Or the account's status is not SUCCESS: WAITING_IP (no allowed IP yet) or UPDATING_IP (OVH is still "
        "applying an allowed-IP change: wait a few minutes and check again); smppops.ovh.smpp_info shows it.",
        "Or another client already holds the account's binds (one transceiver, or one transmitter/receiver "
        "pair, per zone).",
    ],
    "ESME_RBINDTHROTTLED": ["Too many bind attempts for this account: wait a minute before checking again, and look "
                            "for an SMPP client reconnecting in a loop (often with an old password)."],
    "ESME_RALYBND": ["The account is already bound by another session of this client."],
    "ESME_RTHROTTLED": ["The account's throughput or windowing limit was exceeded: slow down, then retry."],
    "ESME_RSYSERR": ["The gateway had an internal error: retry later; if it persists, contact OVHcloud support."],
}


def _advice(name, local):
    return [line.format(local=local) for line in ADVICE.get(name, [])]


def _status_fields(status):
    return {"command_status": status, "command_status_name": smpp.status_name(status),
            "command_status_description": smpp.status_description(status)}


def _network_failure(params, error, result):
    """What a connection, TLS or timeout failure means for the user."""
    where = "%s:%s" % (params["host"], params["port"])
    endpoint = "secured" if params["tls"] else "unsecured"
    if isinstance(error, socket.timeout):
        result.update(outcome="timeout", msg="No answer from %s within %s seconds" % (where, params["timeout"]))
        result["advice"] = ["A firewall may drop the traffic, or the port is wrong: compare with the account's %s "
                            "endpoint (smppops.ovh.smpp_info, endpoints[].%s)." % (endpoint, endpoint)]
    elif isinstance(error, ssl.SSLCertVerificationError):
        result.update(outcome="tls_error", msg="The certificate of %s is not trusted: %s" % (where, error.verify_message))
        result["advice"] = ["Give the CA that signed the gateway's certificate in ca_path, or install it in the "
                            "host's trust store."]
    elif isinstance(error, ssl.SSLError):
        result.update(outcome="tls_error", msg="TLS with %s failed: %s" % (where, error.reason or error))
        result["advice"] = ["OVH's secured endpoint requires TLS 1.3; with tls=true use the secured endpoint's port, "
                            "with tls=false the unsecured one."]
    elif isinstance(error, ConnectionRefusedError):
        result.update(outcome="unreachable", msg="Connection to %s refused: nothing listens there" % where)
        result["advice"] = ["Check host and port against the account's %s endpoint (smppops.ovh.smpp_info, "
                            "endpoints[].%s)." % (endpoint, endpoint)]
    elif getattr(error, "errno", None) == errno.EADDRNOTAVAIL and params["source_address"]:
        result.update(outcome="invalid", msg="source_address %s is not an address of this host" % params["source_address"])
        result["advice"] = ["Give one of this host's own addresses, or leave source_address out."]
    elif isinstance(error, ConnectionError):
        result.update(outcome="closed", msg="%s closed the connection before answering the bind" % where)
        result["advice"] = ["Some gateways close the connection instead of answering when the source address "
                            "(%s) is not allowed: check the account's allowed IPs." % (result["local_address"] or "?")]
    else:
        result.update(outcome="unreachable", msg="Cannot reach %s: %s" % (where, error))
        result["advice"] = ["Check the host name, the host's routes and its firewall."]


def _destination(message):
    destination = message["to"].lstrip("+")
    if not destination.isdigit():
        raise ValueError("test_message.to must be an international number such as +33601020304, not %r" % message["to"])
    return destination


def _test_message(session, params, check_mode, result):
    message = params["test_message"]
    destination = _destination(message)
    data = smpp.submit_sm(session.next_sequence(), destination, message["text"], source=message["sender"])
    if check_mode:
        result.update(changed=True, test_message={"sent": False, "to": destination})
        return True
    header, body = session.request(data)
    sent = header["status"] == 0
    result["changed"] = sent
    result["test_message"] = dict(_status_fields(header["status"]), sent=sent, to=destination,
                                  message_id=smpp.parse_submit_sm_resp(body) if sent else None)
    if not sent:
        result["msg"] = "The gateway refused the test message: %s" % smpp.status_name(header["status"])
        result["advice"] = _advice(smpp.status_name(header["status"]), session.local_address)
    return sent


def _bound_session(session, params, result):
    """Bind; True when bound."""
    request = smpp.bind(params["bind_type"], session.next_sequence(), params["system_id"], params["password"])
    started = time.monotonic()
    header, body = session.request(request)
    result["latency_ms"] = round((time.monotonic() - started) * 1000, 1)
    result.update(_status_fields(header["status"]))
    if header["status"] != 0:
        name = smpp.status_name(header["status"])
        result.update(outcome="refused", msg="The gateway refused the bind of system ID %s: %s (%s)" % (
            params["system_id"], name, smpp.status_description(header["status"])))
        result["advice"] = _advice(name, session.local_address)
        return False
    result.update(bound=True, outcome="bound", gateway_system_id=parse_system_id(body))
    return True


def parse_system_id(body):
    return smpp.parse_bind_resp(body)["system_id"] if body else None


def _validate(params):
    smpp.bind(params["bind_type"], 1, params["system_id"], params["password"])
    if not 0 < params["port"] < 65536:
        raise ValueError("port must be between 1 and 65535, not %s" % params["port"])
    if params["timeout"] <= 0:
        raise ValueError("timeout must be more than 0 seconds, not %s" % params["timeout"])
    if params["ca_path"] and not params["tls"]:
        raise ValueError("ca_path is given but tls is false")
    if params["test_message"]:
        message = params["test_message"]
        smpp.submit_sm(1, _destination(message), message["text"], source=message["sender"])


def check(params, check_mode=False):
    """(failed, result) of one bind check."""
    result = {"changed": False, "bound": False, "outcome": None, "tls": None, "local_address": None,
              "remote_address": None, "latency_ms": None, "command_status": None, "command_status_name": None,
              "command_status_description": None, "advice": [], "enquire_link": None,
              "endpoint": "%s:%s" % (params["host"], params["port"]), "system_id": params["system_id"],
              "bind_type": params["bind_type"]}
    try:
        _validate(params)
    except ValueError as error:
        result.update(outcome="invalid", msg="Invalid options: %s" % error)
        return True, result
    deadline = Deadline(params["timeout"])
    session = None
    try:
        context = tls_context(params["validate_certs"], params["ca_path"]) if params["tls"] else None
        session = Session(params["host"], params["port"], deadline, params["source_address"], context)
        result.update(local_address=session.local_address, remote_address=session.remote_address,
                      tls=dict(session.tls, enabled=True) if session.tls else {"enabled": False})
        if not _bound_session(session, params, result):
            return True, result
        if params["enquire_link"]:
            started = time.monotonic()
            header, unused_body = session.request(smpp.pdu("enquire_link", session.next_sequence()))
            result["enquire_link"] = dict(_status_fields(header["status"]), ok=header["status"] == 0,
                                          latency_ms=round((time.monotonic() - started) * 1000, 1))
        if params["test_message"] and not _test_message(session, params, check_mode, result):
            return True, result
        session.request(smpp.pdu("unbind", session.next_sequence()))
        result["msg"] = "Bound to %s as %s (%s) from %s in %s ms" % (
            result["endpoint"], params["system_id"], params["bind_type"], result["local_address"], result["latency_ms"])
        return bool(result["enquire_link"] and not result["enquire_link"]["ok"]), result
    except (OSError, ssl.SSLError) as error:
        # Before ValueError: ssl.SSLCertVerificationError is both.
        if result["bound"]:
            result["msg"] = "Bound, then the session failed: %s" % error
            return True, result
        _network_failure(params, error, result)
        return True, result
    except smpp.PduError as error:
        result.update(outcome="protocol_error", msg="%s does not speak SMPP 3.4: %s" % (result["endpoint"], error))
        return True, result
    except ValueError as error:
        result.update(outcome="invalid", msg="Invalid options: %s" % error)
        return True, result
    finally:
        if session is not None:
            session.close()
