"""``/auth`` routes: server time, current credential, consumer-key requests."""

import secrets

from flask import Blueprint, request

from .errors import ApiError
from .replies import body, reply, state

auth_routes = Blueprint("auth", __name__)


@auth_routes.route("/auth/time", methods=["GET"])
def auth_time():
    return reply(int(state().now()))


@auth_routes.route("/auth/currentCredential", methods=["GET"])
def current_credential():
    world = state()
    consumer_key = request.headers.get("X-Ovh-Consumer")
    credential = world.consumer_keys.get(consumer_key)
    if credential is None:
        raise ApiError(403, "This call is only available with signature authentication", error_class="Client::Forbidden")
    return reply({"credentialId": abs(hash(consumer_key)) % 10 ** 9, "applicationId": 1,
                  "status": credential["state"], "rules": credential.get("rules", []),
                  "allowedIPs": None, "creation": "2026-01-01T00:00:00Z", "expiration": None, "lastUse": None,
                  "ovhSupport": False})


@auth_routes.route("/auth/credential", methods=["POST"])
def request_credential():
    world = state()
    application_key = request.headers.get("X-Ovh-Application")
    if application_key not in world.applications:
        raise ApiError(403, "This application key is invalid", error_code="INVALID_KEY")
    payload = body()
    rules = payload.get("accessRules")
    if not isinstance(rules, list) or not all(
            isinstance(rule, dict) and rule.get("method") in ("GET", "POST", "PUT", "DELETE")
            and isinstance(rule.get("path"), str) and rule["path"].startswith("/") for rule in rules):
        raise ApiError(400, "Invalid body: accessRules must be a list of {method: GET|POST|PUT|DELETE, path: /...}")
    consumer_key = secrets.token_hex(16)
    # Like OVH, the validation URL carries a separate one-time token, never the consumer key itself.
    token = secrets.token_urlsafe(24)
    with world.lock:
        world.consumer_keys[consumer_key] = {"consumer_key": consumer_key, "application_key": application_key,
                                             "state": "pendingValidation", "rules": rules,
                                             "credential_token": token}
    return reply({"consumerKey": consumer_key, "state": "pendingValidation",
                  "validationUrl": "%s_emulator/validate?credentialToken=%s" % (request.host_url, token)})
