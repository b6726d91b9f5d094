"""Doing a list of independent jobs on two processor cores: some here, some in a forked copy of this process.

The forked copy shares everything already in memory (the linked site, compiled templates), so
nothing has to be sent to it; only its results come back, pickled through a pipe. If the copy
fails for any reason its part is done here, so a failure shows exactly as it would without it.

The jobs are cut into chunks, and each process takes the next chunk from a queue as it finishes
one, so neither waits for the other: the copy starts slower (each page of memory it writes to is
copied first), some chunks cost more than others (the home and get-help pages list the whole
site), and on a shared machine either core may be slowed at any time.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

Job = TypeVar("Job")
Result = TypeVar("Result")
WORTH_SPLITTING = 200  # jobs; below this a fork and the pickling cost more than the second core saves
CHUNKS = 128  # the queue's length: the last chunk, done by one process while the other has none, is short


def cores() -> int:
    """How many processes a run can use: two where this process may use two cores and can fork."""
    if not hasattr(os, "fork"):
        return 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return 2 if usable >= 2 else 1


def run_all(jobs: Sequence[Job], do: Callable[[Job], Result], *, processes: int = 1,
            worth_splitting: int = WORTH_SPLITTING) -> list[Result]:
    """do(job) for every job, in order; with processes=2, shared between this process and a forked copy.

    Only for callers that know no other thread is running: a fork copies locks that other threads hold.
    """
    if processes < 2 or len(jobs) < max(2, worth_splitting) or not hasattr(os, "fork"):
        return [do(job) for job in jobs]
    chunks = _chunks(len(jobs), min(CHUNKS, len(jobs)))
    # The queue is a pipe holding one byte per chunk, its number: reading a byte takes that chunk, and
    # no two reads get the same byte. Its writing end is closed, so once it is empty a read gives b"".
    queue, queue_in = os.pipe()
    os.write(queue_in, bytes(range(len(chunks))))
    os.close(queue_in)
    results_out, results_in = os.pipe()
    pid = os.fork()
    if pid == 0:  # the copy: take chunks until none is left, send the results, and leave without running any exit handler
        code = 1
        try:
            os.close(results_out)
            # Each chunk is pickled as soon as it is done, so the time that takes counts in the sharing.
            done = {index: pickle.dumps([do(job) for job in jobs[start:stop]], protocol=pickle.HIGHEST_PROTOCOL)
                    for index, (start, stop) in _taken(queue, chunks)}
            with os.fdopen(results_in, "wb") as pipe:
                pipe.write(pickle.dumps(done, protocol=pickle.HIGHEST_PROTOCOL))
            code = 0
        finally:
            os._exit(code)
    os.close(results_in)
    mine: dict[int, list[Result]] = {}
    try:
        for index, (start, stop) in _taken(queue, chunks):
            mine[index] = [do(job) for job in jobs[start:stop]]
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # the error shows now, as it would in one process, not after the copy's work
        raise
    finally:
        os.close(queue)
        with os.fdopen(results_out, "rb") as pipe:  # read before waiting: the copy blocks until its results are read
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    theirs: dict[int, bytes] = pickle.loads(data) if status == 0 else {}
    results: list[Result] = []
    for index, (start, stop) in enumerate(chunks):
        if index in mine:
            results += mine[index]
        elif index in theirs:
            results += pickle.loads(theirs[index])
        else:  # the copy failed: its chunks are done here, so that any error shows here
            results += [do(job) for job in jobs[start:stop]]
    return results


def _chunks(count: int, parts: int) -> list[tuple[int, int]]:
    """count jobs cut into parts runs of nearly equal length, as (start, stop)."""
    bounds = [count * part // parts for part in range(parts + 1)]
    return list(zip(bounds, bounds[1:]))


def _taken(queue: int, chunks: list[tuple[int, int]]) -> Iterator[tuple[int, tuple[int, int]]]:
    """The chunks this process takes from the queue, one at a time, until it is empty."""
    while taken := os.read(queue, 1):
        yield taken[0], chunks[taken[0]]
