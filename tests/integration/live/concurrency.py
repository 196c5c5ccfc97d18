"""Running the same work at once, round after round, for the concurrency tests."""

import os
import threading

# The newest ansible-core runs 20 rounds of every concurrency test; the others a few (noxfile.py).
ROUNDS = int(os.environ.get("SMPPOPS_CONCURRENCY_ROUNDS", "20"))


def in_threads(calls):
    """Start every call at once, each in its thread; return their results in order."""
    results = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def work(index, call):
        start.wait()
        results[index] = call()

    threads = [threading.Thread(target=work, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
