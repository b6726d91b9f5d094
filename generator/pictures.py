"""Line drawings in content/pictures/: each one a step names is checked to be a plain drawing.

A page shows a drawing inline (an <img> would draw its currentColor strokes black, invisible in dark
mode), so whatever the file holds becomes part of the page in the reader's browser. Only shapes are
allowed: no script, event attributes, links or references to other files, embedded images, fonts or
text, and no <style> (it would restyle the whole page). Files are parsed by defusedxml, which refuses
entity expansion and external entities, and every problem is located at its file, line and column.
"""

from __future__ import annotations

import re
import xml.sax
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.handler import ContentHandler

import defusedxml.sax
from defusedxml import DefusedXmlException

from .diagnostics import Diagnostic, did_you_mean
from .model import BodyArea, Picture

FOLDER = "pictures"
BODY_MAP = "body-map.svg"  # the "Where does it hurt?" drawing: one <path id> per BodyArea
MAX_BYTES = 100_000  # the largest drawing is 3 KB; every byte is inlined into each page that shows it
SHAPES = {"svg", "title", "desc", "g", "path", "circle", "ellipse", "rect", "line", "polyline", "polygon", "defs",
          "use", "symbol", "marker", "clipPath", "mask", "pattern", "linearGradient", "radialGradient", "stop"}
ATTRIBUTES = {
    "xmlns", "xmlns:xlink", "viewBox", "width", "height", "preserveAspectRatio", "id", "class", "d", "cx", "cy", "r", "rx",
    "ry", "x", "y", "x1", "y1", "x2", "y2", "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
    "stroke-miterlimit", "opacity", "vector-effect", "clip-path", "clip-rule", "mask", "marker-start", "marker-mid",
    "marker-end", "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "patternUnits",
    "gradientUnits", "offset", "stop-color", "stop-opacity", "href", "xlink:href", "style", "role", "aria-hidden",
}
# Why an element is refused, and what to do instead.
_REFUSED = {
    "script": "runs code in the reader's browser; remove it",
    "foreignObject": "can hold a web page inside the drawing; remove it and draw with shapes",
    "image": "embeds a photo or loads a picture from elsewhere; draw it with shapes (path, circle) instead",
    "style": "would restyle the whole page the drawing sits in; set stroke and fill as attributes on each shape",
    "text": "needs a font and is read neither by screen readers nor in the alt text; put the words in the step instead",
    "tspan": "is text, which needs a font; put the words in the step instead",
    "textPath": "is text, which needs a font; put the words in the step instead",
    "font": "embeds a font; drawings hold no text, so remove it",
    "font-face": "embeds a font; drawings hold no text, so remove it",
    "a": "is a link; the page around the drawing holds the links, so remove it",
    "iframe": "loads another page; remove it",
    "animate": "changes the drawing after it loads (and can change its links); remove it",
    "set": "changes the drawing after it loads (and can change its links); remove it",
    "animateTransform": "moves the drawing; remove it",
    "animateMotion": "moves the drawing; remove it",
    "feImage": "loads a picture; remove it",
}
_URL = re.compile(r"url\s*\(\s*['\"]?\s*([^)'\"\s]*)", re.IGNORECASE)
_LOCAL_ID = re.compile(r"^#[A-Za-z_][\w.-]*$")
_SVG_NS = "http://www.w3.org/2000/svg"


@dataclass(frozen=True)
class PictureUse:
    """A step's picture and where the step's file names it."""

    picture: Picture
    file: str  # the content file, as shown in messages
    line: int
    column: int
    field: str  # e.g. 'steps[0].picture.file'


