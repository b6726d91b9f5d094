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


def start_server(project: Path, log: Path, port: int, tmp: Path) -> subprocess.Popen[bytes]:
    """The real `python -m generator serve` on a loopback port, its temporary files in tmp (to see them go)."""
    tmp.mkdir(exist_ok=True)
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}", "--allow-overdue"],
            cwd=project, env={**clean_env(), "TMPDIR": str(tmp)}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGINT)  # the server's own process group, started above
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


@pytest.fixture
def started(tmp_path: Path) -> Iterator[tuple[Preview, subprocess.Popen[bytes]]]:
    project = make_project(tmp_path / "project", MINIMAL)
    port = free_port()
    log = tmp_path / "serve.log"
    server = start_server(project, log, port, tmp_path / "tmp")
    running = Preview(f"http://127.0.0.1:{port}/", project / "content", log)
    try:
        running.wait_for("the first page", lambda: "Calf cramp" in running.page("conditions/calf-cramp/"))
        yield running, server
    finally:
        stop(server)


@pytest.fixture
def preview(started: tuple[Preview, subprocess.Popen[bytes]]) -> Preview:
    return started[0]


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
    wanted = re.compile(r"^content/conditions/calf-cramp\.yaml:2:\d+: the value has a colon followed by a space, "
                        r".*put the whole value in quotes: title: \"Calf cramp: at night\"$", re.M)
    preview.wait_for("the error in the terminal", lambda: bool(wanted.search(preview.output())))
    assert "Traceback" not in preview.output()
    page = preview.page("conditions/calf-cramp/")
    assert "Calf cramp at night" in page, "the last good page is no longer served"

    edit(condition, "title: Calf cramp: at night", 'title: "Calf cramp: fixed"')
    preview.wait_for("the fixed page", lambda: "Calf cramp: fixed" in preview.page("conditions/calf-cramp/"))


BANNER = "cramp-preview-errors"  # the class of the preview's error banner


def test_a_save_rebuilds_only_the_changed_pages(preview: Preview) -> None:
    term = preview.content / "terms" / "calf-muscle.yaml"
    edit(term, "definition: The muscle at the back", "definition: The big muscle at the back")
    preview.wait_for("the new definition", lambda: "The big muscle at the back" in preview.page("glossary/calf-muscle/"))
    rebuilt = re.compile(r"(\d+) pages changed, (\d+) removed; built (\d+) in")
    preview.wait_for("the rebuild's line in the terminal", lambda: bool(rebuilt.search(preview.output())))
    changed, _, built = rebuilt.findall(preview.output())[-1]
    pages = len(re.findall(r"<loc>", preview.page("sitemap.xml")))
    assert 0 < int(built) == int(changed) < pages, f"{built} of {pages} pages rebuilt"
    assert preview.output().count("Cleaning site directory") == 1, "a save rebuilt the whole site"
    preview.wait_for("the new definition in the search index",
                     lambda: "The big muscle at the back" in preview.page("search/search_index.json"))
    index = preview.page("search/search_index.json")
    assert index.count('"location":"glossary/calf-muscle/"') == 1, "the page is in the search index once"


def test_a_new_page_and_a_deleted_page_show(preview: Preview) -> None:
    conditions = preview.content / "conditions"
    text = (conditions / "foot-cramp.yaml").read_text(encoding="utf-8")
    (conditions / "toe-cramp.yaml").write_text(
        text.replace("id: foot-cramp", "id: toe-cramp").replace("title: Foot cramp", "title: Toe cramp"),
        encoding="utf-8")
    preview.wait_for("the new page", lambda: "Toe cramp" in preview.page("conditions/toe-cramp/"))
    preview.wait_for("the new page in the list", lambda: "toe-cramp/" in preview.page("conditions/"))

    (conditions / "toe-cramp.yaml").unlink()
    preview.wait_for("the deleted page gone", lambda: "toe-cramp/" not in preview.page("conditions/"))
    assert "Toe cramp" not in preview.page("conditions/toe-cramp/")


