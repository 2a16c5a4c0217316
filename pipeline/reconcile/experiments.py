"""One record per experiment (forsøg), under its network, with its decision history.

Experiments are the same when they sit under the same network and their titles agree word
for word (after the name normaliser), or all words of the shorter title recur in the longer.
"""

from __future__ import annotations

from typing import Any

from ..model import Document, Record, content_id
from .names import NameMatcher
from .provenance import provenance, sort_key


def experiment_rows(items: list[tuple[Document, Record]], network_of: dict[tuple[str, str], str],
                    matcher: NameMatcher) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """items: (document, experiment record); network_of: (doc_id, network name as written) -> network_id.
    Returns (experiment rows, status conflicts)."""
    groups: list[tuple[str | None, str, list[tuple[Document, Record]]]] = []  # (network_id, title, members)
    for document, record in sorted(items, key=lambda it: (it[0].published or "", it[0].source, it[1].start)):
        title = record.fields["title"]["value"]
        net_fact = record.fields.get("network")
        network_id = network_of.get((document.doc_id, net_fact["value"])) if net_fact else None
        for group_network, group_title, members in groups:
            if group_network == network_id and _same_title(matcher, group_title, title):
                members.append((document, record))
                break
        else:
            groups.append((network_id, title, [(document, record)]))

    rows, conflicts = [], []
    for network_id, title, members in groups:
        experiment_id = "exp_" + content_id("experiment", network_id, matcher.key(title), length=12)
        history = []
        for document, record in members:
            status = record.fields.get("status")
            if status:
                history.append({
                    "status": status["value"], "label": status.get("label"),
                    "decided": record.fields.get("decided") or document.published,
                    "doc_id": document.doc_id, "source": provenance(document, status),
                })
        history.sort(key=lambda h: (h["decided"] or "", h["source"]["source"], h["source"]["start"]))
        current = history[-1] if history else None
        rounds = [r.fields["round"]["value"] for _, r in members if r.fields.get("round")]
        rows.append({
            "experiment_id": experiment_id,
            "title": title,
            "network_id": network_id,
            "status": current["status"] if current else None,
            "status_label": current["label"] if current else None,
            "round": rounds[0] if rounds else None,
            "decided": current["decided"] if current else None,
            "status_history": history,
            "documents": sorted({d.doc_id for d, _ in members}),
            "sources": sorted((provenance(d, r.fields["title"]) for d, r in members), key=sort_key),
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


def _same_title(matcher: NameMatcher, a: str, b: str) -> bool:
    if matcher.key(a) == matcher.key(b):
        return True
    overlap, dice = matcher.similarity(a, b)
    return overlap == 1.0 and dice >= 0.8
