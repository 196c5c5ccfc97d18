# -*- coding: utf-8 -*-
# Copyright: smppops.ovh contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP transport rules under python-ovh's requests sessions (private: may change without notice).

``harden(client, timeout)`` applies three rules to every request the client sends, signed or
OAuth2, including the OAuth2 token request:

* Redirects are never followed: every request carries the consumer key and a signature (or a
  Bearer token) and a POST carries its body; following a 3xx would hand them to another host and
  could repeat a write. A 3xx raises ``RedirectRefused`` naming the status and ``Location``.
* ``timeout`` is a deadline for the whole request (connect, headers and body), not for each socket
  read: a server that trickles its answer a byte at a time is cut off at the deadline and the call
  raises requests' ``ReadTimeout``. A watchdog shuts the socket down, which works on the socket
  whatever urllib3 is blocked in.
* A header value that cannot be sent (control characters in a key) raises ``InvalidHeaderValue``
  without quoting the value (it may be a secret): nothing was sent, so this is the user's input,
  not an unknown outcome.

``RedirectRefused`` is not a requests exception: the API client turns it into a failure with the
3xx status (OVH answered; a redirect applies nothing where it was sent).
"""

from __future__ import annotations

import socket
import threading
import time

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3 import connection as urllib3_connection
    from urllib3 import connectionpool as urllib3_pool
    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - _connect.require_ovh reports the missing library first
    HAS_REQUESTS = False
    HTTPAdapter = object

LOCATION_SHOWN = 200  # characters of a Location header quoted in an error


class RedirectRefused(ValueError):
    """The API answered 3xx; the redirect was not followed and nothing was re-sent."""

    def __init__(self, status, location, query_id):
        self.status = status
        self.location = location
        self.query_id = query_id
        self.text = "the API answered HTTP %s, a redirect to %s; redirects are never followed (the signed request " \
                    "and its credentials would go to another host), nothing was re-sent" % (
                        status, location or "(no Location)")
        super().__init__(self.text + (" (OVH query ID %s)" % query_id if query_id else ""))

    def api_error(self, method, route):
        from ansible_collections.smppops.ovh.plugins.module_utils._errors import OvhApiError  # pylint: disable=import-outside-toplevel
        return OvhApiError("%s %s: %s" % (method, route, self), method=method, path=route, http_status=self.status,
                           error_class="Redirect", message=self.text, query_id=self.query_id)


class InvalidHeaderValue(requests.exceptions.InvalidHeader if HAS_REQUESTS else ValueError):
    """A header value (an option such as a key or secret) holds characters HTTP cannot carry.

    A requests InvalidHeader, raised before anything is sent: the client reports "not sent".
    """


_watched = threading.local()


class _Deadline:
    """Shuts down the sockets of one request when its time is up."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.expired = False
        self._sockets = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._started = time.monotonic()

    def remaining(self):
        return max(0.001, self.seconds - (time.monotonic() - self._started))

    def watch(self, sock):
        with self._lock:
            if sock is not None and sock not in self._sockets:
                self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shutdown(sock)

    def _expire(self):
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def __enter__(self):
        _watched.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        _watched.deadline = None


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except (OSError, ValueError):
        pass


def _watch_current(sock):
    deadline = getattr(_watched, "deadline", None)
    if deadline is not None:
        deadline.watch(sock)


