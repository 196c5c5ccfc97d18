"""Metadata everybody gets wrong: the action group, the shells of each module, the changelog config."""

import os

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def module_names():
    return sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                  if name.endswith(".py") and name != "__init__.py")


def test_action_group_lists_exactly_the_modules():
    with open(os.path.join(ROOT, "meta", "runtime.yml"), encoding="utf-8") as handle:
        runtime = yaml.safe_load(handle)
    assert runtime["requires_ansible"] == ">=2.16.0"
    assert runtime["action_groups"]["all"] == module_names()


def test_every_module_has_an_action_plugin_and_an_integration_target():
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
