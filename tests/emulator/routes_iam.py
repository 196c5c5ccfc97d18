"""IAM v2 resource routes (reference ovh-iam-tags.md): read a resource, replace or add/remove its tags.

Tags written here show in the 1.0 account's ``iam.tags``. The URN is one path segment, percent-encoded
or not (Flask decodes it before routing).
"""

import re

from flask import Blueprint

from .errors import ApiError, bad_request
from .replies import body, reply, state, void

iam_routes = Blueprint("iam", __name__)
KEY = re.compile(r"^[a-zA-Z0-9_.:/=+@-]{1,128}\Z")
VALUE = re.compile(r"^[a-zA-Z0-9_.:/=+@-]{0,256}\Z")


def _resource(urn):
    account = state().account_by_urn(urn)
    if account is None:
        raise ApiError(404, "resource not found", error_class="Client::NotFound::RESOURCE_NOT_FOUND")
    return account


def _resource_json(urn, account):
    tags = dict(account.get("tags") or {})
    tags["ovh:product"] = "sms"
    return {"displayName": account["service_name"], "id": urn.rsplit(":", 1)[-1], "name": account["service_name"],
            "owner": "ab12345-ovh", "tags": tags, "type": "sms", "urn": urn}


def _check_tag(key, value):
    if not KEY.match(key or ""):
        raise bad_request("Invalid tag key %r: it must match %s" % (key, KEY.pattern))
    if key.startswith("ovh:"):
        raise bad_request("Invalid tag key %r: keys starting with ovh: are reserved" % key)
    if not VALUE.match(value if value is not None else "\n"):
        raise bad_request("Invalid tag value %r: it must match %s" % (value, VALUE.pattern))


@iam_routes.route("/iam/resource/<urn>", methods=["GET"])
def get_resource(urn):
    with state().lock:
        return reply(_resource_json(urn, _resource(urn)))


@iam_routes.route("/iam/resource/<urn>", methods=["PUT"])
def put_resource(urn):
    payload = body()
    with state().lock:
        account = _resource(urn)
        tags = {key: value for key, value in (payload.get("tags") or {}).items() if not key.startswith("ovh:")}
        for key, value in tags.items():
            _check_tag(key, value)
        account["tags"] = tags
        return reply(_resource_json(urn, account))


@iam_routes.route("/iam/resource/<urn>/tag", methods=["POST"])
def add_tag(urn):
    payload = body()
    with state().lock:
        account = _resource(urn)
        _check_tag(payload["key"], payload["value"])
        tags = account.setdefault("tags", {})
        if payload["key"] in tags and state().config["tag_add_existing"] == "conflict":
            raise ApiError(409, "tag %s already exists on this resource" % payload["key"],
                           error_class="Client::Conflict::TagAlreadyExists")
        tags[payload["key"]] = payload["value"]
    return void()


@iam_routes.route("/iam/resource/<urn>/tag/<key>", methods=["DELETE"])
def delete_tag(urn, key):
    with state().lock:
        account = _resource(urn)
        if key not in (account.get("tags") or {}):
            raise ApiError(404, "tag %s not found on this resource" % key, error_class="Client::NotFound")
        del account["tags"][key]
    return void()