if HAS_REQUESTS:
    class _WatchedHTTPConnection(urllib3_connection.HTTPConnection):
        def getresponse(self, *args, **kwargs):  # pylint: disable=signature-differs
            _watch_current(self.sock)
            return super().getresponse(*args, **kwargs)

    class _WatchedHTTPSConnection(urllib3_connection.HTTPSConnection):
        def getresponse(self, *args, **kwargs):  # pylint: disable=signature-differs
            _watch_current(self.sock)
            return super().getresponse(*args, **kwargs)

    class _WatchedHTTPPool(urllib3_pool.HTTPConnectionPool):
        ConnectionCls = _WatchedHTTPConnection

    class _WatchedHTTPSPool(urllib3_pool.HTTPSConnectionPool):
        ConnectionCls = _WatchedHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An HTTPAdapter whose requests, body included, finish within ``deadline`` seconds or time out."""

    def __init__(self, deadline, **kwargs):
        self.deadline = float(deadline)
        super().__init__(max_retries=0, **kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):  # pylint: disable=too-many-arguments
        with _Deadline(self.deadline) as deadline:
            try:
                response = super().send(request, stream=True, timeout=(deadline.remaining(), deadline.remaining()),
                                        verify=verify, cert=cert, proxies=proxies)
                # Read the body here, under the watch: requests would otherwise read it after send returns.
                response.content  # pylint: disable=pointless-statement
            except requests.exceptions.RequestException as exc:
                if deadline.expired:
                    raise _deadline_error(self.deadline, request) from exc
                raise
            if deadline.expired:
                raise _deadline_error(self.deadline, request)
        return response


def _deadline_error(seconds, request):
    return requests.exceptions.ReadTimeout(
        "no complete answer within api_timeout=%ss (a deadline for the whole request)" % seconds, request=request)


def _refuse_redirect(response, *args, **kwargs):
    del args, kwargs
    if 300 <= response.status_code < 400:
        location = (response.headers.get("Location") or "")[:LOCATION_SHOWN]
        raise RedirectRefused(response.status_code, location, response.headers.get("X-Ovh-QueryID"))
    return response


class _HardenedSession:
    """Mixin applied to a requests session: adapters with the deadline, the redirect hook, header checks."""

    smppops_deadline = None

    def request(self, *args, **kwargs):  # pylint: disable=arguments-differ
        kwargs["allow_redirects"] = False
        try:
            return super().request(*args, **kwargs)
        except requests.exceptions.InvalidHeader as exc:
            # Raised while preparing the request: nothing left this machine. requests' message quotes the
            # value, which may be a secret: it is not repeated.
            raise InvalidHeaderValue("a request header value holds a line break or another character HTTP cannot "
                                     "carry; check the credentials and options; nothing was sent") from None


def harden_session(session, deadline):
    """Apply the rules to one requests session (idempotent)."""
    if not isinstance(session, _HardenedSession):
        session.__class__ = type("Hardened" + type(session).__name__, (_HardenedSession, type(session)), {})
    session.smppops_deadline = deadline
    session.max_redirects = 0
    adapter = DeadlineAdapter(deadline)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    if _refuse_redirect not in session.hooks["response"]:
        session.hooks["response"].append(_refuse_redirect)
    return session


def harden(client, deadline):
    """Apply the rules to a python-ovh client: its signed session and, lazily, its OAuth2 sessions."""
    harden_session(client._session, deadline)  # pylint: disable=protected-access
    oauth2 = getattr(client, "_oauth2", None)
    if oauth2 is not None and not getattr(oauth2, "smppops_deadline", None):
        oauth2.__class__ = type("Hardened" + type(oauth2).__name__, (_HardenedOAuth2, type(oauth2)), {})
        oauth2.smppops_deadline = deadline
    return client


class _HardenedOAuth2:
    """python-ovh's OAuth2 helper creates its sessions lazily: harden each one as it is created."""

    smppops_deadline = None

    @property
    def session(self):
        created = super().session
        return harden_session(created, self.smppops_deadline)

    @property
    def token(self):
        if self._token is None:
            import ovh.oauth2  # pylint: disable=import-outside-toplevel
            token_session = harden_session(
                ovh.oauth2.RefreshOAuth2Session(token_url=self.token_url,
                                                client=ovh.oauth2.BackendApplicationClient(client_id=self.client_id, scope=["all"])),
                self.smppops_deadline)
            self._token = token_session.fetch_token(token_url=self.token_url, client_id=self.client_id,
                                                    client_secret=self.client_secret)
        return self._token
