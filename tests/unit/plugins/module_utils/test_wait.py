"""Progress lines while waiting for an SMPP account's settings to settle."""

import pytest

from ansible_collections.smppops.ovh.plugins.module_utils import _wait


class SettingsApi:
    """Answers GET .../smpp/settings with the given statuses in turn; records progress lines."""

    def __init__(self, statuses, with_progress=True):
        self.statuses = list(statuses)
        self.lines = []
        if with_progress:
            self.progress = self.lines.append

    def get(self, path, **unused):
        return {"status": self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]}


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


@pytest.fixture(autouse=True)
def settings_route(monkeypatch):
    monkeypatch.setattr(_wait.accounts, "get_settings", lambda api, name: api.get("/sms/%s/smpp/settings" % name))


def test_a_long_wait_says_it_is_still_waiting():
    clock = Clock()
    api = SettingsApi(["UPDATING_IP"] * 6 + ["SUCCESS"])
    assert _wait.wait_settled(api, "smpp-ab12345-1", 300, sleep=clock.sleep, clock=clock)["status"] == "SUCCESS"
    assert api.lines, "a wait of more than 5 s is reported"
    assert api.lines[-1].startswith("smpp-ab12345-1: SMPP settings still UPDATING_IP after ")
    assert "waiting up to 300 s" in api.lines[-1]


def test_a_short_wait_stays_quiet():
    clock = Clock()
    api = SettingsApi(["UPDATING_IP", "SUCCESS"])
    _wait.wait_settled(api, "smpp-ab12345-1", 300, sleep=clock.sleep, clock=clock)
    assert api.lines == []


def test_without_a_progress_sink_nothing_is_reported():
    clock = Clock()
    api = SettingsApi(["UPDATING_IP"] * 6 + ["SUCCESS"], with_progress=False)
    assert _wait.wait_settled(api, "smpp-ab12345-1", 300, sleep=clock.sleep, clock=clock)["status"] == "SUCCESS"
