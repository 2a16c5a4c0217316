"""Several reviewers on one dataset: each record's history, where reviewers disagree, what only
one has accepted, and how far they agree (Cohen's kappa).

Which decision counts: the latest one, whoever made it (apply.py replays the log in order).
Nothing is hidden by that rule: a record whose reviewers' own latest verdicts differ is a
*disagreement* and stays in that queue until their latest verdicts agree again (one of them
changes theirs, or a later verdict of each agrees). A verdict is accept, reject, correct (with
the field and value) or resolve (with the side); notes and flags are history, not verdicts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .log import Decision, undone

VERDICTS = ("accept", "reject", "correct", "resolve")


def verdict_of(d: Decision) -> str:
    """The verdict as compared between reviewers: two corrections agree when they set the same
    field to the same value."""
    if d.action == "correct":
        return f"correct {d.field}={d.new!r}"
    if d.action == "resolve":
        return f"resolve {d.new!r}"
    return d.action


def category_of(d: Decision) -> str:
    """The verdict's category for kappa: accept, reject or correct (any field, any value)."""
    return "correct" if d.action in ("correct", "resolve") else d.action


@dataclass
class Reviews:
    """What the log says about reviewers, per record key ("table:id")."""

    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    latest: dict[str, dict[str, Decision]] = field(default_factory=dict)  # key -> reviewer -> latest verdict
    disagreements: set[str] = field(default_factory=set)
    single_accepts: dict[str, str] = field(default_factory=dict)  # key -> the one reviewer who accepted
    agreement: list[dict[str, Any]] = field(default_factory=list)  # per pair of reviewers


def read_reviews(decisions: list[Decision]) -> Reviews:
    taken_back = undone(decisions)
    out = Reviews()
    history: dict[str, list[dict[str, Any]]] = defaultdict(list)
    latest: dict[str, dict[str, Decision]] = defaultdict(dict)
    for d in decisions:
        if d.action == "undo":
            continue  # shown on the decision it took back
        key = f"{d.table}:{d.target}"
        history[key].append({"action": d.action, "reviewer": d.reviewer, "at": d.at, "field": d.field,
                             "new": d.new, "note": d.note, "undone": d.decision_id in taken_back})
        if d.action in VERDICTS and d.decision_id not in taken_back:
            latest[key].pop(d.reviewer, None)
            latest[key][d.reviewer] = d  # re-inserted: the dict's order is the verdicts' order
    out.history, out.latest = dict(history), dict(latest)
    for key, by_reviewer in latest.items():
        verdicts = {verdict_of(d) for d in by_reviewer.values()}
        if len(by_reviewer) >= 2 and len(verdicts) > 1:
            out.disagreements.add(key)
        if len(by_reviewer) == 1:
            (reviewer, d), = by_reviewer.items()
            if d.action == "accept":
                out.single_accepts[key] = reviewer
    out.agreement = pairwise_kappa(latest)
    return out


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters' labels on the same items; None when chance agreement is
    total (both gave one and the same label to everything: kappa is undefined)."""
    n = len(pairs)
    if not n:
        return None
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first.keys() | second.keys()) / (n * n)
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def pairwise_kappa(latest: dict[str, dict[str, Decision]]) -> list[dict[str, Any]]:
    """For each pair of reviewers who both decided some records: how many, the share on which
    their categories agree, and kappa; most shared records first."""
    shared: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for by_reviewer in latest.values():
        for a, b in combinations(sorted(by_reviewer), 2):
            shared[(a, b)].append((category_of(by_reviewer[a]), category_of(by_reviewer[b])))
    rows = []
    for (a, b), pairs in shared.items():
        kappa = cohen_kappa(pairs)
        rows.append({"reviewers": [a, b], "records": len(pairs),
                     "agreed": sum(x == y for x, y in pairs),
                     "kappa": None if kappa is None else round(kappa, 3)})
    return sorted(rows, key=lambda r: (-r["records"], r["reviewers"]))
