"""How easy a page is to read: the SMOG index of its main text, as the NHS measures it.

The main text is what a reader reads on the page: headings, paragraphs, lists
and care cards. The list of sources (titles of other people's work) and the
review footer are left out. As NHS readability guidance says, every heading
and list item is ended with a full stop before scoring, so a list of short
items is not read as one long sentence.
"""

from __future__ import annotations

import html
import re

import textstat

SMOG_LIMIT = 9.0  # NHS aim: a reading age of 9 to 11, which 93% of UK adults can read

_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_ABBREVIATION = re.compile(r"^\*\[[^\]]+\]:.*$", re.M)
_REVIEW_FOOTER = re.compile(r'<div class="page-review".*?</div>', re.S)
_SOURCES_SECTION = re.compile(r"^(#{2,6}) (All )?[Ss]ources\n.*?(?=^#{1,6} |\Z)", re.S | re.M)
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")
_LINE_MARKER = re.compile(r"^\s*(#{1,6} |[-*+] |\d+[.)] )")
_EMPHASIS = re.compile(r"(?<!\\)(\*\*|__|\*)")
_ESCAPE = re.compile(r"\\(.)")
_ENDS_SENTENCE = (".", "!", "?")


def main_text(markdown: str) -> str:
    """The reading text of a rendered Markdown page, one sentence-ended unit per line."""
    text = _FRONT_MATTER.sub("", markdown)
    text = _ABBREVIATION.sub("", text)
    text = _REVIEW_FOOTER.sub("", text)
    text = _SOURCES_SECTION.sub("", text)
    text = text.replace("<br>", "\n")
    lines = []
    for raw in text.splitlines():
        line = _LINE_MARKER.sub("", raw)
        line = _TAG.sub(" ", _LINK.sub(r"\1", line))
        line = html.unescape(_ESCAPE.sub(r"\1", _EMPHASIS.sub("", line)))
        line = " ".join(line.split())
        if line:
            lines.append(_end_sentence(line))
    return "\n".join(lines)


def _end_sentence(line: str) -> str:
    if line.endswith(_ENDS_SENTENCE):
        return line
    return line.rstrip(":;,") + "."


def smog(text: str) -> float:
    """The SMOG index (textstat 0.7.8); 0 for text with no words."""
    return float(textstat.smog_index(text)) if text.strip() else 0.0


def word_count(text: str) -> int:
    return int(textstat.lexicon_count(text))
