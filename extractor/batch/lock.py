"""The output directory of a run: checked and locked before anything is read.

`lock_out(OUT)` fails at once, with one line saying what is wrong and what to do, when OUT is a
file, cannot be created, is not writable (read-only file system, permissions), or is being
written by another run. The lock is an flock on `OUT/.lock`, which holds the owner's PID and
start time for the message; the kernel drops an flock when its process dies, so the lock of a
run that was killed is simply taken over.
"""
from __future__ import annotations

import errno
import fcntl
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

LOCK_FILE = ".lock"


class OutputError(Exception):
    """The output directory cannot be used or written: one line for the person running it (exit 2)."""


@contextmanager
def lock_out(out: Path) -> Iterator[None]:
    if out.exists() and not out.is_dir():
        raise OutputError(f"--out {out} is an existing file, not a directory; give a directory "
                          "(it is created if missing)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        fd = os.open(out / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OutputError(_unwritable(out, exc)) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.pread(fd, 200, 0).decode("utf-8", "replace").split()
            who = f"PID {owner[0]}, started {' '.join(owner[1:])}" if owner else "PID unknown"
            raise OutputError(f"another run ({who}) is writing to {out}; wait for it to finish or choose "
                              "another --out") from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {time.strftime('%Y-%m-%d %H:%M:%S %Z')}\n".encode(), 0)
            _probe(out)
        except OSError as exc:
            raise OutputError(_unwritable(out, exc)) from None
        yield
    finally:
        os.close(fd)  # releases the flock


def _probe(out: Path) -> None:
    """Write and remove a file where the records go: a directory we may not write into is found
    now, not after an hour of OCR."""
    d = out / ".cache" / "records"
    d.mkdir(parents=True, exist_ok=True)
    probe = d / f".probe.{os.getpid()}.tmp"
    with probe.open("wb") as fh:
        fh.write(b"ok")
    probe.unlink()


def _unwritable(out: Path, exc: OSError) -> str:
    why = {errno.EROFS: "it is on a read-only file system", errno.EACCES: "permission denied",
           errno.EPERM: "permission denied", errno.ENOSPC: "the disk is full",
           errno.EDQUOT: "the disk quota is exceeded"}.get(exc.errno, exc.strerror or str(exc))
    return f"cannot write to --out {out}: {why}; choose a writable directory with --out"
