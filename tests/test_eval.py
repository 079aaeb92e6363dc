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
