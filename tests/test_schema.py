"""The exported JSON Schema: up to date with the model, and every content file valid against it (checked by jsonschema)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from generator import schema

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal"
KIND_OF_FOLDER = {folder: name for name, folder in schema.FOLDER_OF.items()}


def kind_of(path: Path, content: Path) -> str:
    """Which schema a content file follows, from where it is."""
    relative = path.relative_to(content)
    return "site" if relative == Path("site.yaml") else KIND_OF_FOLDER[relative.parts[0]]


def as_json(value: Any) -> Any:
    """YAML data as the YAML extension sees it: dates are text there (YAML 1.2 has no date type)."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: str) -> jsonschema.Draft7Validator:
    committed = json.loads(schema.schema_path(kind).read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(committed, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def schema_errors(path: Path, content: Path) -> list[str]:
    data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
    return [f"{'.'.join(map(str, e.absolute_path)) or '(file)'}: {e.message}"
            for e in validator(kind_of(path, content)).iter_errors(data)]


CONTENT_FILES = sorted(CONTENT.rglob("*.yaml"))


def test_committed_schemas_are_up_to_date() -> None:
    stale = schema.stale_schemas()
    assert not stale, f"{[str(p.relative_to(ROOT)) for p in stale]} differ from generator/model.py; " \
                      "run `python -m generator schema` and commit the result"


@pytest.mark.parametrize("kind", sorted(schema.MODELS))
def test_schema_is_valid_draft7(kind: str) -> None:
    committed = json.loads(schema.schema_path(kind).read_text(encoding="utf-8"))
    assert committed["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(committed)


def test_there_is_content_to_check() -> None:
    assert CONTENT_FILES, f"no YAML files under {CONTENT}"


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_content_file_matches_schema(path: Path) -> None:
    errors = schema_errors(path, CONTENT)
    assert not errors, f"{path.relative_to(ROOT)} does not match its schema: " + "; ".join(errors)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(CONTENT)))
def test_content_file_names_its_schema(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    wanted = schema.modeline(kind_of(path, CONTENT))
    assert first_line == wanted, f"{path.relative_to(ROOT)} must start with the line: {wanted}"


@pytest.mark.parametrize("path", sorted(MINIMAL.rglob("*.yaml")), ids=lambda p: str(p.relative_to(MINIMAL)))
def test_fixture_file_matches_schema(path: Path) -> None:
    assert not schema_errors(path, MINIMAL)


@pytest.mark.parametrize(("change", "wanted"), [
    ({"medical_nme": "Musculus"}, "Additional properties are not allowed ('medical_nme' was unexpected)"),
    ({"areas": ["thigh"]}, "'thigh' is not one of"),
    ({"also_called": "charley horse"}, "'charley horse' is not of type 'array'"),
    ({"id": "Calf_Cramp"}, "does not match"),
    ({"review": {"last_reviewed": "21/11/2026", "next_review_due": "2029-11-21"}}, "is not a 'date'"),
])
def test_schema_rejects_what_validation_rejects(change: dict[str, Any], wanted: str) -> None:
    data = as_json(yaml.safe_load((MINIMAL / "conditions" / "calf-cramp.yaml").read_text(encoding="utf-8")))
    messages = [e.message for e in validator("condition").iter_errors({**data, **change})]
    assert any(wanted in m for m in messages), messages


def test_schema_carries_the_model_descriptions_for_hover_help() -> None:
    condition = json.loads(schema.schema_path("condition").read_text(encoding="utf-8"))
    assert condition["properties"]["title"]["description"] == "The page title in plain words, e.g. 'Buttock cramps'."
    level = json.loads(schema.schema_path("sign").read_text(encoding="utf-8"))["properties"]["level"]
    assert level["description"].startswith("How urgent")  # kept beside $ref by wrapping it in allOf
    assert level["allOf"] == [{"$ref": "#/definitions/CareLevel"}]
