"""The Ray engine against a real two-node Ray cluster on loopback, started and stopped here.

The cluster gets its own token (RAY_AUTH_TOKEN), one CPU per node and a small object
store. It is stopped by killing the process groups of the two `ray start --block`
commands this test started — not with `ray stop`, which stops every Ray on the machine.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("ray", reason="the [ray] extra is not installed (pip install 'vn-party-extractor[ray]')")

from extractor.api import run  # noqa: E402
from extractor.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
RAY = [sys.executable, "-m", "ray.scripts.scripts"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(log: Path, text: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while text not in (log.read_text(errors="replace") if log.exists() else ""):
        if proc.poll() is not None or time.monotonic() > end:
            raise RuntimeError(f"ray did not start:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the whole process group (raylet, gcs, agents), SIGKILL what is left."""
    for sig, grace in ((signal.SIGTERM, 2), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        end = time.monotonic() + grace
        while time.monotonic() < end:
            proc.poll()  # reap the group leader, or it stays listed as a zombie
            if subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).returncode != 0:
                proc.wait(timeout=5)
                return
            time.sleep(0.3)


@pytest.fixture(scope="module")
def cluster():
    port = _free_port()
    tmp = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))  # short: Ray's unix socket paths
    env = dict(os.environ, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32),
               RAY_USAGE_STATS_ENABLED="0", OMP_NUM_THREADS="1")
    common = ["--node-ip-address", "127.0.0.1", "--num-cpus", "1", "--object-store-memory",
              str(80 * 2**20), "--disable-usage-stats", "--block"]
    procs: list[subprocess.Popen] = []
    try:
        head_log, worker_log = tmp / "head.log", tmp / "worker.log"
        procs.append(subprocess.Popen([*RAY, "start", "--head", "--port", str(port), "--include-dashboard",
                                       "false", "--temp-dir", str(tmp), *common], env=env,
                                      start_new_session=True, stdout=head_log.open("w"),
                                      stderr=subprocess.STDOUT))
        _wait_for(head_log, "Ray runtime started", procs[0])
        procs.append(subprocess.Popen([*RAY, "start", "--address", f"127.0.0.1:{port}", *common], env=env,
                                      start_new_session=True, stdout=worker_log.open("w"),
                                      stderr=subprocess.STDOUT))
        _wait_for(worker_log, "Ray runtime started", procs[1])
        yield f"127.0.0.1:{port}", env
    finally:
        for p in reversed(procs):
            _stop(p)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.slow
def test_ray_cluster_gives_the_same_bytes_as_the_local_engine(cluster, tmp_path):
    address, env = cluster
    corpus = tmp_path / "in"
    corpus.mkdir()
    for i, s in enumerate(SEEDS + SEEDS[:1]):
        (corpus / f"d{i}_{s.name}").write_bytes(s.read_bytes())
    (corpus / "empty.txt").write_bytes(b"")           # an error record travels the same way
    (corpus / "noise.pdf").write_bytes(os.urandom(2000))
    local = run([corpus], tmp_path / "local", settings=Settings(workers=2))
    p = subprocess.run([sys.executable, "-m", "extractor", "run", str(corpus), "--out", str(tmp_path / "ray"),
                        "--engine", "ray", "--address", address, "-q"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 3, p.stderr[-3000:]  # two documents failed, as in the local run
    assert local.error == 2
    a = (tmp_path / "local" / "documents.jsonl").read_bytes()
    assert a == (tmp_path / "ray" / "documents.jsonl").read_bytes()
    # both nodes took part: the cluster had 2 CPUs
    import json

    status = subprocess.run([sys.executable, "-c", "import ray, json; ray.init(address=%r, "
                             "logging_level='ERROR'); print(json.dumps(ray.cluster_resources()))" % address],
                            env=env, capture_output=True, text=True, timeout=120)
    assert json.loads(status.stdout.strip().splitlines()[-1])["CPU"] == 2.0, status.stderr[-2000:]
    # a rerun on Ray reuses every record
    q = subprocess.run([sys.executable, "-m", "extractor", "run", str(corpus), "--out", str(tmp_path / "ray"),
                        "--engine", "ray", "--address", address], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    assert q.returncode == 3 and (tmp_path / "ray" / "documents.jsonl").read_bytes() == a
