"""generator.parallel: the same results, in the same order, whether one process does the jobs or two."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator import parallel


def test_two_processes_give_the_results_of_one_in_order() -> None:
    jobs = [f"page-{n}" for n in range(101)]
    expected = [job.upper() * 3 for job in jobs]
    assert parallel.run_all(jobs, lambda job: job.upper() * 3, processes=2, worth_splitting=2) == expected
    assert parallel.run_all(jobs, lambda job: job.upper() * 3, processes=1) == expected


def test_jobs_really_run_in_another_process_and_come_back_in_order(tmp_path: Path) -> None:
    parent = os.getpid()
    started = tmp_path / "copy-started"

    def job(n: int) -> tuple[int, int]:
        if os.getpid() == parent:
            _wait_for(started)
        else:
            started.touch()
        return n, os.getpid()

    done = parallel.run_all(list(range(40)), job, processes=2, worth_splitting=2)
    assert [n for n, _ in done] == list(range(40))
    pids = {pid for _, pid in done}
    assert parent in pids and len(pids) == 2


def test_results_larger_than_the_pipe_come_back_whole() -> None:
    # 300 jobs of 40 KB each: chunks arrive in many pieces, while this process is busy with its own.
    jobs = list(range(300))
    expected = [str(n) * (40_000 // len(str(n))) for n in jobs]
    done = parallel.run_all(jobs, lambda n: str(n) * (40_000 // len(str(n))), processes=2, worth_splitting=2)
    assert done == expected


def test_then_sees_every_result_once_in_this_process() -> None:
    parent = os.getpid()
    seen: list[tuple[int, int]] = []
    done = parallel.run_all(list(range(300)), lambda n: n * n, processes=2, worth_splitting=2,
                            then=lambda result: seen.append((result, os.getpid())))
    assert done == [n * n for n in range(300)]
    assert sorted(seen) == [(n * n, parent) for n in range(300)]
    seen.clear()
    parallel.run_all(list(range(5)), lambda n: n * n, then=lambda result: seen.append((result, os.getpid())))
    assert seen == [(n * n, parent) for n in range(5)]


def test_chunks_cover_every_job_once() -> None:
    for count, parts in [(2018, 128), (200, 128), (5, 5), (7, 3)]:
        chunks = parallel._chunks(count, parts)
        assert len(chunks) == parts
        assert [n for start, stop in chunks for n in range(start, stop)] == list(range(count))
        assert max(stop - start for start, stop in chunks) - min(stop - start for start, stop in chunks) <= 1


def test_a_failed_copy_has_its_chunks_done_here(tmp_path: Path) -> None:
    parent = os.getpid()
    started = tmp_path / "copy-started"

    def fails_in_the_copy(job: int) -> int:
        if os.getpid() != parent:
            started.touch()
            raise RuntimeError("only in the forked copy")
        _wait_for(started)
        return job * 2

    assert parallel.run_all(list(range(9)), fails_in_the_copy, processes=2, worth_splitting=2) == [n * 2 for n in range(9)]
    assert started.exists()  # the copy did take a chunk, and failed


def test_an_error_in_a_job_shows_here_as_it_would_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    forked: list[int] = []
    fork = os.fork

    def recording_fork() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", recording_fork)

    def broken(job: int) -> int:
        if job == 7:
            raise ValueError("job 7 is broken")
        return job

    # Whichever process takes job 7, the error shows here: a failed copy's chunks are redone here.
    with pytest.raises(ValueError, match="job 7 is broken"):
        parallel.run_all(list(range(10)), broken, processes=2, worth_splitting=2)
    with pytest.raises(ValueError, match="job 7 is broken"):
        parallel.run_all(list(range(7, 20)), broken, processes=2, worth_splitting=2)
    assert len(forked) == 2
    for pid in forked:  # each copy has ended and been waited for: none is left behind
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_jobs_are_done_here_when_no_process_can_be_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    open_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    assert parallel.run_all(list(range(300)), lambda n: n + 1, processes=2, worth_splitting=2) == list(range(1, 301))
    if open_before is not None:  # the queue's and the results' pipes are closed again
        assert len(os.listdir("/proc/self/fd")) == open_before


def test_a_few_jobs_stay_in_this_process() -> None:
    parent = os.getpid()
    assert parallel.run_all(list(range(10)), lambda _: os.getpid(), processes=2) == [parent] * 10


def _wait_for(started: Path) -> None:
    """Hold this process's first job until the copy has taken one, so that both take some."""
    deadline = time.monotonic() + 30
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.001)
