from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
GOLD = ROOT / "corpus" / "gold" / "seeds"
SHARED = ROOT.parent / "shared"

sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


@pytest.fixture(scope="session")
def gold() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in GOLD.glob("*.json")}


@pytest.fixture(scope="session")
def seed_dataset(tmp_path_factory) -> Path:
    """The seeds run once through the real CLI entry point; tests read the dataset."""
    from extractor.api import run

    out = tmp_path_factory.mktemp("seed_dataset")
    run([SEEDS], out)
    return out


REAL = SHARED / "corpus-real"
# the documents of the two chains issue 15 names: 75-KL/TW → 31-CTr/TW → 104-CTr/TU → 2449-CV/ĐU
# (Lào Cai) and 57-NQ/TW → the plans of the National Assembly's Party delegation, the Government
# and Khánh Hòa's steering committee; text and markdown files only, so the build takes seconds
CHAIN_FILES = ("01_", "04_", "05_", "06_", "07_", "08_", "10_", "24_")


@pytest.fixture(scope="session")
def chain_dataset(tmp_path_factory) -> Path:
    """The chain documents of corpus-real extracted once for the chains, serve and browser tests
    (they only read it)."""
    from extractor.api import run

    files = sorted(p for p in REAL.iterdir() if p.name.startswith(CHAIN_FILES))
    assert len(files) == len(CHAIN_FILES), f"missing files of {REAL}"
    out = tmp_path_factory.mktemp("chain_dataset")
    run(files, out)
    return out


def check_offsets(raw: str, normalized) -> None:
    """Every character of the normalized text maps back to the same character of the input."""
    src = unicodedata.normalize("NFC", raw)
    for i, ch in enumerate(normalized.text):
        j = normalized.to_input(i)
        assert 0 <= j < len(src)
        if ch not in "\n ":  # inserted line breaks/spaces stand for removed white space
            assert src[j] == ch, (raw, i, ch, j)
