"""The Flask application: request pipeline (query ID, log, faults, auth, body validation) and blueprints."""

import fnmatch
import functools
import json
import socket
import time

from flask import Flask, Response, current_app, g, jsonify, request, stream_with_context
from werkzeug.exceptions import HTTPException

from . import auth
from .control import control
from .errors import ApiError, new_query_id
from .replies import state
from .routes_auth import auth_routes
from .routes_iam import iam_routes
from .routes_sms import sms_routes
from .state import State
from .validation import Catalogue

NO_BODY_EXPECTED = "You provided an input body while none was expected"
UNAUTHENTICATED = {("GET", "/auth/time"), ("POST", "/auth/credential")}


@functools.lru_cache(maxsize=1)
def catalogue():
    """The parsed OpenAPI schemas, shared by every app in the process (parsing takes a while)."""
    return Catalogue()


def create_app(seed=None, world=None):
    app = Flask("ovh_api_emulator")
    app.config["STATE"] = world or State(seed)
    app.config["CATALOGUE"] = catalogue()
    for prefix, suffix in (("/1.0", ""), ("/v1", "_v1")):
        app.register_blueprint(sms_routes, url_prefix=prefix, name="sms" + suffix)
        app.register_blueprint(auth_routes, url_prefix=prefix, name="auth" + suffix)
    app.register_blueprint(iam_routes, url_prefix="/v2")
    app.register_blueprint(control, url_prefix="/_emulator")
    app.add_url_rule("/auth/oauth2/token", "oauth2_token", oauth2_token, methods=["POST"])
    app.before_request(_before)
    app.after_request(_after)
    app.register_error_handler(ApiError, lambda error: error.response())
    app.register_error_handler(HTTPException, _http_error)
    return app


def _api_path(path):
    """(version, path relative to the version root as access rules see it) or (None, None)."""
    for prefix in ("/1.0", "/v1"):
        if path == prefix or path.startswith(prefix + "/"):
            return "1.0", path[len(prefix):] or "/"
    if path.startswith("/v2/"):
        return "v2", path
    return None, None


def _before():
    g.query_id = new_query_id()
    g.drop_after = False
    g.replace_body = None
    if request.path.startswith("/_emulator"):
        return None
    world = state()
    with world.lock:
        world.seq += 1
        g.record = {"seq": world.seq, "time": time.time(), "method": request.method, "path": request.path,
                    "query": request.query_string.decode("latin-1"), "status": None, "auth": "none",
                    "query_id": g.query_id}
        world.log.append(g.record)
        fault = _take_fault(world)
        latency = float(world.config["latency_seconds"])
    if latency > 0:
        time.sleep(latency)  # outside the lock: concurrent requests wait side by side, as on a network
    if fault is not None:
        answer = _apply_fault(fault)
        if answer is not None:
            return answer
    version, rule_path = _api_path(request.path)
    if version is None:
        return None  # the OAuth2 token route: no API auth
    operation = current_app_catalogue().find(request.method, rule_path)
    if (request.method, rule_path) in UNAUTHENTICATED:
        _validate_body(operation)
        return None
    with world.lock:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            g.record["auth"] = auth.authenticate_bearer(world, header[7:], operation.iam_actions if operation else [])
        else:
            g.record["auth"] = auth.authenticate_signature(world, request, rule_path)
    _validate_body(operation)
    return None


def current_app_catalogue():
    return current_app.config["CATALOGUE"]


def _validate_body(operation):
    raw = request.get_data(as_text=True)
    if operation is None:
        # Routes outside the published schemas (the /auth ones): JSON is parsed, the route checks it.
        try:
            g.body = json.loads(raw) if raw else None
        except ValueError:
            raise ApiError(400, "Invalid JSON received")
        return
    if operation.body_schema is None:
        if raw:
            raise ApiError(400, NO_BODY_EXPECTED)
        return
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        raise ApiError(400, "Invalid JSON received")
    if body is None:
        raise ApiError(400, "Invalid body: a JSON body is required")
    message = operation.validate(body)
    if message:
        raise ApiError(400, message)
    g.body = body


