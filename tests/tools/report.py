#!/usr/bin/env python
"""Sum the JUnit reports of a ``make test`` run and print one line of totals per report and overall."""

import glob
import os
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed = failed = skipped = 0
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main(directory):
    totals = [0, 0, 0]
    reports = sorted(glob.glob(os.path.join(directory, "*.xml")))
    for report in reports:
        numbers = count(report)
        totals = [a + b for a, b in zip(totals, numbers)]
        print("%-60s %4d passed, %d failed, %d skipped" % ((os.path.basename(report),) + numbers))
    if not reports:
        print("no test reports found in %s" % directory)
        return 1
    print("%d passed, %d failed, %d skipped" % tuple(totals))
    return 1 if totals[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "tests/output/junit"))
