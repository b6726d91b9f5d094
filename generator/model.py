"""The content model: every kind of content file, declared once.

Validation, the JSON Schema for editors' tools and the field reference in the
editors' guide all derive from these classes, so a field's `description` is
the one place that says what it means.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, StringConstraints

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# Text that is shown on a page. Plain words only: the renderer escapes
# anything that Markdown or HTML would treat as markup.
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    Field(description="One line of plain text."),
]


def _no_line_breaks(value: str) -> str:
    if "\n" in value:
        raise ValueError("must be one line; remove the line break")
    return value


OneLine = Annotated[Line, AfterValidator(_no_line_breaks)]
Paragraphs = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=3000),
    Field(description="Plain text; a blank line starts a new paragraph."),
]
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN, min_length=2, max_length=60),
    Field(description="Lower-case words joined by hyphens, e.g. 'night-leg-cramps'."),
]
# References name the kind they point at, so the validator knows where to look.
ConditionRef = Annotated[str, Field(description="The id of a condition in content/conditions/.")]
CauseRef = Annotated[str, Field(description="The id of a cause in content/causes/.")]
RemedyRef = Annotated[str, Field(description="The id of a remedy in content/remedies/.")]
TermRef = Annotated[str, Field(description="The id of a term in content/terms/.")]
SourceRef = Annotated[str, Field(description="The id of a source in content/sources/.")]
SignRef = Annotated[str, Field(description="The id of a warning sign in content/signs/.")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class CareLevel(str, Enum):
    """How soon a reader should get help, least urgent first."""

    SELF_CARE = "self-care"
    SEE_A_DOCTOR = "see-a-doctor"
    URGENT = "urgent"
    EMERGENCY = "emergency"

    @property
    def rank(self) -> int:
        return list(CareLevel).index(self)


class EvidenceStrength(str, Enum):
    """How well research supports a remedy, in plain words on the page."""

    GOOD = "good"
    SOME = "some"
    MIXED = "mixed"
    LIMITED = "limited"
    NONE = "none"
    NOT_STUDIED = "not-studied"


class BodyArea(str, Enum):
    """A part of the body: which warning signs and lookalikes a page shows, and where the body map marks."""

    LOWER_BACK = "lower-back"
    BUTTOCK = "buttock"
    DEEP_HIP = "deep-hip"
    BACK_OF_THIGH = "back-of-thigh"
    CALF = "calf"
    FOOT = "foot"

    @property
    def label(self) -> str:
        """The area in plain words, e.g. 'back of the thigh'."""
        return {"deep-hip": "deep hip muscles", "back-of-thigh": "back of the thigh"}.get(self.value, self.value.replace("-", " "))


class SourceKind(str, Enum):
    """What sort of source it is. A web article alone is not enough for a warning sign or a lookalike."""

    HEALTH_SERVICE = "health-service"
    GUIDELINE = "guideline"
    PEER_REVIEWED = "peer-reviewed"
    MEDICAL_REFERENCE = "medical-reference"
    REGULATOR = "regulator"
    WEB_ARTICLE = "web-article"

    @property
    def authoritative(self) -> bool:
        return self is not SourceKind.WEB_ARTICLE


class RemedyKind(str, Enum):
    """What sort of help a remedy is (used for structured data)."""

    TECHNIQUE = "technique"
    LIFESTYLE = "lifestyle"
    MEDICINE = "medicine"
    PROFESSIONAL = "professional"


class TermKind(str, Enum):
    MUSCLE = "muscle"
    TERM = "term"


class Reviewer(Strict):
    """The clinician who checked the page."""

    name: OneLine = Field(description="The reviewer's full name.")
    role: OneLine = Field(description="Their clinical role, e.g. 'Consultant in sports medicine'.")


class Review(Strict):
    """When the page was checked, by whom, and when it must be checked again."""

    last_reviewed: dt.date = Field(description="When the page was last checked, as YYYY-MM-DD.")
    next_review_due: dt.date = Field(
        description="When it must be checked again, as YYYY-MM-DD (3 years after the last review)."
    )
    reviewed_by: Reviewer | None = Field(
        default=None,
        description="The clinician who signed the page off. Leave out until a clinician has reviewed it.",
    )


class SiteSettings(Strict):
    """content/site.yaml: words used on every page."""

    name: OneLine = Field(description="The site's name, shown in the header.")
    tagline: OneLine = Field(description="One line under the name on the home page.")
    publisher: OneLine = Field(description="Who publishes the site.")
    audience: OneLine = Field(description="Who the site is written for.")
    disclaimer: Paragraphs = Field(description="What the site is and is not (it does not replace a doctor).")
    review_status: Paragraphs = Field(
        description="Plain statement of how the content has been reviewed, shown on every page."
    )
    emergency_action: OneLine = Field(
        description="What to do in an emergency, worded for every country, e.g. 'Call emergency services'."
    )
    urgent_action: OneLine = Field(description="Heading of an urgent care card.")
    doctor_action: OneLine = Field(description="Heading of a see-a-doctor care card.")
    self_care_action: OneLine = Field(description="Heading of a self-care card.")
    typical_cramp: Paragraphs = Field(
        description="What an ordinary cramp is like, to compare its lookalikes with (on 'Cramp or something else?')."
    )
    emergency_number: OneLine = Field(
        description="The emergency numbers, shown on every emergency card, e.g. 'In the UK call 999. In Europe call 112.'"
    )
    repo_url: HttpUrl = Field(description="The site's source repository, for 'Report a problem' links.")
    seeds_dir: OneLine | None = Field(
        default=None,
        description="The folder of source articles (.txt) that no text may copy 8 words in a row from, from this "
        "folder; leave out for ../../shared/seeds.",
    )
    feedback_email: Annotated[str, StringConstraints(pattern=r"^[^@\s<>\"?&]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")] | None = Field(
        default=None,
        description="The address that 'Was this page helpful?' emails go to, e.g. 'feedback@example.org'. Leave out for no such link.",
    )


class Source(Strict):
    """content/sources/<id>.yaml: something the content is based on."""

    id: Id
    title: OneLine = Field(description="The title of the page, article or paper.")
    kind: SourceKind = Field(
        description="health-service, guideline, peer-reviewed, medical-reference, regulator or web-article."
    )
    publisher: OneLine = Field(description="Who published it (organisation or journal).")
    year: int | None = Field(default=None, ge=1900, le=2100, description="Year published, if known.")
    url: HttpUrl | None = Field(default=None, description="Where to read it, if it is online.")
    note: OneLine | None = Field(
        default=None, description="Anything a reader should know about this source, e.g. how reliable it is."
    )


class Term(Strict):
    """content/terms/<id>.yaml: a muscle or a medical word, explained plainly."""

    id: Id
    kind: TermKind = Field(description="'muscle' for a muscle, 'term' for any other medical word.")
    name: OneLine = Field(description="The word as it appears in text, e.g. 'sciatica'.")
    also_matches: list[OneLine] = Field(
        default_factory=list,
        description="Other spellings that should get the same tooltip, e.g. 'trigger points'.",
    )
    definition: OneLine = Field(description="A plain-English definition in one sentence (shown as a tooltip).")
    where: OneLine | None = Field(default=None, description="Where it is in the body (muscles).")
    what_it_does: OneLine | None = Field(default=None, description="What it does (muscles).")
    sources: list[SourceRef] = Field(default_factory=list, description="Sources for the definition.")


PICTURE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*\.svg$"


class Picture(Strict):
    """A line drawing of a step, from content/pictures/."""

    file: Annotated[str, StringConstraints(pattern=PICTURE_PATTERN, max_length=80)] = Field(
        description="The drawing's file name in content/pictures/, e.g. 'stretch-calf-1.svg'."
    )
    alt: OneLine = Field(
        description="What the drawing shows, in a sentence, for people who cannot see it, e.g. 'A person sitting with one leg straight, pulling the toes back.'"
    )


class Step(Strict):
    text: OneLine = Field(description="What to do, in one plain sentence or two.")
    remedy: RemedyRef | None = Field(default=None, description="The remedy page with more detail, if any.")
    picture: Picture | None = Field(default=None, description="A drawing of the step, if it helps to see it.")
    do_now: bool = Field(
        default=False,
        description="true for the 2 or 3 steps of 'What to do during a cramp' that go in the 'Do this now' box at the top of the page (if none is marked, the first 3 go there).",
    )


class RemedyStep(Strict):
    """One step of a remedy: a plain line, or the line with a drawing."""

    text: OneLine = Field(description="What to do, in one plain sentence or two, with hold times and repeats.")
    picture: Picture | None = Field(default=None, description="A drawing of the step, where the step changes the pose.")


def _step_from_line(value: object) -> object:
    """A step written as one line of text is a step without a picture."""
    return {"text": value} if isinstance(value, str) else value


# A remedy step may be written as a plain line (most are) or as text plus a picture.
RemedyStepOrLine = Annotated[RemedyStep, BeforeValidator(_step_from_line, json_schema_input_type=OneLine | RemedyStep)]


class CauseLink(Strict):
    cause: CauseRef
    note: OneLine | None = Field(default=None, description="What is specific about this cause for this condition.")


class SignNote(Strict):
    sign: SignRef
    note: OneLine = Field(description="A short note on what this warning sign means for this condition.")


class RelatedCondition(Strict):
    condition: ConditionRef
    note: OneLine = Field(description="How the two are related or how to tell them apart.")


class Fact(Strict):
    text: OneLine = Field(description="A fact a reader should know, e.g. how common the condition is.")
    sources: list[SourceRef] = Field(default_factory=list, description="Where the fact comes from.")


class Treatment(Strict):
    text: OneLine = Field(description="Something a doctor may offer or do.")
    remedy: RemedyRef | None = Field(default=None, description="The remedy page with the evidence, if any.")


class Condition(Strict):
    """content/conditions/<id>.yaml: a page a reader lands on."""

    @property
    def do_now(self) -> list[Step]:
        """The steps for the 'Do this now' box: those marked do_now, or else the first 3."""
        return [step for step in self.during if step.do_now] or self.during[:3]

    @property
    def is_cramp(self) -> bool:
        """Whether the page is about a cramp, as its title says ('Buttock cramps'), not a knot or a trapped nerve."""
        return "cramp" in self.title.lower()

    id: Id
    title: OneLine = Field(description="The page title in plain words, e.g. 'Buttock cramps'.")
    medical_name: OneLine | None = Field(default=None, description="The medical name, shown in brackets.")
    summary: Paragraphs = Field(description="Two or three short sentences: what it is and whether it is serious.")
    also_called: list[OneLine] = Field(
        min_length=1, description="Everyday words people search with, e.g. 'butt cramp', 'charley horse'."
    )
    body_area: OneLine = Field(description="Where in the body, in words, e.g. 'Buttock'.")
    areas: list[BodyArea] = Field(
        min_length=1,
        description="The parts of the body it affects: the page shows the warning signs and lookalikes for them.",
    )
    clue: OneLine = Field(
        description="How a reader can tell it is this, in their own words, e.g. 'A sudden, hard, tight muscle that eases in minutes.'"
    )
    muscles: list[TermRef] = Field(default_factory=list, description="The muscles involved (terms of kind muscle).")
    feels_like: list[OneLine] = Field(min_length=1, description="What it feels like, one sign per item.")
    how_long: OneLine = Field(description="How long it usually lasts.")
    key_facts: list[Fact] = Field(default_factory=list, description="How common it is, who gets it, and so on.")
    during: list[Step] = Field(default_factory=list, description="What to do while it is happening, in order.")
    prevention: list[Step] = Field(default_factory=list, description="What helps stop it coming back.")
    causes: list[CauseLink] = Field(min_length=1, description="What can cause it, each with a note for this condition.")
    at_risk: list[Fact] = Field(default_factory=list, description="Who is more likely to get it.")
    sign_notes: list[SignNote] = Field(
        default_factory=list, description="Notes on warning signs (from content/signs/) that this page shows."
    )
    treatment: list[Treatment] = Field(default_factory=list, description="What a doctor may do or offer.")
    related: list[RelatedCondition] = Field(default_factory=list, description="Conditions that are related or confused with it.")
    sources: list[SourceRef] = Field(min_length=1, description="Sources the page is based on.")
    review: Review


class Cause(Strict):
    """content/causes/<id>.yaml: something that can bring on cramps or knots."""

    id: Id
    title: OneLine = Field(description="Plain name, e.g. 'Not drinking enough (dehydration)'.")
    summary: Paragraphs = Field(description="What it is, in a sentence or two.")
    how_it_causes: Paragraphs = Field(description="How it leads to cramps, in plain words.")
    examples: list[OneLine] = Field(default_factory=list, description="Named examples, e.g. medicines or diseases.")
    advice: list[OneLine] = Field(default_factory=list, description="What readers affected by this cause can do, or should know.")
    also_called: list[OneLine] = Field(default_factory=list, description="Everyday words people search with, e.g. 'cramp pregnant'.")
    remedies: list[RemedyRef] = Field(default_factory=list, description="Remedies that address this cause.")
    sources: list[SourceRef] = Field(min_length=1, description="Sources for what the page says.")
    review: Review


class Evidence(Strict):
    """What research says about the remedy, and how sure it is."""

    strength: EvidenceStrength = Field(description="How well research supports it: good, some (it helps a little), mixed, limited, none or not-studied.")
    summary: Paragraphs = Field(description="What the research shows, in plain words, never stronger than it is.")
    sources: list[SourceRef] = Field(min_length=1, description="The research or guidance behind the summary.")


class Remedy(Strict):
    """content/remedies/<id>.yaml: something that may help."""

    id: Id
    title: OneLine = Field(description="Plain name, e.g. 'Stretch the hamstring'.")
    kind: RemedyKind = Field(description="technique, lifestyle, medicine or professional.")
    summary: Paragraphs = Field(description="What it is and when it helps.")
    steps: list[RemedyStepOrLine] = Field(
        default_factory=list,
        description="How to do it, in order, with hold times and repeats: each a line, or text: and picture: (file and alt).",
    )
    cautions: list[OneLine] = Field(default_factory=list, description="When not to do it, or what to watch for.")
    evidence: Evidence
    sources: list[SourceRef] = Field(default_factory=list, description="Other sources for the page.")
    review: Review


class WarningSign(Strict):
    """content/signs/<id>.yaml: a warning sign, declared once, shown on every page it applies to."""

    id: Id
    level: CareLevel = Field(description="How urgent: self-care, see-a-doctor, urgent or emergency.")
    sign: OneLine = Field(description="The sign in plain words, e.g. 'Signs of a blood clot in the leg'.")
    details: list[OneLine] = Field(
        default_factory=list, description="What to look for, one item each, when the sign groups several."
    )
    areas: list[BodyArea] = Field(
        min_length=1, description="The parts of the body it applies to: every page about them shows it."
    )
    conditions: list[ConditionRef] = Field(
        default_factory=list, description="Conditions it applies to besides those of its areas."
    )
    sources: list[SourceRef] = Field(
        min_length=1, description="Where the sign and its level come from: at least one that is not a web article."
    )

    def applies_to(self, condition: Condition) -> bool:
        return condition.id in self.conditions or not set(self.areas).isdisjoint(condition.areas)


class Lookalike(Strict):
    """content/lookalikes/<id>.yaml: something that can feel like a cramp but is not one."""

    id: Id
    title: OneLine = Field(description="Its plain name, e.g. 'Blood clot in the leg (DVT)'.")
    also_called: list[OneLine] = Field(
        default_factory=list, description="Everyday words people search with, e.g. 'swollen calf'."
    )
    clue: OneLine = Field(description="What the reader notices that a cramp does not do, in their own words.")
    differs: Paragraphs = Field(description="How it differs from a cramp.")
    what_to_do: Paragraphs = Field(description="What to do if it may be this.")
    level: CareLevel = Field(description="How soon to get help if it may be this.")
    areas: list[BodyArea] = Field(min_length=1, description="The parts of the body where it can be mistaken for a cramp.")
    sources: list[SourceRef] = Field(min_length=1, description="Sources: at least one that is not a web article.")
    review: Review

    def applies_to(self, condition: Condition) -> bool:
        return not set(self.areas).isdisjoint(condition.areas)


KINDS: dict[str, type[Strict]] = {
    "conditions": Condition,
    "causes": Cause,
    "remedies": Remedy,
    "terms": Term,
    "sources": Source,
    "signs": WarningSign,
    "lookalikes": Lookalike,
}

# Which field paths hold references, and to which kind. Used by validation to
# check every reference and by linking to follow them. A path segment "*"
# stands for every item of a list.
REFERENCES: dict[str, dict[tuple[str, ...], str]] = {
    "conditions": {
        ("muscles", "*"): "terms",
        ("key_facts", "*", "sources", "*"): "sources",
        ("during", "*", "remedy"): "remedies",
        ("prevention", "*", "remedy"): "remedies",
        ("causes", "*", "cause"): "causes",
        ("treatment", "*", "remedy"): "remedies",
        ("related", "*", "condition"): "conditions",
        ("at_risk", "*", "sources", "*"): "sources",
        ("sign_notes", "*", "sign"): "signs",
        ("sources", "*"): "sources",
    },
    "causes": {("remedies", "*"): "remedies", ("sources", "*"): "sources"},
    "remedies": {("evidence", "sources", "*"): "sources", ("sources", "*"): "sources"},
    "terms": {("sources", "*"): "sources"},
    "sources": {},
    "signs": {("conditions", "*"): "conditions", ("sources", "*"): "sources"},
    "lookalikes": {("sources", "*"): "sources"},
}

ID_RE = re.compile(ID_PATTERN)
