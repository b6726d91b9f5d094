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
import struct
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows, which cannot fork either
    fcntl = None  # type: ignore[assignment]

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
            worth_splitting: int = WORTH_SPLITTING, then: Callable[[Result], object] | None = None) -> list[Result]:
    """do(job) for every job, in order; with processes=2, shared between this process and a forked copy.

    then(result), if given, is called in this process for every result as it is ready, in no set order:
    for work that must stay in this process, done while the copy is still busy.

    Only for callers that know no other thread is running: a fork copies locks that other threads hold.
    """
    after = then or _nothing
    if processes < 2 or len(jobs) < max(2, worth_splitting) or not hasattr(os, "fork"):
        return [_then(after, do(job)) for job in jobs]
    chunks = _chunks(len(jobs), min(CHUNKS, len(jobs)))
    # The queue is a pipe holding one byte per chunk, its number: reading a byte takes that chunk, and
    # no two reads get the same byte. Its writing end is closed, so once it is empty a read gives b"".
    queue, queue_in = os.pipe()
    os.write(queue_in, bytes(range(len(chunks))))
    os.close(queue_in)
    results_out, results_in = os.pipe()
    _widen(results_out)
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a limit on processes or memory): every job is done here
        for pipe_end in (queue, results_out, results_in):
            os.close(pipe_end)
        return [_then(after, do(job)) for job in jobs]
    if pid == 0:  # the copy: take chunks until none is left, sending each one's results as it is done
        code = 1
        try:
            os.close(results_out)
            with os.fdopen(results_in, "wb") as pipe:
                for index, (start, stop) in _taken(queue, chunks):
                    data = pickle.dumps([do(job) for job in jobs[start:stop]], protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.write(_FRAME.pack(index, len(data)))
                    pipe.write(data)
                    pipe.flush()
            code = 0
        finally:
            os._exit(code)  # without running any exit handler: they belong to this process's original
    os.close(results_in)
    mine: dict[int, list[Result]] = {}
    theirs = _Received(results_out, after)
    try:
        for index, (start, stop) in _taken(queue, chunks):
            mine[index] = [_then(after, do(job)) for job in jobs[start:stop]]
            theirs.take()  # what the copy has sent so far: unpickling it now leaves less for the end
    except BaseException:
        os.kill(pid, signal.SIGKILL)  # the error shows now, as it would in one process, not after the copy's work
        raise
    finally:
        os.close(queue)
        theirs.take(to_the_end=True)  # read before waiting: the copy blocks while the pipe is full
        os.close(results_out)
        os.waitpid(pid, 0)
    results: list[Result] = []
    for index, (start, stop) in enumerate(chunks):
        if index in mine:
            results += mine[index]
        elif index in theirs.results:
            results += theirs.results[index]
        else:  # the copy failed: its chunks are done here, so that any error shows here
            results += [_then(after, do(job)) for job in jobs[start:stop]]
    return results


def _then(after: Callable[[Result], object], result: Result) -> Result:
    after(result)
    return result


def _nothing(result: object) -> None:
    pass


_FRAME = struct.Struct("<BI")  # before each chunk's pickled results: the chunk's number and the pickle's length


class _Received:
    """The chunks' results the copy has sent, read from the pipe as they arrive."""

    def __init__(self, pipe: int, after: Callable[[Any], object]) -> None:
        os.set_blocking(pipe, False)
        self.pipe = pipe
        self.after = after
        self.buffer = bytearray()
        self.results: dict[int, list[Any]] = {}

    def take(self, *, to_the_end: bool = False) -> None:
        """Unpickle every whole chunk that has arrived; to_the_end, wait for all until the copy has ended."""
        if to_the_end:
            os.set_blocking(self.pipe, True)
        while True:
            try:
                data = os.read(self.pipe, 1 << 20)
            except BlockingIOError:
                break
            if not data:
                break
            self.buffer += data
        start = 0
        while len(self.buffer) - start >= _FRAME.size:
            index, size = _FRAME.unpack_from(self.buffer, start)
            end = start + _FRAME.size + size
            if len(self.buffer) < end:
                break  # the rest of this chunk is still on its way
            results = self.results[index] = pickle.loads(self.buffer[start + _FRAME.size:end])
            for result in results:
                self.after(result)
            start = end
        del self.buffer[:start]


def _widen(pipe: int) -> None:
    """Let the pipe hold more than its usual 64 KB, so the copy rarely waits for this process to read."""
    try:
        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, 1 << 20)  # type: ignore[union-attr]
    except (AttributeError, OSError):  # not Linux, or over the system's limit: the copy may wait, that is all
        pass


def _chunks(count: int, parts: int) -> list[tuple[int, int]]:
    """count jobs cut into parts runs of nearly equal length, as (start, stop)."""
    bounds = [count * part // parts for part in range(parts + 1)]
    return list(zip(bounds, bounds[1:]))


def _taken(queue: int, chunks: list[tuple[int, int]]) -> Iterator[tuple[int, tuple[int, int]]]:
    """The chunks this process takes from the queue, one at a time, until it is empty."""
    while taken := os.read(queue, 1):
        yield taken[0], chunks[taken[0]]
