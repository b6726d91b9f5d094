"""Editorial rules: what the editors' guide (content/README.md) asks of the words, checked on valid content.

The content model says what shape a file must have; these rules say what its words must be like.
Each rule takes the entries that passed the model, with their Documents for positions, and yields
Diagnostics. validate.py calls `check` once, after the safety rules. Errors are what the guide says
must not be published (a thing listed twice, a glossary word with two definitions, an http:// address,
copied wording); warnings are what the guide asks editors to fix but the site can still show safely
(short sentences, readable paragraphs, a glossary word some page uses, Markdown typed into text: the
site shows text exactly as typed, so stray stars look odd but never change or break a page).
"""

from __future__ import annotations

import collections
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any


from .diagnostics import Diagnostic, Severity, field_path, shortened
from .load import Document, FieldPath, LoadedContent
from .model import ID_RE, SiteSettings, Strict
from .readability import smog

SENTENCE_WORD_LIMIT = 20  # the guide: sentences of 20 words or fewer
# SMOG is made for whole pages (the page limit, readability.SMOG_LIMIT, is 9). On one paragraph of two or
# three sentences, a single long word moves the score by 2 or more, so a paragraph is only flagged well
# above the page's limit: at 12 (a school-leaver's reading age), e.g. one sentence with three words of
# three or more syllables, where it is hard for a reader however easy the rest of the page is.
PARAGRAPH_SMOG_LIMIT = 12.0
COPIED_RUN = 8  # the guide: a run of 8 or more words taken from a source article is copied
DEFAULT_SEEDS = Path("..", "..", "shared", "seeds")  # from the content folder: where the source articles sit

# Fields whose values are not words shown to a reader: ids, references, choices, addresses and dates.
NOT_TEXT = frozenset({
    "id", "kind", "level", "areas", "strength", "url", "repo_url", "seeds_dir", "cause", "remedy", "condition",
    "sign", "sources", "muscles", "remedies", "conditions", "last_reviewed", "next_review_due",
})
# Text that is a name or a search word, not a sentence: never held to the sentence and reading rules.
NOT_PROSE = frozenset({"title", "name", "also_called", "also_matches", "medical_name", "body_area", "publisher",
                       "emergency_action", "urgent_action", "doctor_action", "self_care_action"})
# Lists whose items point to another page: the same page twice in one of them is shown twice.
ITEM_REFERENCE = ("cause", "condition", "sign")


@dataclass(frozen=True)
class Page:
    """One content file to check: its kind ('site' for site.yaml) and its Document."""

    kind: str
    doc: Document


def check(
    docs: dict[tuple[str, str], Document], entries: dict[str, dict[str, Strict]],
    loaded: LoadedContent, site: SiteSettings | None, content_dir: Path | None = None,
    earlier: Iterable[Diagnostic] = (), reading_level: bool = True,
) -> list[Diagnostic]:
    """Every editorial rule, on every file that passed the content model (docs, by kind and id).

    entries is taken for rules that need the validated values; today's rules read the files' own data.
    reading_level: score each paragraph's reading level (see hard_paragraphs; the build leaves it out).

    earlier: the problems found so far; a glossary word is only reported unused when there are none,
    since a page left out for an error, or a misspelled muscle, may be the one that uses it.
    """
    complete = not any(d.severity is Severity.ERROR for d in earlier) and len(docs) == len(loaded.documents)
    return list(_check(docs, loaded.site, site, content_dir, complete, reading_level))


def _check(
    docs: dict[tuple[str, str], Document], site_doc: Document | None, site: SiteSettings | None,
    content_dir: Path | None, complete: bool, reading_level: bool,
) -> Iterator[Diagnostic]:
    pages = [Page(kind, doc) for (kind, _), doc in sorted(docs.items(), key=lambda item: item[1].path)]
    if site_doc is not None and site is not None:
        pages.append(Page("site", site_doc))
    seeds = seeds_folder(site_doc, site, content_dir)
    if isinstance(seeds, Diagnostic):
        yield seeds
        seeds = None
    runs = seed_runs(seeds) if seeds is not None else {}
    found = {page.doc.path: file_rules(page, runs, seeds, reading_level) for page in pages}
    for page in pages:
        yield from found[page.doc.path].diagnostics
    yield from glossary_words_twice(docs)
    if complete:
        yield from glossary_words_unused(docs, found)


