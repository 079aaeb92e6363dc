"""Local engine: a pool of guarded worker processes, one document at a time each.

A plain ProcessPoolExecutor cannot stop one runaway document (and a worker that dies
breaks the whole pool), so each worker is a process of our own behind its own pipe.
The parent hands it one document at a time and replaces it when the document

* overruns `settings.timeout` (clock starts when the worker picks the document up),
* makes the worker's resident memory exceed `settings.max_memory_mb` (RSS polled), or
* kills the worker (segfault in a parser, kernel OOM kill),

and the document gets an error record that says which and what to do. Each worker leads its
own process group and has its own temporary directory (TMPDIR: Tesseract's `tess_*` files, ~9 MB
a page): stopping a worker kills the group (tesseract with it) and removes the directory, so
neither a guard nor an interrupt leaves orphans or temp files behind. One pipe per
worker (not a shared queue) because a worker killed while writing to a shared
multiprocessing.Queue can leave its lock held or the stream corrupt for every other
worker. Workers are forked from a forkserver that has already imported the pipeline:
cheap to replace, and never forked from a parent that runs threads (progress bar).

`GuardedWorker` is also what each Ray actor drives (ray_engine.py), so both engines share
the same guarantees.
"""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from multiprocessing.connection import Connection, wait
from typing import Optional

from ..settings import Settings
from .cache import RecordCache
from .inputs import InputFile

POLL_SECONDS = 0.1
PROGRESS_LINE_SECONDS = 5.0  # off a terminal: one progress line this often (env EXTRACTOR_PROGRESS_SECONDS)
START_TIMEOUT = 120.0   # seconds a fresh worker may take to import the pipeline
_PRELOAD = ["extractor.batch.local", "extractor.core", "extractor.pipeline", "extractor.batch.warm"]


def extract_record(f: InputFile, settings: Settings) -> dict:
    from ..core import extract  # the pipeline: imported by the workers, not by the parent

    doc = extract(f.path, settings=settings, doc_id=f.doc_id, path_label=f.label)
    return doc.model_dump(mode="json")


def error_record(f: InputFile, stage: str, message: str) -> dict:
    from .. import core

    return core.error_record(f.doc_id, f.path, f.label, stage, message)


def rss_mb(pid: int, peak: bool = False) -> Optional[float]:
    """Resident set size of a process in MB, or its peak (VmHWM: catches a spike between two
    polls). Linux /proc; psutil elsewhere if installed (no peak there)."""
    field = "VmHWM:" if peak else "VmRSS:"
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith(field):
                    return int(line.split()[1]) / 1024
        return None
    except (OSError, ValueError, IndexError):
        try:
            import psutil

            return psutil.Process(pid).memory_info().rss / 2**20
        except Exception:
            return None


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(x) for x in fh.read().split()]
    except (OSError, ValueError):
        return []


def worker_mb(pid: int) -> float:
    """The worker's peak RSS plus what its child processes (tesseract, a converter) hold now:
    their memory is the document's too."""
    total = rss_mb(pid, peak=True) or 0.0
    todo = _children(pid)
    for _ in range(64):  # a bounded walk of the process tree
        if not todo:
            break
        child = todo.pop()
        total += rss_mb(child) or 0.0
        todo.extend(_children(child))
    return total


def sched_seconds(pid: int) -> tuple[float, float]:
    """(seconds on a CPU, seconds runnable but waiting for one) of a process so far, from
    /proc/PID/schedstat; (0, 0) where unavailable. For benchmarks: a worker's wall time minus
    both is the time it sat idle waiting for the parent."""
    try:
        with open(f"/proc/{pid}/schedstat") as fh:
            run, wait_, _ = fh.read().split()
        return int(run) / 1e9, int(wait_) / 1e9
    except (OSError, ValueError):
        return 0.0, 0.0


def _limit_memory(mb: int) -> None:
    """Backstop for the RSS poll: an allocation burst between two polls (a decompression
    bomb can take GBs in milliseconds) fails with MemoryError instead of swapping the
    machine. Address space, with head-room: libraries map far more than they touch."""
    try:
        import resource

        limit = max(mb * 4, 2048) * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):
        pass


TMP_PREFIX = "extractor-w"


def _private_tmp() -> str:
    return tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{os.getpid()}-")


def remove_stale_tmp() -> None:
    """Temporary directories of workers whose run was killed (kill -9 leaves no cleanup)."""
    for d in Path(tempfile.gettempdir()).glob(f"{TMP_PREFIX}*-*"):
        try:
            os.kill(int(d.name[len(TMP_PREFIX):].split("-")[0]), 0)
        except ProcessLookupError:
            shutil.rmtree(d, ignore_errors=True)
        except (ValueError, PermissionError):
            pass


