"""A throwaway copy of the project layout, for tests that run the real CLI or MkDocs in another folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_project(project: Path, content: Path | None = None) -> Path:
    """mkdocs.yml copied, theme/ and generator/ linked, and content/ copied from content if given."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", project)
    for name in ("theme", "generator"):
        (project / name).symlink_to(ROOT / name)
    if content is not None:
        shutil.copytree(content, project / "content", symlinks=True)
    return project


def clean_env() -> dict[str, str]:
    """This process's environment without the generator's own settings, so a run sees only its project."""
    return {k: v for k, v in os.environ.items() if not k.startswith("CRAMP_")}