@dataclass(frozen=True)
class FileFindings:
    """What the rules found in one file on its own, and its words, for the rules that look across files."""

    diagnostics: tuple[Diagnostic, ...]
    words: frozenset[str]  # every word of its text, lower case
    phrases: str  # its text as ' word word | word ... ', for finding glossary words of several words
    muscles: tuple[str, ...]  # the muscles a condition lists (shown by name on its page)


_FINDINGS: dict[tuple[str, str, str, int, bool], FileFindings] = {}


def file_rules(page: Page, runs: dict[tuple[str, ...], str], seeds: Path | None, reading_level: bool) -> FileFindings:
    """The rules that need one file only; kept while the file is unchanged, so a preview re-checks only what changed.

    Measured at 1,000 conditions: validate takes 2.4 s with nothing kept and 0.6 s when only one file changed, which
    is most of what the preview spends between a save and the page (a build once is not helped).
    """
    fingerprint = getattr(page.doc, "text", None) or repr(page.doc.data)  # the text as read: positions too
    key = (page.kind, page.doc.path, fingerprint, id(runs) if runs else 0, reading_level)  # seed_runs: a dict a folder
    found = _FINDINGS.get(key)
    if found is None:
        if len(_FINDINGS) > 50_000:
            _FINDINGS.clear()
        found = _FINDINGS[key] = _file_findings(page, runs, seeds, reading_level)
    return found


def _file_findings(page: Page, runs: dict[tuple[str, ...], str], seeds: Path | None,
                   reading_level: bool) -> FileFindings:
    doc = page.doc
    all_text = list(texts(doc.data))
    diagnostics = [*duplicate_items(doc), *insecure_addresses(doc), *markup_in_text(page, all_text)]
    if page.kind != "sources":  # other people's titles are quoted as they are
        diagnostics += long_sentences(page, all_text)
        if reading_level:
            diagnostics += hard_paragraphs(page, all_text)
        if runs and seeds is not None:
            diagnostics += copied_wording(doc, all_text, runs, seeds)
    tokens = [_tokens(text) for _, text in all_text] if page.kind != "sources" else []
    muscles = doc.data.get("muscles") if page.kind == "conditions" and isinstance(doc.data, dict) else None
    return FileFindings(
        tuple(diagnostics), frozenset(word for words in tokens for word in words),
        " | ".join(" " + " ".join(words) + " " for words in tokens),
        tuple(m for m in muscles or [] if isinstance(m, str)),
    )


# --- walking a file's text --------------------------------------------------------------------------------

