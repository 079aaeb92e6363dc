"""The JSON Schema in the repo is generated from the models; a stale copy fails here."""
import json
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
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


def _validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _errors(validator, path: Path) -> list[str]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        for e in validator.iter_errors(json.loads(line)):
            out.append(f"line {n}: {'/'.join(map(str, e.absolute_path))}: {e.message[:200]}")
    return out


def test_every_line_of_a_corpus_run_validates_against_the_published_schema(tmp_path):
    """The README's main job (corpus/) plus inputs that fail: a field written without being
    declared in the models (additionalProperties: false) or of the wrong type fails here."""
    from extractor.api import run

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj<<>>\ntrailer<<>>\n%%EOF")
    run([ROOT / "corpus", bad], tmp_path / "out")
    errors = _errors(_validator(), tmp_path / "out" / "documents.jsonl")
    assert not errors, "\n".join(errors[:20])


def test_the_validator_sees_an_undeclared_field(seed_dataset, tmp_path):
    line = json.loads((seed_dataset / "documents.jsonl").read_text(encoding="utf-8").splitlines()[0])
    line["tasks"][0]["invented"] = 1
    line["meta"]["province"] = ["not", "a", "string"]
    p = tmp_path / "x.jsonl"
    p.write_text(json.dumps(line, ensure_ascii=False), encoding="utf-8")
    errors = _errors(_validator(), p)
    assert any("invented" in e for e in errors) and any("meta/province" in e for e in errors)


@pytest.mark.skipif(not (SHARED / "corpus-real").exists(), reason="shared/corpus-real is not beside this checkout")
def test_records_of_real_pdf_docx_and_scans_validate(tmp_path):
    """Paged inputs write page_info, OCR confidences and the like: those must be declared too."""
    from extractor.api import run

    real = sorted(p for p in (SHARED / "corpus-real").iterdir() if p.suffix in (".pdf", ".docx"))
    run(real, tmp_path / "out")
    errors = _errors(_validator(), tmp_path / "out" / "documents.jsonl")
    assert not errors, "\n".join(errors[:20])
