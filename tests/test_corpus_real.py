"""Real archives (shared/corpus-real, beside the checkout): every text and markdown file reads without
error, and the type and number the extractor finds agree with the ones the file name records."""
import json
import re
import unicodedata

import pytest

from conftest import SHARED
from extractor.api import run

REAL = SHARED / "corpus-real"
TYPE_CODES = {"NQ": "nghi_quyet", "KL": "ket_luan", "KH": "ke_hoach", "CTr": "chuong_trinh", "CV": "cong_van",
              "BC": "bao_cao", "QD": "quyet_dinh"}

pytestmark = pytest.mark.skipif(not REAL.exists(), reason="shared/corpus-real is not beside this checkout")


def fold(s: str) -> str:
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return re.sub(r"[\u0300-\u036f]", "", s).replace("/", "-").upper()


@pytest.fixture(scope="module")
def real_docs(tmp_path_factory):
    files = sorted(p for p in REAL.iterdir() if p.suffix in (".txt", ".md") and p.name[0].isdigit())
    out = tmp_path_factory.mktemp("real")
    run(files, out)
    return [json.loads(x) for x in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]


def test_no_document_errors(real_docs):
    assert len(real_docs) >= 15
    assert [d["doc_id"] for d in real_docs if d["status"] != "ok"] == []


def test_type_and_number_agree_with_the_file_name(real_docs):
    checked = 0
    for d in real_docs:
        kind, number = d["doc_id"].split("_")[1:3]
        if d["meta"]["number"]:
            assert fold(d["meta"]["number"]) == fold(number), d["doc_id"]
            checked += 1
        code = TYPE_CODES.get(kind.split("-")[0])
        if code and d["doc_id"][:2] not in ("05",):  # 05 is a cover letter carrying a report
            assert d["meta"]["doc_type"] == code, d["doc_id"]
    assert checked >= 10


def test_dates_and_signers_where_the_header_prints_them(real_docs):
    with_date = [d for d in real_docs if d["meta"]["issued_date"]]
    assert len(with_date) >= 14
    for d in with_date:
        year = d["meta"]["issued_date"][:4]
        assert year in d["doc_id"] or str(int(year) + 1) in d["doc_id"], d["doc_id"]
    assert sum(1 for d in real_docs if d["meta"]["signer"]["name"]) >= 10
