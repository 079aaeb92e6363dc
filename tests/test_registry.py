"""The directive registry's identity rules (extractor/registry.py), as tables of synthetic
records: which written references across documents are one directive, and which are not."""
from __future__ import annotations

from typing import Optional

import pytest

from extractor import registry, vocab
from extractor.registry import Registry, normalize_id, province_key, scope_of


def ref(rid: str, date: Optional[str] = None, n: int = 1, **kw) -> dict:
    return {"id": rid, "issued_date": date, "mentions": [{"text": rid, "span": [0, 1]}] * n, **kw}


def doc(doc_id: str, *refs: dict, province: Optional[str] = None, number: Optional[str] = None,
        date: Optional[str] = None) -> dict:
    return {"doc_id": doc_id, "meta": {"province": province, "number": number, "issued_date": date, "issuer": []},
            "references": list(refs)}


def directives_of(*docs: dict) -> tuple[dict[str, dict], dict[tuple, str]]:
    rows, refs = registry.build(docs)
    return {r["directive_id"]: r for r in rows}, {(x["doc_id"], x["ref_id"]): x["directive_id"] for x in refs}


@pytest.mark.parametrize("written, expected", [
    ("193/2025/NQ-QH15", "193/2025/QH15"),      # one-series issuer: the kind code is dropped
    ("193/2025/QH15", "193/2025/QH15"),
    ("72/2025/NQ-QH14", "72/2025/QH14"),
    ("30/2020/NĐ-CP", "30/2020/NĐ-CP"),          # the Government's decrees keep their kind
    ("1656/NQ-UBTVQH15", "1656/NQ-UBTVQH15"),    # the Standing Committee is another issuer
    ("57-NQ/TW", "57-NQ/TW"),
])
def test_general_normalization(written, expected):
    assert normalize_id(written) == expected


@pytest.mark.parametrize("rid, scope", [
    ("57-NQ/TW", "central"), ("104-CTr/TU", "local"), ("2449-CV/ĐU", "local"), ("40/QĐ-UBND", "local"),
    ("30/2020/NĐ-CP", "state"), ("193/2025/QH15", "state"), ("06-ĐA", None),
])
def test_scope_of_a_symbol(rid, scope):
    assert scope_of(rid) == scope


@pytest.mark.parametrize("a, b, same", [
    ("Khánh Hoà", "Khánh Hòa", True),      # old and new tone placement
    ("KHÁNH HÒA", "Khánh Hòa", True),
    ("Thanh Hoá", "Thanh Hóa", True),
    ("Lào Cai", "Khánh Hòa", False),
    ("Hà Nam", "Hà Nội", False),
])
def test_province_key(a, b, same):
    assert (province_key(a) == province_key(b)) is same


# (citing documents as (doc_id, province, [(written id, date)]), groups of (doc_id, written id) that must
#  be one directive each)
IDENTITY = [
    pytest.param([("a", None, [("193/2025/NQ-QH15", None)]), ("b", None, [("193/2025/QH15", "2025-02-19")])],
                 [{("a", "193/2025/NQ-QH15"), ("b", "193/2025/QH15")}], id="one-series written forms merged"),
    pytest.param([("a", None, [("88/NĐ-CP", "2025-04-13"), ("88/2025/NĐ-CP", "2025-04-13")])],
                 [{("a", "88/NĐ-CP"), ("a", "88/2025/NĐ-CP")}], id="year-less state symbol joins its year form"),
    pytest.param([("a", None, [("88/NĐ-CP", "2024-04-13")]), ("b", None, [("88/2025/NĐ-CP", "2025-04-13")])],
                 [{("a", "88/NĐ-CP")}, {("b", "88/2025/NĐ-CP")}], id="year-less symbol of another year kept apart"),
    pytest.param([("a", "Lào Cai", [("12-NQ/TU", "2025-01-02")]), ("b", "Khánh Hòa", [("12-NQ/TU", "2025-01-02")])],
                 [{("a", "12-NQ/TU")}, {("b", "12-NQ/TU")}], id="local ids of different provinces kept apart"),
    pytest.param([("a", "Khánh Hoà", [("12-NQ/TU", None)]), ("b", "Khánh Hòa", [("12-NQ/TU", "2025-01-02")])],
                 [{("a", "12-NQ/TU"), ("b", "12-NQ/TU")}], id="same province in two spellings"),
    pytest.param([("a", None, [("12-NQ/TU", None)]), ("b", None, [("12-NQ/TU", None)])],
                 [{("a", "12-NQ/TU")}, {("b", "12-NQ/TU")}], id="local id without province joins nothing"),
    pytest.param([("a", None, [("45-NQ/TW", "2023-11-24")]), ("b", None, [("45-NQ/TW", "2003-01-15")])],
                 [{("a", "45-NQ/TW")}, {("b", "45-NQ/TW")}], id="same number different dates kept apart"),
    pytest.param([("a", None, [("45-NQ/TW", "2023-11-24")]), ("b", None, [("45-NQ/TW", None)]),
                  ("c", None, [("45-NQ/TW", "2023-11")])],
                 [{("a", "45-NQ/TW"), ("b", "45-NQ/TW"), ("c", "45-NQ/TW")}], id="undated and partial dates join"),
    pytest.param([("a", None, [("45-NQ/TW", "2023-11-24")]), ("b", None, [("45-NQ/TW", "2003-01-15")]),
                  ("c", None, [("45-NQ/TW", None)])],
                 [{("a", "45-NQ/TW")}, {("b", "45-NQ/TW")}, {("c", "45-NQ/TW")}], id="undated with two dated: apart"),
    pytest.param([("a", None, [("57-NQ/TW", "2024-12-22")]), ("b", "Lào Cai", [("57-NQ/TW", None)])],
                 [{("a", "57-NQ/TW"), ("b", "57-NQ/TW")}], id="central id is one across provinces"),
]


