"""python-ovh's clock delta is measured once per ansible-playbook run, and again when OVH's clock moves."""

import textwrap

from ansible_cli import DEMO_INVENTORY, recap

TIME = "/1.0/auth/time"


def time_requests(log):
    return [item for item in log if item["path"] == TIME]


def test_an_idempotent_bootstrap_asks_the_time_once(cli, control):
    assert cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap").returncode == 0
    control.call("DELETE", "/log")
    answer = cli.playbook("-i", DEMO_INVENTORY, "smppops.ovh.bootstrap")
    assert answer.returncode == 0, answer.output[-4000:]
    log = control.log()
    assert len(time_requests(log)) == 1, "the inventory measures the delta, every task reuses it"
    assert len(log) > 10, "the inventory read every account: the count above is not an empty log"
    assert {item["method"] for item in log} == {"GET"}, "a run with nothing to change only reads"


def test_a_clock_that_moves_mid_run_is_measured_again_once(cli, control, emulator):
    playbook = cli.workdir + "/clock.yml"
    with open(playbook, "w") as stream:
        stream.write(textwrap.dedent("""\
            - hosts: localhost
              connection: local
              gather_facts: false
              vars:
                ansible_python_interpreter: "{{ ansible_playbook_python }}"
              tasks:
                - name: Measures the delta
                  smppops.ovh.smpp_info:
                    service_name: smpp-ab12345-1
                - name: Reuses it
                  smppops.ovh.smpp_info:
                    service_name: smpp-ab12345-1
                - name: OVH's clock jumps ten minutes ahead
                  ansible.builtin.uri:
                    url: "%s/_emulator/clock"
                    method: PUT
                    body_format: json
                    body: {offset_seconds: 600}
                - name: The reused delta is refused, measured again, the read re-sent
                  smppops.ovh.smpp_info:
                    service_name: smpp-ab12345-1
                - name: The new delta is reused
                  smppops.ovh.smpp_info:
                    service_name: smpp-ab12345-1
            """ % emulator.root_url))
    answer = cli.playbook("-i", "localhost,", playbook)
    assert answer.returncode == 0, answer.output[-4000:]
    assert recap(answer.output)["localhost"]["failed"] == 0
    log = control.log()
    paths = [item["path"] for item in log]
    assert len(time_requests(log)) == 2, paths
    refused = [item for item in log if item["status"] == 400]
    assert len(refused) == 1 and refused[0]["path"] == "/1.0/sms/smpp-ab12345-1", refused
    # The second measurement comes right after the refusal, before the request is sent again.
    where = log.index(refused[0])
    assert log[where + 1]["path"] == TIME and log[where + 2]["path"] == refused[0]["path"]
