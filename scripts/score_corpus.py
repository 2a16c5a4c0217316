"""Score the pipeline against a hand-annotated corpus of real pages kept outside the repository.

The corpus folder holds `pages/<slug>.txt|.html|.pdf` (third-party text: never committed) and
`gold/<slug>.json` (what each page states, written down before the pipeline saw it; the format
is in docs/layouts.md). Each page is ingested and extracted on its own, so a fact is scored
against the page that states it, not against what reconciliation merged across pages.

    .venv/bin/python scripts/score_corpus.py /path/to/corpus [--json out.json] [--misses]

Prints precision, recall and F1 per fact type:

  municipality, date, count   per page, the set of values found against the set stated
  published                   accuracy: the page's publication date (null = null counts)
  network_members             a stated network with members is right when one network record
                              of the page has exactly its member set
  experiment                  found at all (title words match), and status accuracy: matched
                              with the stated status (null when the page states none)
  agenda_item                 right when matched (number or title) with the stated case number
                              and decision
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract import build_nlp, extract  # noqa: E402
from pipeline.ingest import IngestError, read_document  # noqa: E402
from pipeline.rules import Rules  # noqa: E402

WORD = re.compile(r"\w+")


def words(text: str | None) -> set[str]:
    return {w for w in WORD.findall((text or "").lower()) if len(w) > 2}


def title_match(gold: str, found: str) -> float:
    """Share of the shorter title's words found in the other: 'Forsøg med X' vs 'X'."""
    g, f = words(gold), words(found)
    if not g or not f:
        return 0.0
    return len(g & f) / min(len(g), len(f)) * (min(len(g), len(f)) / max(len(g), len(f))) ** 0.25


class Tally:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, gold: set, found: set) -> None:
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def figures(self) -> dict:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


def value(f):
    return f.get("value") if isinstance(f, dict) else f


def greedy_pairs(gold: list, found: list, score) -> list[tuple[int, int]]:
    """Pairs (gold index, found index), best scores first, each side used once."""
    scored = sorted(((score(g, f), i, j) for i, g in enumerate(gold) for j, f in enumerate(found)),
                    reverse=True)
    used_g, used_f, pairs = set(), set(), []
    for s, i, j in scored:
        if s <= 0 or i in used_g or j in used_f:
            continue
        used_g.add(i), used_f.add(j)
        pairs.append((i, j))
    return pairs


def score_page(slug: str, gold: dict, document, extraction, tallies: dict, misses: list) -> None:
    def miss(kind: str, detail) -> None:
        misses.append({"page": slug, "type": kind, "detail": detail})

    by_type = defaultdict(set)
    for m in extraction.mentions:
        if m.value is not None:
            by_type[m.type].add(m.value)
    for kind, stated in (("municipality", {str(c) for c in gold["municipalities"]}),
                         ("date", {str(d) for d in gold["dates"]}),
                         ("count", {int(c) for c in gold["counts"]})):
        found = {str(v) for v in by_type[kind]} if kind != "count" else {v for v in by_type[kind] if isinstance(v, int)}
        tallies[kind].add(stated, found)
        if stated != found:
            miss(kind, {"missed": sorted(map(str, stated - found)), "extra": sorted(map(str, found - stated))})

    right = (document.published or None) == (gold["published"] or None)
    tallies["published"].tp += right
    tallies["published"].fn += not right
    if not right:
        miss("published", {"stated": gold["published"], "found": document.published})

    records = defaultdict(list)
    for r in extraction.records:
        records[r.type].append(r.fields)

    # networks: exact member sets
    stated_nets = [n for n in gold["networks"] if n.get("members")]
    found_nets = [n for n in records["network"] if n.get("members")]
    found_sets = [frozenset(str(value(m)) for m in n["members"]) for n in found_nets]
    gold_sets = [frozenset(map(str, n["members"])) for n in stated_nets]
    tallies["network_members"].add({s for s in gold_sets}, set(found_sets))
    for n, s in zip(stated_nets, gold_sets):
        if s not in found_sets:
            best = max(found_sets, key=lambda f: len(f & s), default=frozenset())
            miss("network_members", {"name": n["name"], "stated": sorted(s), "closest": sorted(best),
                                     "found_networks": len(found_sets)})

    # experiments: detection by title, status accuracy over every stated experiment
    stated_exps = gold["experiments"]
    # one experiment named twice on a page (a heading repeated in the text) is one experiment
    distinct: dict[tuple, dict] = {}
    for f in records["experiment"]:
        key = (" ".join(str(value(f.get("title")) or "").lower().split()), value(f.get("status")))
        distinct.setdefault(key, f)
    found_exps = list(distinct.values())
    pairs = greedy_pairs(stated_exps, found_exps,
                         lambda g, f: (lambda s: s if s >= 0.5 else 0)(title_match(g["title"], value(f.get("title")))))
    tallies["experiment"].tp += len(pairs)
    tallies["experiment"].fn += len(stated_exps) - len(pairs)
    tallies["experiment"].fp += len(found_exps) - len(pairs)
    matched = dict(pairs)
    st = tallies["experiment_status"]
    for i, g in enumerate(stated_exps):
        f = found_exps[matched[i]] if i in matched else None
        found_status = value(f.get("status")) if f else "(not found)"
        if f is not None and found_status == (g.get("status") or None):
            st.tp += 1
        else:
            st.fn += 1
            miss("experiment_status", {"title": g["title"], "stated": g.get("status"), "found": found_status})
    for j, f in enumerate(found_exps):
        if j not in matched.values():
            miss("experiment_extra", {"title": value(f.get("title")), "status": value(f.get("status"))})

    # agenda items: number or title, then case number and decision
    stated_items = gold["agenda_items"]
    found_items = records["agenda_item"]

    def item_score(g, f):
        s = 0.0
        if g.get("number") and str(value(f.get("agenda_item")) or "").strip() == str(g["number"]).strip():
            s += 1.0
        s += title_match(g.get("title") or "", value(f.get("title")) or "")
        if not g.get("number") and not g.get("title") and g.get("case_number") \
                and norm_case(value(f.get("case_number"))) == norm_case(g["case_number"]):
            s += 1.0  # an item page with neither number nor title: its case number names it
        return s if s >= 0.5 else 0

    ipairs = dict(greedy_pairs(stated_items, found_items, item_score))
    it = tallies["agenda_item"]
    for i, g in enumerate(stated_items):
        f = found_items[ipairs[i]] if i in ipairs else None
        got = None if f is None else {"number": value(f.get("agenda_item")),
                                      "case_number": value(f.get("case_number")),
                                      "decision": value(f.get("decision"))}
        if got and norm_case(got["case_number"]) == norm_case(g.get("case_number")) \
                and got["decision"] == (g.get("decision") or None):
            it.tp += 1
        else:
            it.fn += 1
            miss("agenda_item", {"stated": {k: g.get(k) for k in ("number", "case_number", "decision")},
                                 "found": got})
    it.fp += len(found_items) - len(ipairs)


