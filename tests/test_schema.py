"""The JSON Schema in the repo is generated from the models; a stale copy fails here."""
import json

from extractor.model import SCHEMA_PATH, Document, json_schema


def test_schema_file_is_current():
    assert SCHEMA_PATH.exists(), "run: python -m extractor.model"
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema(), "stale schema: run python -m extractor.model"


def test_contract_fields_are_in_the_schema():
    schema = json.loads(json_schema())
    top = set(schema["properties"])
    assert {"schema_version", "doc_id", "status", "errors", "source", "text", "meta", "sections", "tasks",
            "references", "deadlines"} <= top
    defs = schema["$defs"]
    assert {"doc_type", "number", "issuer", "place", "issued_date", "title", "signer", "recipients",
            "basis"} <= set(defs["Meta"]["properties"])
    assert {"text", "kind", "start", "end", "recurrence", "parts", "note"} <= set(defs["Deadline"]["properties"])
    assert {"id", "section", "group", "number", "content", "lead", "partners", "deadline", "status", "output",
            "origin", "span"} <= set(defs["Task"]["properties"])


def test_a_record_round_trips():
    doc = Document(doc_id="x")
    assert Document.model_validate_json(doc.model_dump_json()) == doc
