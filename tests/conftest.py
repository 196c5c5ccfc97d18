"""Make ``ansible_collections.smppops.ovh`` and ``tests.emulator`` importable for pytest.

The repository root is the collection root. When it does not already sit at
``.../ansible_collections/smppops/ovh`` (a plain clone), a symlink tree under tests/output gives
Python that package path.
"""

import os
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
COLLECTION_ROOT = os.path.dirname(TESTS)


def _collections_parent():
    parts = COLLECTION_ROOT.split(os.sep)
    if parts[-3:-2] == ["ansible_collections"]:
        return os.sep.join(parts[:-3])
    parent = os.path.join(COLLECTION_ROOT, "tests", "output", "pythonpath")
    link = os.path.join(parent, "ansible_collections", "smppops", "ovh")
    if not os.path.islink(link):
        os.makedirs(os.path.dirname(link), exist_ok=True)
        os.symlink(COLLECTION_ROOT, link)
    return parent


# tests/unit holds shared test doubles (ovh_fakes); tests/tools the emulator process helper.
for entry in (COLLECTION_ROOT, _collections_parent(), os.path.join(TESTS, "unit"), os.path.join(TESTS, "tools")):
    if entry not in sys.path:
        sys.path.insert(0, entry)
