#!/usr/bin/env python
"""Mutation testing of the collection's Python (mutmut), against a checked-in list of accepted survivors.

Run from the parent of ``ansible_collections/smppops/ovh`` (the nox session ``mutation`` builds that tree):
mutmut copies the mutated files under ``mutants/`` with the same package path, so the unit tests import
``ansible_collections.smppops.ovh...`` from the copy.

    python run.py [--scope safety|all] [--jobs N] --survivors tests/mutation/survivors.yml

``safety`` (what ``make test`` runs): the credit, allowed-IP, password, retry and client modules, each against its
own unit tests. ``all`` (``make mutation``): every file of plugins/module_utils and plugins/plugin_utils against the
unit tests of tests/unit/plugins.

A survivor is named by its module, its function and the changed source line (old => new), never by a line number
or mutmut's running index, so the list stays valid while code around it moves. The run fails on any survivor
not in the list and prints its diff; listed entries that no longer survive are reported for removal.
"""

import argparse
import contextlib
import glob
import os
import sys

import yaml

COLLECTION = os.path.join("ansible_collections", "smppops", "ovh")
UTILS = os.path.join(COLLECTION, "plugins", "module_utils")
SAFETY_MODULES = ["_smpp_credit.py", "_credit_intent.py", "_smpp_acl.py", "_smpp_password.py", "_retry.py", "_api.py"]
# Each safety module is pinned by its own unit tests (and smpp_account_state's, which pin their
# "nothing to do" predicates); the emulator-backed fault matrix, the ACL concurrency rounds
# and the hypothesis fuzzing are left out: they are slow per mutant and are not where these rules are pinned.
SAFETY_TESTS = ["test_smpp_credit*.py", "test_credit_intent*.py", "test_smpp_acl*.py", "test_smpp_password*.py",
                "test_smpp_account_state*.py", "test_account_lease*.py", "test_retry*.py", "test_api*.py"]
SLOW_OR_RANDOM_TESTS = ["test_fault_matrix.py", "test_fuzz.py", "test_smpp_acl_concurrency.py"]
UNIT_TESTS = os.path.join(COLLECTION, "tests", "unit", "plugins")
# A survivor that is not a kill failure: "survived" and "no tests" (no selected test reaches the function).
SURVIVING = {"survived", "no tests", "suspicious"}


def scope_config(scope):
    """(source paths, pytest selection) of a scope."""
    if scope == "safety":
        sources = [os.path.join(UTILS, name) for name in SAFETY_MODULES]
        tests = sorted(set(path for pattern in SAFETY_TESTS
                           for path in glob.glob(os.path.join(UNIT_TESTS, "module_utils", pattern))
                           if os.path.basename(path) not in SLOW_OR_RANDOM_TESTS))
        return sources, tests
    sources = [os.path.join(COLLECTION, "plugins", "module_utils"), os.path.join(COLLECTION, "plugins", "plugin_utils")]
    ignored = ["--ignore=%s" % os.path.join(UNIT_TESTS, "module_utils", name) for name in SLOW_OR_RANDOM_TESTS]
    return sources, [UNIT_TESTS] + ignored


def write_config(sources, tests):
    lines = ["[mutmut]", "source_paths="] + ["    %s" % path for path in sources]
    lines += ["also_copy=", "    ansible_collections"]
    lines += ["pytest_add_cli_args_test_selection="] + ["    %s" % arg for arg in tests]
    lines += ["pytest_add_cli_args=", "    -p", "    no:cacheprovider", "use_git_change_detection=false"]
    # A mutant that loops (a poll whose clock never advances) is stopped after 5 times its tests' usual CPU time
    # instead of mutmut's 15: it still counts as killed, sooner.
    lines += ["timeout_multiplier=5", ""]
    with open("setup.cfg", "w") as handle:
        handle.write("\n".join(lines))


