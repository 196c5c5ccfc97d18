#!/usr/bin/env python
"""Put get_pip_bootstrap.py where the installed ansible-test looks for its pip bootstrap script."""

import os
import re
import shutil
import sys

import ansible_test


def main():
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "get_pip_bootstrap.py")
    requirements = os.path.join(os.path.dirname(ansible_test.__file__), "_internal", "python_requirements.py")
    with open(requirements, encoding="utf-8") as handle:
        versions = set(re.findall(r"pip=['\"]([0-9.]+)['\"]", handle.read()))
    if not versions:
        sys.exit("cannot find the pip version ansible-test bootstraps in %s" % requirements)
    cache = os.path.expanduser("~/.ansible/test/cache")
    os.makedirs(cache, exist_ok=True)
    for version in sorted(versions):
        target = os.path.join(cache, "get_pip_%s.py" % version.replace(".", "_"))
        shutil.copyfile(source, target)
        print("pip bootstrap for ansible-test: %s" % target)


if __name__ == "__main__":
    main()
