"""Applying the review log to a run's tables: the reviewers' word beats the extractors'.

Each decision names a row (table + id) and carries an anchor: the document, its sha256 and the
quoted text at its position, with the text around it. Ids are kept across runs (pipeline/
identify), so a decision follows its record through renames, new evidence and merges. It
applies while the row exists (for a mention: still quoting the same text). Otherwise it is
*orphaned*: reported in the run summary, in `review_orphans.jsonl` and in the workbench, never
silently dropped, with the reason: the document was removed, the document changed, or (the
document unchanged) a rule change. A mention a reviewer added is re-anchored in a changed
document by its quote and context. Decisions apply in the order they were written; an undo
takes its target decision out before anything is applied.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from ..model import Document, content_id
from .log import WORKBENCH_ONLY, Decision, undone

REVIEWABLE = {"mentions": "mention_id", "networks": "network_id", "experiments": "experiment_id",
              "decisions": "decision_id", "conflicts": "conflict_id"}
ADDED_RULE = "review.added"


def anchor_holds(anchor: dict[str, Any] | None, documents: dict[str, Document]) -> bool:
    if not anchor:
        return True  # nothing to check against (a decision made without a source span)
    document = documents.get(anchor.get("doc_id"))
    if document is None or document.sha256 != anchor.get("sha256"):
        return False
    start, end = anchor.get("start"), anchor.get("end")
    return isinstance(start, int) and isinstance(end, int) and document.text[start:end] == anchor.get("text")


CONTEXT = 32  # characters of text kept either side of an anchor's quote


def apply_reviews(tables: dict[str, list[dict]], documents: dict[str, Document],
                  decisions: list[Decision], identities: Any = None) -> dict[str, int]:
    """Mutates `tables`: review columns on every reviewable row, corrections, additions,
    rejected rows moved to `rejected`, orphans listed in `review_orphans`. Returns counts.
    `identities` (pipeline.identify.Identities): merged ids, and where old documents were."""
    taken_back = undone(decisions)
    live = [d for d in decisions if d.action not in ("undo", *WORKBENCH_ONLY) and d.decision_id not in taken_back]
    index = {table: {row[key]: row for row in tables.get(table, [])} for table, key in REVIEWABLE.items()}
    for table in REVIEWABLE:
        for row in tables.get(table, []):
            row["review_state"] = "unreviewed"
            row["review"] = None

    orphans, applied = [], 0
    for d in live:
        if d.action == "add":
            if d.target in index["mentions"]:
                continue  # already added by an earlier identical decision
            placed = place_added(d, documents)
            if placed is None:
                orphans.append(orphan(d, gone_reason(d, documents, identities, "the added span's text")))
                continue
            row = added_mention(d, documents, *placed)
            tables.setdefault("mentions", []).append(row)
            index["mentions"][d.target] = row
            applied += 1
            continue
        target = identities.resolve(d.target) if identities is not None else d.target
        row = index.get(d.table, {}).get(target)
        if row is None:
            orphans.append(orphan(d, gone_reason(d, documents, identities, "the record")))
            continue
        quoted = (d.anchor or {}).get("text")
        if d.table == "mentions" and quoted is not None and row["text"] != quoted:
            orphans.append(orphan(d, "document changed: the mention no longer quotes the reviewed text"))
            continue
        record_decision(row, d)
        applied += 1

    resolve_conflicts(tables, index)
    drop_rejected_evidence(tables)

    rejected = []
    for table in REVIEWABLE:
        kept = []
        for row in tables.get(table, []):
            if row["review_state"] == "rejected":
                rejected.append({"table": table, "id": row[REVIEWABLE[table]], "reviewer": row["review"]["reviewer"],
                                 "at": row["review"]["at"], "row": row})
            else:
                kept.append(row)
        if table in tables:
            tables[table] = kept
    # An experiment listed under a network a reviewer rejected has no network.
    gone = {r["id"] for r in rejected if r["table"] == "networks"}
    for experiment in tables.get("experiments", []):
        if experiment.get("network_id") in gone:
            experiment["network_id"] = None
    tables["mentions"].sort(key=lambda r: (r["doc_id"], r["start"], r["end"], r["type"]))
    tables["rejected"] = rejected
    tables["review_orphans"] = orphans
    return {"applied": applied, "orphaned": len(orphans), "rejected": len(rejected)}


def apply_stored_reviews(tables: dict[str, list[dict]], mentions: Any, documents: Any,
                         decisions: list[Decision], identities: Any = None) -> dict[str, int]:
    """apply_reviews for a run whose mentions are in a MentionStore (publish/mentionstore.py):
    the rows the decisions name are taken out of the store, reviewed with the in-memory tables,
    and written back (rejected ones deleted, added ones added); every other mention reads as
    unreviewed. `tables["mentions"]` is left as the reviewed rows only."""
    named = set()
    for d in decisions:
        if d.table == "mentions":
            named.add(d.target)
            if identities is not None:
                named.add(identities.resolve(d.target))
    reviewed = [row for row in map(mentions.get, sorted(named)) if row is not None]
    tables["mentions"] = reviewed
    result = apply_reviews(tables, documents, decisions, identities)
    for entry in tables["rejected"]:
        if entry["table"] == "mentions":
            mentions.delete(entry["id"])
    for row in tables["mentions"]:
        mentions.upsert(row)
    return result


def resolve_conflicts(tables: dict[str, list[dict]], index: dict[str, dict[str, dict]]) -> None:
    """A conflict a reviewer resolved sets its subject's value to the chosen side: an
    experiment's status, a network's member list. The subject records the correction, with
    the conflict it came from."""
    for conflict in tables.get("conflicts", []):
        resolution = (conflict.get("review") or {}).get("resolution")
        if conflict["review_state"] == "rejected" or not resolution:
            continue
        chosen = (resolution.get("chosen") or {}).get("value")
        if conflict["type"] in ("status", "undetermined_status"):
            subject, field = index["experiments"].get(conflict["subject"]), "status"
            new = chosen
        elif conflict["type"] == "member_list" and isinstance(chosen, list):
            subject, field = index["networks"].get(conflict["subject"]), "members"
            new = [m for m in subject["members"] if m["kommunekode"] in set(chosen)] if subject else None
        else:
            continue  # a stated count disagreeing with a list: nothing to set
        if subject is None or subject["review_state"] == "rejected" or subject.get(field) == new:
            continue
        review = subject["review"] or {"corrections": {}}
        extracted = review["corrections"].get(field, {}).get("extracted", subject.get(field))
        decided = conflict["review"]
        review["corrections"][field] = {"extracted": extracted, "reviewer": decided["reviewer"], "at": decided["at"],
                                        "conflict_id": conflict["conflict_id"]}
        review.setdefault("reviewer", decided["reviewer"])
        review.setdefault("at", decided["at"])
        subject[field] = new
        if field == "status":
            subject["status_candidates"] = None
        subject["review"] = review
        subject["review_state"] = "corrected"


def drop_rejected_evidence(tables: dict[str, list[dict]]) -> None:
    """A rejected municipality mention is no evidence: it leaves every member list and
    experiment it was cited in, and a member (or participant) left with no evidence goes."""
    rejected = {(m["doc_id"], m["start"], m["end"]) for m in tables.get("mentions", [])
                if m["review_state"] == "rejected" and m["type"] == "municipality"}
    if not rejected:
        return

    def prune(entries: list[dict]) -> list[dict]:
        kept = []
        for entry in entries:
            sources = [s for s in entry.get("sources", []) if (s["doc_id"], s["start"], s["end"]) not in rejected]
            if sources or not entry.get("sources"):
                kept.append({**entry, "sources": sources})
        return kept

    for network in tables.get("networks", []):
        network["members"] = prune(network["members"])
    for experiment in tables.get("experiments", []):
        experiment["municipalities"] = prune(experiment["municipalities"])


def record_decision(row: dict[str, Any], d: Decision) -> None:
    review = row["review"] or {"corrections": {}}
    review.update(reviewer=d.reviewer, at=d.at, decision_id=d.decision_id)
    if d.action == "accept":
        row["review_state"] = "corrected" if review["corrections"] else "accepted"
    elif d.action == "reject":
        row["review_state"] = "rejected"
    elif d.action == "correct" and d.field:
        # The corrected value replaces the extracted one; the reviewer becomes its provenance.
        extracted = review["corrections"].get(d.field, {}).get("extracted", row.get(d.field))
        review["corrections"][d.field] = {"extracted": extracted, "reviewer": d.reviewer, "at": d.at}
        row[d.field] = d.new
        row["review_state"] = "corrected"
    elif d.action == "resolve":
        review["resolution"] = {"chosen": d.new, "note": d.note}
        row["review_state"] = "accepted"
    if d.note:
        review["note"] = d.note
    row["review"] = review


def gone_reason(d: Decision, documents: dict[str, Document], identities: Any, what: str) -> str:
    """Why a decision's target is not in this run: its document was removed, changed, or (the
    document unchanged) a rule no longer extracts it."""
    anchor = d.anchor or (d.mention or {})
    doc_id = anchor.get("doc_id")
    if doc_id in documents:
        return f"rule change: the document is unchanged, but {what} is no longer extracted"
    source = anchor.get("source") or (identities.source_of(doc_id) if identities is not None else None)
    if source is not None and any(doc.source == source for doc in documents.values()):
        return f"document changed: {source} has new content and {what} is no longer in it"
    if source is not None:
        return f"document removed: {source} is no longer in the dataset"
    return f"document changed or removed: {what} is no longer extracted"


def place_added(d: Decision, documents: dict[str, Document]) -> tuple[Document, int, int] | None:
    """Where a reviewer's added mention stands now: where it was while the document is
    unchanged, else where its quote and context (or its quote alone, once) stand in the
    document now at the same source."""
    m = d.mention or {}
    anchor = d.anchor or {}
    if anchor_holds(anchor or None, documents) and m.get("doc_id") in documents:
        return documents[m["doc_id"]], m["start"], m["end"]
    source = anchor.get("source")
    quote = anchor.get("text")
    if not source or not quote:
        return None
    document = next((doc for doc in documents.values() if doc.source == source), None)
    if document is None:
        return None
    document = documents[document.doc_id]  # with its text (a run's documents list theirs without)
    text = document.text
    spots = []
    at = text.find(quote)
    while at >= 0:
        spots.append(at)
        at = text.find(quote, at + 1)
    prefix, suffix = anchor.get("prefix") or "", anchor.get("suffix") or ""
    exact = [s for s in spots if text[:s].endswith(prefix) and text[s + len(quote):].startswith(suffix)]
    chosen = exact if len(exact) == 1 else (spots if len(spots) == 1 else [])
    return (document, chosen[0], chosen[0] + len(quote)) if chosen else None


def added_mention(d: Decision, documents: dict[str, Document], document: Document | None = None,
                  start: int | None = None, end: int | None = None) -> dict[str, Any]:
    m = d.mention or {}
    if document is None:
        document, start, end = documents[m["doc_id"]], m["start"], m["end"]
    return {
        "mention_id": d.target, "doc_id": document.doc_id, "type": m["type"], "text": document.text[start:end],
        "start": start, "end": end, "page": document.page_of(start), "value": m.get("value"),
        "rule": ADDED_RULE, "role": m.get("role"), "attrs": {},
        "review_state": "accepted",
        "review": {"reviewer": d.reviewer, "at": d.at, "decision_id": d.decision_id, "corrections": {}, "added": True},
    }


def orphan(d: Decision, reason: str) -> dict[str, Any]:
    return {"decision_id": d.decision_id, "action": d.action, "table": d.table, "target": d.target,
            "reviewer": d.reviewer, "at": d.at, "reason": reason, "decision": asdict(d)}


# ---------------------------------------------------------------------- the workbench's view

def anchor_for(table: str, row: dict[str, Any], documents: dict[str, Document]) -> dict[str, Any] | None:
    """The source span a decision on `row` is tied to: the row's own span, else its first source."""
    if table in ("mentions", "decisions"):
        doc_id, start, end = row["doc_id"], row["start"], row["end"]
    else:
        sources = row.get("sources") or []
        if table == "conflicts":
            sources = [s for side in row.get("sides", []) for s in side.get("sources", [])]
        if not sources:
            return None
        first = sources[0]
        doc_id, start, end = first["doc_id"], first["start"], first["end"]
    document = documents.get(doc_id)
    if document is None:
        return None
    return quote_anchor(document, start, end)


