"""One record per experiment (forsøg), under its network, with its decision history.

Experiments are the same when they sit under the same network and their titles agree word
for word (after the name normaliser), or all words of the shorter title recur in the longer.
Without a network (Frikommuneforsøg I and III grant experiments to single municipalities),
two experiments with the same title are one only if their municipalities overlap or one side
names none: one municipality's copy of another's experiment is an experiment of its own.
A status `undetermined` (a heading that named two decisions) becomes a conflict for review.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from ..model import Document, Record, content_id
from .names import CandidateIndex, NameMatcher
from .provenance import provenance, sort_key


# Two titles under one network name one experiment when every word of the shorter recurs in the
# longer and the two have nearly the same words (dice).
SAME_TITLE_DICE = 0.8


@dataclass(slots=True)
class _Member:
    """What an experiment row takes from one record, as the row holds it: its spans already as
    provenance, so reconciliation holds no record while it groups (a run's records come packed,
    decoded one document at a time)."""

    order: tuple  # (published, source, start): the order records are grouped in
    doc_id: str
    title: str
    network_id: str | None
    codes: set[str]
    title_source: dict[str, Any]
    status: dict[str, Any] | None  # a status_history entry
    rounds: list  # the round's value, if the record states one
    programmes: list  # the programme's value, if stated
    municipalities: list[tuple[str, dict[str, Any]]]  # (kommunekode, provenance)


def _member(document: Document, record: Record, network_of: dict[tuple[str, str], str]) -> _Member:
    f = record.fields
    net_fact = f.get("network")
    status = f.get("status")
    return _Member(
        order=(document.published or "", document.source, record.start),
        doc_id=document.doc_id,
        title=f["title"]["value"],
        network_id=network_of.get((document.doc_id, net_fact["value"])) if net_fact else None,
        codes={m["value"] for m in f.get("municipalities") or []},
        title_source=provenance(document, f["title"]),
        status={"status": status["value"], "label": status.get("label"), "candidates": status.get("candidates"),
                "decided": f.get("decided") or document.published, "doc_id": document.doc_id,
                "source": provenance(document, status)} if status else None,
        rounds=[f["round"]["value"]] if f.get("round") else [],
        programmes=[f["programme"]["value"]] if f.get("programme") else [],
        municipalities=[(m["value"], provenance(document, m)) for m in f.get("municipalities") or []],
    )


def experiment_rows(items: Iterable[tuple[Document, Record]], network_of: dict[tuple[str, str], str],
                    matcher: NameMatcher) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """items: (document, experiment record), in any order, possibly a stream; network_of:
    (doc_id, network name as written) -> network_id. Returns (experiment rows, status conflicts)."""
    members = sorted((_member(d, r, network_of) for d, r in items), key=lambda m: m.order)
    # (network_id, title, municipality codes, members)
    groups: list[tuple[str | None, str, set[str], list[_Member]]] = []
    index = CandidateIndex(matcher, SAME_TITLE_DICE, full_overlap=True)  # each title meets only its likely matches
    for member in members:
        title, network_id, codes = member.title, member.network_id, member.codes
        for candidate in index.candidates(network_id, title):  # the first matching group, as made
            _group_network, group_title, group_codes, group = groups[candidate]
            if (_same_title(matcher, group_title, title)
                    and (network_id is not None or not codes or not group_codes or codes & group_codes)):
                group.append(member)
                group_codes |= codes
                break
        else:
            index.add(network_id, title, len(groups))
            groups.append((network_id, title, set(codes), [member]))

    rows, conflicts = [], []
    for network_id, title, codes, group in groups:
        # Without a network the municipalities tell two same-titled experiments apart.
        id_parts = ("experiment", network_id, matcher.key(title))
        if network_id is None and codes:
            id_parts += (",".join(sorted(codes)),)
        experiment_id = "exp_" + content_id(*id_parts, length=12)
        history = [m.status for m in group if m.status]
        history.sort(key=lambda h: (h["decided"] or "", h["source"]["source"], h["source"]["start"]))
        current = history[-1] if history else None
        rounds = [r for m in group for r in m.rounds]
        programmes = [p for m in group for p in m.programmes]
        rows.append({
            "experiment_id": experiment_id,
            "title": title,
            "network_id": network_id,
            "status": current["status"] if current else None,
            "status_label": current["label"] if current else None,
            "round": rounds[0] if rounds else None,
            "decided": current["decided"] if current else None,
            "status_candidates": current.get("candidates") if current else None,
            "programme": programmes[0] if programmes else None,
            "municipalities": _municipalities(group),
            "status_history": history,
            "documents": sorted({m.doc_id for m in group}),
            "sources": sorted((m.title_source for m in group), key=sort_key),
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


def _municipalities(group: list[_Member]) -> list[dict[str, Any]]:
    """kommunekode and every span that ties the municipality to the experiment."""
    spans: dict[str, list[dict[str, Any]]] = {}
    for member in group:
        for code, source in member.municipalities:
            spans.setdefault(code, []).append(source)
    return [{"kommunekode": code, "sources": sorted(spans[code], key=sort_key)} for code in sorted(spans)]


def _same_title(matcher: NameMatcher, a: str, b: str) -> bool:
    if matcher.key(a) == matcher.key(b):
        return True
    overlap, dice = matcher.similarity(a, b)
    return overlap == 1.0 and dice >= SAME_TITLE_DICE