def _take_fault(world):
    for rule in world.faults:
        if rule["times"] <= 0:
            continue
        if rule.get("method", "*").upper() not in ("*", request.method):
            continue
        if not fnmatch.fnmatchcase(request.path, rule.get("path", "*")):
            continue
        if rule.get("body_contains") and rule["body_contains"] not in request.get_data(as_text=True):
            continue
        if rule.get("skip", 0) > 0:
            rule["skip"] -= 1  # let the first matching requests through (a failure at the Nth write)
            continue
        rule["times"] -= 1
        return dict(rule)
    return None


def _apply_fault(rule):
    kind = rule.get("kind", "status")
    if kind == "latency":
        time.sleep(float(rule.get("seconds", 1)))
        return None
    if kind == "drop_before_commit":
        return _drop()
    if kind == "drop_after_commit":
        g.drop_after = True
        return None
    if kind == "garbage_after_commit":
        g.garbage_after = True  # applied, then answered 200 with a body that is not JSON (a proxy's error page)
        return None
    if kind == "redirect":
        # Another host, before anything is applied: a client that follows it leaks its signed request.
        answer = Response("", status=int(rule.get("status", 307)))
        answer.headers["Location"] = rule.get("location") or "https://elsewhere.example.invalid" + request.full_path
        return answer
    if kind == "trickle":
        return _trickle(float(rule.get("seconds", 10)), float(rule.get("interval", 0.5)))
    if kind == "body":
        # Applied as usual, then answered with this body: wrong-shape JSON or a non-JSON 2xx after a commit.
        g.replace_body = rule
        return None
    status = int(rule.get("status", 503))
    headers = {}
    if rule.get("retry_after") is not None:
        headers["Retry-After"] = str(rule["retry_after"])
    raise ApiError(status, rule.get("message") or "Emulated failure (HTTP %d)" % status, headers=headers,
                   error_code=rule.get("error_code"))


def _trickle(seconds, interval):
    """A 200 whose body arrives one byte per ``interval`` for ``seconds``, before anything is applied."""
    def chunks():
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            yield b" "
            time.sleep(interval)
        yield b"null"
    return Response(stream_with_context(chunks()), status=200, mimetype="application/json")


def _drop():
    """Close the TCP connection without any HTTP answer; werkzeug then fails to write and moves on."""
    sock = request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
    g.dropped = True
    return ("", 200)


def _after(response):
    response.headers["X-Ovh-QueryID"] = g.get("query_id") or new_query_id()
    record = g.get("record")
    if record is not None:
        record["status"] = None if g.get("dropped") else response.status_code
        record["done"] = time.time()  # with "time", when the request was in the server: overlaps show concurrency
    replacement = g.get("replace_body")
    if replacement is not None:
        response.set_data(replacement.get("body", ""))
        response.status_code = int(replacement.get("status", 200))
        response.headers["Content-Type"] = replacement.get("content_type", "application/json")
    if g.get("garbage_after") and response.status_code < 300:
        response.set_data(b"<html><body>Service temporarily unavailable</body></html>")
        response.status_code = 200
        response.headers["Content-Type"] = "text/html"
    if g.get("drop_after"):
        if record is not None:
            record["status"] = None  # before the drop: a client that sees it may read the log at once
        _drop()
    return response


def _http_error(error):
    answer = jsonify({"class": "Client::NotFound" if error.code == 404 else "Client::BadRequest",
                      "message": "Got an invalid (or empty) URL" if error.code == 404 else error.description})
    answer.status_code = error.code if error.code != 405 else 404
    return answer


def oauth2_token():
    world = state()
    client_id = request.form.get("client_id")
    client_secret = request.form.get("client_secret")
    if request.authorization is not None:
        client_id = request.authorization.username
        client_secret = request.authorization.password
    if request.form.get("grant_type") != "client_credentials":
        answer = jsonify({"error": "unsupported_grant_type"})
        answer.status_code = 400
        return answer
    with world.lock:
        token = auth.issue_token(world, client_id, client_secret)
    if token is None:
        answer = jsonify({"error": "invalid_client", "error_description": "client authentication failed"})
        answer.status_code = 401
        return answer
    return jsonify(token)
