"""`extractor eval` must print the referee's figures: the vendored scorer agrees with shared/eval/score.py."""
import importlib.util
import json

import pytest

from conftest import GOLD, SHARED
from extractor import evaluate

REFEREE = SHARED / "eval" / "score.py"


def _referee():
    spec = importlib.util.spec_from_file_location("referee_score", REFEREE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.skipif(not REFEREE.exists(), reason="shared/eval/score.py is not beside this checkout")
def test_vendored_scorer_matches_the_referee(seed_dataset):
    pred = seed_dataset / "documents.jsonl"
    ref = _referee()
    assert evaluate.score(evaluate.load_pred(pred), GOLD, True) == ref.score(ref.load_pred(pred), GOLD, True)


def test_scorer_sees_a_wrong_answer(seed_dataset, tmp_path):
    """Sanity of the harness: damaging one field lowers exactly that figure."""
    lines = (seed_dataset / "documents.jsonl").read_text(encoding="utf-8").splitlines()
    docs = [json.loads(x) for x in lines]
    docs[0]["meta"]["title"] = "sai"
    p = tmp_path / "documents.jsonl"
    p.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in docs), encoding="utf-8")
    before = evaluate.score(evaluate.load_pred(seed_dataset / "documents.jsonl"), GOLD)
    after = evaluate.score(evaluate.load_pred(p), GOLD)
    assert after["meta"]["title"]["accuracy"] < before["meta"]["title"]["accuracy"]
    assert after["references"] == before["references"]


@pytest.mark.skipif(not REFEREE.exists(), reason="shared/eval/score.py is not beside this checkout")
def test_eval_reports_each_gold_set_and_all_together(seed_dataset, tmp_path):
    """`extractor eval PRED --gold A --gold B`: one report per set, then the figures over both,
    each as the referee computes it on that set."""
    import shutil
    import subprocess
    import sys

    files = sorted(GOLD.glob("*.json"))
    parts = [tmp_path / "a", tmp_path / "b"]
    for d, chunk in zip(parts, (files[:2], files[2:])):
        d.mkdir()
        for f in chunk:
            shutil.copy(f, d / f.name)
    pred = seed_dataset / "documents.jsonl"
    out = subprocess.run([sys.executable, "-m", "extractor", "eval", str(pred), "--gold", str(parts[0]),
                          "--gold", str(parts[1])], capture_output=True, text=True, check=True).stdout
    heads = [ln for ln in out.splitlines() if ln.startswith("refs_f1=")]
    ref = _referee()
    want = [ref.headline(ref.score(ref.load_pred(pred), d)) for d in (*parts, GOLD)]
    assert heads == want
    assert "== all 2 gold sets together" in out
