"""generator.parallel: the same results, in the same order, whether one process does the jobs or two."""

from __future__ import annotations

import os

import pytest

from generator import parallel


def test_two_processes_give_the_results_of_one_in_order() -> None:
    jobs = [f"page-{n}" for n in range(101)]
    expected = [job.upper() * 3 for job in jobs]
    assert parallel.run_all(jobs, lambda job: job.upper() * 3, processes=2, worth_splitting=2) == expected
    assert parallel.run_all(jobs, lambda job: job.upper() * 3, processes=1) == expected


def test_every_other_job_really_runs_in_another_process() -> None:
    parent = os.getpid()
    pids = parallel.run_all(list(range(11)), lambda _: os.getpid(), processes=2, worth_splitting=2)
    assert pids[0::2] == [parent] * 6
    assert len(set(pids[1::2])) == 1 and pids[1] != parent


def test_a_failed_copy_has_its_half_done_here() -> None:
    parent = os.getpid()

    def fails_in_the_copy(job: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("only in the forked copy")
        return job * 2

    assert parallel.run_all(list(range(9)), fails_in_the_copy, processes=2, worth_splitting=2) == [n * 2 for n in range(9)]


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

    with pytest.raises(ValueError, match="job 7 is broken"):  # odd jobs are the copy's: redone here
        parallel.run_all(list(range(10)), broken, processes=2, worth_splitting=2)
    with pytest.raises(ValueError, match="job 7 is broken"):  # in this process's half
        parallel.run_all(list(range(7, 20)), broken, processes=2, worth_splitting=2)
    assert len(forked) == 2
    for pid in forked:  # each copy has ended and been waited for: none is left behind
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_few_jobs_stay_in_this_process() -> None:
    parent = os.getpid()
    assert parallel.run_all(list(range(10)), lambda _: os.getpid(), processes=2) == [parent] * 10
