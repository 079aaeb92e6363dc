"""vocab.py: the one way in for the data files (loaded once, validated, every key read)."""
from __future__ import annotations

import ast
import re
import shutil
import typing
from pathlib import Path

import pytest

import extractor
from extractor import vocab

PACKAGE = Path(extractor.__file__).parent


def _nested(model: type) -> list[type]:
    """`model` and the models its fields hold (in dicts, tuples …), depth first."""
    out = [model]
    for f in model.model_fields.values():
        todo = [f.annotation]
        while todo:
            t = todo.pop()
            if isinstance(t, type) and issubclass(t, vocab._Data):
                out += [m for m in _nested(t) if m not in out]
            todo += typing.get_args(t)
    return out


def _reads_by_model() -> dict[type, set[str]]:
    """For every model: the attribute names read in the modules that load its file (those that
    call its loader, and vocab.py itself for the derived views). Field declarations in vocab.py
    are annotations (names), not attribute reads."""
    reads: dict[Path, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        reads[path] = {n.attr for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                       if isinstance(n, ast.Attribute)}
    out: dict[type, set[str]] = {}
    for load in vocab.LOADERS.values():
        users = [p for p in reads if p == PACKAGE / "vocab.py" or load.__name__ in p.read_text(encoding="utf-8")]
        names = set().union(*(reads[p] for p in users))
        for m in _nested(typing.get_type_hints(load)["return"]):
            out.setdefault(m, set()).update(names)
    return out


def unread_keys(reads: dict[type, set[str]]) -> list[str]:
    return [f"{m.__name__}.{f}" for m, names in reads.items() for f in m.model_fields if f not in names]


def test_every_data_file_loads_and_validates():
    loaded = vocab.load_all()
    assert set(loaded) == {p.name for p in (PACKAGE / "data").glob("*.yaml")}


def test_each_file_is_loaded_once():
    for load in vocab.LOADERS.values():
        assert load() is load()


def test_models_are_strict_and_frozen():
    h = vocab.load_header()
    with pytest.raises(Exception):
        h.motto = ()
    models = [m for load in vocab.LOADERS.values() for m in _nested(typing.get_type_hints(load)["return"])]
    defined = {m for m in vars(vocab).values() if isinstance(m, type) and issubclass(m, vocab._Data)} - {vocab._Data}
    assert set(models) == defined       # every model is reachable from a file's loader, so checked below
    for m in models:
        assert m.model_config.get("extra") == "forbid", m.__name__


def test_every_declared_key_is_read_by_some_code():
    """A key added to a YAML file must be declared in vocab.py (extra="forbid"), and a
    declared key that no code reads fails here: the data files hold no dead vocabulary."""
    assert unread_keys(_reads_by_model()) == []


def test_the_unread_key_check_can_fail():
    reads = _reads_by_model()
    reads[vocab.Header] = reads[vocab.Header] - {"basis_line_verbs", "positions"}
    # UnitsVocab.positions is read by units.py, which does not make Header.positions read
    assert unread_keys(reads) == ["Header.positions", "Header.basis_line_verbs"]


def test_only_vocab_reads_yaml():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "vocab.py" and path.parent == PACKAGE:
            continue
        src = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(?:import yaml|from yaml)", src, re.M) or "safe_load" in src:
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


@pytest.mark.parametrize("edit, key", [
    (lambda s: s.replace("positions:", "postions:", 1), "postions"),          # misspelled key
    (lambda s: re.sub(r"(?m)^stamp_lines:(?:\n  - .*)+", "", s), "stamp_lines"),  # missing key
    (lambda s: s.replace("motto:", "motto: 12\nmotto_old:", 1), "motto"),     # wrong type
])
def test_a_malformed_file_names_the_file_and_the_key(tmp_path, monkeypatch, edit, key):
    for p in (PACKAGE / "data").glob("*.yaml"):
        shutil.copy(p, tmp_path / p.name)
    path = tmp_path / "header.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(vocab, "DATA_DIR", tmp_path)
    with pytest.raises(vocab.VocabError) as exc:
        vocab._load("header.yaml", vocab.Header)
    assert "header.yaml" in str(exc.value) and key in str(exc.value)


def test_a_nested_error_names_the_key_path(tmp_path, monkeypatch):
    (tmp_path / "issuers.yaml").write_text(
        "issuers:\n  TW: {name: Ban Chấp hành Trung ương, scope: centrl}\n"
        "ocr_code_confusions: []\nocr_number_confusions: {}\n", encoding="utf-8")
    monkeypatch.setattr(vocab, "DATA_DIR", tmp_path)
    with pytest.raises(vocab.VocabError, match=r"issuers\.yaml: key issuers\.TW\.scope"):
        vocab._load("issuers.yaml", vocab.Issuers)


def test_document_types_are_defined_once():
    types = vocab.load_doc_types()
    words = types.type_line_words
    assert words["NGHỊ QUYẾT"] == "nghi_quyet" and words["CHƯƠNG TRÌNH HÀNH ĐỘNG"] == "chuong_trinh"
    assert words["ĐỀ CƯƠNG"] == "other" and "QUY TRÌNH" not in words   # `other` has no name of its own
    assert "NGHI QUYẾT" not in words                                  # citation typos stay citation words
    codes = types.symbol_types
    assert codes["QĐ"] == "quyet_dinh" and codes["QĐi"] == "quy_dinh" and codes["TT"] == "thong_tu"
    assert "QT" not in codes                                          # kind `other` names no document
    header = (PACKAGE / "data" / "header.yaml").read_text(encoding="utf-8")
    assert "type_words:" not in header and "symbol_types:" not in header
