"""Turning content text into safe Markdown and HTML: content is plain words, never markup.

What content may contain, field by field:

- Every text field (one-line fields such as titles, list items and notes; paragraph fields such as
  summaries) is plain text. No Markdown and no HTML is allowed anywhere: `inline` and `paragraphs`
  escape every character Markdown or HTML would read as markup, so `**`, `#`, `- `, `!!!`, `{: }`,
  `<script>`, `&lt;` and `{{ }}` all show exactly as typed. Paragraph fields may hold several
  paragraphs, separated by a blank line; that is their only structure.
- Web addresses are allowed in one place only, Source.url (and the site's repo_url), and only as
  http(s) addresses (the content model refuses javascript:, data:, file: and the rest). `link_url`
  also percent-encodes every character that could end a Markdown link early.
- Page titles, descriptions and navigation labels are handed to the theme, which prints them as HTML
  (Material does not escape them), so `theme_text` escapes them before they leave the generator.
- Templates are never built from content: content values are data passed to fixed Jinja2 templates,
  so `{{ ... }}` and `{% ... %}` in content are text, never evaluated.
"""

from __future__ import annotations

import re

from markupsafe import Markup

# Characters that are markup anywhere in a line (emphasis, code, links, attribute
# lists, and # which also closes a heading: a title "C#" would lose its #), and
# those that are markup only at its start (lists, admonitions, tables). Hyphens
# inside words stay as they are, so glossary terms match.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#])")
_LINE_START = re.compile(r"^(\s*)([+\-!|])")
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
    return Markup(_LINE_START_NUMBER.sub(r"\1\\\2", text))


def paragraphs(value: object) -> Markup:
    """Escape text that may hold several paragraphs, separated by blank lines."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", str(value)) if p.strip()]
    return Markup("\n\n".join(inline(p) for p in parts))


def html_text(value: object) -> Markup:
    """Escape text for an HTML context (attributes, raw HTML blocks)."""
    text = _SPACES.sub(" ", str(value)).strip()
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Markup(text.replace('"', "&quot;").replace("'", "&#39;"))


def theme_text(value: object) -> str:
    """Escape a page title, description or navigation label for a theme that prints it as HTML.

    Only what could start markup is escaped (<, >, ", and & before a character reference), so a
    title such as "Aches & pains" or "Don't stretch" stays readable where the theme escapes again.
    """
    text = _SPACES.sub(" ", str(value)).strip()
    text = re.sub(r"&(?=[#A-Za-z0-9])", "&amp;", text)
    return text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# Characters left as they are in a link's address; every other one is percent-encoded.
_URL_SAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&*+,;=%]")


def link_url(value: object) -> Markup:
    """An http(s) address for a Markdown link, with every character that could end the link percent-encoded."""
    url = str(value)
    if not url.startswith(("https://", "http://")):
        raise ValueError(f"not a web address: {url!r}")  # the content model only lets http(s) through
    encoded = _URL_SAFE.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group().encode()), url)
    return Markup(encoded.replace("&", "&amp;"))


_SENTENCE_END = re.compile(r"[.!?](?=\s|$)")


def first_sentence(value: str, limit: int = 160) -> str:
    """A short description for search engines and link previews."""
    text = _SPACES.sub(" ", value).strip()
    end = _SENTENCE_END.search(text, 1)  # what re.match(r"(.+?[.!?])(\s|$)", text) finds, by a fast scan
    sentence = text[: end.end()] if end else text
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence
