"""A Python-Markdown extension that turns glossary abbreviations into tooltips a reader can reach by keyboard.

The `abbr` extension marks every use of a glossary word. This one keeps the
first use of each word in running text, lets it take keyboard focus (so the
theme shows its tooltip on focus as well as on hover), and unwraps the others,
and every use inside a heading or a link, where a tooltip gets in the way.
"""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor

NO_TOOLTIP_INSIDE = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "button", "label", "summary"}


class GlossaryTooltips(Treeprocessor):
    """Keeps one focusable tooltip per glossary word and page, outside headings and links."""

    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        seen: set[str] = set()
        for abbr in [el for el in root.iter("abbr") if el.get("title")]:
            key = abbr.get("title", "")  # one term's spellings share its definition
            if key in seen or _inside_excluded(abbr, parents):
                _unwrap(abbr, parents[abbr])
                continue
            seen.add(key)
            abbr.set("tabindex", "0")


def _inside_excluded(element: etree.Element, parents: dict[etree.Element, etree.Element]) -> bool:
    node = parents.get(element)
    while node is not None:
        if node.tag in NO_TOOLTIP_INSIDE:
            return True
        node = parents.get(node)
    return False


def _unwrap(element: etree.Element, parent: etree.Element) -> None:
    """Replace an element by its text, keeping the text around it."""
    text = (element.text or "") + (element.tail or "")
    index = list(parent).index(element)
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    parent.remove(element)


class GlossaryTooltipsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After `abbr` (priority 7) has marked the words, before `toc` (5) reads the headings.
        md.treeprocessors.register(GlossaryTooltips(md), "glossary_tooltips", 6)


def makeExtension(**kwargs: object) -> GlossaryTooltipsExtension:
    return GlossaryTooltipsExtension(**kwargs)
