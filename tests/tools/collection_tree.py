#!/usr/bin/env python
"""Copy the working tree to ``<dest>/ansible_collections/smppops/ovh`` for ansible-test.

ansible-test must run from inside ``ansible_collections/<namespace>/<name>``, and the repository
root is the collection root, so the test sessions work on a copy: the files git tracks plus the
untracked ones it does not ignore (so an uncommitted change is tested too). Needs git.
"""

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP_DIRS = {".git", ".nox", ".venv", "build", "output", "__pycache__", ".pytest_cache"}


def source_files():
    try:
        listing = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT, check=True, capture_output=True).stdout.decode("utf-8")
        return [path for path in listing.split("\0") if path and os.path.isfile(os.path.join(ROOT, path))]
    except (OSError, subprocess.CalledProcessError):
        found = []
        for base, dirs, files in os.walk(ROOT):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            found.extend(os.path.relpath(os.path.join(base, name), ROOT) for name in files)
        return found


def build(dest):
    target = os.path.join(dest, "ansible_collections", "smppops", "ovh")
    if os.path.isdir(target):
        shutil.rmtree(target)
    for path in source_files():
        destination = os.path.join(target, path)
        os.makedirs(os.path.dirname(destination), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, path), destination)
    # The copy sits in an ignored folder of this repository; its own git index makes ansible-test
    # list exactly the copied files instead of asking the enclosing repository (which ignores them).
    subprocess.run(["git", "init", "--quiet", target], check=True)
    subprocess.run(["git", "add", "--all"], cwd=target, check=True)
    return target


if __name__ == "__main__":
    print(build(os.path.abspath(sys.argv[1])))