def quote_anchor(document: Document, start: int, end: int) -> dict[str, Any]:
    """A span as a decision's anchor: where it was, and the quote with its context to find it
    again after the document changes (W3C TextQuoteSelector: exact, prefix, suffix)."""
    text = document.text
    return {"doc_id": document.doc_id, "source": document.source, "sha256": document.sha256,
            "start": start, "end": end, "text": text[start:end],
            "prefix": text[max(0, start - CONTEXT):start], "suffix": text[end:end + CONTEXT]}


def added_mention_id(doc_id: str, mention_type: str, start: int, end: int) -> str:
    """The id a mention added by a reviewer gets: the same scheme as extracted mentions."""
    return content_id(doc_id, mention_type, start, end)


def load_documents(out) -> dict[str, Document]:
    """Documents of a published output folder, with their stored text."""
    out = Path(out)
    documents = {}
    with (out / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            text = (out / "text" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
            documents[row["doc_id"]] = Document(
                doc_id=row["doc_id"], source=row["source"], sha256=row["sha256"], format=row["format"],
                text=text, kind=row.get("kind"), title=row.get("title"), published=row.get("published"),
                pages=row.get("pages"), page_starts=row.get("page_starts"))
    return documents


def current_view(out, decisions: list[Decision]) -> tuple[dict[str, list[dict]], dict[str, Document]]:
    """What the workbench shows: the last run's tables with every logged decision applied,
    including those made since that run. Rows rejected earlier are brought back (shown as
    rejected, so a reviewer can undo) and corrected values are reset to what was extracted
    before the log is replayed, so replaying is exact."""
    base = ViewBase.read(out)
    return base.with_decisions(decisions), base.documents


class ViewBase:
    """The last run's reviewable rows as they were extracted (corrections reset, rejected rows
    back), its documents and identities: everything of the workbench's view but the log. Read
    once per published version; each change of the log replays onto shallow copies of the rows
    (replaying replaces a row's top-level values, never mutates the nested ones)."""

    def __init__(self, tables: dict[str, list[dict]], documents: dict[str, Document], identities: Any):
        self.tables, self.documents, self.identities = tables, documents, identities

    @classmethod
    def read(cls, out) -> "ViewBase":
        out = Path(out)
        documents = load_documents(out)

        def read(name):
            path = out / f"{name}.jsonl"
            if not path.exists():
                return []
            return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]

        tables = {table: read(table) for table in REVIEWABLE}
        tables["mentions"] = [r for r in tables["mentions"] if r.get("rule") != ADDED_RULE]
        from ..identify import Identities  # merged ids, and where old documents were
        identities = Identities.from_store(out)
        for audit in read("rejected"):
            if audit["table"] in tables:
                tables[audit["table"]].append(audit["row"])
        for table in REVIEWABLE:
            for row in tables[table]:
                for name, correction in ((row.get("review") or {}).get("corrections") or {}).items():
                    row[name] = correction["extracted"]
        return cls(tables, documents, identities)

    def with_decisions(self, decisions: list[Decision]) -> dict[str, list[dict]]:
        tables = {table: [dict(row) for row in rows] for table, rows in self.tables.items()}
        apply_reviews(tables, self.documents, decisions, self.identities)
        # Show rejected rows in place, marked, rather than hiding them.
        for audit in tables.pop("rejected"):
            tables[audit["table"]].append(audit["row"])
        return tables
