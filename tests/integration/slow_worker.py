"""`python -m tests.integration.slow_worker SECONDS worker ...`: the real `feedback` CLI, with every
classification job sleeping SECONDS first, so a test can kill the worker in the middle of a job.

RQ imports a job by its path when it runs it, so replacing the module attribute is enough.
"""
from __future__ import annotations

import functools
import sys
import time

from feedback.cli import main
from feedback.routing import jobs


def _slowed(job, seconds: float):
    @functools.wraps(job)
    def slow(*args, **kwargs):
        time.sleep(seconds)
        return job(*args, **kwargs)

    return slow


if __name__ == "__main__":
    jobs.classify_ticket = _slowed(jobs.classify_ticket, float(sys.argv[1]))
    sys.exit(main(sys.argv[2:]))
