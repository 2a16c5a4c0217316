"""Stated counts checked against what the same document lists.

"44 kommuner", "otte netværk", "17 forsøg får grønt lys": a count is compared with the records
of its unit (rules/reconcile.yaml: count_units) that the same document enumerates — a
"Deltagere:" block, a table, a list under network headings — filtered by the status the count
qualifies. Prose mentions are no full list, bounds ("op til seks") are no exact count, and a
document that lists nothing of that unit is not compared; nor is a count of one decision
against a list that states no decisions.
"""

from __future__ import annotations

from typing import Any

from ..model import Document, Mention, Record
from .provenance import provenance


def statuses_of(count: Mention, meaning_all: set[str]) -> set[str] | None:
    """The statuses a count is limited to; None when it counts everything of its unit."""
    status = count.attrs.get("status")
    statuses = {status} if isinstance(status, str) else set(status or ())
    return None if not statuses or statuses <= meaning_all else statuses


def count_conflicts(document: Document, counts: list[Mention], units: dict[str, str], meaning_all: set[str],
                    network_evidence: list, network_cluster_of: dict[int, str],
                    experiments: list[Record]) -> list[dict[str, Any]]:
    """network_evidence: this document's enumerating network Evidence; network_cluster_of: id(evidence) -> network_id."""
    conflicts = []
    for count in counts:
        kind = units.get(count.attrs.get("unit"))
        if kind is None or count.attrs.get("qualifier") or not isinstance(count.value, int):
            continue
        wanted = statuses_of(count, meaning_all)
        if kind == "experiments":
            listed = [r for r in experiments
                      if wanted is None or (r.fields.get("status") and r.fields["status"]["value"] in wanted)]
            if not experiments:
                continue
            if wanted is not None and not any(r.fields.get("status") for r in experiments):
                continue  # "22 forsøg afventer" beside a list that states no decisions at all
            found = len(listed)
            listed_facts = [r.fields["title"] for r in listed]
        else:
            evidence = [e for e in network_evidence
                        if wanted is None or e.status_value is None or e.status_value in wanted]
            if kind == "members":
                if not any(e.member_codes for e in evidence):
                    continue
                first_mention = {}
                for e in evidence:
                    for m in e.members:
                        first_mention.setdefault(m["value"], m)
                found, listed_facts = len(first_mention), list(first_mention.values())
            else:
                first_name = {}
                for e in evidence:
                    first_name.setdefault(network_cluster_of[id(e)], e.name)
                found, listed_facts = len(first_name), [f for f in first_name.values() if f]
                if found < 2:  # one heading is no list of networks
                    continue
        if found != count.value:
            fact = {"start": count.start, "end": count.end, "text": count.text, "rule": count.rule}
            qualified = f" ({', '.join(sorted(wanted))})" if wanted else ""
            conflicts.append({
                "type": "stated_count",
                "subject": document.doc_id,
                "description": f"the document states {count.value} {count.attrs.get('unit')}{qualified} "
                               f"but lists {found} {kind}",
                "sides": [
                    {"value": count.value, "doc_id": document.doc_id, "sources": [provenance(document, fact)]},
                    # What was counted, each with its span, so a reviewer can check the list.
                    {"value": found, "doc_id": document.doc_id, "counted": kind,
                     "sources": [provenance(document, f) for f in listed_facts]},
                ],
            })
    return conflicts
