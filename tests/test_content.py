"""Content checks that need the source articles: no copied wording.

The site's text must be written in its own words. The checker (generator/rules.py, copied_wording)
reports any run of 8 or more words taken from a source article in shared/seeds beside the repository
(after lower-casing and dropping punctuation) as an error, quoting the run; this test makes CI fail
when the articles are missing, so the check cannot pass vacuously.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator import pipeline, rules

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
# The seeds live beside the repository (in CI: /work/shared/seeds).
SEEDS = (CONTENT / rules.DEFAULT_SEEDS).resolve()


@pytest.fixture(scope="module")
def seed_runs() -> dict[tuple[str, ...], str]:
    if not SEEDS.is_dir():
        pytest.fail(f"source articles not found at {SEEDS}; check out shared/ beside the repository")
    assert sorted(SEEDS.glob("*.txt")), f"no source articles (*.txt) in {SEEDS}"
    return rules.seed_runs(SEEDS)


def test_there_is_content() -> None:
    assert sorted(CONTENT.rglob("*.yaml")), f"no YAML files under {CONTENT}"


def test_no_copied_phrases(seed_runs: dict[tuple[str, ...], str]) -> None:
    result = pipeline.run(CONTENT, today=dt.date.today(), overdue_is_error=False, render_pages=False)
    copied = [str(d) for d in result.diagnostics if "copied from the source article" in d.message]
    assert not copied, "content copies wording from a source article:\n" + "\n".join(copied)


def test_the_check_catches_a_copied_phrase(seed_runs: dict[tuple[str, ...], str]) -> None:
    # Guard against a tokeniser change that would make the check pass vacuously.
    phrase = "The hamstrings are a group of three muscles: the biceps femoris, semitendinosus."
    assert rules.copied_stretches(phrase, seed_runs)
