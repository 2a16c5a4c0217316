"""Committee decisions: one row per agenda item of every set of minutes, each field with its span."""

from __future__ import annotations

from typing import Any, Iterable

from ..model import Document, Record, content_id
from .provenance import provenance

FACT_FIELDS = ("agenda_item", "title", "case_number", "body", "municipality", "meeting_date",
               "decision", "decision_text")


def decision_rows(items: Iterable[tuple[Document, Record]]) -> list[dict[str, Any]]:
    """One row per agenda item, ordered by source and place (items may be a stream)."""
    rows = []
    for document, record in items:
        f = record.fields
        value = lambda name: f[name]["value"] if f.get(name) else None  # noqa: E731
        absent = f.get("absent")
        rows.append({
            "decision_id": "dec_" + content_id("agenda_item", document.doc_id, record.start, length=12),
            "doc_id": document.doc_id,
            "agenda_item": value("agenda_item"),
            "title": value("title"),
            "case_number": value("case_number"),
            "body": value("body"),
            "municipality": value("municipality"),
            "meeting_date": value("meeting_date"),
            "decision": value("decision"),
            "decision_label": f["decision"].get("label") if f.get("decision") else None,
            "decision_text": value("decision_text"),
            "absent": [a["value"] for a in absent] if absent is not None else None,
            "mentions_frikommune": bool(f.get("mentions_frikommune")),
            "start": record.start,
            "end": record.end,
            "page": document.page_of(record.start),
            "rule": record.rule,
            "sources": {
                **{name: provenance(document, f[name]) for name in FACT_FIELDS if f.get(name)},
                **({"absent": [provenance(document, a) for a in absent]} if absent else {}),
            },
        })
    return rows
