"""Synthetic content for the benchmark: N conditions and about N/3 causes, remedies and glossary terms.

The tree is valid for the content model in generator/model.py and uses the
real content/site.yaml and content/sources/. Counts, text lengths and links
follow the real condition pages: 6 to 13 everyday names, up to 5 warning signs a level
(2 for the page's body area and up to 3 named for it), the real lookalikes, 3 to 8 causes, 4 to 10 key facts, several steps linking to remedies, 1 to 4
muscles and related conditions, and glossary words in the text. The words are a fixed plain-English vocabulary in random order: the
text reads as nonsense, but it is text of the right length, and the same N and
seed always give the same files.

Usage: python bench/synthetic.py N DEST [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
REAL_CONTENT = ROOT / "content"

BODY_AREAS = ("Buttock", "Hamstring", "Calf", "Foot", "Thigh", "Lower back", "Hip", "Shin", "Neck", "Shoulder",
              "Arm", "Hand")
TITLE_WORDS = ("night", "sudden", "long", "sharp", "dull", "morning", "running", "sitting", "standing", "cold",
               "heat", "older adult", "pregnancy", "sports", "walking", "swimming")
WORDS = (
    "muscle", "pain", "tight", "stretch", "leg", "rest", "walk", "sleep", "night", "water", "drink", "warm", "gentle",
    "slowly", "often", "usually", "sometimes", "body", "feel", "hard", "knot", "minutes", "hours", "days", "doctor",
    "nurse", "help", "ease", "relax", "move", "sit", "stand", "chair", "bed", "shoe", "foot", "calf", "thigh", "hip",
    "back", "nerve", "blood", "flow", "salt", "heat", "cold", "pack", "towel", "massage", "press", "hold", "breathe",
    "exercise", "sport", "run", "swim", "cycle", "lift", "bend", "straighten", "point", "toes", "heel", "knee",
    "older", "younger", "people", "most", "many", "few", "some", "common", "rare", "harmless", "serious", "sign",
    "change", "weak", "numb", "tingle", "swollen", "red", "hot", "spread", "return", "pass", "settle", "last",
    "week", "month", "year", "daily", "regular", "short", "long", "light", "steady", "careful", "safe", "check",
)
JOINING_WORDS = ("and", "or", "but", "so", "when", "after", "before", "while", "if", "because", "with", "without",
                 "in", "on", "at", "for", "the", "a", "your", "it", "this", "that", "can", "may", "will", "is", "are")
# Glossary words are made of syllables, so they never clash with the vocabulary above.
SYLLABLES = ("ka", "lo", "mi", "ra", "ten", "vos", "dur", "pel", "sin", "tor", "bex", "nu", "gal", "fi", "zo", "quen")
TERM_ENDINGS = ("itis", "algia", "osis", "ism", "ia")
MUSCLE_ENDINGS = ("alis", "oris", "eus", "ator", "ensis")
CARE_LEVELS = ("emergency", "urgent", "see-a-doctor", "self-care")
AREAS = ("buttock", "back-of-thigh", "calf", "foot", "deep-hip")
NAMED_SIGNS_AREA = "lower-back"  # no synthetic page is about it, so a sign that names its pages shows only on them
NAMED_SIGNS_PER_LEVEL = 3  # besides the 2 for its body area: a page shows at most 5 signs of a level
EVIDENCE = ("good", "some", "mixed", "limited", "none", "not-studied")
REMEDY_KINDS = ("technique", "lifestyle", "medicine", "professional")


class _Writer:
    """Plain text of realistic length from a fixed vocabulary, with glossary words mixed in."""

    def __init__(self, rng: random.Random, glossary_words: list[str]) -> None:
        self.rng = rng
        self.glossary_words = glossary_words

    def sentence(self, low: int = 8, high: int = 18, glossary_chance: float = 0.3) -> str:
        rng = self.rng
        words = [rng.choice(WORDS if i % 2 == 0 else JOINING_WORDS) for i in range(rng.randint(low, high))]
        if self.glossary_words and rng.random() < glossary_chance:
            words.insert(rng.randrange(1, len(words)), rng.choice(self.glossary_words))
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def sentences(self, count: int) -> str:
        return " ".join(self.sentence() for _ in range(count))

    def paragraphs(self, count: int) -> str:
        return "\n\n".join(self.sentences(self.rng.randint(2, 3)) for _ in range(count))

    def phrase(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(self.rng.randint(low, high)))

    def title(self, number: int) -> str:
        """A plain title, made unique by its number."""
        return f"{self.phrase().capitalize()} ({number})"


def make_content(
    dest: Path, conditions: int, *, seed: int = 0, today: dt.date | None = None, real_content: Path = REAL_CONTENT
) -> dict[str, int]:
    """Write a valid content tree with `conditions` conditions into dest (replaced); return the count of each kind."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    others = max(1, round(conditions / 3))
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    shutil.copyfile(real_content / "site.yaml", dest / "site.yaml")
    shutil.copytree(real_content / "sources", dest / "sources")
    shutil.copytree(real_content / "lookalikes", dest / "lookalikes", dirs_exist_ok=True)
    sources = sorted(p.stem for p in (dest / "sources").glob("*.yaml"))
    authoritative = [s for s in sources if yaml.safe_load((dest / "sources" / f"{s}.yaml").read_text())["kind"]
                     != "web-article"]

    taken: set[str] = set()
    muscles = _made_up_words(rng, max(1, others // 3), MUSCLE_ENDINGS, taken)
    words = _made_up_words(rng, others - len(muscles), TERM_ENDINGS, taken)
    writer = _Writer(rng, muscles + words)

    def some_sources(low: int, high: int, among: list[str] = sources) -> list[str]:
        return rng.sample(among, min(len(among), rng.randint(low, high)))

    def review() -> dict[str, dt.date]:
        last = today - dt.timedelta(days=rng.randint(1, 300))
        if (last.month, last.day) == (2, 29):
            last -= dt.timedelta(days=1)
        return {"last_reviewed": last, "next_review_due": last.replace(year=last.year + 3)}

    entries: dict[str, list[dict[str, Any]]] = {"terms": [], "remedies": [], "causes": [], "conditions": [],
                                                "signs": []}
    for name in muscles:
        entries["terms"].append({
            "id": name, "kind": "muscle", "name": name, "definition": writer.sentence(8, 14, 0),
            "where": writer.sentence(6, 12, 0), "what_it_does": writer.sentence(6, 12, 0),
            "sources": some_sources(1, 2),
        })
    for name in words:
        term: dict[str, Any] = {"id": name, "kind": "term", "name": name, "definition": writer.sentence(8, 16, 0)}
        if rng.random() < 0.3:
            term["also_matches"] = [name + "s"]
        term["sources"] = some_sources(0, 2)
        entries["terms"].append(term)

    remedy_ids = [f"remedy-{i}-{_slug(writer.phrase(1, 2))}" for i in range(1, others + 1)]
    for i, remedy_id in enumerate(remedy_ids, 1):
        entries["remedies"].append({
            "id": remedy_id, "title": writer.title(i), "kind": rng.choice(REMEDY_KINDS),
            "summary": writer.sentences(rng.randint(2, 3)),
            "steps": [writer.sentence(6, 14) for _ in range(rng.randint(3, 6))],
            "cautions": [writer.sentence(6, 12) for _ in range(rng.randint(1, 3))],
            "evidence": {"strength": rng.choice(EVIDENCE), "summary": writer.paragraphs(rng.randint(1, 2)),
                         "sources": some_sources(1, 3)},
            "sources": some_sources(0, 2), "review": review(),
        })

    cause_ids = [f"cause-{i}-{_slug(writer.phrase(1, 2))}" for i in range(1, others + 1)]
    for i, cause_id in enumerate(cause_ids, 1):
        entries["causes"].append({
            "id": cause_id, "title": writer.title(i), "summary": writer.sentences(rng.randint(1, 2)),
            "how_it_causes": writer.paragraphs(rng.randint(1, 3)),
            "examples": [writer.phrase(2, 4) for _ in range(rng.randint(0, 4))],
            "remedies": rng.sample(remedy_ids, min(len(remedy_ids), rng.randint(1, 3))),
            "sources": some_sources(1, 3), "review": review(),
        })

    def step() -> dict[str, str]:
        item = {"text": writer.sentence(6, 14)}
        if rng.random() < 0.6:
            item["remedy"] = rng.choice(remedy_ids)
        return item

    titles = [f"{rng.choice(TITLE_WORDS).capitalize()} {BODY_AREAS[i % len(BODY_AREAS)].lower()} cramp {i + 1}"
              for i in range(conditions)]
    condition_ids = [_slug(title) for title in titles]
    for i, (condition_id, title) in enumerate(zip(condition_ids, titles)):
        others_ids = condition_ids[:i] + condition_ids[i + 1:]
        condition: dict[str, Any] = {"id": condition_id, "title": title}
        if rng.random() < 0.6:
            condition["medical_name"] = writer.phrase(2, 3)
        condition |= {
            "summary": writer.sentences(rng.randint(2, 4)),
            # each name once: the checker refuses a list holding the same words twice
            "also_called": list(dict.fromkeys(writer.phrase(1, 3) for _ in range(rng.randint(6, 13)))),
            "body_area": BODY_AREAS[i % len(BODY_AREAS)],
            "areas": [AREAS[i % len(AREAS)]],
            "clue": writer.sentence(6, 12),
            "muscles": rng.sample(muscles, min(len(muscles), rng.randint(1, 4))),
            "feels_like": [writer.sentence(5, 12) for _ in range(rng.randint(3, 6))],
            "how_long": writer.sentence(8, 16, 0),
            "key_facts": [{"text": writer.sentence(8, 16), "sources": some_sources(0, 2, authoritative)}
                          for _ in range(rng.randint(4, 10))],
            "during": [step() for _ in range(rng.randint(3, 6))],
            "prevention": [step() for _ in range(rng.randint(4, 10))],
            "causes": [{"cause": c, "note": writer.sentence(5, 12)}
                       for c in rng.sample(cause_ids, min(len(cause_ids), rng.randint(3, 8)))],
            "treatment": [step() for _ in range(rng.randint(2, 6))],
            "related": [{"condition": c, "note": writer.sentence(5, 12)}
                        for c in rng.sample(others_ids, min(len(others_ids), rng.randint(1, 4)))],
            "sources": some_sources(2, 8),
            "review": review(),
        }
        entries["conditions"].append(condition)

    def sign(number: int, level: str, **applies_to: list[str]) -> dict[str, Any]:
        return {"id": f"sign-{number}-{level}", "level": level, "sign": writer.sentence(5, 12),
                "details": [writer.sentence(3, 8) for _ in range(rng.randint(0, 4))], **applies_to,
                "sources": some_sources(1, 2, authoritative)}

    for area in AREAS:
        for level in CARE_LEVELS:
            for _ in range(2):
                entries["signs"].append(sign(len(entries["signs"]) + 1, level, areas=[area]))
    # Signs that name their pages: each condition on up to NAMED_SIGNS_PER_LEVEL of them a level.
    named: dict[tuple[str, str], int] = {}
    for _ in range(max(1, conditions // 10)):
        level = rng.choice(CARE_LEVELS)
        chosen = [c for c in rng.sample(condition_ids, min(len(condition_ids), rng.randint(1, 3)))
                  if named.get((c, level), 0) < NAMED_SIGNS_PER_LEVEL]
        for c in chosen:
            named[(c, level)] = named.get((c, level), 0) + 1
        if chosen:
            entries["signs"].append(sign(len(entries["signs"]) + 1, level, areas=[NAMED_SIGNS_AREA], conditions=chosen))

    for kind, items in entries.items():
        (dest / kind).mkdir()
        for item in items:
            text = yaml.safe_dump(item, sort_keys=False, allow_unicode=True, width=100)
            (dest / kind / f"{item['id']}.yaml").write_text(text, encoding="utf-8")
    counts = {kind: len(items) for kind, items in entries.items()}
    return {"conditions": counts["conditions"], "causes": counts["causes"], "remedies": counts["remedies"],
            "terms": counts["terms"], "sources": len(sources)}


def _made_up_words(rng: random.Random, count: int, endings: tuple[str, ...], taken: set[str]) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(endings)
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def main() -> None:
    """Command line: python bench/synthetic.py N DEST."""
    parser = argparse.ArgumentParser(description="Write a synthetic content tree of N conditions.")
    parser.add_argument("conditions", type=int, help="how many conditions")
    parser.add_argument("dest", type=Path, help="folder to write the content tree into (replaced)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = make_content(args.dest, args.conditions, seed=args.seed)
    print(", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" in {args.dest}")


if __name__ == "__main__":
    main()
