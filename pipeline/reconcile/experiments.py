"""One record per experiment (forsøg), under its network, with its decision history.

Experiments are the same when they sit under the same network and their titles agree word
for word (after the name normaliser), or all words of the shorter title recur in the longer.
Without a network (Frikommuneforsøg I and III grant experiments to single municipalities),
two experiments with the same title are one only if their municipalities overlap or one side
names none: one municipality's copy of another's experiment is an experiment of its own.
A status `undetermined` (a heading that named two decisions) becomes a conflict for review.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any, Iterable

from ..model import Document, Record, content_id
from ..packed import InMemory, PackedList, pack, unpack
from .names import CandidateIndex, NameMatcher
from .provenance import provenance, sort_key


# Two titles under one network name one experiment when every word of the shorter recurs in the
# longer and the two have nearly the same words (dice).
SAME_TITLE_DICE = 0.8


@dataclass(slots=True)
class _Member:
    """What an experiment row takes from one record. Every document's members are held while
    they are grouped, so a member keeps unpacked only what grouping compares (title, network,
    municipality codes, order); its spans, already as provenance, are packed in `detail` and
    read when its group becomes a row."""

    order: tuple  # (published, source, start): the order records are grouped in
    doc_id: str
    title: str
    network_id: str | None
    codes: frozenset[str]
    detail: Any  # the spill's handle of {"title_source", "status", "municipalities"}: see _details
    rounds: tuple  # the round's value, if the record states one
    programmes: tuple  # the programme's value, if stated


def _member(document: Document, record: Record, network_of: dict[tuple[str, str], str], spill,
            code_sets: dict[frozenset[str], frozenset[str]]) -> _Member:
    f = record.fields
    codes = frozenset(sys.intern(m["value"]) for m in f.get("municipalities") or [])
    net_fact = f.get("network")
    status = f.get("status")
    return _Member(
        order=(document.published or "", document.source, record.start),
        doc_id=document.doc_id,
        title=sys.intern(f["title"]["value"]),
        network_id=network_of.get((document.doc_id, net_fact["value"])) if net_fact else None,
        codes=code_sets.setdefault(codes, codes),
        detail=spill.put(pack({
            "title_source": provenance(document, f["title"]),
            "status": {"status": status["value"], "label": status.get("label"), "candidates": status.get("candidates"),
                       "decided": f.get("decided") or document.published, "doc_id": document.doc_id,
                       "source": provenance(document, status)} if status else None,
            "municipalities": [(m["value"], provenance(document, m)) for m in f.get("municipalities") or []],
        })),
        rounds=(f["round"]["value"],) if f.get("round") else (),
        programmes=(f["programme"]["value"],) if f.get("programme") else (),
    )


def _details(group: list[_Member], spill) -> list[dict[str, Any]]:
    """The group's spans: per member, its title's provenance, its status_history entry (or
    None) and its (kommunekode, provenance) pairs."""
    return [unpack(spill.get(m.detail)) for m in group]


def experiment_rows(items: Iterable[tuple[Document, Record]], network_of: dict[tuple[str, str], str],
                    matcher: NameMatcher, spill: Any = None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """items: (document, experiment record), in any order, possibly a stream; network_of:
    (doc_id, network name as written) -> network_id; spill (packed.SpillFile): where each
    member's spans wait while the groups form (default: in memory). Returns (experiment rows,
    status conflicts)."""
    spill = spill if spill is not None else InMemory()
    code_sets: dict[frozenset[str], frozenset[str]] = {}  # one set per distinct list of codes
    members = sorted((_member(d, r, network_of, spill, code_sets) for d, r in items), key=lambda m: m.order)
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
        details = _details(group, spill)
        history = [d["status"] for d in details if d["status"]]
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
            "municipalities": _municipalities(details),
            "status_history": PackedList(history),
            "documents": sorted({m.doc_id for m in group}),
            "sources": PackedList(sorted((d["title_source"] for d in details), key=sort_key)),
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


def _municipalities(details: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """kommunekode and every span that ties the municipality to the experiment."""
    spans: dict[str, list[dict[str, Any]]] = {}
    for detail in details:
        for code, source in detail["municipalities"]:
            spans.setdefault(code, []).append(source)
    return [{"kommunekode": code, "sources": PackedList(sorted(spans[code], key=sort_key))} for code in sorted(spans)]


def _same_title(matcher: NameMatcher, a: str, b: str) -> bool:
    if matcher.key(a) == matcher.key(b):
        return True
    overlap, dice = matcher.similarity(a, b)
    return overlap == 1.0 and dice >= SAME_TITLE_DICE
