"""Where a reconciled value came from: one document span, self-contained for a reviewer."""

from __future__ import annotations

import sys
from typing import Any

from ..model import Document


def provenance(document: Document, fact: dict[str, Any]) -> dict[str, Any]:
    return {
        "doc_id": document.doc_id,
        "source": document.source,
        "start": fact["start"],
        "end": fact["end"],
        "page": document.page_of(fact["start"]),
        "text": _shared(fact["text"]),
        # a corpus has a few hundred rule ids and millions of spans: one string per id, not per span
        "rule": sys.intern(fact["rule"]),
    }


def _shared(text: str) -> str:
    """Short quotes recur across documents (municipality names, network names): one string each."""
    return sys.intern(text) if len(text) <= 64 else text


def sort_key(p: dict[str, Any]) -> tuple:
    return (p["source"], p["start"], p["end"])
