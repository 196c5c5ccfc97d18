"""The built docs site (DOCS_HTML, default docs/build/html): pages exist and a module's option table is right."""

import os
from html.parser import HTMLParser

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HTML = os.environ.get("DOCS_HTML") or os.path.join(ROOT, "docs", "build", "html")
PAGES = os.path.join(HTML, "collections", "smppops", "ovh")


class OptionTable(HTMLParser):
    """Collects (option name, type line) pairs from the option table of a module page."""

    def __init__(self):
        super().__init__()
        self.options = {}
        self._in = None
        self._current = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if "ansible-option-title" in classes:
            self._in = "title"
        elif "ansible-option-type-line" in classes:
            self._in = "type"

    def handle_endtag(self, tag):
        if tag == "p":
            self._in = None

    def handle_data(self, data):
        if self._in == "title" and data.strip():
            self._current = data.strip()
            self.options.setdefault(self._current, "")
        elif self._in == "type" and self._current:
            self.options[self._current] += data


def _options(page):
    with open(os.path.join(PAGES, page), encoding="utf-8") as handle:
        parser = OptionTable()
        parser.feed(handle.read())
    return {name: " ".join(kind.split()) for name, kind in parser.options.items()}


def test_smpp_acl_page_lists_its_options_with_types():
    options = _options("smpp_acl_module.html")
    assert options["ips"] == "list / elements=string / required"
    assert options["service_name"] == "string / required"
    assert options["purge"] == "boolean"
    assert options["allow_empty"] == "boolean"
    assert options["wait_timeout"] == "integer"
    assert options["endpoint"] == "string", "the common connection options come from the doc fragment"
    assert "application_secret" in options and "client_id" in options


@pytest.mark.parametrize("page", [
    "smpp_info_module.html", "smpp_acl_module.html", "smpp_password_module.html", "smpp_credit_module.html",
    "smpp_sender_module.html", "smpp_account_state_module.html", "smpp_accounts_inventory.html", "smpp_account_role.html",
    "docsite/getting_started.html", "docsite/least_privilege.html", "docsite/password_rotation.html",
    "docsite/acl_changes.html", "docsite/credits.html", "docsite/troubleshooting.html", "docsite/emulator_demo.html",
])
def test_every_plugin_role_and_guide_has_a_page(page):
    assert os.path.getsize(os.path.join(PAGES, page)) > 2000


def test_role_page_documents_the_argument_specs():
    with open(os.path.join(PAGES, "smpp_account_role.html"), encoding="utf-8") as handle:
        page = handle.read()
    for variable in ("smpp_account_allowed_ips", "smpp_account_min_credits", "smpp_account_password_max_age_days"):
        assert variable in page
