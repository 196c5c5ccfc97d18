"""``/sms`` routes (reference ovh-sms-api.md §1): accounts, SMPP settings, password, allowed IPs,
credit transfers, senders and history."""

import ipaddress
import json
import uuid
from datetime import datetime

from flask import Blueprint, request

from .errors import ApiError, bad_request, not_found
from .replies import body, reply, state, void

sms_routes = Blueprint("sms", __name__)
MAX_ALLOWED_IPS = 10


def _account(name, smpp=False):
    account = state().accounts.get(name)
    if account is None:
        raise not_found("This service does not exist")
    if smpp and not account["smpp"]:
        raise bad_request("The SMS account %s is not an SMPP account" % name)
    return account


def account_json(world, account):
    name = account["service_name"]
    tags = dict(account.get("tags") or {}) if world.config["v1_iam_tags"] == "shown" else {}
    tags.update({"ovh:product": "sms"})
    return {
        "automaticRecreditAmount": account["automatic_recredit_amount"],
        "callBack": account.get("callback"),
        "channel": account["channel"],
        "creditThresholdForAutomaticRecredit": account["credit_threshold"],
        "creditsHoldByQuota": 0.0,
        "creditsLeft": float(account["credits_left"]),
        "description": account["description"],
        "iam": {"displayName": name, "id": str(uuid.uuid5(uuid.NAMESPACE_URL, name)), "tags": tags, "urn": world.urn(name)},
        "name": name,
        "smpp": account["smpp"],
        "smsResponse": {"cgiUrl": None, "responseType": "none", "text": None, "trackingDefaultSmsSender": None,
                        "trackingOptions": []},
        "status": account["status"],
        "stopCallBack": account.get("stop_callback"),
        "templates": {"customizedEmailMode": False, "customizedSmsMode": False, "emailBody": None, "emailFrom": None,
                      "emailSubject": None, "smsBody": None},
        "userQuantityWithQuota": 0,
    }


def _matches_tag_filter(tags, filters):
    for key, conditions in filters.items():
        for condition in conditions:
            operator = (condition.get("operator") or "EQ").upper()
            value = condition.get("value")
            present = key in tags
            if operator == "EQ" and tags.get(key) != value:
                return False
            if operator == "NEQ" and tags.get(key) == value:
                return False
            if operator == "EXISTS" and not present:
                return False
            if operator == "NEXISTS" and present:
                return False
    return True


@sms_routes.route("/sms", methods=["GET"])
def list_accounts():
    world = state()
    names = sorted(world.accounts)
    raw_filter = request.args.get("iamTags")
    if raw_filter:
        try:
            filters = json.loads(raw_filter)
        except ValueError:
            raise bad_request("Invalid value for iamTags: not JSON")
        names = [name for name in names if _matches_tag_filter(world.accounts[name].get("tags") or {}, filters)]
    return reply(names)


@sms_routes.route("/sms/<name>", methods=["GET"])
def get_account(name):
    world = state()
    with world.lock:
        return reply(account_json(world, _account(name)))


@sms_routes.route("/sms/<name>", methods=["PUT"])
def put_account(name):
    world = state()
    payload = body()
    with world.lock:
        account = _account(name)
        if "creditThresholdForAutomaticRecredit" in payload and payload["creditThresholdForAutomaticRecredit"] < 0:
            raise bad_request("Invalid value for creditThresholdForAutomaticRecredit: must be 0 or more")
        if payload.get("automaticRecreditAmount") is not None and account["recredit_not_eligible"]:
            raise bad_request("Automatic recredit is not available for this account: a validated SEPA direct debit "
                              "and a service older than 2 months are required")
        fields = {"automaticRecreditAmount": "automatic_recredit_amount", "creditThresholdForAutomaticRecredit": "credit_threshold",
                  "description": "description", "callBack": "callback", "stopCallBack": "stop_callback"}
        for api_name, key in fields.items():
            if api_name in payload:
                account[key] = payload[api_name]
    return void()


@sms_routes.route("/sms/<name>/smpp/settings", methods=["GET"])
def get_settings(name):
    world = state()
    with world.lock:
        account = _account(name, smpp=True)
        settings = account["settings"]
        return reply({"endpoints": settings["endpoints"], "status": world.settings_status(account),
                      "systemID": settings["system_id"], "throughput": settings["throughput"],
                      "windowing": settings["windowing"]})


@sms_routes.route("/sms/<name>/smpp/password", methods=["POST"])
def renew_password(name):
    world = state()
    with world.lock:
        account = _account(name, smpp=True)
        status = world.settings_status(account)
        if status != "SUCCESS":
            raise ApiError(409, "The SMPP password can only be renewed when the account status is SUCCESS (current: %s)" % status)
        world.renew_password(account)
    return void()


def _host_address(value):
    text = str(value)
    if "/" in text:
        raise bad_request("Invalid value for ips: %s is not an IP address (blocks are not allowed)" % text)
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        raise bad_request("Invalid value for ips: %s is not an IP address" % text)


@sms_routes.route("/sms/<name>/smpp/allowedIPs", methods=["GET"])
def get_allowed_ips(name):
    with state().lock:
        return reply(list(_account(name, smpp=True)["allowed_ips"]))


