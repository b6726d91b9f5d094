"""The glossary tooltip extension on its own (no browser): which uses of a word keep their tooltip."""

from __future__ import annotations

import markdown

from generator.glossary_tooltips import GlossaryTooltipsExtension

PAGE = """# Calf cramp

A cramp is painful. Another cramp follows, and [a cramp link](x.md) too.

## Cramp at night

- The calf hurts, then the cramp goes.

*[cramp]: A muscle tightening that you cannot control.
*[calf]: The back of the lower leg.
"""


def html() -> str:
    return markdown.markdown(PAGE, extensions=["abbr", GlossaryTooltipsExtension(), "toc"])


def test_first_use_in_running_text_keeps_a_focusable_tooltip() -> None:
    out = html()
    assert out.count('<abbr tabindex="0" title="A muscle tightening that you cannot control.">cramp</abbr>') == 1
    assert out.count('<abbr tabindex="0" title="The back of the lower leg.">calf</abbr>') == 1
    assert "<p>A <abbr" in out
    assert "<li>The <abbr" in out


def test_later_uses_headings_and_links_keep_their_words_without_a_tooltip() -> None:
    out = html()
    assert "<abbr" not in out.split("<h1", 1)[1].split("</h1>", 1)[0]
    assert "Another cramp follows, and " in out
    assert '<a href="x.md">a cramp link</a> too.' in out
    assert '<h2 id="cramp-at-night">Cramp at night</h2>' in out
    assert "</abbr> hurts, then the cramp goes.</li>" in out  # "calf" is first used here, outside the title
