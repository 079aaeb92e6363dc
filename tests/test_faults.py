"""Faults without damage (issue 16): each test injects one fault for real — a file replaced
mid-run, a damaged cache, a second run on the same --out, a full tmpfs, a read-only bind mount or
a directory root may not write (setpriv drops root's override), real signals to the real process
tree, a file name that is not UTF-8, a link out of the input folder, a long scan measured for
peak RSS — and checks that no record is lost or wrong, that every output is complete or absent,
and that the person running it gets one line saying what to do."""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from extractor.api import extract, run
from extractor.batch import run as batch_run
from extractor.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))


def lines(out: Path) -> list[dict]:
    return [json.loads(x) for x in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]


def corpus(d: Path, n: int = 3) -> list[Path]:
    d.mkdir(parents=True, exist_ok=True)
    files = []
    for s in SEEDS[:n]:
        files.append(d / s.name)
        shutil.copy(s, files[-1])
    return files


def big_text(path: Path, times: int) -> Path:
    path.write_text("\n".join(s.read_text(encoding="utf-8") for s in SEEDS) * times, encoding="utf-8")
    return path


def cli(*args: str, unprivileged: bool = False, **kw) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "extractor", *args]
    if unprivileged and os.geteuid() == 0:  # root ignores permission bits: drop that override
        cmd = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
               "--bounding-set=-dac_override,-dac_read_search", *cmd]
    env = {**os.environ, "PYTHONPATH": str(ROOT), **kw.pop("env", {})}
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, **kw)


def finish(p: subprocess.Popen, timeout: float = 300) -> tuple[int, str]:
    _, err = p.communicate(timeout=timeout)
    return p.returncode, err


def one_line_error(err: str) -> str:
    """The CLI's message for a fault: one line, never a traceback."""
    assert "Traceback" not in err, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("error:"), err
    return err


# --- data integrity ----------------------------------------------------------------------
def test_a_file_replaced_between_listing_and_reading_is_cached_under_what_was_read(tmp_path, monkeypatch):
    d = tmp_path / "in"
    a, b = SEEDS[0].read_bytes(), SEEDS[1].read_bytes()
    corpus(d, 0)
    target = d / "doc.txt"
    target.write_bytes(a)
    real_extract = batch_run._extract

    def replaced_then_extract(*args, **kw):  # the user saves another version while the run is going
        target.write_bytes(b)
        return real_extract(*args, **kw)

    monkeypatch.setattr(batch_run, "_extract", replaced_then_extract)
    run([d], tmp_path / "out", settings=Settings(workers=1))
    monkeypatch.undo()
    import hashlib

    (doc,) = lines(tmp_path / "out")
    assert doc["source"]["sha256"] == hashlib.sha256(b).hexdigest()  # the record is what was read
    target.write_bytes(a)  # the listed content again: its record must be A's, not B's under A's hash
    s = run([d], tmp_path / "out", settings=Settings(workers=1))
    (doc,) = lines(tmp_path / "out")
    assert s.reused == 0 and doc["source"]["sha256"] == hashlib.sha256(a).hexdigest()
    target.write_bytes(b)  # and B's record, kept under B's own hash, is reused
    s = run([d], tmp_path / "out", settings=Settings(workers=1))
    assert s.reused == 1 and lines(tmp_path / "out")[0]["source"]["sha256"] == hashlib.sha256(b).hexdigest()