def check_pictures(folder: Path | None, shown_as: str, uses: Iterable[PictureUse]) -> tuple[dict[str, str], list[Diagnostic]]:
    """Check every drawing the content names, and the body map; return each one's markup to inline, by file name,
    and the problems."""
    uses = list(uses)
    diagnostics: list[Diagnostic] = []
    drawings: dict[str, str] = {}
    available = _drawing_files(folder)
    if BODY_MAP in available:
        problems, markup = check_drawing(available[BODY_MAP], f"{shown_as}/{BODY_MAP}")
        problems += _check_body_map(markup, f"{shown_as}/{BODY_MAP}") if not problems else []
        diagnostics += problems
        if not problems:
            drawings[BODY_MAP] = markup
    checked: set[str] = set()
    for use in uses:
        name = use.picture.file
        if name not in available:
            diagnostics.append(Diagnostic(use.file, use.line, use.column, use.field,
                f"no drawing '{name}' in {shown_as}/; add the file there or name one that is"
                f"{did_you_mean(name, available)}"))
            continue
        if name in checked:
            continue
        checked.add(name)
        assert folder is not None
        problems, markup = check_drawing(available[name], f"{shown_as}/{name}")
        diagnostics += problems
        if not problems:
            drawings[name] = markup
    return drawings, diagnostics


def _check_body_map(markup: str, shown: str) -> list[Diagnostic]:
    """The body map has one closed shape per part of the body, its id the BodyArea value, so pages can link it."""
    ids = set(re.findall(r'<path id="([a-z-]+)"', markup))
    missing = [area.value for area in BodyArea if area.value not in ids]
    if missing:
        return [Diagnostic(shown, 1, 1, "", f"has no <path id=...> for {', '.join(missing)}; draw one closed shape "
                           "for each part of the body, its id the area's name as in content/README.md")]
    return []


def _drawing_files(folder: Path | None) -> dict[str, Path]:
    """The plain .svg files in the folder; links are never followed (a drawing must be a file in content/)."""
    if folder is None or folder.is_symlink() or not folder.is_dir():
        return {}
    return {p.name: p for p in sorted(folder.iterdir())
            if p.suffix == ".svg" and not p.is_symlink() and p.is_file()}