def norm_case(s):
    return re.sub(r"\s+", "", s or "") or None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--json", type=Path, help="write the figures and misses here")
    ap.add_argument("--misses", action="store_true", help="print every miss")
    ap.add_argument("--only", help="score only pages whose slug starts with this")
    ap.add_argument("--no-run", action="store_true", help="skip the batch run over the whole corpus")
    args = ap.parse_args()

    rules = Rules()
    nlp = build_nlp(rules)
    tallies = defaultdict(Tally)
    misses: list = []
    pages = sorted(p for p in (args.corpus / "pages").iterdir() if p.is_file())
    scored = 0
    for page in pages:
        slug = page.stem
        if args.only and not slug.startswith(args.only):
            continue
        gold_path = args.corpus / "gold" / f"{slug}.json"
        if not gold_path.exists():
            continue
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        try:
            document = read_document(page, page.parent, rules)
        except IngestError as e:
            print(f"{page.name}: {e}", file=sys.stderr)
            continue
        extraction = extract(nlp, document)
        score_page(slug, gold, document, extraction, tallies, misses)
        scored += 1

    order = ["municipality", "date", "count", "published", "network_members", "experiment",
             "experiment_status", "agenda_item"]
    print(f"pages scored: {scored}")
    print(f"{'fact type':20} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    report = {}
    for kind in order:
        fig = tallies[kind].figures()
        report[kind] = fig
        print(f"{kind:20} {fig['precision']:6.3f} {fig['recall']:6.3f} {fig['f1']:6.3f}   "
              f"{fig['tp']}/{fig['fp']}/{fig['fn']}")
    print("published, experiment_status and agenda_item: read R as accuracy over what the pages state")
    if not args.no_run:
        # The whole pipeline over the corpus as one batch: reconciliation and publishing must
        # hold on real pages too (a duplicate id there fails the SQLite load).
        import tempfile

        from pipeline.run import run

        with tempfile.TemporaryDirectory() as tmp:
            summary = run(args.corpus / "pages", Path(tmp) / "out", rules, use_cache=False)
            tables = {name: sum(1 for _ in (Path(tmp) / "out" / f"{name}.jsonl").open(encoding="utf-8"))
                      for name in ("networks", "experiments", "decisions", "conflicts")}
        print(f"batch run: {summary.documents} documents, {len(summary.errors)} errors, "
              + ", ".join(f"{k} {v}" for k, v in tables.items()))
    if args.misses:
        for m in misses:
            print(json.dumps(m, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps({"pages": scored, "figures": report, "misses": misses},
                                        ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