@sms_routes.route("/sms/<name>/smpp/allowedIPs", methods=["PUT"])
def put_allowed_ips(name):
    world = state()
    payload = body()
    ips = [_host_address(ip) for ip in payload["ips"]]
    with world.lock:
        account = _account(name, smpp=True)
        current = list(account["allowed_ips"])
        if payload["action"] == "add":
            result = current + [ip for ip in dict.fromkeys(ips) if ip not in current]
        else:
            result = [ip for ip in current if ip not in ips]
        if len(result) > MAX_ALLOWED_IPS:
            raise bad_request("You can't have more than %d allowed IPs" % MAX_ALLOWED_IPS)
        if result != current:
            account["allowed_ips"] = result
            world.start_ip_update(account)
        return reply(result)


@sms_routes.route("/sms/<name>/transferCredits", methods=["POST"])
def transfer_credits(name):
    world = state()
    payload = body()
    with world.lock:
        source = _account(name)
        credits = payload["credits"]
        target_name = payload["smsAccountTarget"]
        if credits <= 0:
            raise bad_request("Invalid value for credits: must be greater than 0")
        if target_name == name:
            raise bad_request("The target account must differ from the source account")
        target = world.accounts.get(target_name)
        if target is None:
            raise not_found("The SMS account %s does not exist" % target_name)
        if credits > source["credits_left"]:
            raise bad_request("Not enough credits on %s (%s left)" % (name, source["credits_left"]))
        source["credits_left"] -= credits
        target["credits_left"] += credits
    return void()


def _sender(account, sender):
    item = account["senders"].get(sender)
    if item is None:
        raise not_found("The requested object (sender = %s) does not exist" % sender)
    return item


def _sender_json(item):
    return {"comment": item.get("comment"), "description": item.get("description", ""), "referer": item.get("referer", "custom"),
            "sender": item["sender"], "status": item["status"], "type": item.get("type"),
            "validationMedia": item.get("validation_media")}


@sms_routes.route("/sms/<name>/senders", methods=["GET"])
def list_senders(name):
    with state().lock:
        return reply(sorted(_account(name)["senders"]))


@sms_routes.route("/sms/<name>/senders", methods=["POST"])
def create_sender(name):
    world = state()
    payload = body()
    with world.lock:
        account = _account(name)
        sender = payload["sender"]
        if sender in account["senders"]:
            raise ApiError(409, "The sender %s already exists" % sender)
        account["senders"][sender] = {
            "sender": sender, "description": payload.get("description", ""), "reason": payload.get("reason"),
            "status": "waitingValidation", "type": "numeric" if sender.lstrip("+").isdigit() else "alpha",
            "referer": "custom", "comment": None}
    return reply("The sender %s was created and is waiting for validation" % sender)


@sms_routes.route("/sms/<name>/senders/<path:sender>", methods=["GET"])
def get_sender(name, sender):
    world = state()
    separator = request.headers.get("X-Ovh-Batch") if world.config.get("batch_reads", True) else None
    with world.lock:
        account = _account(name)
        if separator:
            answers = []
            for key in sender.split(separator):
                item = account["senders"].get(key)
                answers.append({"key": key, "value": _sender_json(item) if item else None,
                                "error": None if item else "The requested object (sender = %s) does not exist" % key})
            return reply(answers)
        return reply(_sender_json(_sender(account, sender)))


@sms_routes.route("/sms/<name>/senders/<path:sender>", methods=["PUT"])
def put_sender(name, sender):
    world = state()
    payload = body()
    with world.lock:
        item = _sender(_account(name), sender)
        if "status" in payload:
            if item["status"] in ("waitingValidation", "refused") and payload["status"] != item["status"]:
                raise bad_request("The status of sender %s cannot change while it is %s" % (sender, item["status"]))
            if payload["status"] not in ("enable", "disable", item["status"]):
                raise bad_request("Invalid value for status: %s can only be set to enable or disable" % sender)
            item["status"] = payload["status"]
        if "description" in payload:
            item["description"] = payload["description"]
    return void()


@sms_routes.route("/sms/<name>/senders/<path:sender>", methods=["DELETE"])
def delete_sender(name, sender):
    world = state()
    with world.lock:
        account = _account(name)
        _sender(account, sender)
        del account["senders"][sender]
    return void()


def _filtered(items):
    since = request.args.get("creationDatetime.from")
    until = request.args.get("creationDatetime.to")
    selected = []
    for item in items:
        created = _instant(item.get("creationDatetime"))
        if since and created < _instant(since):
            continue
        if until and created > _instant(until):
            continue
        if request.args.get("sender") and item.get("sender") != request.args["sender"]:
            continue
        if request.args.get("tag") and item.get("tag") != request.args["tag"]:
            continue
        selected.append(item["id"])
    return selected


def _instant(text):
    try:
        return datetime.fromisoformat(str(text).replace("Z", "+00:00")).timestamp()
    except ValueError:
        raise bad_request("Invalid value for creationDatetime: %s is not a datetime" % text)


@sms_routes.route("/sms/<name>/<any(outgoing, incoming):direction>", methods=["GET"])
def list_history(name, direction):
    with state().lock:
        return reply(_filtered(_account(name)[direction]))


@sms_routes.route("/sms/<name>/<any(outgoing, incoming):direction>/<int:item_id>", methods=["GET"])
def get_history_item(name, direction, item_id):
    with state().lock:
        for item in _account(name)[direction]:
            if item["id"] == item_id:
                return reply(item)
    raise not_found("The requested object (id = %d) does not exist" % item_id)