def test_failures_not_the_files_fault_are_retried_and_others_on_request(tmp_path):
    d = tmp_path / "in"
    corpus(d, 2)
    big_text(d / "b_big.txt", 6)
    (d / "c_empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    s = run([d], out, settings=Settings(workers=1, timeout=0.2))
    docs = {x["doc_id"]: x for x in lines(out)}
    assert docs["b_big"]["errors"][0]["stage"] == "timeout" and "--timeout" in docs["b_big"]["errors"][0]["message"]
    # following the advice ("raise --timeout") works: the timeout record is not reused
    s = run([d], out, settings=Settings(workers=1, timeout=120))
    docs = {x["doc_id"]: x for x in lines(out)}
    assert docs["b_big"]["status"] in ("ok", "partial") and s.reused == 3  # 2 seeds + the empty file's error
    assert docs["c_empty"]["status"] == "error"
    assert run([d], out, settings=Settings(workers=1)).reused == 4
    assert run([d], out, settings=Settings(workers=1), retry_errors=True).reused == 3  # the empty file again
    assert run([d], out, settings=Settings(workers=1), force=True).reused == 0


@pytest.mark.parametrize("status, stage, kind", [
    ("ok", None, "ok"), ("partial", "tables", "ok"),
    ("error", "decode", "error"), ("error", "read", "error"), ("error", "internal", "error"),
    ("error", "timeout", "retry"), ("error", "memory", "retry"), ("error", "worker", "retry"),
])
def test_which_records_are_reused(status, stage, kind):
    from extractor.batch.cache import record_kind

    rec = {"doc_id": "d", "status": status, "errors": [{"stage": stage, "message": "m"}] if stage else []}
    assert record_kind(rec) == kind


@pytest.mark.parametrize("damage", ["truncated", "junk", "not a record"])
def test_a_damaged_cache_record_is_extracted_again_and_reported_once(tmp_path, damage):
    d = tmp_path / "in"
    corpus(d, 3)
    out = tmp_path / "out"
    run([d], out, settings=Settings(workers=1))
    clean = (out / "documents.jsonl").read_bytes()
    recs = sorted((out / ".cache" / "records").glob("*.json"))
    for r in recs[:2]:
        raw = r.read_bytes()
        r.write_bytes({"truncated": raw[: len(raw) // 2], "junk": b"\xff\xfe\x00junk",
                       "not a record": b"[1, 2]"}[damage])
    (out / ".cache" / "manifest").unlink()
    (out / ".cache" / "summary.json").write_bytes(b"\xff{")
    s = run([d], out, settings=Settings(workers=1))
    assert s.reused == 1 and s.documents == 3 and s.ok == 3
    assert len(s.warnings) == 1 and "2 cached record(s) could not be read" in s.warnings[0]
    assert (out / "documents.jsonl").read_bytes() == clean
    assert run([d], out, settings=Settings(workers=1)).warnings == []  # repaired: said once


def test_a_damaged_summary_alone_rewrites_the_dataset(tmp_path):
    d = tmp_path / "in"
    corpus(d, 2)
    run([d], tmp_path / "out", settings=Settings(workers=1))
    (tmp_path / "out" / ".cache" / "summary.json").write_bytes(b"")
    s = run([d], tmp_path / "out", settings=Settings(workers=1))
    assert s.documents == 2 and s.reused == 2
    assert json.loads((tmp_path / "out" / ".cache" / "summary.json").read_text())["documents"] == 2


def test_a_second_run_on_the_same_out_is_refused_naming_the_first(tmp_path):
    d = tmp_path / "in"
    corpus(d, 2)
    big_text(d / "b_big.txt", 10)  # keeps the first run busy for seconds
    out = tmp_path / "out"
    first = cli("run", str(d), "--out", str(out), "--workers", "1", "-q")
    try:
        deadline = time.monotonic() + 60
        while not (out / ".lock").exists() or not (out / ".lock").read_text().strip():
            assert first.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        t0 = time.monotonic()
        code, err = finish(cli("run", str(d), "--out", str(out), "--workers", "1", "-q"), 60)
        assert code == 2 and time.monotonic() - t0 < 30
        msg = one_line_error(err)
        assert f"PID {first.pid}" in msg and "started" in msg and "--out" in msg
    finally:
        code, err = finish(first)
    assert code == 0, err
    assert len(lines(out)) == 3


def test_the_lock_of_a_dead_run_is_taken_over(tmp_path):
    d = tmp_path / "in"
    corpus(d, 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / ".lock").write_text("999999999 2026-01-01 00:00:00 UTC\n")  # a run killed with -9
    assert run([d], out, settings=Settings(workers=1)).documents == 1


def test_half_utf8_half_cp1258_is_decoded_per_part_and_flagged():
    from tests.fixtures.legacy import encode

    text = SEEDS[0].read_text(encoding="utf-8")
    cut = text.rfind("\n", 0, len(text) // 2)
    doc = extract(text[:cut].encode("utf-8") + encode(text[cut:], "cp1258"), format="txt")
    assert doc.status == "partial" and doc.text.strip()[-40:] == text.strip()[-40:]
    (err,) = [e for e in doc.errors if e.stage == "decode"]
    assert "cp1258" in err.message and "UTF-8" in err.message and re.search(r"confidence 0\.\d\d", err.message)


def test_a_low_confidence_decoding_is_partial_not_ok():
    from extractor.ingest.text import CONFIDENT, decode_bytes

    from tests.fixtures.legacy import encode

    # a little Vietnamese in a legacy encoding amid words that are not Vietnamese: a guess, not a reading
    data = encode("Cộng hoà xã hội chủ nghĩa Việt Nam ", "cp1258") + b"the quick brown fox jumps over " * 3
    d = decode_bytes(data)
    assert d.confidence < CONFIDENT and d.warning and d.encoding in d.warning and "confidence" in d.warning


# --- atomic output under full disks and read-only targets ----------------------------------
@contextmanager
def tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _dataset_files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_a_full_disk_while_writing_the_dataset_keeps_the_previous_one(tmp_path):
    d = tmp_path / "in"
    corpus(d, 2)
    # 2 documents: ~2.6 MB of dataset (dataset.duckdb is most of it); 3 more records fit, a second
    # dataset next to the first does not
    with tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "out"
        code, err = finish(cli("run", str(d), "--out", str(out), "--workers", "1", "-q"))
        assert code == 0, err
        before = _dataset_files(out)
        for s in SEEDS[2:5]:
            shutil.copy(s, d / s.name)
        code, err = finish(cli("run", str(d), "--out", str(out), "--workers", "2", "-q"))
        assert code == 2
        assert "No space left" in one_line_error(err) or "disk full" in err
        # every record was kept: the disk filled up while the dataset was written
        assert len(list((out / ".cache" / "records").glob("*.json"))) == len(list(d.iterdir()))
        assert _dataset_files(out) == before  # the previous complete dataset, untouched
        assert not [p.name for p in out.glob(".*") if p.name not in (".cache", ".lock")]  # no part files
        import duckdb

        con = duckdb.connect(str(out / "dataset.duckdb"), read_only=True)
        assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
        con.close()
        json.loads((out / ".cache" / "summary.json").read_text())


def test_a_full_disk_while_writing_records_is_one_line_and_leaves_no_half_record(tmp_path):
    d = tmp_path / "in"
    for i in range(4):
        for s in SEEDS:
            shutil.copy(s, d / f"c{i}_{s.name}") if d.exists() else (d.mkdir(), shutil.copy(s, d / f"c{i}_{s.name}"))
    with tmpfs(tmp_path / "disk", "1m") as disk:
        code, err = finish(cli("run", str(d), "--out", str(disk / "out"), "--workers", "2", "-q"))
        assert code == 2
        assert "No space left" in one_line_error(err)
        records = disk / "out" / ".cache" / "records"
        assert not list(records.glob(".*.tmp"))
        for r in records.glob("*.json"):
            json.loads(r.read_text(encoding="utf-8"))  # every record kept is complete
        assert not (disk / "out" / "documents.jsonl").exists()


@pytest.fixture
def slow_corpus(tmp_path):
    """Seconds of work: a refusal that comes before extraction comes at once."""
    d = tmp_path / "in"
    corpus(d, 1)
    big_text(d / "b_big.txt", 20)
    return d


def test_a_read_only_out_is_refused_before_any_extraction(tmp_path, slow_corpus):
    ro = tmp_path / "ro"
    ro.mkdir()
    subprocess.run(["mount", "--bind", str(ro), str(ro)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True)
        t0 = time.monotonic()
        code, err = finish(cli("run", str(slow_corpus), "--out", str(ro / "out"), "--timeout", "600", "-q"), 120)
        assert code == 2 and time.monotonic() - t0 < 15
        assert "read-only" in one_line_error(err) and "--out" in err
    finally:
        subprocess.run(["umount", "-l", str(ro)], check=False)


def test_a_non_writable_out_is_refused_before_any_extraction(tmp_path, slow_corpus):
    out = tmp_path / "locked"
    out.mkdir()
    out.chmod(0o555)
    t0 = time.monotonic()
    code, err = finish(cli("run", str(slow_corpus), "--out", str(out), "--timeout", "600", "-q",
                           unprivileged=True), 120)
    assert code == 2 and time.monotonic() - t0 < 15
    assert "permission denied" in one_line_error(err)


def test_an_out_that_is_a_file_is_refused(tmp_path, slow_corpus):
    f = tmp_path / "out.txt"
    f.write_text("mine")
    code, err = finish(cli("run", str(slow_corpus), "--out", str(f), "-q"), 120)
    assert code == 2 and "existing file" in one_line_error(err) and f.read_text() == "mine"


@pytest.mark.parametrize("content", ["empty", "ignored only"])
def test_no_input_documents_is_a_warning_and_a_failure(tmp_path, content):
    d = tmp_path / "in"
    d.mkdir()
    if content == "ignored only":
        (d / ".extractorignore").write_text("gold/\n*.json\n")
        (d / "gold").mkdir()
        shutil.copy(SEEDS[0], d / "gold" / "a.txt")
        (d / "notes.json").write_text("{}")
    code, err = finish(cli("run", str(d), "--out", str(tmp_path / "out"), "-q"), 120)
    assert code != 0 and "Traceback" not in err
    assert "warning" in err and "no documents" in err
    assert not (tmp_path / "out" / "documents.jsonl").exists()


# --- processes ---------------------------------------------------------------------------
def _descendants(pid: int) -> set[int]:
    found, todo = set(), [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                kids = [int(x) for x in (task / "children").read_text().split()]
            except (OSError, ValueError):
                continue
            for k in kids:
                if k not in found:
                    found.add(k)
                    todo.append(k)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    except OSError:
        return False


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory) -> Path:
    from tests.fixtures.render import to_scan_pdf

    p = tmp_path_factory.mktemp("scan") / "scan.pdf"
    p.write_bytes(to_scan_pdf(SEEDS[0].read_text(encoding="utf-8"), dpi=200))
    return p


def _sigint_as_on_a_terminal() -> None:
    """A program started from a terminal has SIGINT at its default; a test runner that was itself
    started in the background by a non-interactive shell (`cmd &`) has it ignored, and a child
    inherits that (as under nohup), so Ctrl-C would never reach it: give the run the terminal's."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _ocr_run(tmp_path: Path, scan_pdf: Path) -> tuple[subprocess.Popen, Path, Path, set[int]]:
    """A run of 2 seeds and a scan, caught while tesseract reads the scan: (process, out, TMPDIR,
    every process of its tree)."""
    d = tmp_path / "in"
    corpus(d, 2)
    shutil.copy(scan_pdf, d / "z_scan.pdf")  # listed last: OCR'd while the seeds are kept
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    p = cli("run", str(d), "--out", str(out), "--workers", "1", "--timeout", "600", "-q",
            env={"TMPDIR": str(tmp)}, start_new_session=True, preexec_fn=_sigint_as_on_a_terminal)
    deadline = time.monotonic() + 120
    while not list(tmp.rglob("tess_*")):  # tesseract is at work on the scan
        assert p.poll() is None, p.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    tree = _descendants(p.pid)
    assert len(tree) >= 3  # forkserver, worker, tesseract (and the resource tracker)
    return p, out, tmp, tree


def _gone(tree: set[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while [x for x in tree if _alive(x)] and time.monotonic() < deadline:
        time.sleep(0.1)
    return [x for x in tree if _alive(x)]


@pytest.mark.slow
@pytest.mark.parametrize("sig, code, group", [(signal.SIGTERM, 143, False), (signal.SIGHUP, 143, False),
                                              (signal.SIGINT, 130, False), (signal.SIGINT, 130, True)],
                         ids=["SIGTERM", "SIGHUP", "SIGINT", "Ctrl-C to the process group"])
def test_a_signal_stops_the_whole_tree_keeps_finished_records_and_leaves_no_temp_files(tmp_path, scan_pdf,
                                                                                       sig, code, group):
    p, out, tmp, tree = _ocr_run(tmp_path, scan_pdf)
    # the main process only, as a service manager or `kill` does; or the whole group, as a terminal does
    os.killpg(p.pid, sig) if group else os.kill(p.pid, sig)
    rc, err = finish(p, 60)
    assert rc == code, err
    assert "interrupted — 2 of 3 documents kept; run the same command again to resume" in " ".join(err.split())
    assert not _gone(tree, 10), "orphans left running"
    assert not list(tmp.rglob("tess_*")) and not list(tmp.glob("extractor-w*"))
    assert len(list((out / ".cache" / "records").glob("*.json"))) == 2


@pytest.mark.slow
def test_kill_9_of_the_run_leaves_no_worker_and_the_next_run_removes_its_temp_files(tmp_path, scan_pdf):
    p, out, tmp, tree = _ocr_run(tmp_path, scan_pdf)
    os.killpg(p.pid, signal.SIGKILL)  # no cleanup can run: the workers must die with their parent
    p.wait()
    assert not _gone(tree, 30), "orphans left running"  # tesseract may finish its page first
    code, err = finish(cli("run", str(tmp_path / "in"), "--out", str(out), "--workers", "1", "--ocr", "never", "-q",
                           env={"TMPDIR": str(tmp)}))
    assert code == 3 and "Traceback" not in err, err  # the scan has no text without OCR: its error record
    assert not list(tmp.rglob("tess_*")) and not list(tmp.glob("extractor-w*"))


def test_a_guard_record_uses_the_normal_format_values(tmp_path):
    from extractor.core import error_record

    for name, fmt in (("a.png", "image"), ("b.TIF", "image"), ("c.txt", "txt"), ("d.xyz", "unknown")):
        assert error_record("x", tmp_path / name, name, "timeout", "m")["source"]["format"] == fmt


# --- inputs ------------------------------------------------------------------------------
def test_a_file_name_that_is_not_utf8_gets_a_record_and_the_batch_goes_on(tmp_path):
    d = tmp_path / "in"
    corpus(d, 1)
    bad = os.fsencode(str(d)) + b"/b\xff\xfe.txt"
    with open(bad, "wb") as fh:
        fh.write(SEEDS[1].read_bytes())
    code, err = finish(cli("run", str(d), "--out", str(tmp_path / "out"), "-q"), 120)
    assert code == 0, err
    docs = lines(tmp_path / "out")
    assert len(docs) == 2 and all(x["status"] == "ok" for x in docs)
    assert docs[1]["source"]["path"].endswith("b\\xff\\xfe.txt") and docs[1]["doc_id"] == "b\\xff\\xfe"


def test_a_link_out_of_the_input_folders_is_refused_unless_asked(tmp_path):
    d = tmp_path / "in"
    corpus(d, 1)
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(SEEDS[1].read_text(encoding="utf-8") + "\nsecret-7f3a\n", encoding="utf-8")
    os.symlink(secret, d / "link.txt")
    os.symlink(d / SEEDS[0].name, d / "inside.txt")  # a link within the folder is an ordinary input
    run([d], tmp_path / "out", settings=Settings(workers=1))
    docs = {x["doc_id"]: x for x in lines(tmp_path / "out")}
    assert docs["link"]["status"] == "error" and "--follow-symlinks" in docs["link"]["errors"][0]["message"]
    assert "outside every input folder" in docs["link"]["errors"][0]["message"]
    assert docs["inside"]["status"] == "ok"
    assert "secret-7f3a" not in (tmp_path / "out" / "documents.jsonl").read_text(encoding="utf-8")
    run([d], tmp_path / "out", settings=Settings(workers=1), follow_symlinks=True)
    assert "secret-7f3a" in {x["doc_id"]: x for x in lines(tmp_path / "out")}["link"]["text"]


def test_the_pixel_guard_counts_the_low_dpi_upscale(tmp_path):
    from PIL import Image

    d = tmp_path / "in"
    d.mkdir()
    Image.new("L", (1000, 1000), 255).save(d / "tiny_dpi.png", dpi=(20, 20))  # ×15 → 225 M pixels
    t0 = time.monotonic()
    run([d], tmp_path / "out", settings=Settings(workers=1, timeout=60, max_memory_mb=1024))
    (doc,) = lines(tmp_path / "out")
    assert doc["status"] == "error" and doc["errors"][0]["stage"] == "ingest"
    assert "upscaled" in doc["errors"][0]["message"] and "--max-pixels" in doc["errors"][0]["message"]
    assert doc["source"]["format"] == "image" and time.monotonic() - t0 < 30


def test_messages_name_only_options_that_exist():
    import typer.main

    from extractor.cli import app

    cmd = typer.main.get_command(app).commands["run"]
    options = {o for p in cmd.params for o in p.opts}
    named: dict[str, str] = {}
    pkg = ROOT / "extractor"
    # where records and run errors are written (the other commands' own options live in cli.py)
    for src in [*pkg.glob("ingest/*.py"), *pkg.glob("batch/*.py"), pkg / "core.py", pkg / "pipeline.py"]:
        # an option inside a sentence ("raise --max-pages"), not a literal that is a program's argument
        for m in re.finditer(r"""["'][^"'\n]*?\s(--[a-z][a-z-]+)""", src.read_text(encoding="utf-8")):
            named.setdefault(m.group(1), str(src.relative_to(ROOT)))
    missing = {o: f for o, f in named.items() if o not in options}
    assert not missing, f"messages advise options the CLI does not have: {missing}"


_PEAK = """
import sys
from pathlib import Path

from extractor.core import extract
from extractor.ingest import ocr
from extractor.settings import Settings

# Tesseract's read of a page is replaced (0.1-0.4 s a page, most of it its start-up: 260 pages
# would take minutes); rendering, the windows and the release of the pages are the real ones
ocr.check_tesseract = lambda lang: None
ocr.ocr_image = lambda img, settings, dpi=None: ocr.OcrResult(f"Trang {img.size[0]}", 0.9, dpi)
d = extract(Path(sys.argv[1]), settings=Settings(ocr_dpi=72, workers=2))
assert d.source.pages == int(sys.argv[2]) and d.source.ocr, d.errors
print([ln for ln in open("/proc/self/status") if ln.startswith("VmHWM")][0].split()[1])
"""


def _peak_mb(pdf: Path, pages: int) -> float:
    res = subprocess.run([sys.executable, "-c", _PEAK, str(pdf), str(pages)], capture_output=True, text=True,
                         cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    assert res.returncode == 0, res.stderr
    return int(res.stdout.split()[-1]) / 1024


def test_a_long_scan_is_rendered_in_flat_memory(tmp_path):
    """A generated 260-page scan (1000×1000-pixel pages rendered at 72 dpi: 1 MB each) must need
    about the memory of a 10-page one: before, every page was rendered before OCR began (+250 MB
    here; 2 GB and a memory kill for A4 pages at 300 dpi)."""
    from PIL import Image, ImageDraw

    def scan(n: int) -> Path:
        pages = []
        for i in range(n):
            im = Image.new("1", (1000, 1000), 1)
            ImageDraw.Draw(im).text((60, 60), f"Trang {i + 1}", fill=0)
            pages.append(im)
        p = tmp_path / f"scan{n}.pdf"
        pages[0].save(p, save_all=True, append_images=pages[1:], resolution=72)
        return p

    short, long_ = _peak_mb(scan(10), 10), _peak_mb(scan(260), 260)
    print(f"peak RSS {short:.0f} MB for 10 pages, {long_:.0f} MB for 260")
    assert long_ - short < 50, f"peak RSS {short:.0f} MB for 10 pages, {long_:.0f} MB for 260"


def test_a_long_tiff_is_decoded_one_window_at_a_time(monkeypatch):
    """The frames of a multi-page TIFF are decoded as OCR reaches them, a window (one per OCR
    thread) ahead at most — before, all 260 were decoded before the first was read."""
    import io

    from PIL import Image

    from extractor.ingest import ingest, ocr

    frames = [Image.new("L", (200, 200), 255) for _ in range(260)]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:], dpi=(300, 300))
    decoded, lead = [0], []
    real_convert = Image.Image.convert

    def counted(self, *args, **kw):  # each frame is decoded by one convert("L")
        decoded[0] += 1
        return real_convert(self, *args, **kw)

    def fake_ocr(img, settings, dpi=None):  # Tesseract is not what this test is about
        lead.append(decoded[0] - len(lead))
        return ocr.OcrResult("Trang", 0.9)

    monkeypatch.setattr(Image.Image, "convert", counted)
    monkeypatch.setattr(ocr, "ocr_image", fake_ocr)
    monkeypatch.setattr(ocr, "check_tesseract", lambda lang: None)
    got = ingest(buf.getvalue(), "image", Settings(workers=2))
    assert len(got.pages) == 260 and max(lead) <= 2
