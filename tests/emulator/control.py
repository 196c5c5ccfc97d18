"""The emulator's control API under ``/_emulator/`` (no auth, loopback only): reset, request log, faults,
state inspection and drift injection, clock and settings."""

import copy

from flask import Blueprint, jsonify, request

from .replies import state

control = Blueprint("control", __name__)
FAULT_KINDS = ("status", "latency", "drop_before_commit", "drop_after_commit", "garbage_after_commit", "redirect",
               "trickle", "body")


def _error(status, message):
    answer = jsonify({"message": message})
    answer.status_code = status
    return answer


@control.route("/reset", methods=["POST"])
def reset():
    seed = request.get_json(silent=True)
    state().reset(seed if isinstance(seed, dict) and seed else None)
    return jsonify({"reset": True})


@control.route("/log", methods=["GET"])
def get_log():
    since = int(request.args.get("since", 0))
    with state().lock:
        return jsonify({"requests": [dict(item) for item in state().log if item["seq"] > since]})


@control.route("/log", methods=["DELETE"])
def clear_log():
    with state().lock:
        state().log.clear()
    return jsonify({"cleared": True})


@control.route("/faults", methods=["GET"])
def list_faults():
    return jsonify({"faults": state().faults})


@control.route("/faults", methods=["POST"])
def add_fault():
    rule = request.get_json(force=True)
    if rule.get("kind", "status") not in FAULT_KINDS:
        return _error(400, "kind must be one of %s" % ", ".join(FAULT_KINDS))
    rule.setdefault("kind", "status")
    rule.setdefault("method", "*")
    rule.setdefault("path", "*")
    rule["times"] = int(rule.get("times", 1))
    with state().lock:
        state().faults.append(rule)
    return jsonify(rule), 201


@control.route("/faults", methods=["DELETE"])
def clear_faults():
    with state().lock:
        state().faults.clear()
    return jsonify({"cleared": True})


@control.route("/accounts/<name>", methods=["GET"])
def get_account(name):
    world = state()
    with world.lock:
        account = world.accounts.get(name)
        if account is None:
            return _error(404, "no account %s" % name)
        return jsonify(world.internal_view(account))


@control.route("/accounts/<name>", methods=["PATCH"])
def patch_account(name):
    """Inject drift: merge the given fields; ``settings`` merges one level deep; ``senders`` is a list;
    ``updating_for_seconds`` puts the account in UPDATING_IP for that long."""
    world = state()
    changes = request.get_json(force=True)
    with world.lock:
        account = world.accounts.get(name)
        if account is None:
            return _error(404, "no account %s" % name)
        for key, value in changes.items():
            if key == "settings":
                account["settings"].update(value)
            elif key == "senders":
                account["senders"] = {item["sender"]: dict({"description": "", "type": "alpha", "referer": "custom",
                                                            "comment": None}, **item) for item in value}
            elif key == "updating_for_seconds":
                account["updating_until"] = None
                world.start_ip_update(account, float(value))
            else:
                account[key] = copy.deepcopy(value)
        return jsonify(world.internal_view(account))


@control.route("/accounts/<name>/senders/<sender>/<any(approve, refuse):decision>", methods=["POST"])
def decide_sender(name, sender, decision):
    world = state()
    with world.lock:
        item = (world.accounts.get(name) or {}).get("senders", {}).get(sender)
        if item is None:
            return _error(404, "no sender %s on %s" % (sender, name))
        item["status"] = "enable" if decision == "approve" else "refused"
        item["comment"] = (request.get_json(silent=True) or {}).get("comment")
        return jsonify(item)


@control.route("/clock", methods=["PUT"])
def set_clock():
    with state().lock:
        state().config["clock_offset_seconds"] = float(request.get_json(force=True)["offset_seconds"])
    return jsonify(state().config)


@control.route("/config", methods=["PUT"])
def set_config():
    with state().lock:
        for key, value in request.get_json(force=True).items():
            if key not in state().config:
                return _error(400, "unknown setting %s" % key)
            if key == "latency_seconds" and not _non_negative_number(value):
                return _error(400, "latency_seconds must be a number of seconds, 0 or more, not %r" % (value,))
            state().config[key] = value
    return jsonify(state().config)


def _non_negative_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0


@control.route("/credentials/<consumer_key>/validate", methods=["POST", "GET"])
def validate_credential(consumer_key):
    with state().lock:
        credential = state().consumer_keys.get(consumer_key)
        if credential is None:
            return _error(404, "no consumer key %s" % consumer_key)
        credential["state"] = "validated"
    return jsonify({"consumerKey": consumer_key, "state": "validated"})


@control.route("/validate", methods=["POST", "GET"])
def validate_credential_token():
    """The validation URL that POST /auth/credential returns (the account owner's login step)."""
    token = request.args.get("credentialToken", "")
    with state().lock:
        credential = next((item for item in state().consumer_keys.values() if item.get("credential_token") == token), None)
        if not token or credential is None:
            return _error(404, "no pending consumer key for this credentialToken")
        credential["state"] = "validated"
    return jsonify({"state": "validated"})


@control.route("/mailbox", methods=["GET"])
def get_mailbox():
    """OVH's e-mails to account contacts (new SMPP passwords), oldest first; ``?service_name=`` filters."""
    name = request.args.get("service_name")
    with state().lock:
        return jsonify({"messages": [dict(item) for item in state().mailbox if name in (None, item["service_name"])]})


@control.route("/smpp", methods=["GET"])
def get_smpp_gateway():
    """Where the SMPP gateway listens for each account, the CA that signed its TLS certificate, and its events."""
    world = state()
    with world.lock:
        return jsonify({"endpoints": world.gateway_endpoints, "ca_pem": world.gateway_ca_pem,
                        "events": [dict(item) for item in world.smpp_log]})
