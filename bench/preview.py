"""The live preview's measures: save-to-page, the longest request wait during a rebuild, memory over saves.

For each size (3 = the real content/, else synthetic conditions) it starts the real
`python -m generator serve` on a free loopback port in a copy of the project, then:

- save to page: one glossary file's definition is edited (a marker appended) and the page of that
  term is polled every 20 ms until it shows the marker; the median of `--saves` saves;
- longest wait: while those saves rebuild, another thread asks for the home page over and over;
  the longest any one of those requests took, whatever it was waiting for;
- cpu: the server's own CPU seconds per save (user + system), steadier than the clock on a busy machine;
- memory: the server's resident memory after the first build and after `--memory-saves` further
  saves (at the `--memory-size` sizes, by default the largest), each waited for as above.

Usage: python bench/preview.py [--sizes 3 100 1000] [--saves 3] [--memory-saves 20] [--json FILE]
Printed by `make bench` (bench/run.py) as its own table; never asserted by the tests.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import make_content  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
REAL_SIZE = 3
START_TIMEOUT_S = 300.0  # the first (full) build at 1,000 conditions on a busy machine
SAVE_TIMEOUT_S = 600.0  # the old preview took 30 s a save at 1,000 conditions, more on a busy machine
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@dataclass
class PreviewRow:
    n: int
    start_s: float  # command started -> first page served (the full build)
    save_to_page_s: list[float]  # each save's seconds, file written -> the page served shows it
    median_s: float
    cpu_per_save_s: float  # the server's CPU seconds over those saves, divided by their number
    longest_wait_s: float  # the longest any request for another page took while those saves rebuilt
    rss_start_mb: float | None = None  # after the first build
    rss_end_mb: float | None = None  # after the memory saves
    memory_saves: int = 0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str, timeout: float = 60) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return None


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Prober(threading.Thread):
    """Asks for one page again and again; keeps the longest time any request took."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url, self.longest, self.stopped = url, 0.0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            start = time.perf_counter()
            fetch(self.url, timeout=120)
            self.longest = max(self.longest, time.perf_counter() - start)
            time.sleep(0.05)


def make_project(workdir: Path, n: int) -> Path:
    project = workdir / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project)
    for name in ("theme", "generator"):
        (project / name).symlink_to(ROOT / name)
    if n == REAL_SIZE:
        shutil.copytree(ROOT / "content", project / "content")
    else:
        make_content(project / "content", n)
    return project


def save(term_file: Path, marker: str) -> None:
    lines = term_file.read_text(encoding="utf-8").splitlines()
    term_file.write_text("\n".join(
        f"{line.split(' benchmark-edit-')[0].rstrip()} {marker}" if line.startswith("definition:") else line
        for line in lines) + "\n", encoding="utf-8")


def save_and_wait(term_file: Path, page: str) -> float:
    marker = f"benchmark-edit-{time.time_ns()}"
    start = time.perf_counter()
    save(term_file, marker)
    while marker not in (fetch(page) or ""):
        if time.perf_counter() - start > SAVE_TIMEOUT_S:
            raise RuntimeError(f"the live preview did not show the edit within {SAVE_TIMEOUT_S:.0f} s")
        time.sleep(0.02)
    return time.perf_counter() - start


def measure(n: int, *, saves: int, memory_saves: int) -> PreviewRow:
    with tempfile.TemporaryDirectory(prefix=f"bench-preview-{n}-") as tmp:
        project = make_project(Path(tmp), n)
        term_file = sorted((project / "content" / "terms").glob("*.yaml"))[0]
        port = free_port()
        log_path = project / "serve.log"
        start = time.perf_counter()
        with open(log_path, "wb") as log:
            server = subprocess.Popen(  # a session of its own, so stopping it stops anything it started too
                [sys.executable, "-m", "generator", "serve", "--allow-overdue", "--address", f"127.0.0.1:{port}"],
                cwd=project, env=ENV, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        try:
            base = f"http://127.0.0.1:{port}/"
            page = f"{base}glossary/{term_file.stem}/"
            while fetch(page, timeout=5) is None:
                if time.perf_counter() - start > START_TIMEOUT_S or server.poll() is not None:
                    raise RuntimeError(f"the live preview did not start:\n{log_path.read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
            start_s = time.perf_counter() - start
            time.sleep(1.0)  # let the file watcher settle after the first build
            prober = Prober(base)
            prober.start()
            cpu_before = cpu_s(server.pid)
            times = [save_and_wait(term_file, page) for _ in range(saves)]
            cpu_per_save = (cpu_s(server.pid) - cpu_before) / saves
            prober.stopped.set()
            prober.join()
            row = PreviewRow(n=n, start_s=round(start_s, 2), save_to_page_s=[round(t, 2) for t in times],
                             median_s=round(statistics.median(times), 2), cpu_per_save_s=round(cpu_per_save, 2),
                             longest_wait_s=round(prober.longest, 2))
            if memory_saves:
                row.rss_start_mb = round(rss_mb(server.pid), 1)
                for _ in range(memory_saves):
                    save_and_wait(term_file, page)
                row.rss_end_mb, row.memory_saves = round(rss_mb(server.pid), 1), memory_saves
            return row
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def table(rows: list[PreviewRow]) -> str:
    head = ("n", "start s", "save->page s (median)", "each save s", "cpu/save s", "longest request wait s",
            "memory MB")
    lines = [head]
    for r in rows:
        memory = (f"{r.rss_start_mb:.0f} -> {r.rss_end_mb:.0f} over {r.memory_saves} saves"
                  if r.rss_end_mb is not None else "-")
        lines.append((str(r.n), f"{r.start_s:.1f}", f"{r.median_s:.2f}", " ".join(f"{t:.2f}" for t in r.save_to_page_s),
                      f"{r.cpu_per_save_s:.2f}", f"{r.longest_wait_s:.2f}", memory))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = ["  ".join(cell.rjust(w) for cell, w in zip(line, widths)) for line in lines]
    out.insert(1, "  ".join("-" * w for w in widths))
    note = ("Live preview (python -m generator serve), n=3 the real content/: start = command to first page; "
            "save->page = one glossary file saved -> its page served with the change; cpu/save = the server's user+system "
            "seconds per save; longest request wait = the "
            "slowest request for the home page made during those saves; memory = the server's resident memory "
            "after the first build and after the further saves.")
    return "\n".join(out) + "\n\n" + note


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[REAL_SIZE, 100, 1000])
    parser.add_argument("--saves", type=int, default=3)
    parser.add_argument("--memory-saves", type=int, default=20, help="saves to measure memory over; 0: none")
    parser.add_argument("--memory-size", type=int, nargs="+", help="the sizes to measure memory at (default: the largest)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    rows = []
    memory_sizes = args.memory_size or [max(args.sizes)]
    for n in args.sizes:
        print(f"measuring the preview at n={n} ...", file=sys.stderr, flush=True)
        rows.append(measure(n, saves=args.saves, memory_saves=args.memory_saves if n in memory_sizes else 0))
        print(asdict(rows[-1]), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    print(table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
