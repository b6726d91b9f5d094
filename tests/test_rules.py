"""The editorial rules' pieces: how words and sentences are counted, copies found, ids suggested.

Each rule's message, located in a file, is in a golden case (tests/cases/bad/rule-* and errors/rule-*).
"""

from __future__ import annotations

import pytest

from generator import rules
from generator.diagnostics import did_you_mean
from generator.model import ID_RE
from generator.readability import smog


def test_words_are_counted_as_the_guide_says() -> None:
    assert rules.word_count("Stretch your calf for 10-minute spells, don't bounce - B12 helps.") == 10


def test_sentences_end_at_a_full_stop_and_a_space_or_a_blank_line() -> None:
    text = "Cramps pass. See a doctor if they last 10.5 minutes! Why?\n\nA new paragraph"
    assert rules.sentences(text) == ["Cramps pass.", "See a doctor if they last 10.5 minutes!", "Why?", "A new paragraph"]


def test_paragraph_score_is_textstat_smog_without_the_words_in_brackets() -> None:
    text = "Physiological dehydration precipitates abnormalities. Muscles tire."
    assert rules.paragraph_smog(text) == pytest.approx(smog(text))
    assert rules.paragraph_smog("Not drinking enough (dehydration) makes cramps likely.") == \
        pytest.approx(smog("Not drinking enough makes cramps likely."))


def test_a_copied_stretch_is_quoted_whole() -> None:
    article = "one two three four five six seven eight nine ten eleven"
    runs = {tuple(article.split()[i:i + 8]): "a.txt" for i in range(4)}
    assert rules.copied_stretches("Well: One, two three four five six seven eight nine. Done", runs) == [
        ("one two three four five six seven eight nine", "a.txt")]
    assert rules.copied_stretches("one two three four five six seven", runs) == []


@pytest.mark.parametrize(("text", "found"), [
    ("A **bold** word", True), ("an _italic_ word", True), ("see [NHS](https://www.nhs.uk/)", True),
    ("a <b>tag</b>", True), ("&amp; more", True), ("# Heading", True), ("run `make`", True),
    ("first line\n- a list item", True),
    ("Aches & pains", False), ("5 < 10 minutes", False), ("a lone * star", False), ("C# and snake_case", False),
    ("pain - sharp", False), ("Stretch #2", False),
])
def test_markup_is_found_and_ordinary_characters_are_not(text: str, found: bool) -> None:
    assert any(pattern.search(text) for pattern, _ in rules._MARKUP) is found


def test_ids_with_the_same_words_in_another_order_are_suggested() -> None:
    assert did_you_mean("calf-stretch", ["stretch-calf", "drink-water"]) == " (did you mean 'stretch-calf'?)"
    assert did_you_mean("water-drink-more", ["stretch-calf", "drink-water"]) == ""


@pytest.mark.parametrize(("stem", "message"), [
    ("calf-cramps copy", "this file looks like a copy of calf-cramps.yaml"),
    ("calf-cramps (2)", "this file looks like a copy of calf-cramps.yaml"),
    ("Calf-Cramps", "rename the file to calf-cramps.yaml"),
    ("calf-cramp", "rename the file to calf-cramps.yaml or set id: calf-cramp"),
])
def test_a_file_name_that_differs_from_the_id_gets_a_fix_with_valid_ids(stem: str, message: str) -> None:
    text = rules.file_name_message("calf-cramps", stem, {"calf-cramps", stem})
    assert message in text
    assert "set id: Calf" not in text and "set id: calf-cramps copy" not in text


@pytest.mark.parametrize("value", ["Calf-Cramps", "café", "two words", "shin--bone", "leg-", "../x", "ÉÉ"])
def test_an_invalid_id_is_never_answered_with_another_invalid_id(value: str) -> None:
    message = rules.invalid_id_message(value, value, ("id",))
    suggested = message.rsplit("set id: ", 1)[-1] if "set id: " in message else message.rsplit("e.g. '", 1)[-1][:-1]
    assert ID_RE.fullmatch(suggested), message


def test_the_build_leaves_out_reading_levels_and_the_checker_gives_them(tmp_path) -> None:
    """Scoring paragraphs needs a 135,000-word dictionary (0.5 s); the publishing commands leave it out."""
    from pathlib import Path

    from generator import pipeline
    from test_cases import make_content

    case = Path(__file__).parent / "cases" / "errors" / "rule-hard-paragraph"
    content = make_content(case, tmp_path)

    def hard(reading_level: bool) -> list[str]:
        result = pipeline.run(content, overdue_is_error=False, reading_level=reading_level, render_pages=False)
        return [d.message for d in result.diagnostics if "hard to read" in d.message]

    assert hard(reading_level=True), "validate, the preview and report warn of the hard paragraph"
    assert hard(reading_level=False) == []
