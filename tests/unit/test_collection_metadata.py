"""Metadata everybody gets wrong: the action group, the shells of each module, the changelog config."""

import ast
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def all_module_names():
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                  if name.endswith(".py") and name != "__init__.py")


def _source(name):
    with open(os.path.join(ROOT, "plugins", "modules", name + ".py"), encoding="utf-8") as handle:
        return handle.read()


def module_names():
    """The modules that call the OVH API: they take the connection options of the smppops.ovh.api fragment."""
    return [name for name in all_module_names() if "- smppops.ovh.api\n" in _source(name)]


def host_module_names():
    """The modules that run on the managed host and never call the OVH API (smpp_bind_check)."""
    return [name for name in all_module_names() if name not in module_names()]


def test_action_group_lists_exactly_the_api_modules():
    # group/smppops.ovh.all exists to give every API module the same connection options through
    # module_defaults. A module that never calls the API does not accept them (module_defaults would make it
    # fail with "Unsupported parameters") and must never receive API secrets on a managed host: not in the group.
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        runtime = yaml.safe_load(handle)
    assert runtime["requires_ansible"] == ">=2.16.0"
    assert runtime["action_groups"]["all"] == module_names()
    assert host_module_names() == ["smpp_bind_check"]


def _imports(path):
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module
            for alias in node.names:  # from <package> import <module>
                yield "%s.%s" % (node.module, alias.name)


def test_host_modules_have_no_action_plugin_and_use_only_the_standard_library():
    """SMPP client hosts are not Ansible controllers: nothing to install there (not even python-ovh)."""
    own = "ansible_collections.smppops.ovh.plugins.module_utils"
    for name in host_module_names():
        assert not os.path.exists(os.path.join(ROOT, "plugins", "action", name + ".py")), name
        assert "\n  endpoint:" not in _source(name), name
        pending, seen = [os.path.join(ROOT, "plugins", "modules", name + ".py")], set()
        while pending:
            path = pending.pop()
            seen.add(path)
            for imported in _imports(path):
                if imported.startswith(own):
                    target = os.path.join(ROOT, "plugins", "module_utils", imported[len(own) + 1:] + ".py")
                    if not os.path.exists(target):  # from <own> import _name
                        continue
                    if target not in seen:
                        pending.append(target)
                    continue
                top = imported.split(".")[0]
                assert top in sys.stdlib_module_names or imported.startswith("ansible.module_utils.basic"), (path, imported)
        assert len(seen) == 4, seen  # the module, the check, the session, the PDUs


def test_every_api_module_has_an_action_plugin_and_an_integration_target():
    for name in module_names():
        assert os.path.isfile(os.path.join(ROOT, "plugins", "action", name + ".py")), name
        assert os.path.isdir(os.path.join(ROOT, "tests", "integration", "targets", name)), name


def test_every_module_shares_its_argument_spec_with_its_action():
    for name in module_names():
        with open(os.path.join(ROOT, "plugins", "modules", name + ".py"), encoding="utf-8") as handle:
            module = handle.read()
        with open(os.path.join(ROOT, "plugins", "action", name + ".py"), encoding="utf-8") as handle:
            action = handle.read()
        logic = "plugins.module_utils import _%s" % name
        assert logic in module and logic in action, name
