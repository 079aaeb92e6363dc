"""Batch runs: deterministic order, incremental reruns, guards (timeout, memory, crashes),
kill -9 and resume, exit codes. Corpora are built from corpus/seeds under distinct names."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from extractor.batch import cache as batch  # record_key and its _CODE_FP live in batch/cache.py
from extractor.api import run
from extractor.batch import InputFile, RecordCache, assign_ids, iter_inputs, record_key
from extractor.batch.local import GuardedWorker
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def replicate(dst: Path, copies: int) -> list[Path]:
    """`copies` × the seeds under distinct names (each copy a distinct document id)."""
    dst.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(copies):
        for s in SEEDS:
            p = dst / f"c{i:03d}_{s.name}"
            p.write_bytes(s.read_bytes())
            out.append(p)
    return out


def big_text(path: Path, times: int) -> Path:
    path.write_text("\n".join(s.read_text(encoding="utf-8") for s in SEEDS) * times, encoding="utf-8")
    return path


def lines(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]


def test_order_is_input_order_whatever_the_worker_count(tmp_path):
    replicate(tmp_path / "in", 2)
    s1 = run([tmp_path / "in"], tmp_path / "w1", settings=Settings(workers=1))
    s2 = run([tmp_path / "in"], tmp_path / "w2", settings=Settings(workers=2))
    a = (tmp_path / "w1" / "documents.jsonl").read_bytes()
    assert a == (tmp_path / "w2" / "documents.jsonl").read_bytes()
    ids = [d["doc_id"] for d in lines(tmp_path / "w1")]
    assert ids == sorted(p.stem for p in (tmp_path / "in").iterdir())
    assert s1.documents == s2.documents == 2 * len(SEEDS) and s1.error == 0


def test_rerun_reuses_records_and_redoes_only_what_changed(tmp_path):
    files = replicate(tmp_path / "in", 1)
    first = run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=2))
    jsonl = (tmp_path / "out" / "documents.jsonl").read_bytes()
    again = run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=2))
    assert first.reused == 0 and again.reused == len(files)
    assert (tmp_path / "out" / "documents.jsonl").read_bytes() == jsonl
    assert again.documents == first.documents and again.tasks == first.tasks
    # one file edited: only it is extracted again, and its new text is in the dataset
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\nDòng thêm ở cuối.\n", encoding="utf-8")
    third = run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=2))
    assert third.reused == len(files) - 1
    assert "Dòng thêm ở cuối." in lines(tmp_path / "out")[0]["text"]
    # settings that change the output change the key; workers/timeout do not
    changed = run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=1, timeout=99, ocr="never"))
    assert changed.reused == 0
    same = run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=2, timeout=5, ocr="never"))
    assert same.reused == len(files)


def test_a_deleted_output_file_is_written_again(tmp_path):
    replicate(tmp_path / "in", 1)
    run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=1))
    (tmp_path / "out" / "tasks.parquet").unlink()
    s = run([tmp_path / "in"], tmp_path / "out", settings=Settings(workers=1))
    assert (tmp_path / "out" / "tasks.parquet").exists() and s.reused == len(SEEDS)


def test_key_depends_on_content_path_settings_and_code(monkeypatch):
    f = InputFile(Path("a.txt"), "a.txt", "a")
    k = record_key("sha", f, "fp")
    assert k != record_key("sha2", f, "fp")
    assert k != record_key("sha", InputFile(Path("b/a.txt"), "b/a.txt", "a"), "fp")
    assert k != record_key("sha", f, "fp2")
    monkeypatch.setattr(batch, "_CODE_FP", "edited-code")  # an edit to the extractor's code or data
    assert k != record_key("sha", f, "fp")


def test_the_same_path_given_three_times_gets_three_ids(tmp_path):
    p = tmp_path / "x.txt"
    files = assign_ids(iter([(p, str(p))] * 3))
    assert len({f.doc_id for f in files}) == 3


def test_a_document_over_the_timeout_gets_an_error_and_the_rest_go_on(tmp_path):
    d = tmp_path / "in"
    replicate(d, 1)
    # ~3.7 MB: many seconds of work even on a text path several times faster than today's,
    # while each seed takes a few hundredths of a second
    big_text(d / "b_big.txt", 30)
    t0 = time.monotonic()
    s = run([d], tmp_path / "out", settings=Settings(workers=2, timeout=1.0))
    docs = {x["doc_id"]: x for x in lines(tmp_path / "out")}
    big = docs["b_big"]
    assert big["status"] == "error" and big["errors"][0]["stage"] == "timeout"
    assert "timeout" in big["errors"][0]["message"] and "--timeout" in big["errors"][0]["message"]
    assert sum(x["status"] == "ok" for x in docs.values()) == len(SEEDS)
    assert s.error == 1 and time.monotonic() - t0 < 30


@pytest.mark.slow
def test_a_worker_over_the_memory_limit_is_replaced(tmp_path):
    d = tmp_path / "in"
    replicate(d, 1)
    big_text(d / "b_big.txt", 24)  # ~3 MB of text: its parse peaks near 90 MB (measured), above the 64 MB limit
    s = run([d], tmp_path / "out", settings=Settings(workers=1, max_memory_mb=64, timeout=120))
    docs = {x["doc_id"]: x for x in lines(tmp_path / "out")}
    assert docs["b_big"]["status"] == "error" and docs["b_big"]["errors"][0]["stage"] == "memory"
    assert "--max-memory" in docs["b_big"]["errors"][0]["message"]
    assert sum(x["status"] == "ok" for x in docs.values()) == len(SEEDS), "the replacement worker went on"
    assert s.error == 1


def test_a_worker_killed_from_outside_gives_an_error_record_and_a_fresh_worker(tmp_path):
    big = big_text(tmp_path / "big.txt", 4)
    w = GuardedWorker(Settings(timeout=60))
    try:
        w.give(0, InputFile(big, str(big), "big"))
        while w.started is None:
            assert w.poll() is None
            time.sleep(0.02)
        old = w.proc.pid
        os.kill(old, signal.SIGKILL)  # what the kernel OOM killer does
        res = None
        while res is None:
            res = w.poll()
            time.sleep(0.02)
        rec = json.loads(res[1])
        assert rec["status"] == "error" and rec["errors"][0]["stage"] == "worker"
        assert "killed by signal 9" in rec["errors"][0]["message"]  # a signal, not blamed on the file
        ok = json.loads(w.run_one(InputFile(SEEDS[1], str(SEEDS[1]), "s1")))
        assert w.proc.pid != old and ok["status"] == "ok"
    finally:
        w.close()


def test_cache_put_is_atomic_and_orphans_are_removed(tmp_path):
    c = RecordCache(tmp_path)
    c.put("k1", {"doc_id": "é"})
    assert c.get("k1") == {"doc_id": "é"}
    orphan = c.dir / ".k2.999999999.tmp"  # a writer that was killed mid-write (no such pid)
    orphan.write_text("{trunc")
    RecordCache(tmp_path)
    assert not orphan.exists() and not c.has("k2")


def _cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "extractor", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


@pytest.mark.slow
def test_kill_9_mid_run_then_rerun_gives_the_complete_dataset(tmp_path):
    files = replicate(tmp_path / "in", 6)
    out = tmp_path / "out"
    args = ["run", str(tmp_path / "in"), "--out", str(out), "--workers", "2", "-q"]
    p = _cli(*args, start_new_session=True)
    records = out / ".cache" / "records"
    deadline = time.monotonic() + 120
    try:
        while len(list(records.glob("*.json")) if records.exists() else []) < 5:
            assert p.poll() is None, "the run ended before it could be killed; make the corpus bigger"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.killpg(p.pid, signal.SIGKILL)  # the whole group: the CLI, the forkserver, the workers
        p.wait()
    cached = len(list(records.glob("*.json")))
    assert 5 <= cached < len(files), "killed in the middle"
    assert not (out / "documents.jsonl").exists()
    q = _cli(*args)
    q.communicate(timeout=300)
    assert q.returncode == 0
    docs = lines(out)
    assert [d["doc_id"] for d in docs] == sorted(f.stem for f in files)  # complete, no duplicates
    assert all(d["status"] == "ok" for d in docs)
    # and the same bytes as an uninterrupted run
    clean = run([tmp_path / "in"], tmp_path / "clean", settings=Settings(workers=2))
    assert clean.reused == 0
    assert (out / "documents.jsonl").read_bytes() == (tmp_path / "clean" / "documents.jsonl").read_bytes()
    assert len(list(records.glob("*.json"))) == len(files) and not list(records.glob(".*.tmp"))


@pytest.mark.slow
def test_cli_exit_code_says_whether_a_document_failed(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_bytes(SEEDS[0].read_bytes())
    p = _cli("run", str(d), "--out", str(tmp_path / "o1"), "-q")
    p.communicate(timeout=120)
    assert p.returncode == 0
    (d / "b.txt").write_bytes(b"")
    p = _cli("run", str(d), "--out", str(tmp_path / "o2"), "-q")
    p.communicate(timeout=120)
    assert p.returncode == 3
    assert [x["status"] for x in lines(tmp_path / "o2")] == ["ok", "error"]


def test_a_fifo_is_reported_not_waited_for(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    os.mkfifo(d / "pipe.txt")
    (d / "z.txt").write_bytes(SEEDS[0].read_bytes())
    t0 = time.monotonic()
    run([d], tmp_path / "out", settings=Settings(workers=1, timeout=60))
    docs = lines(tmp_path / "out")
    assert docs[0]["status"] == "error" and "not a regular file" in docs[0]["errors"][0]["message"]
    assert docs[1]["status"] == "ok" and time.monotonic() - t0 < 30


def test_worker_memory_counts_its_child_processes():
    from extractor.batch.local import rss_mb, worker_mb

    own = worker_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "import sys, time; x = bytearray(200 << 20); "
                              "x[::4096] = b'1' * len(x[::4096]); print('ready', flush=True); time.sleep(60)"],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        assert rss_mb(child.pid) > 190
        assert worker_mb(os.getpid()) > own + 190  # what tesseract holds is the worker's document's too
    finally:
        child.kill()
        child.wait()


def test_cli_refuses_bad_options_with_a_message_not_a_traceback(tmp_path):
    for args, flag in ((["--workers", "0"], "--workers"), (["--max-memory", "10"], "--max-memory"),
                       (["--timeout", "0"], "--timeout"), (["--engine", "dask"], "--engine")):
        p = _cli("run", str(SEEDS[0]), "--out", str(tmp_path / "o"), *args)
        _, stderr = p.communicate(timeout=120)
        assert p.returncode == 2 and flag in stderr.decode() and b"Traceback" not in stderr