@pytest.mark.parametrize("docs, groups", IDENTITY)
def test_identity(docs, groups):
    rows, link = directives_of(*(doc(d, *(ref(r, dt) for r, dt in refs), province=p) for d, p, refs in docs))
    assert len(rows) == len(groups)
    assert len(set(link.values())) == len(groups)
    for g in groups:
        assert len({link[k] for k in g}) == 1, g
    # each row records the written forms it merged
    for g in groups:
        row = rows[link[next(iter(g))]]
        assert set(row["forms"].split("; ")) == {w for _, w in g}


def test_aliases_from_the_data_file(monkeypatch):
    data = vocab.DirectiveAliases(one_series_issuers=("QH",), aliases={"12-NQ/BCSĐ-UBND": "12-NQ/BCSĐ"})
    monkeypatch.setattr(registry, "load_directive_aliases", lambda: data)
    rows, link = directives_of(doc("a", ref("12-NQ/BCSĐ-UBND"), province="Lào Cai"),
                               doc("b", ref("12-NQ/BCSĐ"), province="Lào Cai"))
    assert link[("a", "12-NQ/BCSĐ-UBND")] == link[("b", "12-NQ/BCSĐ")]
    assert rows[link[("a", "12-NQ/BCSĐ-UBND")]]["forms"] == "12-NQ/BCSĐ; 12-NQ/BCSĐ-UBND"


def test_the_data_file_loads():
    data = vocab.load_directive_aliases()
    assert "QH" in data.one_series_issuers
    assert all(k != v for k, v in data.aliases.items())


def test_row_of_a_directive_that_is_a_dataset_document():
    rows, link = directives_of(
        doc("plan", number="104-CTr/TU", province="Lào Cai", date="2026-08-30"),
        doc("letter", ref("104-CTr/TU", "2026-08-30", n=3, kind="chuong_trinh", subject="bảo vệ môi trường"),
            ref("75-KL/TW", n=2), province="Lào Cai", date="2026-09-07"),
        doc("other", ref("75-KL/TW", subject="x"), date="2026-07-28"),
        doc("elsewhere", ref("104-CTr/TU"), province="Khánh Hòa", date="2026-10-01"))
    plan = rows[link[("letter", "104-CTr/TU")]]
    assert plan["directive_id"] == plan["qualified_id"] == "104-CTr/TU@Lào Cai"
    assert (plan["in_dataset"], plan["doc_id"], plan["cited_by"], plan["mentions"]) == (True, "plan", 1, 3)
    assert (plan["issued_date"], plan["kind"], plan["subject"]) == ("2026-08-30", "chuong_trinh", "bảo vệ môi trường")
    assert (plan["first_cited"], plan["last_cited"]) == ("2026-09-07", "2026-09-07")
    assert link[("elsewhere", "104-CTr/TU")] == "104-CTr/TU@Khánh Hòa"
    kl = rows["75-KL/TW"]
    assert (kl["in_dataset"], kl["cited_by"], kl["mentions"]) == (False, 2, 3)
    assert (kl["first_cited"], kl["last_cited"]) == ("2026-07-28", "2026-09-07")


def test_same_id_different_dates_get_distinct_directive_ids():
    rows, link = directives_of(doc("a", ref("45-NQ/TW", "2023-11-24")), doc("b", ref("45-NQ/TW", "2003-01-15")))
    assert set(rows) == {"45-NQ/TW~2023-11-24", "45-NQ/TW~2003-01-15"}
    assert all(r["id"] == "45-NQ/TW" for r in rows.values())


def test_registry_is_written_with_the_dataset(tmp_path):
    import duckdb

    from extractor.store import write_dataset

    counts = write_dataset(tmp_path, [
        doc("plan", number="12-NQ/TU", province="Lào Cai", date="2025-01-02"),
        doc("x", ref("12-NQ/TU", "2025-01-02", relation="implements"), province="Lào Cai", date="2025-02-01")])
    assert counts["directives"] == 1 and counts["directive_refs"] == 1
    con = duckdb.connect(str(tmp_path / "dataset.duckdb"), read_only=True)
    assert con.execute("SELECT directive_id, doc_id, cited_by FROM directives").fetchall() == [
        ("12-NQ/TU@Lào Cai", "plan", 1)]
    assert (tmp_path / "directives.csv").exists() and (tmp_path / "directives.parquet").exists()
    assert con.execute("SELECT citing_doc, cited_directive_id, cited_doc, mentions FROM lineage").fetchall() == [
        ("x", "12-NQ/TU@Lào Cai", "plan", 1)]
