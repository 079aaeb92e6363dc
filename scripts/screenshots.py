"""Screenshots of the explorer's main pages into docs/ (PNG), for the README.

    python3 scripts/screenshots.py DATASET [--out docs]

Starts `extractor serve DATASET` on a free loopback port and photographs the pages with the
system Chromium through Playwright (no browser download). The README's pictures were taken on a
dataset of ../shared/corpus-real."""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAGES = [("explorer-home", "/"), ("explorer-documents", "/documents?province=L%C3%A0o+Cai"),
         ("explorer-directive", "/directive?id=75-KL%2FTW"), ("explorer-chain", "/chain?id=2449-CV%2F%C4%90U&dir=up"),
         ("explorer-tasks", "/tasks?overdue=2025-07-01&origin=table")]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    root = Path(__file__).resolve().parents[1]
    proc = subprocess.Popen([sys.executable, "-m", "extractor", "serve", str(args.dataset), "--port", str(port)],
                            cwd=root, env={**os.environ, "PYTHONPATH": str(root)})
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base, timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            for name, url in PAGES:
                page.goto(base + url)
                path = args.out / f"{name}.png"
                page.screenshot(path=str(path))
                print(f"wrote {path}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