def test_errors_show_on_every_page_until_the_content_is_valid(started: tuple[Preview, subprocess.Popen[bytes]],
                                                             tmp_path: Path) -> None:
    preview, _ = started
    condition = preview.content / "conditions" / "calf-cramp.yaml"
    rebuilds = preview.output().count(" pages changed, ")
    edit(condition, "title: Calf cramp", "title: Calf cramp: at night")
    preview.wait_for("the banner", lambda: BANNER in preview.page("about/"))
    page = preview.page("conditions/calf-cramp/")
    assert BANNER in page and "Calf cramp" in page, "the banner over the last good page"
    banner = page[page.index(BANNER):]
    assert re.search(r"<code>content/conditions/calf-cramp\.yaml:2:\d+</code>", banner), banner[:2000]
    assert "put the whole value in quotes" in banner, "the message says how to fix it"
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(preview.url + "no-such-page/", timeout=10)
    assert BANNER in missing.value.read().decode("utf-8"), "the page-not-found page shows the banner too"
    assert preview.output().count(" pages changed, ") == rebuilds, "an invalid save rebuilt pages"
    on_disk = [path for path in (tmp_path / "tmp").rglob("*.html") if BANNER in path.read_text(errors="replace")]
    assert not on_disk, "the banner is added as pages are served, never written"

    edit(condition, "title: Calf cramp: at night", 'title: "Calf cramp: fixed"')
    preview.wait_for("the fixed page", lambda: "Calf cramp: fixed" in preview.page("conditions/calf-cramp/"))
    assert BANNER not in preview.page("conditions/calf-cramp/")
    assert BANNER not in preview.page("about/")

    built = subprocess.run([sys.executable, "-m", "generator", "build", "--allow-overdue"], cwd=preview.content.parent,
                           env=clean_env(), capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    assert not [p for p in (preview.content.parent / "site").rglob("*") if p.is_file()
                and BANNER.encode() in p.read_bytes()], "site/ has the preview's banner"


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # as the next preview binds it: a closed server's connections waiting out TIME_WAIT do not count
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT], ids=lambda s: s.name)
def test_the_preview_ends_with_its_command(started: tuple[Preview, subprocess.Popen[bytes]], tmp_path: Path,
                                          how: signal.Signals) -> None:
    preview, server = started
    port = int(preview.url.rsplit(":", 1)[1].strip("/"))
    assert list((tmp_path / "tmp").glob("cramp-preview-*")), "the preview's site folder"
    server.send_signal(how)  # the command's own process only, as an editor's tool or a closed terminal does
    try:
        server.wait(timeout=WAIT_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the preview still runs {WAIT_SECONDS} s after {how.name}:\n{preview.output()}")
    assert port_is_free(port), f"port {port} is still taken after {how.name}"
    assert not list((tmp_path / "tmp").glob("cramp-preview-*")), "the preview's temporary site folder is left behind"
    assert "Traceback" not in preview.output()


def test_a_busy_port_is_one_sentence(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", MINIMAL)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        done = subprocess.run([sys.executable, "-m", "generator", "serve", "--address", "127.0.0.1:8000",
                               "--port", str(port), "--allow-overdue"], cwd=project,
                              env={**clean_env(), "TMPDIR": str(tmp_path)}, capture_output=True, text=True,
                              timeout=WAIT_SECONDS)
    assert done.returncode != 0
    assert done.stderr.strip().splitlines()[-1] == f"port {port} is in use; stop the other preview or use --port"
    assert "Traceback" not in done.stderr + done.stdout
    assert not list(tmp_path.glob("cramp-preview-*")), "the preview left its temporary folder"


def test_the_preview_ends_with_the_program_that_started_it(tmp_path: Path) -> None:
    """`make serve` ended by SIGHUP dies without passing the signal on; the preview must not outlive it.

    The starter is ended by SIGKILL here: it must end whatever it inherited (a run under nohup ignores SIGHUP).
    """
    project = make_project(tmp_path / "project", MINIMAL)
    port = free_port()
    log = tmp_path / "serve.log"
    command = [sys.executable, "-m", "generator", "serve", "--address", f"127.0.0.1:{port}", "--allow-overdue"]
    starter = f"import subprocess, sys; subprocess.run({command!r}, stdout=sys.stdout, stderr=sys.stdout)"
    with log.open("w") as out:
        parent = subprocess.Popen([sys.executable, "-c", starter], cwd=project,
                                  env={**clean_env(), "TMPDIR": str(tmp_path)}, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    preview = Preview(f"http://127.0.0.1:{port}/", project / "content", log)
    try:
        preview.wait_for("the first page", lambda: "Calf cramp" in preview.page("conditions/calf-cramp/"))
        parent.kill()  # the starter only
        parent.wait(timeout=WAIT_SECONDS)
        preview.wait_for("the port freed", lambda: port_is_free(port))
        preview.wait_for("the temporary site removed", lambda: not list(tmp_path.glob("cramp-preview-*")))
    finally:
        try:
            os.killpg(parent.pid, signal.SIGKILL)  # the starter's process group: anything left of this test
        except ProcessLookupError:
            pass
