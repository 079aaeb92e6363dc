"""Vendored copy of the project scorer (shared/eval/score.py, standard library only), so
`extractor eval` works without the shared folder; tests/test_eval.py checks that it still
agrees with the original. Copied verbatim but for the command line (`report` instead of `main`)."""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def norm_text(s) -> str:
    if s is None:
        return ""
    if isinstance(s, list):
        s = " ".join(str(x) for x in s)
    s = unicodedata.normalize("NFC", str(s)).translate(DASHES)
    s = re.sub(r"</?[ib]>|\*\*", "", s)  # stray markup
    s = re.sub(r"\s+", " ", s).strip(" .;:,-\u2022")
    return s.casefold()


def norm_id(s) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", str(s or "")).translate(DASHES))


def similar(a: str, b: str) -> float:
    a, b = norm_text(a)[:160], norm_text(b)[:160]
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


class PRF:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    def as_dict(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else (1.0 if not self.fn else 0.0)
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


class Acc:
    def __init__(self) -> None:
        self.ok = self.n = 0

    def add(self, good: bool) -> None:
        self.n += 1
        self.ok += bool(good)

    def as_dict(self) -> dict:
        return {"accuracy": round(self.ok / self.n, 4) if self.n else None, "n": self.n}


def set_prf(pred: set, gold: set, prf: PRF) -> tuple[set, set]:
    prf.add(len(pred & gold), len(pred - gold), len(gold - pred))
    return pred - gold, gold - pred


def greedy_match(gold: list, pred: list, key, threshold: float, tiebreak=None):
    """1:1 matching by descending similarity of key(item); tiebreak(g, p) orders equal matches
    (identical contents under different leads)."""
    pairs = []
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            s = similar(key(g), key(p))
            if s >= threshold:
                pairs.append((s + (tiebreak(g, p) if tiebreak else 0.0), i, j))
    pairs.sort(reverse=True)
    used_g, used_p, out = set(), set(), []
    for s, i, j in pairs:
        if i in used_g or j in used_p:
            continue
        used_g.add(i)
        used_p.add(j)
        out.append((gold[i], pred[j]))
    return out


def section_key(s: dict) -> tuple:
    title = str(s.get("title") or "")
    return norm_text(s.get("number")), norm_text(title.split(":", 1)[0])[:60]


def deadline_key(d) -> tuple:
    d = d or {}
    return (d.get("kind") or "none", d.get("start"), d.get("end"), d.get("recurrence"))


def load_pred(path: Path) -> dict:
    docs = {}
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                sys.exit(f"{path}:{n}: not JSON: {exc}")
            keys = {str(doc.get("doc_id", ""))}
            src = (doc.get("source") or {}).get("path")
            if src:
                keys.add(Path(src).stem)
            for k in keys:
                if k:
                    docs.setdefault(k, doc)
    return docs


def score(pred_docs: dict, gold_dir: Path, verbose: bool = False) -> dict:
    m = {
        "references": PRF(), "reference_kind": Acc(), "reference_date": Acc(),
        "basis": PRF(), "sections": PRF(), "tasks": PRF(),
        "task_number": Acc(), "task_lead": Acc(), "task_partners": Acc(), "task_status": Acc(),
        "task_deadline": Acc(), "task_deadline_kind": Acc(),
        "assignments": PRF(), "assignment_lead": Acc(), "assignment_deadline": Acc(),
    }
    meta_fields = ["doc_type", "number", "issuer", "place", "issued_date", "title",
                   "signer_name", "signer_position"]
    meta = {f: Acc() for f in meta_fields}
    missing, errors, details = [], [], {}

    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        stem = gold.get("doc_id") or gold_path.stem
        pred = pred_docs.get(stem)
        if pred is None:
            missing.append(stem)
            pred = {}
        elif pred.get("status") == "error":
            errors.append(stem)
        d = details.setdefault(stem, {})

        # a part whose key the gold file leaves out is not scored for that document
        # references: unique canonical ids, "name:" ids only where gold lists them
        g_refs = {norm_id(r["id"]): r for r in gold.get("references", [])}
        p_refs = {norm_id(r.get("id")): r for r in pred.get("references", []) or []}
        p_ids = {k for k in p_refs if not k.startswith("name:") or k in g_refs}
        if "references" in gold:
            fp, fn = set_prf(p_ids, set(g_refs), m["references"])
            if fp or fn:
                d["references"] = {"spurious": sorted(fp), "missed": sorted(fn)}
        for k in set(g_refs) & p_ids:
            g, p = g_refs[k], p_refs[k]
            if "kind" in g:
                m["reference_kind"].add(g["kind"] == p.get("kind"))
            if g.get("issued_date"):
                m["reference_date"].add(g["issued_date"] == p.get("issued_date"))

        gm = gold.get("meta", {})
        pm = pred.get("meta", {}) or {}
        if "basis" in gm:
            fp, fn = set_prf({norm_id(x) for x in pm.get("basis") or []},
                             {norm_id(x) for x in gm["basis"]}, m["basis"])
            if fp or fn:
                d["basis"] = {"spurious": sorted(fp), "missed": sorted(fn)}
        signer = pm.get("signer") or {}
        flat = dict(pm, signer_name=signer.get("name"), signer_position=signer.get("position"))
        for f in meta_fields:
            if f in gm:
                ok = norm_text(gm[f]) == norm_text(flat.get(f))
                meta[f].add(ok)
                if not ok:
                    d.setdefault("meta", {})[f] = {"gold": gm[f], "pred": flat.get(f)}

        # sections: (number, title) pairs; a run-in heading counts by its label, the text before the
        # first colon, whether the title was written as the label or as the whole line
        g_secs = {section_key(s) for s in gold.get("sections", [])}
        p_secs = {section_key(s) for s in pred.get("sections", []) or []}
        if "sections" in gold:
            fp, fn = set_prf(p_secs, g_secs, m["sections"])
            if fp or fn:
                d["sections"] = {"spurious": sorted(map(list, fp)), "missed": sorted(map(list, fn))}

        # assignments: tasks given in prose (origin "list"), fuzzy 1:1 match on content
        if "assignments" in gold:
            g_as = gold["assignments"]
            p_as = [t for t in pred.get("tasks", []) or [] if t.get("origin") == "list"]
            pairs = greedy_match(g_as, p_as, key=lambda t: t.get("content"), threshold=0.6,
                                 tiebreak=lambda g, p: 1e-3 * (norm_text(g.get("lead")) == norm_text(p.get("lead"))))
            m["assignments"].add(len(pairs), len(p_as) - len(pairs), len(g_as) - len(pairs))
            bad = []
            for g, p in pairs:
                # spaces a text layer dropped ("Đảng uỷUỷ ban") do not count against a lead
                ok = norm_text(g.get("lead")).replace(" ", "") == norm_text(p.get("lead")).replace(" ", "")
                m["assignment_lead"].add(ok)
                if not ok:
                    bad.append({"assignment": norm_text(g.get("content"))[:50], "field": "lead",
                                "gold": g.get("lead"), "pred": p.get("lead")})
                gd, pd = deadline_key(g.get("deadline")), deadline_key(p.get("deadline"))
                m["assignment_deadline"].add(gd == pd)
                if gd != pd:
                    bad.append({"assignment": norm_text(g.get("content"))[:50], "field": "deadline",
                                "text": (g.get("deadline") or {}).get("text"), "gold": gd, "pred": pd})
            matched_g, matched_p = {id(g) for g, _ in pairs}, {id(p) for _, p in pairs}
            if len(pairs) < len(g_as):
                d["assignments_missed"] = [norm_text(t.get("content"))[:70] for t in g_as if id(t) not in matched_g]
            if len(pairs) < len(p_as):
                d["assignments_spurious"] = [norm_text(t.get("content"))[:70] for t in p_as if id(t) not in matched_p]
            if bad:
                d["assignment_fields"] = bad

        # tasks: fuzzy 1:1 match on content, only tasks from tables unless gold says otherwise
        if "tasks" not in gold:
            if not d:
                details.pop(stem)
            continue
        g_tasks = gold["tasks"]
        origins = {t.get("origin", "table") for t in g_tasks} or {"table"}
        p_tasks = [t for t in pred.get("tasks", []) or [] if t.get("origin", "table") in origins]
        pairs = greedy_match(g_tasks, p_tasks, key=lambda t: t.get("content"), threshold=0.8)
        m["tasks"].add(len(pairs), len(p_tasks) - len(pairs), len(g_tasks) - len(pairs))
        bad = []
        for g, p in pairs:
            for f, acc in (("number", "task_number"), ("lead", "task_lead"),
                           ("partners", "task_partners"), ("status", "task_status")):
                if f in g:
                    ok = norm_text(g[f]) == norm_text(p.get(f))
                    m[acc].add(ok)
                    if not ok:
                        bad.append({"task": norm_text(g["content"])[:50], "field": f, "gold": g[f], "pred": p.get(f)})
            if "deadline" in g:
                gd, pd = deadline_key(g["deadline"]), deadline_key(p.get("deadline"))
                m["task_deadline"].add(gd == pd)
                m["task_deadline_kind"].add(gd[0] == pd[0])
                if gd != pd:
                    bad.append({"task": norm_text(g["content"])[:50], "field": "deadline",
                                "text": (g["deadline"] or {}).get("text"), "gold": gd, "pred": pd})
        if len(pairs) < len(g_tasks) or len(pairs) < len(p_tasks):
            matched = {id(g) for g, _ in pairs}
            d["tasks_missed"] = [norm_text(t["content"])[:70] for t in g_tasks if id(t) not in matched]
            matched_p = {id(p) for _, p in pairs}
            d["tasks_spurious"] = [norm_text(t.get("content"))[:70] for t in p_tasks if id(t) not in matched_p]
        if bad:
            d["task_fields"] = bad
        if not d:
            details.pop(stem)

    result = {k: v.as_dict() for k, v in m.items()}
    result["meta"] = {f: a.as_dict() for f, a in meta.items()}
    result["documents_missing"] = missing
    result["documents_errored"] = errors
    if verbose:
        result["details"] = details
    return result


def headline(r: dict) -> str:
    parts = [f"refs_f1={r['references']['f1']}", f"basis_f1={r['basis']['f1']}",
             f"sections_f1={r['sections']['f1']}", f"tasks_f1={r['tasks']['f1']}",
             f"deadline_acc={r['task_deadline']['accuracy']}"]
    a = r["assignments"]
    if a["tp"] + a["fp"] + a["fn"]:
        parts.append(f"assignments_f1={a['f1']}")
    metas = [a["accuracy"] for a in r["meta"].values() if a["accuracy"] is not None]
    parts.append(f"meta_acc={round(sum(metas) / len(metas), 4) if metas else None}")
    parts.append(f"missing={len(r['documents_missing'])}")
    return " ".join(parts)


def report(r: dict, as_json: bool = False) -> None:
    """Print a result exactly as the referee's command line does."""
    if as_json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
    else:
        for k, v in r.items():
            if k == "meta":
                for f, acc in v.items():
                    print(f"meta.{f:16} {acc}")
            else:
                print(f"{k:22} {v}")
    print(headline(r))
