"""Authentication as OVH does it: application signatures with consumer-key access rules, or OAuth2 Bearer tokens.

Signature (reference ovh-sms-api.md §2.2):
``"$1$" + sha1_hex(AS + "+" + CK + "+" + METHOD + "+" + FULL_URL + "+" + BODY + "+" + TIMESTAMP)`` where FULL_URL
is the exact URL the client sent (scheme, host, raw path and raw query string).
"""

import fnmatch
import hashlib
import hmac
import secrets
import time

from .errors import ApiError

QUERY_OUT_OF_TIME = "Query out of time"  # assumed wording: OVH does not publish it


def signature(application_secret, consumer_key, method, url, body, timestamp):
    payload = "+".join([application_secret, consumer_key, method.upper(), url, body, str(timestamp)])
    return "$1$" + hashlib.sha1(payload.encode("utf-8")).hexdigest()


def full_url(request):
    raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if not raw:
        raw = request.full_path.rstrip("?")
    return "%s://%s%s" % (request.scheme, request.host, raw)


def rule_matches(rules, method, path):
    """OVH access rules: method must match, ``*`` in the path matches anything (including ``/``)."""
    return any(rule["method"].upper() == method and fnmatch.fnmatchcase(path, rule["path"]) for rule in rules)


def authenticate_signature(state, request, rule_path):
    """Return a description of the caller, or raise ApiError like OVH would."""
    headers = request.headers
    application_key = headers.get("X-Ovh-Application")
    if not application_key:
        raise ApiError(401, "You must login first")
    application = state.applications.get(application_key)
    if application is None:
        raise ApiError(403, "This application key is invalid", error_code="INVALID_KEY")
    consumer_key = headers.get("X-Ovh-Consumer")
    if not consumer_key:
        raise ApiError(401, "You must login first")
    credential = state.consumer_keys.get(consumer_key)
    if credential is None:
        raise ApiError(403, "This credential does not exist", error_code="NOT_CREDENTIAL")
    if credential.get("application_key") != application_key or credential.get("state") != "validated":
        raise ApiError(403, "This credential is not valid", error_code="INVALID_CREDENTIAL")
    timestamp = headers.get("X-Ovh-Timestamp", "")
    if not timestamp.isdigit() or abs(int(timestamp) - state.now()) > float(state.config["timestamp_tolerance_seconds"]):
        raise ApiError(400, QUERY_OUT_OF_TIME, error_code="QUERY_TIME_OUT")
    expected = signature(application["application_secret"], consumer_key, request.method, full_url(request),
                         request.get_data(as_text=True), timestamp)
    if not hmac.compare_digest(expected, headers.get("X-Ovh-Signature", "")):
        raise ApiError(400, "Invalid signature", error_code="INVALID_SIGNATURE")
    if not rule_matches(credential.get("rules", []), request.method, rule_path):
        raise ApiError(403, "This call has not been granted", error_code="NOT_GRANTED_CALL")
    return "signature"


def issue_token(state, client_id, client_secret):
    client = state.oauth2_clients.get(client_id)
    if client is None or not hmac.compare_digest(client.get("client_secret", ""), client_secret or ""):
        return None
    token = secrets.token_urlsafe(24)
    lifetime = int(state.config["token_lifetime_seconds"])
    state.tokens[token] = {"client_id": client_id, "expires": time.time() + lifetime}
    return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime, "scope": "all"}


def authenticate_bearer(state, token, iam_actions):
    grant = state.tokens.get(token)
    if grant is None or grant["expires"] < time.time():
        raise ApiError(401, "You must login first")
    allowed = state.oauth2_clients[grant["client_id"]].get("allowed_actions", [])
    for action in iam_actions:
        if not any(fnmatch.fnmatchcase(action, pattern) for pattern in allowed):
            raise ApiError(403, "User not granted for this request", error_class="Client::Forbidden",
                           details={"unauthorizedActionsByIAM": action})
    return "bearer"
