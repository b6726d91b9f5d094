"""schema.org JSON-LD for condition pages, built from the same content as the page."""

from __future__ import annotations

from typing import Any

from .link import Site
from .model import Condition, RemedyKind
from .text import first_sentence

_THERAPY_TYPES = {
    RemedyKind.TECHNIQUE: "MedicalTherapy",
    RemedyKind.LIFESTYLE: "LifestyleModification",
    RemedyKind.MEDICINE: "Drug",
    RemedyKind.PROFESSIONAL: "MedicalTherapy",
}


def condition_page(site: Site, condition: Condition, url_path: str) -> dict[str, Any]:
    """A MedicalWebPage about the condition, true to what the page says."""
    remedy_ids = [s.remedy for s in (*condition.during, *condition.prevention, *condition.treatment) if s.remedy]
    therapies = []
    for remedy_id in dict.fromkeys(remedy_ids):
        remedy = site.remedy_by_id[remedy_id]
        therapies.append({"@type": _THERAPY_TYPES[remedy.kind], "name": remedy.title})
    about: dict[str, Any] = {
        "@type": "MedicalCondition",
        "name": condition.title,
        "alternateName": list(condition.also_called),
        "description": condition.summary,
        "associatedAnatomy": [
            {"@type": "Muscle", "name": site.term_by_id[m].name} for m in condition.muscles
        ] or [{"@type": "AnatomicalStructure", "name": condition.body_area}],
        "cause": [{"@type": "MedicalCause", "name": site.cause_by_id[u.cause].title} for u in condition.causes],
        "signOrSymptom": [{"@type": "MedicalSignOrSymptom", "name": s} for s in condition.feels_like],
        "possibleTreatment": therapies,
    }
    if condition.medical_name:
        about["alternateName"].insert(0, condition.medical_name)
    page: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": condition.title,
        "description": first_sentence(condition.summary),
        "inLanguage": "en",
        "aspect": _aspects(condition),
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": "Patient"},
        "publisher": {"@type": "Organization", "name": site.settings.publisher},
        "about": about,
    }
    # Until a clinician has checked the page, its date is when it was last updated, not a review.
    if condition.review.reviewed_by is None:
        page["dateModified"] = condition.review.last_reviewed.isoformat()
    else:
        page["lastReviewed"] = condition.review.last_reviewed.isoformat()
        page["reviewedBy"] = {"@type": "Person", "name": condition.review.reviewed_by.name,
                              "jobTitle": condition.review.reviewed_by.role}
    return page


def _aspects(condition: Condition) -> list[str]:
    """The parts of the condition the page covers, in schema.org's words, for the sections it has."""
    aspects = ["Overview", "Symptoms", "Causes"]
    if condition.during or condition.treatment:
        aspects.append("Treatment")
    if condition.prevention:
        aspects.append("Prevention")
    return aspects
