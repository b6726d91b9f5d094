"""The content model as JSON Schema (for editors' tools) and as a field list (for skeletons and the guide).

Everything here derives from the pydantic classes in model.py, so a field's
description is written once and shows up in VS Code, in `new` skeletons and
in content/README.md alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .model import KINDS, SiteSettings

SCHEMA_DIR = Path(__file__).parent / "schema"
# The YAML extension for VS Code (yaml-language-server) reads draft-07; newer drafts are only partly supported.
DIALECT = "http://json-schema.org/draft-07/schema#"
LONG_TEXT = 300  # Strings that may be longer than this are paragraphs, not one line.

# Schema names are singular: content/conditions/x.yaml uses condition.schema.json.
FOLDER_OF = {"condition": "conditions", "cause": "causes", "remedy": "remedies", "term": "terms", "source": "sources",
             "sign": "signs", "lookalike": "lookalikes"}
MODELS: dict[str, type[BaseModel]] = {**{name: KINDS[folder] for name, folder in FOLDER_OF.items()}, "site": SiteSettings}


def json_schema(name: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of one kind of content file."""
    raw = MODELS[name].model_json_schema(mode="validation")
    schema = _draft7(raw)
    return {"$schema": DIALECT, **schema}


def schema_text(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def schema_path(name: str, schema_dir: Path = SCHEMA_DIR) -> Path:
    return schema_dir / f"{name}.schema.json"


def write_schemas(schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    """Write every kind's schema; return the files that changed."""
    schema_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name in MODELS:
        path = schema_path(name, schema_dir)
        text = schema_text(name)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed


def stale_schemas(schema_dir: Path = SCHEMA_DIR) -> list[Path]:
    """Schema files that are missing or differ from the model."""
    return [
        schema_path(name, schema_dir) for name in MODELS
        if not schema_path(name, schema_dir).exists()
        or schema_path(name, schema_dir).read_text(encoding="utf-8") != schema_text(name)
    ]


def modeline(name: str) -> str:
    """The first line of a content file, which points VS Code's YAML extension at the schema."""
    up = "../" if name == "site" else "../../"
    return f"# yaml-language-server: $schema={up}generator/schema/{name}.schema.json"


def _draft7(node: Any) -> Any:
    """Rewrite pydantic's 2020-12 output for draft-07: `definitions`, and no siblings beside `$ref`."""
    if isinstance(node, list):
        return [_draft7(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {("definitions" if key == "$defs" else key): _draft7(value) for key, value in node.items()}
    if "$ref" in out:
        out["$ref"] = out["$ref"].replace("#/$defs/", "#/definitions/")
        if len(out) > 1:  # draft-07 ignores keywords next to $ref, so wrap it to keep the description
            ref = out.pop("$ref")
            out["allOf"] = [{"$ref": ref}]
    return out


# --- fields, for skeletons and the editors' guide ----------------------------------


@dataclass(frozen=True)
class FieldDoc:
    """One field of a content file, described for people."""

    name: str
    required: bool
    kind: str  # what to write, in words: 'one line of text', 'list of ...', 'one of: a, b'
    description: str
    is_list: bool = False
    min_items: int = 0
    fields: tuple[FieldDoc, ...] = ()  # the fields of a group, or of each item of a list of groups
    enum: tuple[str, ...] = ()

    @property
    def is_group(self) -> bool:
        return bool(self.fields)


def field_docs(name: str) -> tuple[FieldDoc, ...]:
    """Every field of one kind of content file, in the order they are declared."""
    schema = json_schema(name)
    return _object_fields(schema, schema.get("definitions", {}))


def kind_description(name: str) -> str:
    """The model's one-line description, e.g. 'content/conditions/<id>.yaml: a page a reader lands on.'."""
    return json_schema(name).get("description", "")


def _object_fields(node: dict[str, Any], defs: dict[str, Any]) -> tuple[FieldDoc, ...]:
    required = set(node.get("required", ()))
    return tuple(_field(key, prop, key in required, defs) for key, prop in node.get("properties", {}).items())


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """Follow $ref, allOf wrappers and `anyOf: [X, null]` to the schema of the value itself."""
    while True:
        if "$ref" in node:
            node = {**defs[node["$ref"].rsplit("/", 1)[-1]], **{k: v for k, v in node.items() if k != "$ref"}}
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = _merge(_resolve(node["allOf"][0], defs), {k: v for k, v in node.items() if k != "allOf"})
        elif "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            node = _merge(_resolve(options[0], defs), {k: v for k, v in node.items() if k != "anyOf"})
        else:
            return node


def _merge(inner: dict[str, Any], outer: dict[str, Any]) -> dict[str, Any]:
    """Outer keywords win, but the value type's own description is kept: it says what a reference points at."""
    return {**inner, **outer, "type_description": inner.get("type_description", inner.get("description", ""))}


def _field(key: str, prop: dict[str, Any], required: bool, defs: dict[str, Any]) -> FieldDoc:
    value = _resolve(prop, defs)  # the field's own description wins over its type's
    description = value.get("description", "")
    if value.get("type") == "array":
        item = _resolve(value.get("items", {}), defs)
        min_items = int(value.get("minItems", 0))
        what = f"list of {_plural(_words(item))}"
        if min_items:
            what += f", at least {min_items}"
        return FieldDoc(key, required, what, description, is_list=True, min_items=min_items,
                        fields=_object_fields(item, defs), enum=tuple(item.get("enum", ())))
    return FieldDoc(key, required, _words(value), description, fields=_object_fields(value, defs),
                    enum=tuple(value.get("enum", ())))


def _words(value: dict[str, Any]) -> str:
    """What a value is, in plain words."""
    if "enum" in value:
        return "one of: " + ", ".join(value["enum"])
    kind = value.get("type")
    if kind == "object":
        return "group of fields"
    if kind == "integer":
        low, high = value.get("minimum"), value.get("maximum")
        return f"whole number from {low} to {high}" if low is not None and high is not None else "whole number"
    if kind == "string":
        if value.get("format") == "date":
            return "date, YYYY-MM-DD"
        if value.get("format") == "uri":
            return "web address, starting https://"
        if "pattern" in value and value["pattern"].endswith(".svg$"):
            return "file name of a drawing in content/pictures/"
        if "pattern" in value:
            return "id: the file name without .yaml"
        about = value.get("type_description") or value.get("description", "")
        if about.startswith("The id of"):
            return "id of " + about.removeprefix("The id of ").rstrip(".")
        if value.get("maxLength", LONG_TEXT) > LONG_TEXT:
            return "text; a blank line starts a new paragraph"
        return "one line of text"
    if kind == "boolean":
        return "true or false"
    return str(kind)


def _plural(words: str) -> str:
    for single, many in (("id of a ", "ids of "), ("one line of text", "lines of text"),
                         ("group of fields", "groups of fields")):
        if words.startswith(single):
            rest = words.removeprefix(single)
            if single == "id of a ":  # 'id of a cause in content/causes/' -> 'ids of causes in content/causes/'
                noun, _, where = rest.partition(" ")
                return f"{many}{noun}s {where}".replace("remedys", "remedies")
            return many + rest
    return words


# --- the field reference in content/README.md ---------------------------------------

# The guide's generated section sits between these two lines.
GUIDE_START = "<!-- field reference: start (generated by `python -m generator guide`; do not edit by hand) -->"
GUIDE_END = "<!-- field reference: end -->"


def field_reference() -> str:
    """The field reference of every kind of content file, as Markdown."""
    parts = []
    for name in MODELS:
        folder = FOLDER_OF.get(name)
        where = f"content/{folder}/<id>.yaml" if folder else "content/site.yaml"
        summary = kind_description(name).split(":", 1)[-1].strip()
        parts.append(f"### {name.capitalize()}: `{where}`\n\n{summary[:1].upper() + summary[1:]}\n")
        parts.append("| Field | Required | What to write | What it is for |\n| --- | --- | --- | --- |")
        parts.extend(_reference_rows(field_docs(name), ""))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _reference_rows(fields: tuple[FieldDoc, ...], prefix: str) -> list[str]:
    rows = []
    for f in fields:
        name = f"{prefix}{f.name}"
        need = "yes" if f.required else "no"
        rows.append(f"| `{name}` | {need} | {_cell(f.kind)} | {_cell(f.description)} |")
        if f.fields:
            inner = f"{name}[].", f"{name}."
            rows.extend(_reference_rows(f.fields, inner[0] if f.is_list else inner[1]))
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def guide_with_reference(text: str) -> str:
    """The guide's text with its generated section replaced by the current field reference."""
    before, start, rest = text.partition(GUIDE_START)
    _, end, after = rest.partition(GUIDE_END)
    if not start or not end:
        raise ValueError(f"the guide must contain the two marker lines {GUIDE_START!r} and {GUIDE_END!r}")
    return f"{before}{GUIDE_START}\n\n{field_reference()}\n{GUIDE_END}{after}"