def texts(data: Any) -> list[tuple[FieldPath, str]]:
    """Every value of a file that is words for a reader, with where it is, in the file's order."""
    found: list[tuple[FieldPath, str]] = []

    def walk(value: Any, loc: FieldPath) -> None:
        if isinstance(value, str):
            found.append((loc, value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in NOT_TEXT:
                    walk(item, (*loc, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, (*loc, i))

    walk(data, ())
    return found


def _field_name(loc: FieldPath) -> str:
    """The last named field of loc: 'also_called' for ('also_called', 2)."""
    return next((str(part) for part in reversed(loc) if isinstance(part, str)), "")


def _at(doc: Document, loc: FieldPath, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(doc.path, *doc.position(loc), field_path(loc), message, severity)



# --- the same thing twice -------------------------------------------------------------------------------

def _normal(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(".!?;: ")


def _item_key(item: Any) -> tuple[str, str] | None:
    """What makes two items of a list the same: the page they point to, or their words."""
    if isinstance(item, str):
        return ("text", _normal(item))
    if isinstance(item, dict):
        for field in ITEM_REFERENCE:
            if isinstance(item.get(field), str):
                return (field, item[field])
        if isinstance(item.get("text"), str):
            return ("text", _normal(item["text"]))
    return None


def duplicate_items(doc: Document) -> list[Diagnostic]:
    """The same item twice in one list: a cause, a source, a search word or a sentence shown twice."""
    found: list[Diagnostic] = []

    def walk(data: Any, loc: FieldPath) -> None:
        if isinstance(data, dict):
            for key, value in data.items():
                if isinstance(value, (dict, list)):
                    walk(value, (*loc, key))
        elif isinstance(data, list):
            first: dict[tuple[str, str], int] = {}
            for i, item in enumerate(data):
                key = _item_key(item)
                if key is not None and key[1]:
                    if key in first:
                        found.append(_duplicate(doc, loc, first[key], i, key, item))
                    else:
                        first[key] = i
                if isinstance(item, (dict, list)):
                    walk(item, (*loc, i))

    walk(doc.data, ())
    return found


def _duplicate(doc: Document, loc: FieldPath, first: int, again: int, key: tuple[str, str], item: Any) -> Diagnostic:
    line = doc.position((*loc, first))[0]
    where = (*loc, again, key[0]) if key[0] in ITEM_REFERENCE else (*loc, again)
    field = _field_name(loc)
    if key[0] in ITEM_REFERENCE:
        what = f"{key[0]} '{key[1]}' is listed twice"
    elif field in NOT_TEXT:  # a list of ids or choices, e.g. sources
        what = f"'{key[1]}' is listed twice in {field}"
    else:
        what = f"'{shortened(item if isinstance(item, str) else item['text'])}' is listed twice"
    earlier = "earlier on this line" if line == doc.position(where)[0] else f"at line {line}"
    return _at(doc, where, f"{what} (also {earlier}), so the page would show it twice; delete this one")


# --- addresses ------------------------------------------------------------------------------------------

def insecure_addresses(doc: Document) -> Iterator[Diagnostic]:
    """An http:// address: the guide allows https only, so no reader is sent to an unencrypted page."""
    if not isinstance(doc.data, dict):
        return
    for field in ("url", "repo_url"):
        value = doc.data.get(field)
        if isinstance(value, str) and value.strip().lower().startswith("http://"):
            secure = "https://" + value.strip()[len("http://"):]
            yield _at(doc, (field,), f"'{shortened(value)}' is not a secure address; write it with https://, "
                      f"e.g. {secure} (if the site has no https address, cite another copy of the source)")


# --- Markdown and HTML in plain text --------------------------------------------------------------------

# What an editor used to Markdown or HTML may type, and what it shows instead. Each pattern is narrow
# enough that ordinary text (a hyphen, a "5 < 10", a lone star) does not match.
_MARKUP: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\*\*[^*\s](?:[^*]*[^*\s])?\*\*|(?<!\w)__[^_\s](?:[^_]*[^_\s])?__(?!\w)"), "bold"),
    (re.compile(r"(?<![\w*])\*[^*\s](?:[^*]*[^*\s])?\*(?![\w*])|(?<![\w_])_[^_\s](?:[^_]*[^_\s])?_(?![\w_])"),
     "italics"),
    (re.compile(r"!?\[[^\]\n]+\]\([^)\n]*\)"), "a link"),
    (re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--"), "an HTML tag"),
    (re.compile(r"&(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z]+);"), "an HTML character code"),
    (re.compile(r"(?m)^[ \t]*#{1,6}[ \t]"), "a heading"),
    (re.compile(r"`"), "code (backticks)"),
    (re.compile(r"(?m)(?<=\n)[ \t]*(?:[-*+]|\d+[.)])[ \t]+(?=\S)"), "a list item"),
]


_MAY_BE_MARKUP = re.compile(r"[*_\[<&#`\n]")  # a character every pattern needs: most text has none


def markup_in_text(page: Page, all_text: list[tuple[FieldPath, str]]) -> Iterator[Diagnostic]:
    """Markdown or HTML typed into text: the site shows it exactly as typed, stars and all."""
    for loc, text in all_text:
        if not _MAY_BE_MARKUP.search(text):
            continue
        found = [(m.start(), m.group().strip(), what) for pattern, what in _MARKUP if (m := pattern.search(text))]
        if found:
            listed = ", ".join(f"'{shortened(shown, 40)}' ({what})" for _, shown, what in sorted(found))
            yield _at(page.doc, loc, f"{listed} {'look' if len(found) > 1 else 'looks'} like Markdown or HTML, which "
                      "the site shows exactly as typed; write plain text (for a list, use a list field or separate "
                      "sentences; for a link, add a source)", Severity.WARNING)


# --- sentence length and reading level -------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+|\n\s*\n")
_WORD = re.compile(r"\S*[A-Za-z0-9]\S*")


def sentences(text: str) -> list[str]:
    """A text's sentences: it breaks after . ! or ? followed by a space, and at a blank line."""
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def word_count(sentence: str) -> int:
    """Words as the guide counts them: anything between spaces with a letter or digit ('10-minute' is one)."""
    return len(_WORD.findall(sentence))


def long_sentences(page: Page, all_text: list[tuple[FieldPath, str]]) -> Iterator[Diagnostic]:
    """A sentence over the guide's 20 words (a warning: the guide asks for it, a reader can still follow)."""
    for loc, text in all_text:
        if text.count(" ") < SENTENCE_WORD_LIMIT or NOT_PROSE.intersection(str(p) for p in loc):
            continue  # too few words for a long sentence, or a name
        long = [(word_count(s), s) for s in sentences(text) if word_count(s) > SENTENCE_WORD_LIMIT]
        for count, sentence in long[:1]:
            more = f" ({len(long)} sentences here are)" if len(long) > 1 else ""
            yield _at(page.doc, loc, f"a sentence has {count} words{more}, over the guide's {SENTENCE_WORD_LIMIT}: "
                      f"'{shortened(sentence, 70)}'; split it in two or cut words", Severity.WARNING)


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def paragraph_smog(text: str) -> float:
    """The SMOG index of a paragraph, or of a list read as one paragraph (each item ends a sentence).

    Scored as readability.smog scores a page, without the words in brackets: the guide asks for the medical word
    in brackets after the plain one ("not drinking enough (dehydration)"), and its tooltip explains it.
    """
    text = _IN_BRACKETS.sub("", text)
    return smog(" ".join(s if s.endswith((".", "!", "?")) else s + "." for s in text.splitlines() if s.strip()))


_IN_BRACKETS = re.compile(r" ?\([^()]*\)")


def hard_paragraphs(page: Page, all_text: list[tuple[FieldPath, str]]) -> Iterator[Diagnostic]:
    """A paragraph, a list (read as one block) or a warning sign's card much harder to read than the page may be."""
    for loc, unit in _reading_units(page.doc.data, all_text):
        score = paragraph_smog(unit)
        if score > PARAGRAPH_SMOG_LIMIT:
            yield _at(page.doc, loc, f"this text is hard to read (SMOG {score:.1f}; a paragraph should be "
                      f"{PARAGRAPH_SMOG_LIMIT:g} or lower, a page 9): '{shortened(unit, 60)}'; use shorter sentences "
                      "and fewer words of three or more syllables", Severity.WARNING)


def _reading_units(data: Any, all_text: list[tuple[FieldPath, str]]) -> Iterator[tuple[FieldPath, str]]:
    """What a reader reads in one go: each paragraph of a text field, each list as a whole, a sign's card."""
    if not isinstance(data, dict):
        return
    if isinstance(data.get("sign"), str) and isinstance(data.get("level"), str):  # a warning sign: one card
        yield ("sign",), "\n".join([data["sign"], *[d for d in data.get("details") or [] if isinstance(d, str)]])
        return
    lists: dict[FieldPath, list[str]] = {}
    for loc, text in all_text:
        if NOT_PROSE.intersection(str(p) for p in loc):
            continue
        if any(isinstance(part, int) for part in loc):
            list_loc = loc[: max(i for i, part in enumerate(loc) if isinstance(part, int))]
            lists.setdefault(list_loc, []).append(text)
            continue
        for paragraph in paragraphs(text):
            yield loc, paragraph
    for list_loc, items in lists.items():
        yield list_loc, "\n".join(items)


# --- the glossary ---------------------------------------------------------------------------------------

def _term_words(doc: Document) -> Iterator[tuple[FieldPath, str]]:
    data = doc.data if isinstance(doc.data, dict) else {}
    if isinstance(data.get("name"), str):
        yield ("name",), data["name"]
    for i, alias in enumerate(data.get("also_matches") or []):
        if isinstance(alias, str):
            yield ("also_matches", i), alias


def glossary_words_twice(docs: dict[tuple[str, str], Document]) -> Iterator[Diagnostic]:
    """A glossary word (a name or an also_matches) of two terms: the tooltip would show one of them at random."""
    owner: dict[str, tuple[Document, FieldPath]] = {}
    for doc in sorted((d for (kind, _), d in docs.items() if kind == "terms"), key=lambda d: d.path):
        for loc, word in _term_words(doc):
            key = " ".join(word.casefold().split())
            if key not in owner:
                owner[key] = (doc, loc)
                continue
            first_doc, first_loc = owner[key]
            if first_doc is doc:
                if loc[0] == "also_matches" and first_loc[0] == "also_matches":
                    continue  # the same alias twice in one list: duplicate_items says so
                yield _at(doc, loc, f"'{word}' is already this term's {field_path(first_loc)}; delete it here")
            else:
                yield _at(doc, loc, f"the glossary word '{word}' is already defined in {first_doc.path} "
                          f"({field_path(first_loc)}); a word can have one definition only, so delete it from one "
                          "of the two terms (or merge the terms)")


_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> list[str]:
    """Lower-case words, apostrophes joined ("you're" -> "youre"): how text is compared word by word."""
    return _TOKEN.findall(text.lower().replace("\u2019", "").replace("'", ""))


def glossary_words_unused(docs: dict[tuple[str, str], Document],
                          findings: dict[str, FileFindings]) -> Iterator[Diagnostic]:
    """A glossary term whose word appears on no page (nor in another term): no reader ever gets its tooltip."""
    terms = {entry_id: doc for (kind, entry_id), doc in docs.items() if kind == "terms"}
    files_with = collections.Counter(word for found in findings.values() for word in found.words)
    listed = {muscle for found in findings.values() for muscle in found.muscles}
    for term_id in sorted(terms):
        doc = terms[term_id]
        own = findings.get(doc.path)
        words = [w for _, w in _term_words(doc)]
        if term_id in listed or any(_used(tuple(_tokens(w)), own, files_with, findings) for w in words):
            continue
        spelled = "' or '".join(words)
        yield _at(doc, ("name",), f"no page uses the word '{spelled}', so its tooltip never shows; use the word "
                  "on a page, add the spelling the pages use to also_matches, or delete this term", Severity.WARNING)


def _used(tokens: tuple[str, ...], own: FileFindings | None, files_with: collections.Counter[str],
          findings: dict[str, FileFindings]) -> bool:
    """Whether the words, in this order, are in the text of a file other than own."""
    if not tokens or any(files_with[t] - (own is not None and t in own.words) <= 0 for t in tokens):
        return False  # some word of it is in no other file: the quick answer for most unused words
    phrase = " " + " ".join(tokens) + " "
    return any(phrase in found.phrases for found in findings.values() if found is not own)


# --- copied wording ---------------------------------------------------------------------------------------

def seeds_folder(site_doc: Document | None, site: SiteSettings | None,
                 content_dir: Path | None) -> Path | Diagnostic | None:
    """The folder of source articles to compare with: site.yaml's seeds_dir, else ../../shared/seeds if it is there."""
    if content_dir is None:
        return None
    named = getattr(site, "seeds_dir", None)
    if named:
        folder = (content_dir / named).resolve()
        if not folder.is_dir() and site_doc is not None:
            return _at(site_doc, ("seeds_dir",), f"folder '{named}' not found (it is read from the content folder, "
                       f"{content_dir.name}/); write the path to the folder of source articles, or delete the line")
        return folder
    folder = (content_dir / DEFAULT_SEEDS).resolve()
    return folder if folder.is_dir() else None


_SEED_RUNS: dict[tuple[Path, tuple[tuple[str, float], ...]], dict[tuple[str, ...], str]] = {}


def seed_runs(folder: Path) -> dict[tuple[str, ...], str]:
    """Every run of COPIED_RUN words in the folder's articles (*.txt), to the article's file name."""
    articles = sorted(folder.glob("*.txt"))
    stamp = (folder, tuple((a.name, a.stat().st_mtime) for a in articles))
    if stamp not in _SEED_RUNS:  # read once per process while the articles stay as they are
        runs: dict[tuple[str, ...], str] = {}
        for article in articles:
            words = _tokens(article.read_text(encoding="utf-8", errors="replace"))
            for start in range(len(words) - COPIED_RUN + 1):
                runs.setdefault(tuple(words[start:start + COPIED_RUN]), article.name)
        _SEED_RUNS.clear()
        _SEED_RUNS[stamp] = runs
    return _SEED_RUNS[stamp]


def copied_stretches(text: str, runs: dict[tuple[str, ...], str]) -> list[tuple[str, str]]:
    """Each stretch of text found word for word in an article, as (the words, the article's file name)."""
    words = _tokens(text)
    stretches: list[tuple[int, int, str]] = []
    for start in range(len(words) - COPIED_RUN + 1):
        article = runs.get(tuple(words[start:start + COPIED_RUN]))
        if article is None:
            continue
        end = start + COPIED_RUN
        if stretches and start <= stretches[-1][1]:
            stretches[-1] = (stretches[-1][0], end, stretches[-1][2])
        else:
            stretches.append((start, end, article))
    return [(" ".join(words[a:b]), article) for a, b, article in stretches]


def copied_wording(doc: Document, all_text: list[tuple[FieldPath, str]], runs: dict[tuple[str, ...], str],
                   folder: Path) -> Iterator[Diagnostic]:
    """Text with COPIED_RUN or more words in a row taken from a source article: say it in your own words."""
    for loc, text in all_text:
        for stretch, article in copied_stretches(text, runs)[:1]:
            count = len(stretch.split())
            yield _at(doc, loc, f"{count} words in a row are copied from the source article {folder.name}/{article}: "
                      f"'{stretch}'; say it in your own words")


# --- ids in messages --------------------------------------------------------------------------------------

def as_id(text: str) -> str:
    """The valid id nearest to text: 'Calf-Cramps' -> 'calf-cramps', 'calf cramps (2)' -> 'calf-cramps-2'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()  # 'café' -> 'cafe'
    return "-".join(re.findall(r"[a-z0-9]+", plain.lower()))


_COPY = re.compile(r"(?i)(?:[ _-]*\(?\b(?:copy|kopie|copie)\b\)?(?:[ _-]*\(?\d+\)?)?|[ _-]*\(\d+\)| \d+)$")


def file_name_message(entry_id: str, stem: str, taken: Iterable[str]) -> str:
    """What to do when a file's name (stem) and its id differ; taken: the file names of its kind.

    Never suggests an id that is not valid: a file name with capitals or spaces is renamed, not copied into the id.
    """
    taken = set(taken)
    original = _COPY.sub("", stem)
    if original != stem and (original == entry_id or as_id(original) == entry_id) and entry_id in taken:
        return (f"this file looks like a copy of {entry_id}.yaml (its name has '{stem[len(original):].strip()}'); "
                "delete the copy, or, to start another page, give it a new id and rename the file to match")
    if not ID_RE.fullmatch(stem):
        how = f"rename the file to {entry_id}.yaml"
        if as_id(stem) != entry_id and as_id(stem) and as_id(stem) not in taken:
            how += f", or rename it to {as_id(stem)}.yaml and set id: {as_id(stem)}"
        return f"the file name '{stem}.yaml' is not a valid id (lower-case words joined by hyphens); {how}"
    return f"id '{entry_id}' does not match the file name; rename the file to {entry_id}.yaml or set id: {stem}"


def invalid_id_message(value: str, stem: str, loc: FieldPath) -> str:
    """What to write instead of an id that is not lower-case words joined by hyphens."""
    message = f"'{value}' is not a valid id; use lower-case letters, digits and single hyphens"
    suggested = as_id(value)
    if not ID_RE.fullmatch(suggested) or len(suggested) < 2:
        return message + ", e.g. 'night-leg-cramps'"
    if loc == ("id",) and stem == value:
        return message + f": rename the file to {suggested}.yaml and set id: {suggested}"
    return message + f", e.g. '{suggested}'"
