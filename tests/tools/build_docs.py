#!/usr/bin/env python
"""Build the docs site with antsibull-docs and Sphinx: ``python tests/tools/build_docs.py COLLECTIONS_PATH OUT``.

COLLECTIONS_PATH holds ansible_collections/smppops/ovh (a copy of the tree); OUT receives the HTML.
antsibull-docs writes the RST of every plugin, module, role and guide of the collection, then
Sphinx builds it with warnings as errors (-W), offline (docs/site/conf.py has no intersphinx).
"""

import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SITE = os.path.join(ROOT, "docs", "site")


def main(collections_path, output):
    source = os.path.join(ROOT, "build", "docs-source")
    shutil.rmtree(source, ignore_errors=True)
    rst = os.path.join(source, "rst")
    os.makedirs(rst)
    os.chmod(rst, 0o755)  # antsibull-docs refuses a destination others may write to
    shutil.copy(os.path.join(SITE, "conf.py"), source)
    shutil.copy(os.path.join(SITE, "index.rst"), rst)
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=os.path.abspath(collections_path))
    bindir = os.path.dirname(sys.executable)
    subprocess.run([os.path.join(bindir, "antsibull-docs"), "--config-file", os.path.join(SITE, "antsibull-docs.cfg"),
                    "collection", "--use-current", "--dest-dir", rst, "smppops.ovh"], env=env, check=True)
    shutil.rmtree(output, ignore_errors=True)
    subprocess.run([os.path.join(bindir, "sphinx-build"), "-W", "--keep-going", "-q", "-b", "html", "-c", source,
                    rst, output], env=env, check=True)
    print("docs site: %s" % os.path.join(output, "index.html"))


if __name__ == "__main__":
    main(*sys.argv[1:3])
