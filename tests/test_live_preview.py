"""Live preview for real: `python -m generator serve` on 127.0.0.1, an editor saving files, the page polled.

The server runs on a copy of the project with the minimal fixture as content.
Every wait is bounded: the test fails with the server's log if the page does
not change in time, and never asserts how fast it changed.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from project_layout import clean_env, make_project

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
WAIT_SECONDS = 60  # upper bound for any one change to show; a healthy preview takes a second or two


@dataclass
class Preview:
    url: str
    content: Path
    log: Path

    def page(self, path: str) -> str:
        try:
            with urllib.request.urlopen(self.url + path, timeout=10) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return ""

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, what: str, check: Callable[[], bool]) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        pytest.fail(f"{what} did not happen within {WAIT_SECONDS} s. Server output:\n{self.output()}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    project = make_project(tmp_path / "project", MINIMAL)
    port = free_port()
    log = tmp_path / "serve.log"
    env = clean_env()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}", "--allow-overdue"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    running = Preview(f"http://127.0.0.1:{port}/", project / "content", log)
    try:
        running.wait_for("the first page", lambda: "Calf cramp" in running.page("conditions/calf-cramp/"))
        yield running
    finally:
        os.killpg(server.pid, signal.SIGINT)  # the server's own process group, started above
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_saving_a_yaml_file_updates_the_page(preview: Preview) -> None:
    condition = preview.content / "conditions" / "calf-cramp.yaml"
    edit(condition, "title: Calf cramp", "title: Calf cramp in runners")
    preview.wait_for("the new title on the page", lambda: "Calf cramp in runners" in preview.page("conditions/calf-cramp/"))

    cause = preview.content / "causes" / "dehydration.yaml"
    edit(cause, "title: Not drinking enough (dehydration)", "title: Too little water (dehydration)")
    preview.wait_for("the cause's new title on the condition that links it",
                     lambda: "Too little water (dehydration)" in preview.page("conditions/calf-cramp/"))


def test_an_invalid_file_is_reported_and_the_last_good_page_stays(preview: Preview) -> None:
    condition = preview.content / "conditions" / "calf-cramp.yaml"
    edit(condition, "title: Calf cramp", "title: Calf cramp at night")
    preview.wait_for("the good edit", lambda: "Calf cramp at night" in preview.page("conditions/calf-cramp/"))

    edit(condition, "title: Calf cramp at night", "title: Calf cramp: at night")
    wanted = re.compile(r"^content/conditions/calf-cramp\.yaml:2:\d+: YAML syntax error: mapping values are not "
                        r"allowed.*; if the text contains ': ', put all of the text in double quotes", re.M)
    preview.wait_for("the error in the terminal", lambda: bool(wanted.search(preview.output())))
    assert "Traceback" not in preview.output()
    page = preview.page("conditions/calf-cramp/")
    assert "Calf cramp at night" in page, "the last good page is no longer served"

    edit(condition, "title: Calf cramp: at night", 'title: "Calf cramp: fixed"')
    preview.wait_for("the fixed page", lambda: "Calf cramp: fixed" in preview.page("conditions/calf-cramp/"))
