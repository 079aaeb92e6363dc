"""Hostile inputs, end to end: every file of a corpus built here to hurt gets a record with a
status and a message a person can act on, within the timeout; the good documents in the
same batch come out exactly as in a clean run; the exit code says some documents failed.

The format readers own the format-level defences (encryption, XXE, zip and pixel bombs);
this file proves the whole batch contract around them. The run uses the real CLI in a
subprocess. Tests run as root here, and root ignores `chmod 000`; so the batch runs under
`setpriv` with CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH dropped, which makes the
permission bits bind root too (as a normal user they bind anyway).
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest

from tests.fixtures.render import to_pdf

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
TIMEOUT = 60        # --timeout for the hostile run
MAX_MEMORY = 1024   # --max-memory: bombs must be stopped well before they hurt the machine
SECRET = "hostile-test-secret-7f3a"  # planted in a file an XXE entity points at

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="word/document.xml"/></Relationships>')


# --- builders -----------------------------------------------------------------------------
def seed_text(n: int = 0) -> str:
    return SEEDS[n].read_text(encoding="utf-8")


def docx_with(document_xml: bytes | None = None, stream_body: int = 0) -> bytes:
    """A DOCX package. `stream_body` > 0: document.xml holds that many bytes of text, written
    compressed in chunks (a zip bomb: ~1000:1)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        if stream_body:
            with z.open("word/document.xml", "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
                chunk = b"A" * (1 << 22)
                for _ in range(stream_body // len(chunk)):
                    fh.write(chunk)
                fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
        else:
            z.writestr("word/document.xml", document_xml)
    return buf.getvalue()


def png_bomb(side: int) -> bytes:
    """A valid grayscale PNG of side×side black pixels: a few hundred kB that decode to side² bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    comp = zlib.compressobj(9)
    row = b"\0" * (side + 1)
    idat = b"".join(comp.compress(row) for _ in range(side)) + comp.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def broken_xref(pdf: bytes) -> bytes:
    """Every xref offset pointing at the wrong place, and startxref pointing nowhere."""
    head, sep, tail = pdf.rpartition(b"startxref")
    tail = re.sub(rb"\d+", b"999999", tail, count=1)
    head = re.sub(rb"(\n)(\d{10}) (\d{5}) n", lambda m: m.group(1) + b"%010d" % 7 + b" " + m.group(3) + b" n",
                  head)
    return head + sep + tail


# name → (bytes, the pattern its message must match): the message must name the problem.
def build_corpus(d: Path) -> dict[str, str]:
    rnd = __import__("random").Random(7)
    noise = bytes(rnd.getrandbits(8) for _ in range(4096))
    good_pdf = to_pdf(seed_text(1))
    (d / "secret.txt").write_text(SECRET)  # not an input: moved out below
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", r"empty"),
        "empty.md": (b"", r"empty"),
        "blank.txt": (b" \n\t\n  \r\n", r"empty|no text"),
        "empty.pdf": (b"", r"empty|not a PDF|damaged|truncat"),
        "empty.docx": (b"", r"empty|not a valid DOCX|not a zip|damaged|truncat"),
        "empty.png": (b"", r"empty|cannot be read|damaged"),
        "noise.txt": (noise, r"binary|text|decod|encoding"),
        "noise.md": (noise, r"binary|text|decod|encoding"),
        "noise.pdf": (noise, r"not a PDF|damaged|corrupt"),
        "noise.docx": (noise, r"not a valid DOCX|not a zip|damaged|corrupt"),
        "noise.doc": (noise, r"libreoffice|damaged|corrupt|convert"),
        "noise.png": (noise, r"cannot be read|damaged|corrupt|identify"),
        "noise.jpg": (noise, r"cannot be read|damaged|corrupt|identify"),
        "noise.tif": (noise, r"cannot be read|damaged|corrupt|identify"),
        "truncated.pdf": (good_pdf[: len(good_pdf) // 2], r"truncat|damaged|corrupt|incomplete"),
        "encrypted.pdf": (to_pdf(seed_text(2), password="mật-khẩu"), r"password|encrypt"),
        "broken_xref.pdf": (broken_xref(good_pdf), r"xref|damaged|corrupt|__OK__"),
        "zip_bomb.docx": (docx_with(stream_body=300 * 2**20), r"bomb|unpack|uncompress|expand"),
        "xxe.docx": (docx_with(f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{d}/secret.txt">]>'
                               f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p>'
                               '</w:body></w:document>'.encode()),
                     r"entit|dtd|doctype"),
        "billion_laughs.docx": (docx_with(
            ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "ha">'
             + "".join(f'<!ENTITY l{i} "{("&l%d;" % (i - 1)) * 10}">' for i in range(1, 10))
             + f']><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body>'
               '</w:document>').encode()), r"entit|dtd|doctype"),
        "pixel_bomb.png": (png_bomb(20000), r"bomb|pixels|too large"),
        "huge.txt": ((seed_text(0) + "\n") * (50 * 2**20 // len(seed_text(0).encode()) + 1),
                     r"MB.*limit|--max-bytes"),
        "unreadable.txt": (seed_text(3).encode(), r"permission"),
    }
    expect = {}
    for name, (data, pattern) in files.items():
        p = d / name
        p.write_bytes(data.encode() if isinstance(data, str) else data)
        expect[name] = pattern
    os.chmod(d / "unreadable.txt", 0)
    # good documents among the bad, one under a name with spaces and Vietnamese letters
    shutil.copy(SEEDS[0], d / "a_good.txt")
    (d / "thư mục có dấu cách").mkdir()
    shutil.copy(SEEDS[4], d / "thư mục có dấu cách" / "Kế hoạch số 12 (bản sao).txt")
    # links: a directory loop (not followed), a file that links to itself, a dangling link
    os.symlink(".", d / "vòng lặp")
    os.symlink("tự trỏ.txt", d / "tự trỏ.txt")
    os.symlink("không có.txt", d / "gãy.txt")
    expect["tự trỏ.txt"] = r"symbolic links|loop|could not read"
    expect["gãy.txt"] = r"does not exist|broken link"
    shutil.move(str(d / "secret.txt"), str(d.parent / "secret.txt"))
    return expect


def _run_cli(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "extractor", *args]
    if os.geteuid() == 0:
        cmd = ["setpriv", "--inh-caps=-dac_override,-dac_read_search",
               "--bounding-set=-dac_override,-dac_read_search", *cmd]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    if os.geteuid() == 0 and not shutil.which("setpriv"):
        pytest.fail("running as root needs setpriv (util-linux) to make chmod 000 bind")
    base = tmp_path_factory.mktemp("hostile")
    d = base / "in"
    d.mkdir()
    expect = build_corpus(d)
    out = base / "out"
    t0 = time.monotonic()
    p = _run_cli(["run", str(d), "--out", str(out), "--workers", "2", "--timeout", str(TIMEOUT),
                  "--max-memory", str(MAX_MEMORY), "-q"], timeout=20 * TIMEOUT)
    elapsed = time.monotonic() - t0
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(x["source"]["path"]).name: x for x in docs}
    return {"dir": d, "out": out, "proc": p, "elapsed": elapsed, "docs": docs, "by_name": by_name,
            "expect": expect, "base": base}


NAMES = ["empty.txt", "empty.md", "blank.txt", "empty.pdf", "empty.docx", "empty.png", "noise.txt", "noise.md",
         "noise.pdf", "noise.docx", "noise.doc", "noise.png", "noise.jpg", "noise.tif", "truncated.pdf",
         "encrypted.pdf", "broken_xref.pdf", "zip_bomb.docx", "xxe.docx", "billion_laughs.docx",
         "pixel_bomb.png", "huge.txt", "unreadable.txt", "tự trỏ.txt", "gãy.txt"]


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_each_hostile_file_gets_an_actionable_record(hostile, name):
    rec = hostile["by_name"].get(name)
    assert rec is not None, f"no record for {name}"
    pattern = hostile["expect"][name]
    if rec["status"] == "ok" and "__OK__" in pattern:
        assert rec["text"].strip(), f"{name}: a repaired file must give text"
        return  # a PDF reader may legitimately rebuild a broken xref
    assert rec["status"] in ("error", "partial"), f"{name}: status {rec['status']}"
    assert rec["errors"], f"{name}: no error message"
    msg = " ".join(e["message"] for e in rec["errors"])
    assert len(msg) > 15 and re.search(pattern, msg, re.I), f"{name}: message does not name the problem: {msg!r}"
    assert all(e.get("stage") for e in rec["errors"])


@pytest.mark.slow
def test_the_batch_finished_in_time_and_says_some_documents_failed(hostile):
    p = hostile["proc"]
    assert p.returncode == 3, p.stderr[-3000:]
    assert "Traceback" not in p.stderr, p.stderr[-3000:]
    # every input has its line, once, in input order; the directory loop was not followed
    labels = [x["source"]["path"] for x in hostile["docs"]]
    assert len(labels) == len(set(labels)) == len(NAMES) + 2
    assert not any("vòng lặp" in x for x in labels)
    ids = [x["doc_id"] for x in hostile["docs"]]
    assert len(set(ids)) == len(ids) and all(i.startswith(Path(x).stem) for i, x in zip(ids, labels))
    assert hostile["elapsed"] < 4 * TIMEOUT


@pytest.mark.slow
def test_good_documents_in_a_hostile_batch_are_unaffected(hostile, tmp_path):
    from extractor.api import extract

    for name, seed in (("a_good.txt", SEEDS[0]), ("Kế hoạch số 12 (bản sao).txt", SEEDS[4])):
        rec = hostile["by_name"][name]
        assert rec["status"] == "ok", rec["errors"]
        clean = extract(seed, doc_id=rec["doc_id"], path_label=rec["source"]["path"]).model_dump(mode="json")
        assert rec == clean


@pytest.mark.slow
def test_no_entity_was_expanded(hostile):
    for rec in hostile["docs"]:
        assert SECRET not in (rec.get("text") or "")
        assert "hahahahaha" not in (rec.get("text") or "")


@pytest.mark.slow
def test_encrypted_pdf_with_the_password(hostile):
    out = hostile["base"] / "with_password"
    p = _run_cli(["run", str(hostile["dir"] / "encrypted.pdf"), "--out", str(out), "--password", "mật-khẩu",
                  "--timeout", str(TIMEOUT), "-q"], timeout=10 * TIMEOUT)
    rec = json.loads((out / "documents.jsonl").read_text(encoding="utf-8"))
    assert rec["status"] in ("ok", "partial"), rec["errors"]
    assert p.returncode == 0 or rec["status"] == "partial"
    assert "KẾ HOẠCH" in rec["text"] or "Kế hoạch" in rec["text"] or len(rec["text"]) > 1000
