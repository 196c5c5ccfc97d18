# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One task's access to the OVH API (private: may change without notice).

Every request goes through ``OvhApi.call``: it signs through python-ovh (``raw_call``), carries
out what the re-send rules (``_retry``) decide after a failed attempt, turns failures into
``OvhApiError`` with OVH's query ID, records each attempt's route in ``calls`` (what
``report_api_calls`` shows) and each write with its outcome in ``writes`` (``_writes``: what a
failed task's ``changed`` and messages are built from).
"""

from __future__ import annotations

import json
import time
from urllib.parse import quote, urlencode

from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError
from ansible_collections.smppops.ovh.plugins.module_utils import _retry as rules
from ansible_collections.smppops.ovh.plugins.module_utils import _writes
from ansible_collections.smppops.ovh.plugins.module_utils._transport import RedirectRefused

try:
    from requests import exceptions as requests_exceptions
    from urllib3 import exceptions as urllib3_exceptions
    import ovh.exceptions as ovh_exceptions
except ImportError:  # pragma: no cover - _connect.require_ovh reports the missing library first
    requests_exceptions = urllib3_exceptions = ovh_exceptions = None

QUERY_ID_HEADER = "X-Ovh-QueryID"
# What to do about OVH's 403 classes that are not a missing right (python-ovh's names for them).
FORBIDDEN_HINTS = {
    "NOT_GRANTED_CALL": "the consumer key needs an access rule for %(route)s",
    "INVALID_KEY": "OVH does not know this application key: check application_key (OVH_APPLICATION_KEY)",
    "INVALID_CREDENTIAL": "the consumer key is not usable (not validated yet, expired or revoked): validate it "
                          "or request a new one",
    "NOT_CREDENTIAL": "OVH does not know this consumer key: check consumer_key (OVH_CONSUMER_KEY)",
}


def segment(value):
    """Percent-encode one path segment (service name, sender, URN) the way OVH expects.

    Encoding here, before python-ovh signs the URL, keeps the signed URL identical to the one
    requests sends (requests would otherwise re-quote characters such as ``|`` or spaces).
    """
    return quote(str(value), safe="")


def _query_string(query):
    pairs = []
    for key in sorted(query):
        value = query[key]
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append((key, value))
    return urlencode(pairs)


class OvhApi:
    """A python-ovh client wrapped with the collection's safety rules."""

    def __init__(self, client, retries, warn=None, sleep=time.sleep, policy=None, clock=None):
        self._client = client
        self._clock = clock
        if clock is not None:
            clock.attach(client)
        self._policy = policy or rules.RetryPolicy(retries)
        self._warn = warn or (lambda message: None)
        self._sleep = sleep
        self.calls = []
        self.writes = _writes.WriteLog()
        self.last_query_id = None  # of the last answer, for messages about its content

    # Verbs -----------------------------------------------------------------------------------
    def get(self, path, headers=None, **query):
        if query:
            encoded = _query_string(query)
            if encoded:
                path = "%s?%s" % (path, encoded)
        return self.call("GET", path, headers=headers)

    def put(self, path, body):
        return self.call("PUT", path, body)

    def post(self, path, body=None, signed=True):
        """POST; ``body=None`` sends no body at all (OVH refuses ``{}`` where none is expected).

        ``signed=False`` only for ``POST /auth/credential``, which carries the application key alone.
        """
        return self.call("POST", path, body, signed=signed)

    def delete(self, path):
        return self.call("DELETE", path)

    # Core ------------------------------------------------------------------------------------
    def call(self, method, path, body=None, headers=None, signed=True):
        write = None if method == "GET" else self.writes.start(method, _route(path), body)
        attempt = 0
        lost = False  # an earlier attempt may have been applied although its answer never arrived
        while True:
            attempt += 1
            try:
                answer = self._attempt(method, path, body, headers, signed)
            except OvhApiError as failure:
                if write is not None:
                    write.settle(_outcome(failure))
                decision = self._policy.decide(method, attempt, failure, earlier_lost=lost,
                                               clock_reused=self._clock is not None and self._clock.reused)
                lost = lost or failure.outcome_unknown
                if decision.action == rules.DONE:
                    write.settle(_writes.APPLIED)
                    query = ", query ID %s" % failure.query_id if failure.query_id else ""
                    self._warn("%s %s: the answer to an earlier attempt was lost and the resource is now gone (HTTP 404%s); "
                               "counted as deleted" % (method, _route(path), query))
                    return None
                if decision.action == rules.RESEND_NOW:
                    self._clock.forget(self._client)
                    attempt -= 1  # refused before anything happened: not a retry
                    continue
                if decision.action == rules.GIVE_UP:
                    raise
                self._warn(
                    "%s %s failed (%s); retrying in %.1f s (attempt %d of %d)"
                    % (method, _route(path), _describe(failure), decision.wait, attempt + 1, self._policy.retries + 1)
                )
                self._sleep(decision.wait)
            else:
                if write is not None:
                    write.settle(_writes.APPLIED)
                return answer

    def _attempt(self, method, path, body, headers, signed):
        record = {"method": method, "path": _route(path), "status": None}
        self.calls.append(record)
        try:
            if signed:
                _prepare_credentials(self._client)
        except Exception as exc:  # pylint: disable=broad-except
            # Clock or token could not be obtained: the request itself was never sent.
            record["sent"] = False
            raise _failure(method, path, exc, sent=False)
        try:
            response = self._client.raw_call(method, path, data=body, need_auth=signed, headers=dict(headers or {}))
        except RedirectRefused as exc:
            record["status"] = exc.status
            raise exc.api_error(method, _route(path))
        except Exception as exc:  # pylint: disable=broad-except
            sent = _sent(exc)
            if sent is False:
                record["sent"] = False
            raise _failure(method, path, exc, sent, timeout=getattr(self._client, "_timeout", "?"))
        record["status"] = response.status_code
        self.last_query_id = response.headers.get(QUERY_ID_HEADER)
        if self._clock is not None:
            self._clock.remember(self._client)
        return _decode(method, path, response)


def _outcome(failure):
    if failure.outcome_unknown:
        return _writes.UNKNOWN
    return _writes.NOT_SENT if failure.sent is False else _writes.REFUSED


def _route(path):
    return path.split("?", 1)[0]


def _describe(failure):
    if failure.http_status is None:
        return failure.message or "network error"
    text = "HTTP %s" % failure.http_status
    if failure.query_id:
        text += ", query ID %s" % failure.query_id
    return text


def _prepare_credentials(client):
    """Obtain what python-ovh needs before it can send a request, so its failures are "not sent".

    python-ovh fetches the server clock (signature auth) or an OAuth2 token lazily, inside the
    call; doing it first separates "the API could not be prepared" from "the request was lost".
    """
    oauth2 = getattr(client, "_oauth2", None)
    if oauth2 is not None:
        if hasattr(type(oauth2), "token"):
            oauth2.token  # pylint: disable=pointless-statement
    elif hasattr(type(client), "time_delta"):
        client.time_delta  # pylint: disable=pointless-statement


def _sent(exc):
    """False when ``exc`` proves the request never left, None when it may have reached OVH."""
    if requests_exceptions is None:
        return None
    local = (requests_exceptions.ConnectTimeout, requests_exceptions.InvalidHeader, requests_exceptions.InvalidURL,
             requests_exceptions.MissingSchema, requests_exceptions.InvalidSchema, requests_exceptions.URLRequired)
    if isinstance(exc, local):
        return False
    if ovh_exceptions is not None and isinstance(exc, (ovh_exceptions.InvalidKey, ovh_exceptions.OAuth2FailureError)):
        return False
    if isinstance(exc, requests_exceptions.ConnectionError):
        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        never_connected = (urllib3_exceptions.NewConnectionError, urllib3_exceptions.ConnectTimeoutError)
        if isinstance(reason, never_connected):
            return False
    return None


def _failure(method, path, exc, sent, timeout="?"):
    route = _route(path)
    if sent is False:
        what = str(exc) or type(exc).__name__
        error = OvhApiError("%s %s was not sent: %s (%s); nothing was done" % (method, route, what, type(exc).__name__),
                            method=method, path=route, message=what, error_class=type(exc).__name__, sent=False)
        # Refused connections may succeed later (safe to retry); a bad header or key never will.
        error.connection_failed = requests_exceptions is not None and isinstance(exc, requests_exceptions.ConnectionError)
        return error
    if requests_exceptions is not None and isinstance(exc, requests_exceptions.Timeout):
        what = "timed out after %ss" % timeout
    elif requests_exceptions is not None and isinstance(exc, requests_exceptions.RequestException):
        what = "connection failed or was dropped"
    else:
        # Nothing says whether the request left: for a write that is an unknown outcome, never "not applied".
        what = "failed unexpectedly: %s" % (str(exc) or type(exc).__name__)
    return OvhApiError(
        "%s %s: %s (%s); the API outcome is unknown" % (method, route, what, type(exc).__name__),
        method=method, path=route, message=what, error_class=type(exc).__name__, outcome_unknown=True, sent=None,
    )


def _decode(method, path, response):
    status = response.status_code
    query_id = response.headers.get(QUERY_ID_HEADER)
    payload = None
    text = response.text
    if status != 204 and text.strip():
        try:
            payload = json.loads(text)
        except ValueError:
            if 200 <= status < 300:
                # A write OVH answered with success may have been applied: its outcome is unknown.
                raise OvhApiError(
                    "%s %s: the API answered HTTP %s with a body that is not JSON%s" % (
                        method, _route(path), status, "" if method == "GET" else "; the API outcome is unknown"),
                    method=method, path=_route(path), http_status=status, error_class="InvalidResponse",
                    message=text[:200], query_id=query_id, outcome_unknown=method != "GET")
            payload = {"message": text[:200]}
    if 200 <= status < 300:
        return payload
    body = payload if isinstance(payload, dict) else {}
    message = body.get("message") or response.reason or "HTTP %s" % status
    error_class = body.get("class") or body.get("errorCode")
    text = "%s %s failed: HTTP %s" % (method, _route(path), status)
    if error_class:
        text += " %s" % error_class
    text += ": %s" % message
    if error_class in FORBIDDEN_HINTS:
        text += "; " + FORBIDDEN_HINTS[error_class] % {"route": "%s %s" % (method, _route(path))}
    elif status == 403:
        text += "; the credentials lack the right for %s %s" % (method, _route(path))
    if query_id:
        text += " (OVH query ID %s)" % query_id
    retry_after = rules.parse_retry_after(response.headers.get("Retry-After"))
    raise OvhApiError(
        text, method=method, path=_route(path), http_status=status, error_class=error_class, message=message,
        query_id=query_id, outcome_unknown=status >= 500, retry_after=retry_after,
    )