def skip_message_text():
    """Leave human-readable text (string literals with a space: messages, warnings) unmutated.

    mutmut turns every literal into XX...XX, lower and upper case: on message text that is hundreds of mutants
    whose only effect is a different sentence, each costing a test run. Literals without a space (paths, keys,
    states, methods, formats) are still mutated. The exact wording of the messages that matter is pinned by tests.
    """
    from mutmut.mutation import mutators

    original = mutators.operator_string

    def operator_string(node):
        value = getattr(node, "value", "")
        if " " in value:
            return iter(())
        return original(node)

    mutators.mutation_operators[:] = [(kind, operator_string if op is original else op)
                                      for kind, op in mutators.mutation_operators]


def mutant_patterns(functions):
    """mutmut's mutant-name patterns of ``module.function`` or ``module.Class.method`` names (``--function``)."""
    patterns = []
    for name in functions:
        module, unused, rest = name.partition(".")
        owner, unused, function = rest.rpartition(".")
        mangled = "x\u01c1%s\u01c1%s" % (owner, function) if owner else "x_%s" % function
        patterns.append("*.%s.%s__mutmut_*" % (module, mangled))
    return patterns


def run_mutmut(jobs, functions=()):
    """Run mutmut; its progress display (a line per mutant) goes to mutmut-run.log, not to the CI log."""
    from mutmut.__main__ import cli

    completed = False
    with open("mutmut-run.log", "w") as log:
        try:
            with _stdout_to(log):
                try:
                    cli.main(["run", "--max-children", str(jobs)] + mutant_patterns(functions), standalone_mode=False)
                except SystemExit as exc:
                    if exc.code not in (0, None):
                        raise
            completed = True
        finally:
            if not completed:
                log.flush()
                _show_tail(log.name)


@contextlib.contextmanager
def _stdout_to(log):
    """Point file descriptor 1 at ``log``: mutmut resets sys.stdout to sys.__stdout__, so a Python-level redirect
    would not hold."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(log.fileno(), 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        sys.__stdout__.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _show_tail(path, lines=40):
    with open(path) as handle:
        print("".join(handle.read().replace("\r", "\n").splitlines(True)[-lines:]))


def survivor_key(mutant_name, path):
    """``module.function: old => new`` of a mutant, independent of line numbers and mutant indexes."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.utils.format_utils import mangled_name_from_mutant_name

    module, unused, function = mangled_name_from_mutant_name(mutant_name).rpartition(".")
    # mutmut names a function x_<name>, a method x\u01c1<class>\u01c1<name>.
    function = function[2:] if function.startswith("x_") else function[1:]
    where = "%s.%s" % (module.rpartition(".")[2], function.replace("\u01c1", ".").strip("."))
    diff = get_diff_for_mutant(mutant_name, path=path).splitlines()
    removed = " / ".join(line[1:].strip() for line in diff if line.startswith("-") and not line.startswith("---"))
    added = " / ".join(line[1:].strip() for line in diff if line.startswith("+") and not line.startswith("+++"))
    return "%s: %s => %s" % (where, removed, added), "\n".join(diff[2:])


def survivors():
    from mutmut.mutation.data import SourceFileMutationData
    from mutmut.stats import status_by_exit_code
    from mutmut.utils.file_utils import walk_mutatable_files

    found, counts, modules = {}, {}, set()
    for path in walk_mutatable_files():
        modules.add(os.path.basename(str(path))[:-3])
        data = SourceFileMutationData(path=path)
        data.load()
        for name, code in data.exit_code_by_key.items():
            status = status_by_exit_code[code]
            counts[status] = counts.get(status, 0) + 1
            if status in SURVIVING:
                key, diff = survivor_key(name, path)
                found.setdefault(key, (status, diff))
    return found, counts, modules


def real_reason(reason):
    """A reason written by a person: not empty, not the placeholder ``--record`` suggests for triage."""
    return bool(reason and reason.strip()) and not reason.strip().lower().startswith("untriaged")


