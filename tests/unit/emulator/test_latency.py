"""The emulator's global latency: added to every API request, never to its control API, set from the seed
or PUT /config. The pause is observed by replacing the sleep, so no test depends on a clock."""

import pytest
import requests

from tests.emulator import EmulatorServer, app as emulator_app
from tests.emulator.state import load_seed


@pytest.fixture()
def pauses(monkeypatch):
    """The seconds the emulator paused for, request by request, instead of sleeping."""
    recorded = []
    monkeypatch.setattr(emulator_app.time, "sleep", recorded.append)
    return recorded


def test_latency_from_put_config_applies_to_api_requests_only(client, emulator, pauses):
    client.get("/sms")
    assert pauses == [], "no latency by default"
    answer = requests.put(emulator.root_url + "/_emulator/config", json={"latency_seconds": 0.25}, timeout=5)
    assert answer.status_code == 200 and answer.json()["latency_seconds"] == 0.25
    assert pauses == [], "the control API is never slowed"
    client.get("/sms")
    client.get("/auth/time")
    requests.get(emulator.root_url + "/_emulator/log", timeout=5)
    assert pauses == [0.25, 0.25]


def test_latency_from_the_seed(pauses):
    seed = dict(load_seed(None), latency_seconds=0.5)
    with EmulatorServer(seed=seed) as server:
        assert requests.get(server.base_url + "/auth/time", timeout=5).status_code == 200
    assert pauses == [0.5]


@pytest.mark.parametrize("value", [-1, "fast", True, None])
def test_a_latency_that_is_not_a_number_of_seconds_is_refused(emulator, value):
    answer = requests.put(emulator.root_url + "/_emulator/config", json={"latency_seconds": value}, timeout=5)
    assert answer.status_code == 400 and "latency_seconds" in answer.json()["message"]
    assert emulator.state.config["latency_seconds"] == 0
