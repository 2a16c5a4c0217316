"""One record per experiment (forsøg), under its network, with its decision history.

Experiments are the same when they sit under the same network and their titles agree word
for word (after the name normaliser), or all words of the shorter title recur in the longer.
Without a network (Frikommuneforsøg I and III grant experiments to single municipalities),
two experiments with the same title are one only if their municipalities overlap or one side
names none: one municipality's copy of another's experiment is an experiment of its own.
A status `undetermined` (a heading that named two decisions) becomes a conflict for review.
"""

from __future__ import annotations

from typing import Any

from ..model import Document, Record, content_id
from .names import CandidateIndex, NameMatcher
from .provenance import provenance, sort_key


# Two titles under one network name one experiment when every word of the shorter recurs in the
# longer and the two have nearly the same words (dice).
SAME_TITLE_DICE = 0.8


def experiment_rows(items: list[tuple[Document, Record]], network_of: dict[tuple[str, str], str],
                    matcher: NameMatcher) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """items: (document, experiment record); network_of: (doc_id, network name as written) -> network_id.
    Returns (experiment rows, status conflicts)."""
    # (network_id, title, municipality codes, members)
    groups: list[tuple[str | None, str, set[str], list[tuple[Document, Record]]]] = []
    index = CandidateIndex(matcher, SAME_TITLE_DICE, full_overlap=True)  # groups by network and title words: each record meets only its likely matches
    for document, record in sorted(items, key=lambda it: (it[0].published or "", it[0].source, it[1].start)):
        title = record.fields["title"]["value"]
        net_fact = record.fields.get("network")
        network_id = network_of.get((document.doc_id, net_fact["value"])) if net_fact else None
        codes = {m["value"] for m in record.fields.get("municipalities") or []}
        for candidate in index.candidates(network_id, title):  # the first matching group, as made
            _group_network, group_title, group_codes, members = groups[candidate]
            if (_same_title(matcher, group_title, title)
                    and (network_id is not None or not codes or not group_codes or codes & group_codes)):
                members.append((document, record))
                group_codes |= codes
                break
        else:
            index.add(network_id, title, len(groups))
            groups.append((network_id, title, set(codes), [(document, record)]))

    rows, conflicts = [], []
    for network_id, title, codes, members in groups:
        # Without a network the municipalities tell two same-titled experiments apart.
        id_parts = ("experiment", network_id, matcher.key(title))
        if network_id is None and codes:
            id_parts += (",".join(sorted(codes)),)
        experiment_id = "exp_" + content_id(*id_parts, length=12)
        history = []
        for document, record in members:
            status = record.fields.get("status")
            if status:
                history.append({
                    "status": status["value"], "label": status.get("label"),
                    "candidates": status.get("candidates"),
                    "decided": record.fields.get("decided") or document.published,
                    "doc_id": document.doc_id, "source": provenance(document, status),
                })
        history.sort(key=lambda h: (h["decided"] or "", h["source"]["source"], h["source"]["start"]))
        current = history[-1] if history else None
        rounds = [r.fields["round"]["value"] for _, r in members if r.fields.get("round")]
        programmes = [(d, r.fields["programme"]) for d, r in members if r.fields.get("programme")]
        rows.append({
            "experiment_id": experiment_id,
            "title": title,
            "network_id": network_id,
            "status": current["status"] if current else None,
            "status_label": current["label"] if current else None,
            "round": rounds[0] if rounds else None,
            "decided": current["decided"] if current else None,
            "status_candidates": current.get("candidates") if current else None,
            "programme": programmes[0][1]["value"] if programmes else None,
            "municipalities": _municipalities(members),
            "status_history": history,
            "documents": sorted({d.doc_id for d, _ in members}),
            "sources": sorted((provenance(d, r.fields["title"]) for d, r in members), key=sort_key),
        })
        if current and current["status"] == "undetermined":
            conflicts.append({
                "type": "undetermined_status",
                "subject": experiment_id,
                "description": "a heading names two decisions for the experiment: "
                               + " or ".join(current["candidates"] or []) + "; a reviewer picks one",
                "sides": [{"value": c, "doc_id": current["doc_id"], "sources": [current["source"]]}
                          for c in current["candidates"] or []],
            })
        if len({h["status"] for h in history}) > 1:
            conflicts.append({
                "type": "status",
                "subject": experiment_id,
                "description": "documents state different decisions on the same experiment"
                               + ("; the latest dated one is current" if current and current["decided"] else ""),
                "sides": [{"value": h["status"], "doc_id": h["doc_id"], "sources": [h["source"]]} for h in history],
            })
    return rows, conflicts


def _municipalities(members: list[tuple[Document, Record]]) -> list[dict[str, Any]]:
    """kommunekode and every span that ties the municipality to the experiment."""
    spans: dict[str, list[dict[str, Any]]] = {}
    for document, record in members:
        for m in record.fields.get("municipalities") or []:
            spans.setdefault(m["value"], []).append(provenance(document, m))
    return [{"kommunekode": code, "sources": sorted(spans[code], key=sort_key)} for code in sorted(spans)]


def _same_title(matcher: NameMatcher, a: str, b: str) -> bool:
    if matcher.key(a) == matcher.key(b):
        return True
    overlap, dice = matcher.similarity(a, b)
    return overlap == 1.0 and dice >= SAME_TITLE_DICE
