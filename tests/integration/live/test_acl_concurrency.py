"""Concurrent smpp_acl tasks in separate ansible-playbook worker processes never leave the allowed-IP list empty.

Two hosts, forks 2: in each of 20 rounds both remove their own half of a four-address list at the same time, with a
slow PUT. Without coordination both read the full list, both pass the "never empty" guard, and together empty it.
"""

from ansible_cli import recap

ROUNDS = 20
ACCOUNT = "smpp-ab12345-1"
FIRST = ["203.0.113.1", "203.0.113.2"]
SECOND = ["198.51.100.1", "198.51.100.2"]

INVENTORY = """
[removers]
first  half='{first}'
second half='{second}'
[removers:vars]
ansible_connection=local
ansible_python_interpreter="{{{{ ansible_playbook_python }}}}"
""".format(first=FIRST, second=SECOND).replace("'[", "\"[").replace("]'", "]\"")

PLAYBOOK = """
- hosts: removers
  gather_facts: false
  tasks:
    - name: Every PUT of the list is slow; the change applies at once
      ansible.builtin.uri:
        {url: "{{ item.url }}", method: "{{ item.method }}", body_format: json, body: "{{ item.body }}", status_code: [200, 201]}
      loop:
        - {url: "%(root)s/_emulator/config", method: PUT, body: {ip_update_seconds: 0}}
        - {url: "%(root)s/_emulator/faults", method: POST,
           body: {kind: latency, method: PUT, path: "/1.0/sms/*/smpp/allowedIPs", seconds: 0.2, times: 1000}}
      run_once: true
      changed_when: false

    - ansible.builtin.include_tasks: round.yml
      loop: "{{ range(%(rounds)d) | list }}"
      loop_control: {loop_var: round}
"""

ROUND = """
- name: Four addresses
  smppops.ovh.smpp_acl: {service_name: %(account)s, ips: %(all)s, purge: true}
  run_once: true

- name: Each host removes its half, at the same time
  smppops.ovh.smpp_acl: {service_name: %(account)s, ips: "{{ half }}", state: absent}
  ignore_errors: true

- name: Read the list
  smppops.ovh.smpp_info: {service_name: %(account)s}
  register: smppops_state
  run_once: true

- name: Never empty
  ansible.builtin.assert:
    that: smppops_state.smpp_accounts[0].allowed_ips | length > 0
    fail_msg: "round {{ round }} emptied the list"
  run_once: true
"""


def test_twenty_rounds_of_concurrent_playbook_tasks_never_empty_the_list(cli, emulator, tmp_path):
    (tmp_path / "hosts").write_text(INVENTORY)
    values = {"root": emulator.root_url, "account": ACCOUNT, "all": FIRST + SECOND, "rounds": ROUNDS}
    (tmp_path / "concurrent.yml").write_text(PLAYBOOK % values)
    (tmp_path / "round.yml").write_text(ROUND % values)
    answer = cli.playbook("-i", tmp_path / "hosts", tmp_path / "concurrent.yml", "--forks", "2")
    assert answer.returncode == 0, answer.output[-4000:]
    counts = recap(answer.output)
    # Every round: one host removed its half, the other was refused by the guard (ignored).
    assert counts["first"]["ignored"] + counts["second"]["ignored"] == ROUNDS, answer.output[-3000:]
