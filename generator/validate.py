"""Stage 2, validate: check every file against the content model and every reference, all in one run."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from . import rules
from .diagnostics import Diagnostic, Severity, did_you_mean, field_path
from .load import Document, FieldPath, LoadedContent
from .model import KINDS, REFERENCES, CareLevel, Condition, SiteSettings, Source, Strict, Term, TermKind, WarningSign
from .pictures import FOLDER as PICTURES, check_pictures, uses_in
from .references import walk

REVIEW_WARNING_DAYS = 60
MAX_DO_NOW = 3  # steps in a condition page's 'Do this now' box: with their drawings, they fit a phone's first screen
MAX_SIGNS_PER_CARD = 5  # the NHS care-card pattern: at most 5 symptoms on a card
NEAR_IDENTICAL = 0.8  # difflib ratio of two signs' word lists at or above which they say the same thing
_SINGULAR = {"conditions": "condition", "causes": "cause", "remedies": "remedy", "terms": "term", "sources": "source",
             "signs": "sign", "lookalikes": "lookalike"}


@dataclass(frozen=True)
class ValidContent:
    """Content that passed validation: every entry by kind and id."""

    site: SiteSettings
    entries: dict[str, dict[str, Strict]]
    files: dict[tuple[str, str], str]  # (kind, id) -> file path as shown
    pictures: dict[str, str] = field(default_factory=dict)  # drawing file name -> its checked <svg> markup


def validate(
    loaded: LoadedContent, today: dt.date | None = None, overdue_is_error: bool = True, reading_level: bool = True,
) -> tuple[ValidContent | None, list[Diagnostic]]:
    """Validate loaded content; return it with all problems found (None if any is an error).

    reading_level: warn of paragraphs hard to read (rules.hard_paragraphs), which the build leaves out.
    """
    diagnostics = list(loaded.diagnostics)
    site = None
    if loaded.site is not None:
        site = _model(loaded.site, SiteSettings, diagnostics)
    entries: dict[str, dict[str, Strict]] = {kind: {} for kind in KINDS}
    files: dict[tuple[str, str], str] = {}
    docs: dict[tuple[str, str], Document] = {}
    seen_lower: dict[tuple[str, str], Document] = {}
    # Files that exist but failed validation still count as known ids, so one
    # bad file does not also report every reference to it as unknown.
    invalid_ids: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for problem in loaded.diagnostics:  # files that could not even be read as YAML
        *_, kind, name = ("", "", *problem.file.split("/"))
        if kind in invalid_ids and name.endswith(".yaml"):
            invalid_ids[kind].add(name.removesuffix(".yaml"))
    for doc in loaded.documents:
        entry = _model(doc, KINDS[doc.kind], diagnostics)
        if entry is None:
            invalid_ids[doc.kind].add(doc.path.rsplit("/", 1)[-1].removesuffix(".yaml"))
            continue
        entry_id: str = entry.id  # type: ignore[attr-defined]
        stem = doc.path.rsplit("/", 1)[-1].removesuffix(".yaml")
        if entry_id != stem:
            line, col = doc.position(("id",))
            stems = {d.path.rsplit("/", 1)[-1].removesuffix(".yaml") for d in loaded.documents if d.kind == doc.kind}
            diagnostics.append(Diagnostic(doc.path, line, col, "id", rules.file_name_message(entry_id, stem, stems)))
            invalid_ids[doc.kind].update((stem, entry_id))  # references to either are not reported again
            continue
        twin = seen_lower.get((doc.kind, entry_id.lower()))
        if twin is not None:
            line, col = doc.position(("id",))
            diagnostics.append(Diagnostic(doc.path, line, col, "id", f"id '{entry_id}' is already used by {twin.path}"))
            continue
        seen_lower[(doc.kind, entry_id.lower())] = doc
        entries[doc.kind][entry_id] = entry
        files[(doc.kind, entry_id)] = doc.path
        docs[(doc.kind, entry_id)] = doc

    for (kind, entry_id), doc in docs.items():
        diagnostics.extend(_check_references(doc, entries, invalid_ids))
        entry = entries[kind][entry_id]
        if isinstance(entry, Condition):
            for i, muscle in enumerate(entry.muscles):
                term = entries["terms"].get(muscle)
                if isinstance(term, Term) and term.kind is not TermKind.MUSCLE:
                    line, col = doc.position(("muscles", i))
                    diagnostics.append(Diagnostic(doc.path, line, col, f"muscles[{i}]",
                        f"'{muscle}' is a glossary word (kind: {term.kind.value}), not a muscle; "
                        "list only terms with kind: muscle here"))
            diagnostics.extend(_check_do_now(doc, entry))
            for i, rel in enumerate(entry.related):
                if rel.condition == entry.id:
                    line, col = doc.position(("related", i, "condition"))
                    diagnostics.append(Diagnostic(doc.path, line, col, f"related[{i}].condition",
                        "a condition cannot be related to itself; remove this item"))
        review = getattr(entry, "review", None)
        if review is not None and today is not None:
            diagnostics.extend(_check_review(doc, review, today, overdue_is_error))

    diagnostics.extend(_check_safety(docs, entries))
    diagnostics.extend(rules.check(docs, entries, loaded, site, loaded.content_dir, diagnostics, reading_level))
    pictures, problems = check_pictures(
        loaded.content_dir / PICTURES if loaded.content_dir else None, f"{loaded.shown_as}/{PICTURES}",
        (use for key, doc in docs.items() for use in uses_in(key[0], entries[key[0]][key[1]], doc.path, doc.position)))
    diagnostics += problems
    if any(d.severity is Severity.ERROR for d in diagnostics) or site is None:
        return None, diagnostics
    return ValidContent(site, entries, files, pictures), diagnostics


# Each file's entry, kept while load hands over the same document (the file is unchanged): the live preview
# validates every file again after each save. Measured at 1,000 conditions: the content model takes 0.35 s
# over every file, nothing when only the saved one changed.
_LAST_VALID: dict[str, tuple[Document, BaseModel]] = {}


def _model(doc: Document, model: type[BaseModel], diagnostics: list[Diagnostic]) -> Any:
    if not isinstance(doc.data, dict):
        found = _describe(doc.data)
        diagnostics.append(Diagnostic(doc.path, 1, 1, "", f"expected fields (name: value lines), found {found}"))
        return None
    last = _LAST_VALID.get(doc.path)
    if last is not None and last[0] is doc and type(last[1]) is model:
        return last[1]
    try:
        entry = model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            diagnostics.append(_from_pydantic(doc, model, err))
        return None
    _LAST_VALID[doc.path] = (doc, entry)
    return entry


def _from_pydantic(doc: Document, model: type[BaseModel], err: Any) -> Diagnostic:
    loc: FieldPath = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    line, col = doc.position(loc)
    path = field_path(loc)
    if kind == "extra_forbidden":
        line, col = doc.key_position(loc) or (line, col)
        parent = _submodel(model, loc[:-1])
        allowed = sorted(parent.model_fields) if parent else []
        hint = did_you_mean(str(loc[-1]), allowed)
        message = f"unknown field '{loc[-1]}'{hint}; allowed fields are: {', '.join(allowed)}"
    elif kind == "missing":
        parent_line, parent_col = doc.position(loc[:-1])
        line, col = parent_line, parent_col
        described = _field_description(model, loc)
        message = f"required field is missing; add '{loc[-1]}:'" + (f" ({described})" if described else "")
    elif value is None and doc.has_value(loc):
        message = _empty_message(model, loc, kind, err)
    elif kind == "string_type" and (written := doc.written_as(loc)) is not None:
        found = ("true/false", "true/false") if isinstance(value, bool) else \
            ("a date", "a date") if isinstance(value, dt.date) else ("a number", str(value))
        message = f"expected text, found {found[0]} (YAML reads {written} as {found[1]}); put it in quotes: \"{written}\""
    elif kind == "string_type":
        message = f"expected text, found {_describe(value)}"
        if isinstance(value, (bool, int, float, dt.date)) or value is None:
            message += "; put the text in quotes, e.g. \"no\""
    elif kind in ("enum", "literal_error"):
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",")]
        hint = did_you_mean(str(value).strip().replace(" ", "-").lower(), choices) if isinstance(value, str) else ""
        message = f"expected one of {expected}, found {_describe(value)}{hint}"
    elif kind == "list_type":
        message = f"expected a list (lines starting with '- '), found {_describe(value)}"
        if isinstance(value, str) and "," not in value:
            message += f"; for a list of one, write [{value}]"
    elif kind in ("model_type", "model_attributes_type", "dict_type"):
        message = f"expected fields (name: value lines), found {_describe(value)}"
    elif kind == "string_too_short" and err.get("ctx", {}).get("min_length", 1) > 1:
        message = f"is too short; use at least {err['ctx']['min_length']} characters"
    elif kind == "string_too_short":
        message = "must not be empty"
    elif kind == "value_error":
        message = str(err.get("ctx", {}).get("error", err["msg"]))
    elif kind == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        message = f"is {len(str(value))} characters long; shorten it to at most {limit}"
    elif kind == "string_pattern_mismatch":
        message = rules.invalid_id_message(str(value), doc.path.rsplit("/", 1)[-1].removesuffix(".yaml"), loc)
    elif kind == "too_short":
        limit = err.get("ctx", {}).get("min_length")
        message = f"needs at least {limit} item{'s' if limit != 1 else ''}"
    elif kind.startswith("date") or kind.startswith("datetime"):
        message = f"expected a date written as YYYY-MM-DD (year-month-day, e.g. 2026-03-31), found {_describe(value)}"
    elif kind.startswith("url"):
        message = f"expected a web address starting with https://, found {_describe(value)}"
    elif kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        message = f"{err['msg'].lower()}, found {_describe(value)}"
    else:
        message = f"{err['msg']}, found {_describe(value)}"
    return Diagnostic(doc.path, line, col, path, message)


_FILL_IN = {
    "list_type": "write one item per line, each after a hyphen",
    "model_type": "fill in its fields",
    "dict_type": "fill in its fields",
    "date_type": "write a date as YYYY-MM-DD",
    "url_type": "write a web address starting with https://",
    "int_type": "write a whole number",
}


def _empty_message(model: type[BaseModel], loc: FieldPath, kind: str, err: Any) -> str:
    """A field or list item left empty, as in a fresh `new` skeleton: say what to write there."""
    what = _FILL_IN.get(kind, "fill it in")
    if kind in ("enum", "literal_error"):
        what = f"write one of {err.get('ctx', {}).get('expected', '')}"
    if isinstance(loc[-1], int):
        item = _item_description(model, loc[:-1]).rstrip(".")
        item = item[:1].lower() + item[1:] if item else "the text"
        where = f"{what} after the hyphen" if what != "fill it in" else f"write {item} after the hyphen"
        message = f"this item is empty; {where}"
        described = _field_description(model, loc[:-1])
        list_loc = loc[:-1]
    else:
        message = f"is empty; {what}"
        described = _field_description(model, loc)
        list_loc = next((loc[:i] for i in range(len(loc) - 1, 0, -1) if isinstance(loc[i], int)), loc)
    if described:
        message += f" ({described.rstrip('.')})"
    if list_loc and not _is_required(model, list_loc):
        name = str(list_loc[-1])
        message += f"; if there are none, write '{name}: []' instead" if list_loc != loc else \
            f"; or write '{name}: []' if there are none"
    return message


def _item_description(model: type[BaseModel], loc: FieldPath) -> str:
    """The description of one item of the list at loc, e.g. 'The id of a source in content/sources/.'."""
    parent = _submodel(model, loc[:-1])
    fld = parent.model_fields.get(str(loc[-1])) if parent else None
    for arg in getattr(fld.annotation, "__args__", ()) if fld else ():
        for meta in getattr(arg, "__metadata__", ()):
            if getattr(meta, "description", None):
                return str(meta.description)
    return ""


def _is_required(model: type[BaseModel], loc: FieldPath) -> bool:
    parent = _submodel(model, loc[:-1])
    fld = parent.model_fields.get(str(loc[-1])) if parent else None
    return fld is None or fld.is_required()


def _submodel(model: type[BaseModel], loc: FieldPath) -> type[BaseModel] | None:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fld = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if fld is None:
            return None
        current = _inner_model(fld.annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_description(model: type[BaseModel], loc: FieldPath) -> str:
    parent = _submodel(model, loc[:-1])
    fld = parent.model_fields.get(str(loc[-1])) if parent else None
    return (fld.description or "") if fld else ""


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false (YAML reads yes, no, on and off as true/false)"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, dt.date):
        return f"a date ({value.isoformat()})"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return "'" + "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown) + "'"  # one line, no escapes
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, Enum):
        return f"'{value.value}'"
    return type(value).__name__


def _check_references(
    doc: Document, entries: dict[str, dict[str, Strict]], invalid_ids: dict[str, set[str]]
) -> Iterator[Diagnostic]:
    for pattern, target in REFERENCES[doc.kind].items():
        for loc, ref in walk(doc.data, pattern):
            if ref in entries[target] or ref in invalid_ids[target]:
                continue
            line, col = doc.position(loc)
            hint = did_you_mean(str(ref), entries[target])
            yield Diagnostic(doc.path, line, col, field_path(loc),
                f"unknown {_SINGULAR[target]} '{ref}'{hint}; it must be the id of a file in content/{target}/")


def _check_do_now(doc: Document, condition: Condition) -> Iterator[Diagnostic]:
    """The 'Do this now' box at the top of a condition page holds at most 3 of its 'during' steps, never other steps."""
    for i, step in enumerate(condition.prevention):
        if step.do_now:
            line, col = doc.position(("prevention", i, "do_now"))
            yield Diagnostic(doc.path, line, col, f"prevention[{i}].do_now",
                             "only steps under during: go in the 'Do this now' box; remove do_now here")
    marked = sum(step.do_now for step in condition.during)
    if marked > MAX_DO_NOW:
        line, col = doc.position(("during",))
        yield Diagnostic(doc.path, line, col, "during",
            f"{marked} steps have do_now: true; mark at most {MAX_DO_NOW}, those for the moment of pain (the 'Do this "
            "now' box at the top of the page must fit a phone's first screen)")


def _check_review(doc: Document, review: Any, today: dt.date, overdue_is_error: bool) -> Iterator[Diagnostic]:
    due = review.next_review_due
    if review.next_review_due <= review.last_reviewed:
        yield Diagnostic(doc.path, *doc.position(("review", "next_review_due")), "review.next_review_due",
                         "must be after last_reviewed; set it 3 years after the last review")
    elif due < today:
        severity = Severity.ERROR if overdue_is_error else Severity.WARNING
        yield Diagnostic(doc.path, *doc.position(("review", "next_review_due")), "review.next_review_due",
            f"review was due on {due.isoformat()}; review the page, then update last_reviewed and next_review_due", severity)
    elif (due - today).days <= REVIEW_WARNING_DAYS:
        yield Diagnostic(doc.path, *doc.position(("review", "next_review_due")), "review.next_review_due",
            f"review is due on {due.isoformat()}, in {(due - today).days} days; plan the review", Severity.WARNING)
    if review.last_reviewed > today:
        lr_line, lr_col = doc.position(("review", "last_reviewed"))
        yield Diagnostic(doc.path, lr_line, lr_col, "review.last_reviewed",
                         f"{review.last_reviewed.isoformat()} is in the future; use the date of the review")


def _check_safety(docs: dict[tuple[str, str], Document], entries: dict[str, dict[str, Strict]]) -> Iterator[Diagnostic]:
    """The rules that keep warning signs trustworthy and care cards short: sourced, said once, at most 5 a card."""
    sources: dict[str, Source] = entries["sources"]  # type: ignore[assignment]
    signs: dict[str, WarningSign] = entries["signs"]  # type: ignore[assignment]
    conditions: dict[str, Condition] = entries["conditions"]  # type: ignore[assignment]

    def at(kind: str, entry_id: str, loc: FieldPath, message: str) -> Diagnostic:
        doc = docs[(kind, entry_id)]
        return Diagnostic(doc.path, *doc.position(loc), field_path(loc), message)

    for kind in ("signs", "lookalikes"):
        for entry_id, entry in entries[kind].items():
            cited = [sources[s] for s in entry.sources if s in sources]  # type: ignore[attr-defined]
            if cited and not any(source.kind.authoritative for source in cited):
                what = "warning sign" if kind == "signs" else "lookalike"
                yield at(kind, entry_id, ("sources",),
                         f"a {what} needs at least one authoritative source (a health service, guideline, "
                         "peer-reviewed paper, medical reference or regulator), not only a web article; "
                         "add one to content/sources/ and list it here")
    words = {sign_id: _sign_words(sign) for sign_id, sign in signs.items()}
    ordered = sorted(signs)
    for i, first in enumerate(ordered):
        for second in ordered[i + 1:]:
            matcher = difflib.SequenceMatcher(None, words[first], words[second], autojunk=False)
            if matcher.quick_ratio() < NEAR_IDENTICAL or matcher.ratio() < NEAR_IDENTICAL:
                continue
            a, b = signs[first], signs[second]
            if a.level is not b.level:
                message = (f"says the same as signs/{first}.yaml, but at another level ({b.level.value} here, "
                           f"{a.level.value} there); keep one sign, at the safer level")
            else:
                message = f"says almost the same as signs/{first}.yaml; merge the two into one sign"
            yield at("signs", second, ("sign",), message)

    for condition_id, condition in conditions.items():
        shown = [sign for sign in signs.values() if sign.applies_to(condition)]
        if not shown:
            yield at("conditions", condition_id, ("areas",),
                     "no warning sign applies to this page; add this condition or its areas to a sign in content/signs/")
        for level in CareLevel:
            at_level = sorted(sign.id for sign in shown if sign.level is level)
            if len(at_level) > MAX_SIGNS_PER_CARD:
                yield at("conditions", condition_id, ("areas",),
                         f"the page would show {len(at_level)} {level.value} signs ({', '.join(at_level)}); a care card "
                         f"holds at most {MAX_SIGNS_PER_CARD}: group related signs into one (e.g. 'Signs of a blood "
                         "clot') or narrow a sign's areas")
        shown_ids = {sign.id for sign in shown}
        for i, note in enumerate(condition.sign_notes):
            if note.sign in signs and note.sign not in shown_ids:
                yield at("conditions", condition_id, ("sign_notes", i, "sign"),
                         f"sign '{note.sign}' is not shown on this page (it is for other areas); remove the note, or "
                         "add this condition to the sign")
        for i, fact in enumerate(condition.key_facts):
            cited = [sources[s] for s in fact.sources if s in sources]
            if cited and not any(source.kind.authoritative for source in cited) and "web article" not in fact.text.lower():
                yield at("conditions", condition_id, ("key_facts", i, "text"),
                         "this fact rests only on a web article; say so (e.g. start with 'A web article says') or "
                         "cite an authoritative source")


def _sign_words(sign: WarningSign) -> list[str]:
    """A sign's words, lower case, without punctuation: what two signs are compared on, word by word."""
    return re.findall(r"[a-z0-9]+", " ".join([sign.sign, *sign.details]).lower())