def _die_with_parent() -> None:
    """Linux: the worker is killed when its parent (the forkserver, which exits with the run) dies,
    so a run killed with -9 leaves no worker behind either (its own group no longer shares the
    run's, so a kill of the run's group does not reach it)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the call
        os._exit(1)


def _worker(conn: Connection, settings_json: str, tmp: Optional[str] = None) -> None:
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract: 1 thread per page is far faster here
    # a group of its own: killing it kills tesseract too; Ctrl-C reaches the parent, which stops it
    os.setpgid(0, 0)
    _die_with_parent()
    if tmp:
        os.environ["TMPDIR"] = tempfile.tempdir = tmp  # pytesseract's files go where the parent removes them
    settings = Settings.model_validate_json(settings_json)
    _limit_memory(settings.max_memory_mb)
    conn.send(("ready", None, None))
    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        idx, f = item
        conn.send(("start", idx, None))
        try:
            rec = extract_record(f, settings)
        except MemoryError:
            rec = error_record(f, "memory", f"the document needed more memory than the worker may use "
                               f"(--max-memory {settings.max_memory_mb} MB) and was stopped; raise "
                               "--max-memory or check the file (a decompression bomb?)")
        except Exception as exc:  # extract() turns input errors into records; this is a bug
            rec = error_record(f, "internal", f"{type(exc).__name__}: {exc} (a bug in the extractor; "
                               "please report this file)")
        # JSON text, not a dict: the parent writes it as is instead of unpickling a tree
        conn.send(("done", idx, json.dumps(rec, ensure_ascii=False)))


def _context():
    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(_PRELOAD)
        return ctx
    return mp.get_context("spawn")


def death_message(code: Optional[int]) -> str:
    """Why a worker died while reading a document, without blaming the file for a signal from outside."""
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = "an unknown signal"
        if -code in (signal.SIGSEGV, signal.SIGBUS, signal.SIGABRT, signal.SIGFPE, signal.SIGILL):
            return (f"the worker was killed by signal {-code} ({name}: a crash in a parsing library) while "
                    "reading it; the file may be malformed — open it in its own program to check")
        return (f"the worker was killed by signal {-code} ({name}) while reading it, from outside the "
                "extractor (another process, or the system's out-of-memory killer); the document is "
                "extracted again on the next run")
    return (f"the worker exited with code {code} while reading it (a crash in a parsing library); the "
            "file may be malformed — open it in its own program to check")


class GuardedWorker:
    """One worker process that extracts documents one at a time under timeout and RSS guards."""

    def __init__(self, settings: Settings, ctx=None):
        self.settings = settings
        self.ctx = ctx or _context()
        self._sj = settings.model_dump_json()
        self.task: Optional[tuple[int, InputFile]] = None
        self.started: Optional[float] = None  # when the worker picked up the current task
        self.peak_rss = 0.0
        self.cpu_s = self.wait_s = 0.0  # summed over the worker processes this slot has had
        self._spawn()

    def _spawn(self) -> None:
        self.conn, child = self.ctx.Pipe(duplex=True)
        self.tmp = _private_tmp()
        self.proc = self.ctx.Process(target=_worker, args=(child, self._sj, self.tmp), daemon=True)
        self.proc.start()
        child.close()
        self.ready = False
        self.born = time.monotonic()

    # --- driving -------------------------------------------------------------------------
    def give(self, idx: int, f: InputFile) -> None:
        self.task, self.started = (idx, f), None
        self.conn.send((idx, f))

    def poll(self) -> Optional[tuple[int, str]]:
        """Read what the worker said; check its guards. Returns (idx, record as JSON) when the
        current task is finished, by the worker or by a guard; None otherwise. Never blocks."""
        while True:
            try:
                if not self.conn.poll():
                    break
                kind, idx, rec = self.conn.recv()
            except (EOFError, OSError):
                break  # died; handled below
            if kind == "ready":
                self.ready = True
            elif kind == "start":
                self.started = time.monotonic()
            elif kind == "done" and self.task and idx == self.task[0]:
                self.task, self.started = None, None
                self._check_idle_memory()
                return idx, rec
        return self._check_guards()

    def _check_guards(self) -> Optional[tuple[int, str]]:
        now = time.monotonic()
        if not self.ready and now - self.born > START_TIMEOUT:
            raise RuntimeError(f"a worker process did not start within {START_TIMEOUT:g} s; "
                               "is the machine out of memory or processes?")
        if not self.proc.is_alive():
            code = self.proc.exitcode
            if self.task is None or self.started is None:
                if not self.ready:
                    raise RuntimeError(f"a worker process exited while starting (exit code {code}); "
                                       "run with --workers 1 to see its error")
                task = self.task
                self.restart()  # died between documents: nothing lost, hand the task to a fresh one
                if task:
                    self.give(*task)
                return None
            return self._fail("worker", death_message(code))
        rss = worker_mb(self.proc.pid)
        self.peak_rss = max(self.peak_rss, rss)
        if self.task is None:
            return None
        if rss > self.settings.max_memory_mb:
            return self._fail("memory", f"the worker used {rss:.0f} MB, above --max-memory "
                              f"{self.settings.max_memory_mb} MB, and was stopped; raise --max-memory "
                              "or split the file")
        if self.started is not None and now - self.started > self.settings.timeout:
            return self._fail("timeout", f"took longer than the {self.settings.timeout:g} s timeout and was "
                              "stopped; raise --timeout, or check the file (very large, or a pathological "
                              "input for one of the parsers)")
        return None

    def _check_idle_memory(self) -> None:
        # a worker whose peak went over the limit is replaced between documents, so that the
        # peak seen during a document is that document's own; this also stops memory kept after
        # a document (fragmentation, caches) from creeping up for ever
        rss = rss_mb(self.proc.pid, peak=True) or 0.0
        self.peak_rss = max(self.peak_rss, rss)
        if rss > self.settings.max_memory_mb:
            self.restart()

    def _fail(self, stage: str, message: str) -> tuple[int, str]:
        idx, f = self.task  # type: ignore[misc]
        self.restart()
        return idx, json.dumps(error_record(f, stage, message), ensure_ascii=False)

    def restart(self) -> None:
        self.kill()
        self._spawn()

    def kill(self) -> None:
        self.task, self.started = None, None
        cpu, waited = sched_seconds(self.proc.pid)
        self.cpu_s, self.wait_s = self.cpu_s + cpu, self.wait_s + waited
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # the worker and its children (tesseract)
        except (ProcessLookupError, PermissionError):
            pass
        if self.proc.is_alive():
            self.proc.kill()
        self.proc.join(timeout=10)
        self.conn.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def close(self) -> None:
        self.kill()  # an idle worker holds nothing; a busy one is being abandoned

    def sentinels(self) -> list:
        return [self.conn, self.proc.sentinel]

    # --- one document, synchronously (what a Ray actor does) ------------------------------
    def run_one(self, f: InputFile) -> str:
        self.give(0, f)
        while True:
            res = self.poll()
            if res is not None:
                return res[1]
            wait(self.sentinels(), timeout=POLL_SECONDS)


def run_local(todo: list[tuple[InputFile, str]], cache: RecordCache, settings: Settings,
              progress: bool = False, stats: Optional[dict] = None) -> None:
    """Extract `todo` into `cache` (anything with `put_json(key, text)`: run.py's sink) with
    settings.workers processes (default: all cores).

    `stats`, if given, receives the peak RSS of each worker slot (MB) for benchmarks."""
    n = max(1, min(settings.workers or os.cpu_count() or 1, len(todo)))
    ctx = _context()
    remove_stale_tmp()
    workers: list[GuardedWorker] = []
    pending = iter(range(len(todo)))
    remaining = len(todo)
    bar = Progress(len(todo)) if progress else None
    try:
        for _ in range(n):  # inside the try: an interrupt while starting still stops those started
            workers.append(GuardedWorker(settings, ctx))
        while remaining:
            for w in workers:
                if w.task is None:
                    idx = next(pending, None)
                    if idx is not None:
                        w.give(idx, todo[idx][0])
            wait([s for w in workers for s in w.sentinels()], timeout=POLL_SECONDS)
            for w in workers:
                res = w.poll()
                if res is None:
                    continue
                idx, rec = res
                cache.put_json(todo[idx][1], rec)
                remaining -= 1
                bar and bar.advance()
    finally:
        for w in workers:
            w.close()
        bar and bar.close()
        if stats is not None:
            stats["peak_rss_mb"] = [round(w.peak_rss, 1) for w in workers]
            stats["worker_cpu_s"] = [round(w.cpu_s, 2) for w in workers]
            stats["worker_runqueue_s"] = [round(w.wait_s, 2) for w in workers]


class Progress:
    """A bar on a terminal; elsewhere (a log, CI) a plain line every PROGRESS_LINE_SECONDS and one
    at the end, so a long run is not silent for minutes."""

    def __init__(self, total: int):
        self.total, self.done, self.t0 = total, 0, time.monotonic()
        self.p = None
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.p = Progress(TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              transient=True)
            self.p.start()
            self.t = self.p.add_task("docs", total=total)
        self.every = float(os.environ.get("EXTRACTOR_PROGRESS_SECONDS", PROGRESS_LINE_SECONDS))
        self.last = self.t0

    def advance(self) -> None:
        self.done += 1
        if self.p is not None:
            self.p.advance(self.t)
        elif time.monotonic() - self.last >= self.every:
            self._line()

    def _line(self) -> None:
        self.last = time.monotonic()
        print(f"extracting: {self.done}/{self.total} documents, {self.last - self.t0:.0f} s",
              file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.p is not None:
            self.p.stop()
        elif self.done:
            self._line()
