"""Test doubles for the python-ovh client: scripted answers, recorded calls.

The fakes are strict: a call they were not scripted for raises ``UnexpectedCall``, a ``BaseException`` that is not
an ``Exception``, so the code under test (which turns any ``Exception`` of the client into an API failure) cannot
make it a failed task that a test would accept; the test fails with the call named.
"""

import json


class UnexpectedCall(BaseException):
    """A request the test did not script: always fails the test, whatever the code under test catches."""


class FakeResponse:
    def __init__(self, status=200, payload=None, headers=None, text=None):
        self.status_code = status
        self.headers = dict(headers or {})
        self.headers.setdefault("X-Ovh-QueryID", "EU.ext-1.test.%d" % status)
        self.text = text if text is not None else ("" if payload is None and status == 204 else json.dumps(payload))
        self.reason = "Reason %d" % status


class FakeOvhClient:
    """Answers ``raw_call`` from a script: a list per (method, path) of responses or exceptions.

    Each scripted answer is used once, in order; the last answer of a GET keeps answering later reads of the same
    route (a read repeated while polling) unless ``repeat_last=False``. A route with no script, or one more write
    than scripted, raises ``UnexpectedCall``.
    """

    _timeout = 30

    def __init__(self, script=None, repeat_last=True):
        self.repeat_last = repeat_last
        self.script = {key: list(value) for key, value in (script or {}).items()}
        self.requests = []

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
        answers = self.script.get((method, path))
        if not answers:
            raise UnexpectedCall("unexpected call %s %s" % (method, path))
        # Reads may be polled: the last scripted answer of a GET keeps answering. A write is answered once per
        # scripted answer: one more PUT, POST or DELETE than the test expects is an unexpected call.
        repeat = method == "GET" and self.repeat_last
        answer = answers.pop(0) if len(answers) > 1 or not repeat else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


class FakeSmsCustomer(FakeOvhClient):
    """A stateful, strict stand-in for one OVH customer's SMS accounts and their IAM tags.

    ``accounts``: name -> {"creditsLeft": n, ...}; transfers move credits, tags live per account and an add on
    an existing key is refused (409), as the emulator does by default. ``faults``: (method, path suffix) -> list of
    ("before" | "after", response or exception): "before" answers without applying, "after" applies then answers.
    An account it does not hold answers 404, as OVH does for a service of another customer; any route it does
    not know fails the test.
    """

    def __init__(self, accounts, faults=None, foreign=()):
        super().__init__()
        # Names the test expects the code to ask about: they answer 404. Any other unknown name is an unexpected call.
        self.foreign = frozenset(foreign)
        self.accounts = {name: dict({"name": name, "smpp": True, "automaticRecreditAmount": None,
                                     "creditThresholdForAutomaticRecredit": 0}, **values)
                         for name, values in accounts.items()}
        self.tags = {name: {} for name in accounts}
        self.faults = {key: list(value) for key, value in (faults or {}).items()}
        self.transfers = []

    def _urn_name(self, path):
        return path.split("%3A")[-1].split("/")[0]

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
        fault = None
        for (fault_method, suffix), answers in self.faults.items():
            if fault_method == method and path.endswith(suffix) and answers:
                fault = answers.pop(0)
                break
        if fault is not None and fault[0] == "before":
            return self._answer(fault[1])
        answer = self._apply(method, path, data)
        return self._answer(fault[1]) if fault is not None else answer

    @staticmethod
    def _answer(answer):
        if isinstance(answer, Exception):
            raise answer
        return answer

    def _apply(self, method, path, data):
        if path.startswith("/v2/iam/resource/"):
            return self._tag_route(method, path, data)
        parts = path.split("/")
        if (method, path) == ("GET", "/sms"):
            return FakeResponse(200, sorted(self.accounts))
        name = parts[2]
        if name not in self.accounts:
            if name in self.foreign:
                # An account of another customer (or none at all): OVH answers 404, as documented.
                return FakeResponse(404, {"class": "Client::NotFound", "message": "This service does not exist"})
            raise UnexpectedCall("call on an account the test does not have: %s %s" % (method, path))
        account = self.accounts[name]
        if (method, len(parts)) == ("GET", 3):
            view = dict(account, iam={"urn": "urn:v1:eu:resource:sms:%s" % name,
                                      "tags": dict(self.tags[name], **{"ovh:product": "sms"})})
            return FakeResponse(200, view)
        if (method, len(parts)) == ("PUT", 3):
            account.update(data)
            return FakeResponse(200, None)
        if (method, parts[3:]) == ("POST", ["transferCredits"]):
            account["creditsLeft"] -= data["credits"]
            self.accounts[data["smsAccountTarget"]]["creditsLeft"] += data["credits"]
            self.transfers.append(data)
            return FakeResponse(200, None)
        raise UnexpectedCall("unexpected call %s %s" % (method, path))

    def _tag_route(self, method, path, data):
        name = self._urn_name(path)
        if name not in self.tags:
            raise UnexpectedCall("tags of an account the test does not have: %s %s" % (method, path))
        tags = self.tags[name]
        if method == "GET":
            return FakeResponse(200, {"urn": "urn:v1:eu:resource:sms:%s" % name, "tags": dict(tags, **{"ovh:product": "sms"})})
        if method == "POST" and path.endswith("/tag"):
            if data["key"] in tags:
                return FakeResponse(409, {"class": "Client::Conflict", "message": "tag exists"})
            tags[data["key"]] = data["value"]
            return FakeResponse(200, None)
        if method == "PUT":
            self.tags[name] = {key: value for key, value in data["tags"].items() if not key.startswith("ovh:")}
            return FakeResponse(200, None)
        if method == "DELETE":
            key = path.rsplit("/", 1)[-1]
            if key not in tags:
                return FakeResponse(404, {"class": "Client::NotFound", "message": "tag not found"})
            del tags[key]
            return FakeResponse(200, None)
        raise UnexpectedCall("unexpected call %s %s" % (method, path))


class ClientOf:
    """Another client of the same customer: its own object (as each python-ovh ``Client`` is), the customer's state."""

    _timeout = 30

    def __init__(self, customer):
        self._customer = customer

    def raw_call(self, *args, **kwargs):
        return self._customer.raw_call(*args, **kwargs)


def clients_of(customer):
    """A ``client_factory`` whose first client is ``customer`` itself and every later one a ``ClientOf`` it."""
    made = []

    def factory(unused_params):
        made.append(customer if not made else ClientOf(customer))
        return made[-1]

    return factory


class FakeClock:
    """Time that passes only when the code under test sleeps (the ``Clock`` of ``_account_lease``)."""

    def __init__(self):
        self.now = 1_800_000_000.0
        self.sleeps = []

    def monotonic(self):
        return self.now

    def wall(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds
