"""The consumer_key playbook: a key with exactly the collection's routes, stored 0600, never printed."""

import os
import stat

import requests

from ansible_cli import DEMO_INVENTORY


def _request_key(cli, *extra, env=None):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.consumer_key", *extra, env=dict({"OVH_CONSUMER_KEY": ""}, **(env or {})))
    assert answer.returncode == 0, answer.output[-4000:]
    path = os.path.join(cli.workdir, "ovh-consumer-key.env")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with open(path, encoding="utf-8") as handle:
        key = handle.read().strip().split("=", 1)[1]
    assert key and key not in answer.output, "the consumer key is never printed"
    return key, answer


def _validate(emulator, output):
    url = next(word for word in output.split() if "/validate" in word).strip("\",'")
    assert url.startswith(emulator.root_url)
    requests.post(url, timeout=10).raise_for_status()


def test_key_with_the_collection_rules_runs_bootstrap_and_rotation(cli, control, emulator):
    key, answer = _request_key(cli)
    assert "PUT /sms/*/smpp/allowedIPs" in answer.output and "POST /sms/*/transferCredits" in answer.output
    _validate(emulator, answer.output)

    with_key = {"OVH_CONSUMER_KEY": key}
    bootstrap = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", env=with_key)
    assert bootstrap.returncode == 0, bootstrap.output[-4000:]
    assert "NOT_GRANTED_CALL" not in bootstrap.output
    rotate = cli.playbook("-i", "localhost,", "smppops.ovh.rotate_password", "-e", "smpp_service_names=smpp-ab12345-1",
                          "-e", "confirm=yes", env=with_key)
    assert rotate.returncode == 0, rotate.output[-4000:]
    assert "could not be recorded" not in rotate.output, "the key may write the rotation tag"
    assert control.account("smpp-ab12345-1")["tags"]["smppops-password-rotated-at"] != "2026-10-01T08:00:00Z"


def test_key_limited_to_reading_cannot_write(cli, control, emulator):
    key, answer = _request_key(cli, "-e", "consumer_key_modules=smpp_info")
    assert "PUT" not in answer.output.split("Access rules")[1]
    _validate(emulator, answer.output)
    bootstrap = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap", env={"OVH_CONSUMER_KEY": key})
    assert bootstrap.returncode != 0
    assert "NOT_GRANTED_CALL" in bootstrap.output or "not granted" in bootstrap.output.lower()


def test_unknown_module_is_refused_before_any_request(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.consumer_key", "-e", "consumer_key_modules=smpp_everything")
    assert answer.returncode != 0
    assert "smpp_everything" in answer.output
    assert control.log() == []


def test_the_key_never_shows_in_debug_output(cli, emulator):
    key, answer = _request_key(cli, "-vvv", "-e", "consumer_key_modules=smpp_info", env={"ANSIBLE_DEBUG": "1"})
    assert "consumer_key_request" in answer.output, "the debug output does show the task's result"
    assert key not in answer.output


def test_an_existing_key_file_is_kept(cli, control):
    path = os.path.join(cli.workdir, "ovh-consumer-key.env")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("OVH_CONSUMER_KEY=kept\n")
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.consumer_key", "-e", "consumer_key_modules=smpp_info")
    assert answer.returncode != 0 and "overwrite=true" in " ".join(answer.output.split())
    assert open(path, encoding="utf-8").read() == "OVH_CONSUMER_KEY=kept\n"
    assert control.log() == []
    key, unused = _request_key(cli, "-e", "consumer_key_modules=smpp_info", "-e", "consumer_key_overwrite=true")
    assert key != "kept"


def test_plain_http_to_another_host_is_refused_before_any_request(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.consumer_key", env={"OVH_ENDPOINT": "http://api.example.org/1.0"})
    assert answer.returncode != 0 and "plain http://" in answer.output
    assert control.log() == []
