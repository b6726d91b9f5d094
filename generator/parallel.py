"""Doing a list of independent jobs on two processor cores: half here, half in a forked copy of this process.

The forked copy shares everything already in memory (the linked site, compiled templates), so
nothing has to be sent to it; only its results come back, pickled through a pipe. If the copy
fails for any reason its half is done here, so a failure shows exactly as it would without it.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
WORTH_SPLITTING = 200  # jobs; below this a fork and the pickling cost more than the second core saves


def cores() -> int:
    """How many processes a run can use: two where this process may use two cores and can fork."""
    if not hasattr(os, "fork"):
        return 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 if usable >= 2 else 1


def run_all(jobs: Sequence[Job], do: Callable[[Job], Result], *, processes: int = 1,
            worth_splitting: int = WORTH_SPLITTING) -> list[Result]:
    """do(job) for every job, in order; with processes=2, every other job in a forked process.

    Every other one, not the second half, so that each process gets as many of each kind of job.

    Only for callers that know no other thread is running: a fork copies locks that other threads hold.
    """
    if processes < 2 or len(jobs) < max(2, worth_splitting) or not hasattr(os, "fork"):
        return [do(job) for job in jobs]
    mine, theirs = jobs[0::2], jobs[1::2]
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: do its half, send the results, and leave without running any exit handler
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps([do(job) for job in theirs], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        results = [do(job) for job in mine]
    finally:
        with os.fdopen(read_end, "rb") as pipe:  # read before waiting: the copy blocks until its results are read
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    # If the copy failed, its half is done here, so that any error shows here.
    their_results = [do(job) for job in theirs] if status != 0 else pickle.loads(data)
    merged: list[Result] = [None] * len(jobs)  # type: ignore[list-item]
    merged[0::2], merged[1::2] = results, their_results
    return merged