def prune(path, gone):
    """Rewrite the list without the entries in ``gone``, keeping its header comment."""
    with open(path) as handle:
        text = handle.read()
    header = "".join(line for line in text.splitlines(True) if line.startswith("#"))
    kept = [entry for entry in yaml.safe_load(text) or [] if entry["mutant"] not in gone]
    with open(path, "w") as handle:
        handle.write(header + (yaml.safe_dump(kept, width=10 ** 6, allow_unicode=True, sort_keys=False) if kept else ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scope", choices=("safety", "all"), default="safety")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--survivors", required=True, help="YAML list of {mutant, reason}")
    parser.add_argument("--function", action="append", default=[], metavar="MODULE.FUNCTION",
                        help="only the mutants of this function (e.g. _api._failure, _api.OvhApi.call); repeatable."
                             " Reports only on them: for checking that a new test kills them")
    parser.add_argument("--check-only", action="store_true", help="compare the results of the last run, do not run")
    parser.add_argument("--prune", action="store_true", help="remove the listed entries that no longer survive")
    parser.add_argument("--record", metavar="REASON",
                        help="append the unlisted survivors to the list with this reason (then edit each reason)")
    args = parser.parse_args()
    if not args.check_only:
        write_config(*scope_config(args.scope))
        skip_message_text()
        run_mutmut(args.jobs, args.function)
    with open(args.survivors) as handle:
        accepted = {entry["mutant"]: entry["reason"] for entry in yaml.safe_load(handle) or []}
    found, counts, modules = survivors()
    if args.function:
        prefixes = tuple("%s:" % name for name in args.function)
        found = {key: value for key, value in found.items() if key.startswith(prefixes)}
        accepted = {key: value for key, value in accepted.items() if key.startswith(prefixes)}
    print("mutation (%s): %s" % (args.scope, ", ".join("%s %d" % item for item in sorted(counts.items()))))
    unlisted = sorted(key for key in found if key not in accepted)
    # The safety modules' entries belong to the safety scope (their own tests): more tests may kill them in "all".
    owned = modules - {name[:-3] for name in SAFETY_MODULES} if args.scope == "all" else modules
    stale = sorted(key for key in accepted if key not in found and key.split(".", 1)[0] in owned)
    if stale:
        print("\nListed survivors that no longer survive (remove them from %s):" % args.survivors)
        for key in stale:
            print("  - mutant: %s" % key)
    if stale and args.prune:
        prune(args.survivors, set(stale))
        print("%d entries that no longer survive removed from %s" % (len(stale), args.survivors))
    for key in unlisted:
        status, diff = found[key]
        print("\nSURVIVOR (%s) not in %s:\n  - mutant: %s\n%s" % (status, args.survivors, yaml.safe_dump(key, width=10 ** 6).strip(),
                                                                  diff))
    if unlisted and args.record:
        with open(args.survivors, "a") as handle:
            handle.write(yaml.safe_dump([{"mutant": key, "reason": args.record} for key in unlisted], width=10 ** 6,
                                        allow_unicode=True, sort_keys=False))
        print("\n%d survivor(s) appended to %s with the reason %r" % (len(unlisted), args.survivors, args.record))
        return 0
    if unlisted:
        print("\n%d surviving mutant(s) without a reason: add a test that kills each, or list it with a reason."
              % len(unlisted))
        return 1
    placeholders = sorted(key for key in found if not real_reason(accepted[key]))
    if placeholders:
        print("\n%d surviving mutant(s) listed without a real reason (empty, or the placeholder \"untriaged\" of "
              "--record): kill each with a test or write why it cannot be killed:" % len(placeholders))
        for key in placeholders:
            print("  - mutant: %s" % key)
        return 1
    print("every surviving mutant is listed with a reason (%d listed, %d surviving)" % (len(accepted), len(found)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