def check_drawing(path: Path, shown: str) -> tuple[list[Diagnostic], str]:
    """A drawing's problems, located in the file, and its markup ready to inline ('' when it has problems)."""
    data = path.read_bytes()[: MAX_BYTES + 1]
    if len(data) > MAX_BYTES:
        return [Diagnostic(shown, 1, 1, "", f"is over {MAX_BYTES // 1000} KB; a line drawing needs a few KB, "
                           "so it probably embeds a photo or font: redraw it with a few paths")], ""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return [Diagnostic(shown, line, 1, "", "is not UTF-8 text; save the drawing as UTF-8")], ""
    checker = _Checker(shown)
    try:
        defusedxml.sax.parseString(data, checker, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except xml.sax.SAXParseException as err:
        return [Diagnostic(shown, err.getLineNumber(), err.getColumnNumber() + 1, "",
                           f"is not well-formed XML ({err.getMessage()}); fix the markup or export the drawing again")], ""
    except DefusedXmlException as err:
        line, column = checker.where()
        return [Diagnostic(shown, line, column, "", f"holds a document type or entity ({type(err).__name__}), which "
                           "can load other files or blow up in size; remove the <!DOCTYPE> and <!ENTITY> lines")], ""
    problems = checker.finish()
    return problems, "" if problems else _inline_markup(text)


def _inline_markup(text: str) -> str:
    """The <svg> element alone, on one line: no XML declaration or comments, which have no place inside a page."""
    start = text.index("<svg")
    markup = re.sub(r"<!--.*?-->", "", text[start:], flags=re.DOTALL).strip()
    return re.sub(r">\s+<", "><", markup).replace("\n", " ")


class _Checker(ContentHandler):
    """Walks the drawing's elements and notes each thing a plain drawing must not hold, where it is."""

    def __init__(self, shown: str) -> None:
        super().__init__()
        self.shown = shown
        self.locator: Any = None
        self.problems: list[Diagnostic] = []
        self.depth = 0
        self.root: tuple[int, int] | None = None
        self.has_title = False
        self.in_title = False

    def setDocumentLocator(self, locator: Any) -> None:  # noqa: N802 (the SAX interface's name)
        self.locator = locator

    def where(self) -> tuple[int, int]:
        if self.locator is None:
            return 1, 1
        return self.locator.getLineNumber() or 1, (self.locator.getColumnNumber() or 0) + 1

    def problem(self, message: str) -> None:
        line, column = self.where()
        self.problems.append(Diagnostic(self.shown, line, column, "", message))

    def startElement(self, name: str, attrs: Any) -> None:  # noqa: N802
        self.depth += 1
        local = name.rsplit(":", 1)[-1]
        if self.depth == 1:
            self.root = self.where()
            if local != "svg":
                self.problem(f"is not an SVG drawing: it starts with <{name}>, not <svg>")
            elif attrs.get("xmlns") != _SVG_NS:
                self.problem(f'<svg> needs xmlns="{_SVG_NS}" so browsers draw it')
            if "viewBox" not in attrs:
                self.problem('<svg> has no viewBox; add one, e.g. viewBox="0 0 160 120", so the drawing scales')
        elif local == "title" and self.depth == 2:
            self.has_title = True
        self.in_title = local in ("title", "desc")
        if local in _REFUSED:  # one message for the element; its attributes do not matter once it goes
            self.problem(f"<{name}> is not allowed: it {_REFUSED[local]}")
            return
        if local not in SHAPES:
            self.problem(f"<{name}> is not allowed: a drawing holds only shapes ({', '.join(sorted(SHAPES))})")
        for attribute, value in attrs.items():
            self._check_attribute(name, attribute, value)

    def _check_attribute(self, element: str, attribute: str, value: str) -> None:
        lowered = attribute.lower()
        if "data:" in value.lower() or "javascript:" in value.lower():
            self.problem(f"<{element}> {attribute} embeds a file or code ('{_short(value)}'); draw with shapes instead")
            return
        if lowered.startswith("on"):
            self.problem(f"<{element}> has the event attribute {attribute}, which runs code in the reader's browser; "
                         "remove it")
        elif lowered in ("href", "xlink:href") and not _LOCAL_ID.match(value.strip()):
            self.problem(f"<{element}> {attribute}=\"{_short(value)}\" refers to something outside the drawing; "
                         "a drawing may refer only to its own parts ('#id'): draw the shape in this file")
        elif attribute not in ATTRIBUTES and not lowered.startswith("aria-") and not lowered.startswith("data-"):
            self.problem(f"<{element}> has the attribute {attribute}, which a plain drawing does not need; remove it")
        if "@import" in value.lower() or "expression(" in value.lower():
            self.problem(f"<{element}> {attribute} loads or runs something ('{_short(value)}'); remove it")
        for target in _URL.findall(value):
            if not _LOCAL_ID.match(target):
                self.problem(f"<{element}> {attribute} has url({_short(target)}), which loads something from outside "
                             "the drawing; use url(#id) of a part of this drawing, or a plain colour such as currentColor")

    def endElement(self, name: str) -> None:  # noqa: N802
        self.depth -= 1
        self.in_title = False

    def characters(self, content: str) -> None:
        if self.depth > 0 and content.strip() and not self.in_title and not self.problems:
            self.problem("holds text outside <title>; drawings hold no words: put them in the step or its alt text")

    def finish(self) -> list[Diagnostic]:
        if not self.has_title:
            line, column = self.root or (1, 1)
            self.problems.append(Diagnostic(self.shown, line, column, "", "has no <title>; add "
                "<title>what the drawing shows</title> as the first thing inside <svg> (the step's alt text will do)"))
        return sorted(set(self.problems))


def _short(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 60 else value[:57] + "..."


def uses_in(kind: str, entry: Any, file: str, position: Any) -> Iterator[PictureUse]:
    """Every picture a content entry names (remedy steps, condition steps), with where it is written."""
    for field in ("steps", "during", "prevention"):
        for i, step in enumerate(getattr(entry, field, None) or ()):
            picture = getattr(step, "picture", None)
            if isinstance(picture, Picture):
                loc = (field, i, "picture", "file")
                line, column = position(loc)
                yield PictureUse(picture, file, line, column, f"{field}[{i}].picture.file")
