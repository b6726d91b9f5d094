"""Stage 3, link: resolve every reference and work out the links that run the other way."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from .model import Cause, Condition, Lookalike, Remedy, SiteSettings, Source, Term, TermKind, WarningSign
from .validate import ValidContent


SHARED_CAUSE_LIMIT = 6
SAME_AREA_LIMIT = 4  # other conditions offered under "Is it a cramp or something else?", so the list stays short


@dataclass(frozen=True)
class CauseUse:
    condition: Condition
    note: str | None


@dataclass(frozen=True)
class Site:
    """All content with its links resolved both ways. Every tuple is sorted by title."""

    settings: SiteSettings
    conditions: tuple[Condition, ...]
    causes: tuple[Cause, ...]
    remedies: tuple[Remedy, ...]
    terms: tuple[Term, ...]
    sources: dict[str, Source]
    files: dict[tuple[str, str], str]
    # Reverse links.
    cause_used_by: dict[str, tuple[CauseUse, ...]]  # cause id -> conditions it causes
    remedy_for_causes: dict[str, tuple[Cause, ...]]  # remedy id -> causes it addresses
    remedy_for_conditions: dict[str, tuple[Condition, ...]]  # remedy id -> conditions it helps
    # condition id -> the others with most causes in common, and those causes
    shares_causes: dict[str, tuple[tuple[Condition, tuple[Cause, ...]], ...]]
    related_from: dict[str, tuple[Condition, ...]]  # condition id -> conditions that list it as related
    term_by_id: dict[str, Term]
    cause_by_id: dict[str, Cause]
    remedy_by_id: dict[str, Remedy]
    condition_by_id: dict[str, Condition]
    # Safety: warning signs (most serious first) and lookalikes, and the pages each shows on.
    signs: tuple[WarningSign, ...]
    lookalikes: tuple[Lookalike, ...]
    signs_for: dict[str, tuple[WarningSign, ...]]  # condition id -> its signs
    lookalikes_for: dict[str, tuple[Lookalike, ...]]  # condition id -> lookalikes, most serious first
    sign_shown_on: dict[str, tuple[Condition, ...]]  # sign id -> condition pages
    lookalike_shown_on: dict[str, tuple[Condition, ...]]
    same_area: dict[str, tuple[Condition, ...]]  # condition id -> a few others in the same part of the body
    pictures: dict[str, str]  # drawing file name -> its checked <svg> markup

    @property
    def muscles(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind is TermKind.MUSCLE)


def _shared_causes(conditions: dict[str, Condition], causes: dict[str, Cause]
                   ) -> dict[str, tuple[tuple[Condition, tuple[Cause, ...]], ...]]:
    """condition id -> the other conditions that share most causes with it, each with the causes they share.

    At most SHARED_CAUSE_LIMIT of them, most shared first, then by title, so that pages stay small as content grows.
    """
    by_cause: dict[str, list[str]] = defaultdict(list)
    for condition in conditions.values():
        for use in condition.causes:
            by_cause[use.cause].append(condition.id)
    shares = {}
    for condition in conditions.values():
        counts = Counter(other_id for use in condition.causes for other_id in by_cause[use.cause])
        counts.pop(condition.id, None)
        top = sorted(counts, key=lambda other_id: (-counts[other_id], conditions[other_id].title.lower()))
        shares[condition.id] = tuple(
            (conditions[other_id], _by_title(causes[use.cause] for use in condition.causes
                                             for other_use in conditions[other_id].causes
                                             if other_use.cause == use.cause))
            for other_id in top[:SHARED_CAUSE_LIMIT]
        )
    return shares


def _by_title(items):  # type: ignore[no-untyped-def]
    return tuple(sorted(items, key=lambda x: (x.title.lower(), x.id)))


def link(content: ValidContent) -> Site:
    e = content.entries
    conditions: dict[str, Condition] = e["conditions"]  # type: ignore[assignment]
    causes: dict[str, Cause] = e["causes"]  # type: ignore[assignment]
    remedies: dict[str, Remedy] = e["remedies"]  # type: ignore[assignment]
    terms: dict[str, Term] = e["terms"]  # type: ignore[assignment]

    cause_used_by: dict[str, list[CauseUse]] = defaultdict(list)
    remedy_conditions: dict[str, set[str]] = defaultdict(set)
    remedy_causes: dict[str, set[str]] = defaultdict(set)
    related_from: dict[str, set[str]] = defaultdict(set)

    for cause in causes.values():
        for remedy_id in cause.remedies:
            remedy_causes[remedy_id].add(cause.id)
    for condition in conditions.values():
        for use in condition.causes:
            cause_used_by[use.cause].append(CauseUse(condition, use.note))
            for remedy_id in causes[use.cause].remedies:
                remedy_conditions[remedy_id].add(condition.id)
        for step in (*condition.during, *condition.prevention, *condition.treatment):
            if step.remedy:
                remedy_conditions[step.remedy].add(condition.id)
        for rel in condition.related:
            related_from[rel.condition].add(condition.id)

    ordered_conditions = _by_title(conditions.values())
    # Most serious first; within a level, signs for fewer parts of the body first, as they are the likelier
    # on the pages that show them.
    signs = tuple(sorted(e["signs"].values(),  # type: ignore[attr-defined]
                         key=lambda s: (-s.level.rank, len(s.areas), s.sign.lower(), s.id)))
    lookalikes: tuple[Lookalike, ...] = _by_title(e["lookalikes"].values())

    return Site(
        settings=content.site,
        conditions=_by_title(conditions.values()),
        causes=_by_title(causes.values()),
        remedies=_by_title(remedies.values()),
        terms=tuple(sorted(terms.values(), key=lambda t: (t.name.lower(), t.id))),
        sources=dict(sorted(e["sources"].items())),  # type: ignore[arg-type]
        files=content.files,
        pictures=content.pictures,
        cause_used_by={c: tuple(sorted(u, key=lambda x: x.condition.title.lower())) for c, u in cause_used_by.items()},
        remedy_for_causes={r: _by_title(causes[c] for c in ids) for r, ids in remedy_causes.items()},
        remedy_for_conditions={r: _by_title(conditions[c] for c in ids) for r, ids in remedy_conditions.items()},
        shares_causes=_shared_causes(conditions, causes),
        related_from={c: _by_title(conditions[i] for i in ids) for c, ids in related_from.items()},
        term_by_id=dict(terms),
        cause_by_id=dict(causes),
        remedy_by_id=dict(remedies),
        condition_by_id=dict(conditions),
        signs=signs,
        lookalikes=lookalikes,
        signs_for={c.id: tuple(s for s in signs if s.applies_to(c)) for c in ordered_conditions},
        # Most serious first: a reader scanning the list meets the lookalikes that need help soonest.
        lookalikes_for={c.id: tuple(sorted((x for x in lookalikes if x.applies_to(c)), key=lambda x: -x.level.rank))
                        for c in ordered_conditions},
        sign_shown_on={s.id: tuple(c for c in ordered_conditions if s.applies_to(c)) for s in signs},
        lookalike_shown_on={x.id: tuple(c for c in ordered_conditions if x.applies_to(c)) for x in lookalikes},
        same_area=_same_area(ordered_conditions),
    )


def _same_area(conditions: tuple[Condition, ...]) -> dict[str, tuple[Condition, ...]]:
    """condition id -> up to SAME_AREA_LIMIT others about the same parts of the body, most areas shared first."""
    by_area: dict[str, list[Condition]] = defaultdict(list)
    for condition in conditions:
        for area in condition.areas:
            by_area[area].append(condition)
    position = {c.id: n for n, c in enumerate(conditions)}  # the site's order, by title
    same = {}
    for condition in conditions:
        shared = Counter(o.id for area in condition.areas for o in by_area[area] if o.id != condition.id)
        top = sorted(shared, key=lambda other: (-shared[other], position[other]))[:SAME_AREA_LIMIT]
        same[condition.id] = tuple(conditions[position[other]] for other in top)
    return same
