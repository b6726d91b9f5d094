"""Reading level: every page of the real site scores SMOG 9 or lower, measured as the NHS measures it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import textstat

from generator import pipeline
from generator.diagnostics import format_report
from generator.readability import SMOG_LIMIT, main_text, smog

ROOT = Path(__file__).resolve().parent.parent

PAGE = """---
title: Calf cramp
description: A sudden tight pain.
---

# Calf cramp

A sudden tight pain in the calf. It usually passes.

**Body area:** Leg. **Muscles:** [calf muscle](../glossary/calf-muscle.md).

## What it feels like

- A hard knot
- Pain that wakes you\\_up:

<div class="care-card care-card--urgent" markdown>
<h3 class="care-card__heading"><span class="care-card__prefix">Urgent advice: </span>Get help today if:</h3>

1. The pain lasts &gt; 10 minutes

</div>

## Sources

1. [Leg cramps, a systematic epidemiological investigation](https://example.org/). NHS, 2023.

<div class="page-review" markdown>
Page last reviewed: 21 November 2026<br>
Next review due: 21 November 2029
</div>

*[cramp]: A muscle tightening that you cannot control.
"""


def test_main_text_ends_headings_and_list_items_with_full_stops() -> None:
    assert main_text(PAGE).splitlines() == [
        "Calf cramp.",
        "A sudden tight pain in the calf. It usually passes.",
        "Body area: Leg. Muscles: calf muscle.",
        "What it feels like.",
        "A hard knot.",
        "Pain that wakes you_up.",
        "Urgent advice: Get help today if.",
        "The pain lasts > 10 minutes.",
    ]


def test_main_text_leaves_out_front_matter_sources_review_footer_and_tooltips() -> None:
    text = main_text(PAGE)
    for left_out in ("description", "systematic", "Page last reviewed", "cannot control", "example.org"):
        assert left_out not in text


def test_smog_is_textstat_on_the_main_text() -> None:
    text = main_text(PAGE)
    assert smog(text) == textstat.smog_index(text)
    assert smog("") == 0.0


def test_every_page_of_the_real_site_scores_smog_9_or_lower() -> None:
    result = pipeline.run(ROOT / "content", today=dt.date.today(), overdue_is_error=False)
    assert result.rendered is not None, "the content does not validate:\n" + format_report(result.diagnostics)
    scores = {path: smog(main_text(markdown)) for path, markdown in result.rendered.pages.items()}
    too_hard = [f"{path} scores SMOG {score:.1f}" for path, score in sorted(scores.items()) if score > SMOG_LIMIT]
    assert not too_hard, (
        f"{len(too_hard)} of {len(scores)} pages are harder to read than SMOG {SMOG_LIMIT:g} "
        "(shorter sentences and fewer long words help; `make report` shows every score):\n" + "\n".join(too_hard)
    )
