"""The whole job as a user runs it: CLI on the seeds, scored by the referee's rules; bad input in the batch."""
import json
import os
import subprocess
import sys

import duckdb
import pytest

from conftest import GOLD, ROOT, SEEDS
from extractor import evaluate

BAR = {  # the quality bars of issues 2-5 on the seed gold
    "references": 0.99, "basis": 1.0, "sections": 0.97, "tasks": 0.98,
}


def cli(*args, cwd=ROOT, check=True):
    proc = subprocess.run([sys.executable, "-m", "extractor", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "COLUMNS": "200"})
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli_out")
    proc = cli("run", SEEDS, "--out", out)
    return out, proc


def test_run_prints_a_summary_and_writes_the_dataset(cli_run):
    out, proc = cli_run
    assert "docs" in proc.stdout and "refs" in proc.stdout  # headers short enough for 80 columns
    for name in ("documents.jsonl", "dataset.duckdb"):
        assert (out / name).stat().st_size > 0
    for table in ("sections", "tasks", "references", "mentions", "deadlines", "errors"):
        assert (out / f"{table}.csv").exists() and (out / f"{table}.parquet").exists()
    assert not list(out.glob(".*.part")), "temporary files left behind"
    lines = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(x)["doc_id"] for x in lines] == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_seed_scores_meet_the_bar(cli_run):
    out, _ = cli_run
    r = evaluate.score(evaluate.load_pred(out / "documents.jsonl"), GOLD)
    assert not r["documents_missing"] and not r["documents_errored"]
    for part, bar in BAR.items():
        assert r[part]["f1"] >= bar, (part, r[part])
    metas = [a["accuracy"] for a in r["meta"].values()]
    assert sum(metas) / len(metas) >= 0.97, r["meta"]
    for acc, bar in (("task_number", 0.97), ("task_lead", 0.97), ("task_partners", 0.97), ("task_status", 0.97),
                     ("task_deadline", 0.99), ("task_deadline_kind", 1.0), ("reference_kind", 0.98),
                     ("reference_date", 0.98)):
        assert r[acc]["accuracy"] >= bar, (acc, r[acc])


def test_every_span_points_into_the_text(cli_run):
    out, _ = cli_run
    for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        text = doc["text"]
        spans = [s["span"] for s in doc["sections"]] + [t["span"] for t in doc["tasks"]]
        spans += [d["span"] for d in doc["deadlines"]]
        for s in spans:
            assert 0 <= s[0] <= s[1] <= len(text)
        for ref in doc["references"]:
            for m in ref["mentions"]:
                assert text[m["span"][0]:m["span"][1]] == m["text"]
        for s in doc["sections"]:
            assert s["title"][:10] in text[s["span"][0]:s["span"][1]]


def test_duckdb_tables_and_views(cli_run):
    out, _ = cli_run
    con = duckdb.connect(str(out / "dataset.duckdb"), read_only=True)
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n_docs == 5
    n_mentions = con.execute("SELECT count(*) FROM citations").fetchone()[0]
    assert n_mentions == con.execute("SELECT count(*) FROM mentions").fetchone()[0] > 0
    top = con.execute("SELECT cited_id, citing_documents FROM most_cited LIMIT 1").fetchone()
    assert top[1] >= 2  # some directive is cited by more than one seed
    assert con.execute("SELECT count(*) FROM implementations").fetchone()[0] >= 3


def test_cites_refs_query_commands(cli_run):
    out, _ = cli_run
    top = duckdb.connect(str(out / "dataset.duckdb"), read_only=True).execute(
        "SELECT cited_id FROM most_cited LIMIT 1").fetchone()[0]
    p = cli("cites", top, "--dataset", out, "--contexts", "--format", "json")
    rows = json.loads(p.stdout)
    assert rows and all(r["mention"] and r["context"] for r in rows)
    assert len({r["document"] for r in rows}) >= 2
    p = cli("refs", "--top", "3", "--dataset", out, "--format", "csv")
    assert p.stdout.splitlines()[0].startswith("cited_id") and len(p.stdout.splitlines()) == 4
    p = cli("query", "SELECT count(*) AS n FROM tasks", "--dataset", out, "--format", "json")
    assert json.loads(p.stdout)[0]["n"] > 100
    bad = cli("query", "SELECT * FROM nowhere", "--dataset", out, check=False)
    assert bad.returncode == 2 and "nowhere" in bad.stderr


def test_show_prints_meta_and_outline():
    seed = sorted(SEEDS.glob("*.txt"))[2]
    p = cli("show", seed)
    assert "HUYỆN ỦY MƯỜNG TÈ" in p.stdout and "MỤC ĐÍCH, YÊU CẦU" in p.stdout and "224-KL/TU" in p.stdout


def test_rerun_reuses_every_record(cli_run, tmp_path):
    out, _ = cli_run
    before = (out / "documents.jsonl").read_bytes()
    proc = cli("run", SEEDS, "--out", out)
    assert (out / "documents.jsonl").read_bytes() == before
    row = [ln for ln in proc.stdout.splitlines() if "│" in ln][-1]
    assert row.split("│")[5].strip() == "5"  # the "reused" column


def test_bad_input_gets_error_records_and_the_batch_goes_on(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a_empty.txt").write_bytes(b"")
    (inp / "b_binary.txt").write_bytes(bytes(range(256)) * 64)
    (inp / "c_undecodable.txt").write_bytes(("Văn bản " * 30).encode()[:-1] + b"\x81\x8d\x8f\x90\x9d" * 40)
    with (inp / "d_huge.txt").open("wb") as fh:
        fh.write(("Kết luận số 100-KL/TW của Ban Bí thư. " * 1000 + "\n").encode() * 1300)  # ~50 MB
    (inp / "e_good.txt").write_text((SEEDS / "003_9436b12227dc88d7.txt").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    proc = cli("run", inp, "--out", out, check=False)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    docs = {json.loads(x)["doc_id"]: json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()}
    assert docs["e_good"]["status"] == "ok" and docs["e_good"]["tasks"]
    expect = {"a_empty": "empty", "b_binary": "binary", "c_undecodable": "UTF-8", "d_huge": "MB"}
    for doc_id, word in expect.items():
        d = docs[doc_id]
        assert d["status"] == "error" and d["errors"], doc_id
        assert word in d["errors"][0]["message"], (doc_id, d["errors"])
    errors = duckdb.connect(str(out / "dataset.duckdb"), read_only=True).execute(
        "SELECT count(*) FROM errors").fetchone()[0]
    assert errors == 4


def test_footnotes_are_kept_apart_from_the_body():
    from extractor.api import extract

    doc = extract(SEEDS / "004_5462ff0321c87689.txt")
    assert [f.marker for f in doc.footnotes] == list("¹²³⁴⁵⁶⁷⁸⁹")
    for f in doc.footnotes:
        assert doc.text[f.span[0]:f.span[1]].endswith(f.text)
        assert not any(s.span[0] <= f.span[0] < s.span[1] for s in doc.sections)


def test_extractorignore_keeps_notes_and_gold_out_of_a_corpus_run(tmp_path):
    from extractor.batch import iter_inputs

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x")
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "NOTES.md").write_text("x")
    (tmp_path / "README.md").write_text("x")
    (tmp_path / ".extractorignore").write_text("# comment\ngold/\nREADME.md\n")
    assert [p.name for p, _ in iter_inputs([tmp_path])] == ["a.txt"]
    repo = [label for _, label in iter_inputs([ROOT / "corpus"])]
    assert repo and all("/gold/" not in x and "NOTES" not in x for x in repo)
