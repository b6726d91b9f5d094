"""Stage 3, link: resolve every reference and work out the links that run the other way."""

from __future__ import annotations

import functools
import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping
from itertools import chain
from dataclasses import dataclass, field

from .model import Cause, Condition, Lookalike, Remedy, SiteSettings, Source, Term, TermKind, WarningSign
from .validate import ValidContent


SHARED_CAUSE_LIMIT = 6


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
    shares_causes: Mapping[str, tuple[tuple[Condition, tuple[Cause, ...]], ...]]
    related_from: dict[str, tuple[Condition, ...]]  # condition id -> conditions that list it as related
    term_by_id: dict[str, Term]
    cause_by_id: dict[str, Cause]
    remedy_by_id: dict[str, Remedy]
    condition_by_id: dict[str, Condition]
    # Safety: warning signs (most serious first) and lookalikes, and the pages each shows on.
    signs: tuple[WarningSign, ...] = ()
    lookalikes: tuple[Lookalike, ...] = ()
    signs_for: dict[str, tuple[WarningSign, ...]] = field(default_factory=dict)  # condition id -> its signs
    lookalikes_for: dict[str, tuple[Lookalike, ...]] = field(default_factory=dict)  # condition id -> lookalikes
    sign_shown_on: dict[str, tuple[Condition, ...]] = field(default_factory=dict)  # sign id -> condition pages
    lookalike_shown_on: dict[str, tuple[Condition, ...]] = field(default_factory=dict)
    # condition id -> other conditions in the same part of the body (to tell them apart)
    same_area: dict[str, tuple[Condition, ...]] = field(default_factory=dict)
    pictures: dict[str, str] = field(default_factory=dict)  # drawing file name -> its checked <svg> markup

    @property
    def muscles(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.kind is TermKind.MUSCLE)


class _SharedCauses(dict[str, tuple[tuple[Condition, tuple[Cause, ...]], ...]]):
    """condition id -> the other conditions that share most causes with it, each with the causes they share.

    At most SHARED_CAUSE_LIMIT of them, most shared first, so that pages stay small as content grows.

    Worked out for a condition when it is first asked for, as shares_causes[id]: the pages ask, and on
    two cores each process works out only those of the pages it renders. (get() and `in` see only those
    already worked out.)
    """

    def __init__(self, conditions: dict[str, Condition], causes: dict[str, Cause]) -> None:
        super().__init__()
        self.conditions = conditions
        self.causes = causes
        self.by_cause: dict[str, list[str]] = defaultdict(list)
        for condition in conditions.values():
            for use in condition.causes:
                self.by_cause[use.cause].append(condition.id)

    @functools.cached_property
    def title_key(self) -> dict[str, str]:
        return {condition_id: c.title.lower() for condition_id, c in self.conditions.items()}

    def __missing__(self, condition_id: str) -> tuple[tuple[Condition, tuple[Cause, ...]], ...]:
        condition = self.conditions[condition_id]  # KeyError for an unknown id, as from a plain dict
        shares = self[condition_id] = self._shares(condition)
        return shares

    def _shares(self, condition: Condition) -> tuple[tuple[Condition, tuple[Cause, ...]], ...]:
        by_cause, title_key = self.by_cause, self.title_key
        # How many causes each other condition shares with this one, counted in C, not pair by pair:
        # a thousand conditions share tens of thousands of pairs.
        counts = Counter(chain.from_iterable(by_cause[use.cause] for use in condition.causes))
        counts.pop(condition.id, None)
        if not counts:
            return ()
        # Most shared first, then by title; the running number keeps the order found for equal titles,
        # as a stable sort would. Those sharing more than the sixth most are in; of those sharing exactly
        # as many, only the first few by title are compared with them.
        least = heapq.nlargest(SHARED_CAUSE_LIMIT, counts.values())[-1]
        above = [(-k, title_key[other_id], n, other_id) for n, (other_id, k) in enumerate(counts.items()) if k > least]
        at_least = heapq.nsmallest(SHARED_CAUSE_LIMIT - len(above), [
            (title_key[other_id], n, other_id) for n, (other_id, k) in enumerate(counts.items()) if k == least
        ])
        top = [*sorted(above), *((-least, *item) for item in at_least)]
        return tuple(
            (self.conditions[other_id], _by_title(self.causes[use.cause] for use in condition.causes
                                                  for other_use in self.conditions[other_id].causes
                                                  if other_use.cause == use.cause))
            for *_, other_id in top
        )


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
        shares_causes=_SharedCauses(conditions, causes),
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
        same_area={c.id: tuple(o for o in ordered_conditions if o.id != c.id and not set(o.areas).isdisjoint(c.areas))
                   for c in ordered_conditions},
    )
