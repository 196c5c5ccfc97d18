"""The rotate_password playbook: asks first, renews only the named accounts, says where the password goes."""

from ansible_cli import writes


def _renewals(control):
    return [item for item in control.log() if item["method"] == "POST" and item["path"].endswith("/smpp/password")]


def test_needs_named_accounts(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.rotate_password", "-e", "confirm=yes")
    assert answer.returncode != 0
    assert "Name the accounts explicitly" in answer.output
    assert control.log() == []


def test_without_confirmation_nothing_is_renewed(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.rotate_password", "-e", "smpp_service_names=smpp-ab12345-1",
                          stdin="no\n")
    assert answer.returncode != 0
    assert "Nothing renewed" in answer.output
    assert writes(control.log()) == []


def test_confirmed_renewal_tells_where_the_password_goes(cli, control):
    answer = cli.playbook("-i", "localhost,", "smppops.ovh.rotate_password",
                          "-e", "smpp_service_names=smpp-ab12345-1,smpp-ab12345-2", "-e", "confirm=yes")
    assert answer.returncode == 0, answer.output[-4000:]
    assert len(_renewals(control)) == 2
    assert "e-mails the new password" in answer.output
    tags = control.account("smpp-ab12345-2")["tags"]
    assert tags.get("smppops-password-rotated-at")
