"""Content checks that need the source articles: no copied wording.

The site's text must be written in its own words. Any run of 8 or more words
taken from a source article (after lower-casing and dropping punctuation) is
treated as copied and fails the test, naming the file and the phrase.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
CONTENT = REPO / "content"
# The seeds live beside the repository (in CI: /work/shared/seeds).
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SHINGLE = 8
WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    # Apostrophes join a word ("you're" -> "youre") so both sides tokenise alike.
    return WORD.findall(text.lower().replace("\u2019", "").replace("'", ""))


def shingles(tokens: list[str]) -> Iterator[tuple[str, ...]]:
    for start in range(len(tokens) - SHINGLE + 1):
        yield tuple(tokens[start : start + SHINGLE])


def strings_in(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings_in(item)


def seed_shingles() -> dict[tuple[str, ...], str]:
    """Every 8-word run of every seed article, mapped to the article's file name."""
    if not SEEDS.is_dir():
        pytest.fail(f"source articles not found at {SEEDS}; check out shared/ beside the repository")
    seeds = sorted(SEEDS.glob("*.txt"))
    assert seeds, f"no source articles (*.txt) in {SEEDS}"
    found: dict[tuple[str, ...], str] = {}
    for seed in seeds:
        for run in shingles(words(seed.read_text(encoding="utf-8"))):
            found.setdefault(run, seed.name)
    return found


CONTENT_FILES = sorted(CONTENT.rglob("*.yaml"))


@pytest.fixture(scope="module")
def seed_runs() -> dict[tuple[str, ...], str]:
    return seed_shingles()


def test_there_is_content() -> None:
    assert CONTENT_FILES, f"no YAML files under {CONTENT}"


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_no_copied_phrases(path: Path, seed_runs: dict[tuple[str, ...], str]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    copied = []
    for text in strings_in(data):
        for run in shingles(words(text)):
            if run in seed_runs:
                copied.append(f"'{' '.join(run)}' (from {seed_runs[run]})")
    assert not copied, f"{path.relative_to(REPO)} copies wording from a source article: " + "; ".join(
        dict.fromkeys(copied)
    )


def test_the_check_catches_a_copied_phrase(seed_runs: dict[tuple[str, ...], str]) -> None:
    # Guard against a tokeniser change that would make the check pass vacuously.
    phrase = "The hamstrings are a group of three muscles: the biceps femoris, semitendinosus."
    assert any(run in seed_runs for run in shingles(words(phrase)))
