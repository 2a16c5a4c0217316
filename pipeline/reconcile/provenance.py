"""Where a reconciled value came from: one document span, self-contained for a reviewer."""

from __future__ import annotations

from typing import Any

from ..model import Document


def provenance(document: Document, fact: dict[str, Any]) -> dict[str, Any]:
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "start": fact["start"],
        "end": fact["end"],
        "page": document.page_of(fact["start"]),
        "text": fact["text"],
        "rule": fact["rule"],
    }


def sort_key(p: dict[str, Any]) -> tuple:
    return (p["source"], p["start"], p["end"])
