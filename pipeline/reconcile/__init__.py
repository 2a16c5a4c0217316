"""Reconcile stage: what each document says -> one record per real-world thing, and the
places where documents (or a document and itself) disagree."""

from __future__ import annotations

from typing import Any

from ..model import Document, content_id
from ..packed import PackedList
from ..rules import Rules
from .counts import count_conflicts
from .decisions import decision_rows
from .experiments import experiment_rows
from .municipalities import municipality_records
from .networks import NetworkReconciler

__all__ = ["RECONCILED_MENTIONS", "assign_conflict_ids", "municipality_records", "reconcile"]

# The mention types reconciliation weighs (network names as evidence, counts against lists);
# a run keeps only these in memory. Municipality records are counted from the mention store.
RECONCILED_MENTIONS = ("network_name", "count")


def records_of(extraction: Any, record_type: str) -> list:
    """The extraction's records of one type (a Packed extraction decodes only those)."""
    if hasattr(extraction, "records_of"):
        return extraction.records_of(record_type)
    return [r for r in extraction.records if r.type == record_type]


def reconcile(rules: Rules, processed: list[tuple[Document, Any]], spill: Any = None) -> dict[str, list[dict[str, Any]]]:
    """processed: (document, Extraction) pairs, in any order. Returns the reconciled tables.
    Each pass reads the extractions again, one document at a time, so a run's packed
    extractions (run.Packed) are decoded only while a pass needs them. `spill`
    (packed.SpillFile): where the evidence of every document waits, packed, while clusters
    and groups form (default: in memory)."""
    processed = sorted(processed, key=lambda item: item[0].source)
    networks = NetworkReconciler(rules)

    evidence = networks.evidence(((d, records_of(x, "network") + records_of(x, "experiment"), x.mentions)
                                  for d, x in processed), spill)
    clusters = networks.cluster(evidence)
    network_rows, conflicts = [], []
    cluster_id: dict[int, str] = {}  # id(enumerating evidence) -> network_id
    enumerated: dict[str, list] = {}  # doc_id -> its enumerating network evidence
    network_of: dict[tuple[str, str], str] = {}  # (doc_id, name as written) -> network_id
    taken: set[str] = set()
    for c in clusters:
        row = networks.row(c, taken)
        taken.add(row["network_id"])
        network_rows.append(row)
        conflicts += networks.member_conflicts(c, row["network_id"])
        for e in c.evidence:
            if networks.is_enumeration(e):  # kept for the counts, below
                cluster_id[id(e)] = row["network_id"]
            if e.name_value is not None:
                network_of[(e.document.doc_id, e.name_value)] = row["network_id"]
    for e in evidence:  # in evidence order, as the counts compare them
        if id(e) in cluster_id:
            enumerated.setdefault(e.document.doc_id, []).append(e)
    del evidence, clusters  # the rest of the evidence is in the rows now: free it before the experiments
    # Experiments name their network as written; a name no evidence carried is matched by name.
    for d, x in processed:
        for r in records_of(x, "experiment"):
            net = r.fields.get("network")
            if net and (d.doc_id, net["value"]) not in network_of:
                match = next((row["network_id"] for row in network_rows if row["name"]
                              and any(networks.matcher.same(a, net["value"]) for a in row["aliases"])), None)
                if match:
                    network_of[(d.doc_id, net["value"])] = match

    experiments, status_conflicts = experiment_rows(
        ((d, r) for d, x in processed for r in records_of(x, "experiment")), network_of, networks.matcher, spill)
    conflicts += status_conflicts

    units = rules.yaml("reconcile.yaml")["count_units"]
    meaning_all = set(rules.yaml("reconcile.yaml")["count_status_all"])
    listing = tuple(rules.yaml("reconcile.yaml")["enumerating_experiment_layouts"])
    for d, x in processed:
        counts = [m for m in x.mentions if m.type == "count"]
        if counts:
            conflicts += count_conflicts(d, counts, units, meaning_all, enumerated.get(d.doc_id, []), cluster_id,
                                         [r for r in records_of(x, "experiment") if r.rule in listing])

    assign_conflict_ids(conflicts)
    for conflict in conflicts:  # held until published, and a status conflict has a side per document
        conflict["sides"] = PackedList(conflict["sides"])
    return {
        "networks": sorted(network_rows, key=lambda r: (r["name"] or "", r["network_id"])),
        "experiments": sorted(experiments, key=lambda r: (r["network_id"] or "", r["title"])),
        # in (source, start) order already: decision_rows reads them one document at a time
        "decisions": decision_rows((d, r) for d, x in processed for r in records_of(x, "agenda_item")),
        "conflicts": sorted(conflicts, key=lambda c: (c["type"], c["subject"], c["conflict_id"])),
    }


def assign_conflict_ids(conflicts: list[dict[str, Any]]) -> None:
    """Each conflict's id, from its type, subject and sides (sides by source file and value, so
    an edit elsewhere in a document keeps the id)."""
    taken: set[str] = set()
    for conflict in conflicts:
        parts = [conflict["type"], conflict["subject"],
                 *(f"{_side_source(s)}:{s['value']}" for s in conflict["sides"])]
        conflict_id = "con_" + content_id(*parts, length=12)
        if conflict_id in taken:
            # The same disagreement stated twice in one document ("17 forsøg" in the lead and
            # again in the text): told apart by where each side stands.
            spans = [f"{src['start']}-{src['end']}" for side in conflict["sides"] for src in side.get("sources", [])]
            conflict_id = "con_" + content_id(*parts, *spans, length=12)
        taken.add(conflict_id)
        conflict["conflict_id"] = conflict_id


def _side_source(side: dict[str, Any]) -> str:
    sources = side.get("sources") or []
    return sources[0]["source"] if sources else side["doc_id"]
