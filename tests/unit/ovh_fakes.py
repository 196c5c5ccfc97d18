"""Test doubles for the python-ovh client: scripted answers, recorded calls."""

import json


class FakeResponse:
    def __init__(self, status=200, payload=None, headers=None, text=None):
        self.status_code = status
        self.headers = dict(headers or {})
        self.headers.setdefault("X-Ovh-QueryID", "EU.ext-1.test.%d" % status)
        self.text = text if text is not None else ("" if payload is None and status == 204 else json.dumps(payload))
        self.reason = "Reason %d" % status


class FakeOvhClient:
    """Answers ``raw_call`` from a script: a list per (method, path) of responses or exceptions."""

    _timeout = 30

    def __init__(self, script=None):
        self.script = {key: list(value) for key, value in (script or {}).items()}
        self.requests = []

    def raw_call(self, method, path, data=None, need_auth=True, headers=None):
        self.requests.append({"method": method, "path": path, "data": data, "headers": headers})
        answers = self.script.get((method, path))
        if not answers:
            raise AssertionError("unexpected call %s %s" % (method, path))
        answer = answers.pop(0) if len(answers) > 1 else answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer
