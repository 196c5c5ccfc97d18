#!/usr/bin/env python
"""Offline stand-in for pip's get-pip.py, for ``ansible-test sanity --venv``.

ansible-test downloads a get-pip script to bootstrap pip in the virtual environments it creates,
from a host these machines cannot reach; it uses ``~/.ansible/test/cache/get_pip_<version>.py``
instead when that file exists. This script gives pip the same way from the standard library
(``ensurepip``) and then installs the packages ansible-test asked for.
"""

import subprocess
import sys

IGNORED = ("--no-setuptools", "--no-wheel")


def main():
    subprocess.check_call([sys.executable, "-m", "ensurepip", "--upgrade", "--default-pip"])
    args = [arg for arg in sys.argv[1:] if arg not in IGNORED]
    if args:
        subprocess.check_call([sys.executable, "-m", "pip", "install"] + args)


if __name__ == "__main__":
    main()
