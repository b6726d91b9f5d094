"""Turning content text into safe Markdown: content is plain words, never markup."""

from __future__ import annotations

import re

from markupsafe import Markup

# Characters that are markup anywhere in a line (emphasis, code, links, attribute
# lists), and those that are markup only at its start (headings, lists,
# admonitions). Hyphens inside words stay as they are, so glossary terms match.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]])")
_LINE_START = re.compile(r"^(\s*)([#+\-!|])")
_LINE_START_NUMBER = re.compile(r"^(\s*\d+)([.)])")
_SPACES = re.compile(r"\s+")


def inline(value: object) -> Markup:
    """Escape one line of content text so it shows exactly as written."""
    if isinstance(value, Markup):
        return value
    text = _SPACES.sub(" ", str(value))  # no strip: separators such as ", " keep their space
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    text = _LINE_START_NUMBER.sub(r"\1\\\2", text)
    return Markup(text)


def paragraphs(value: object) -> Markup:
    """Escape text that may hold several paragraphs, separated by blank lines."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    return Markup("\n\n".join(inline(p) for p in parts))


def html_text(value: object) -> Markup:
    """Escape text for an HTML context (attributes, raw HTML blocks)."""
    text = _SPACES.sub(" ", str(value)).strip()
    return Markup(
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")
    )


def first_sentence(value: str, limit: int = 160) -> str:
    """A short description for search engines and link previews."""
    text = _SPACES.sub(" ", value).strip()
    match = re.match(r"(.+?[.!?])(\s|$)", text)
    sentence = match.group(1) if match else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
