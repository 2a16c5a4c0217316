"""One record per municipality found, with the documents it appears in (counted by the run
from its mention store, after review)."""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any, Iterable

from ..model import Mention
from ..rules import Rules


def municipality_records(rules: Rules, mentions: Iterable[tuple[str, Mention]]) -> list[dict[str, Any]]:
    """`mentions` are (doc_id, mention) pairs; returns rows sorted by kommunekode."""
    gazetteer = {row["kode"]: row for row in rules.csv("municipalities.csv")}
    documents: dict[str, set[str]] = defaultdict(set)
    counts: dict[str, int] = defaultdict(int)
    for doc_id, mention in mentions:
        if mention.type == "municipality" and mention.value:
            documents[mention.value].add(doc_id)
            counts[mention.value] += 1
    rows = []
    for code in sorted(documents):
        entry = gazetteer.get(code, {})
        rows.append({
            "kommunekode": code,
            "name": entry.get("navn"),
            "region_code": entry.get("region_kode"),
            "region": entry.get("region_navn"),
            "documents": sorted(documents[code]),
            "mentions": counts[code],
        })
    return rows


def recounted(rules: Rules, mention_rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The municipality rows after review: from the mentions the reviewers kept, with corrected
    values and added mentions (a municipality no kept mention names leaves). `mention_rows`
    may be a stream."""
    # one doc_id string per document, however many municipalities it names (rows decode afresh)
    kept = ((sys.intern(row["doc_id"]), Mention(row["type"], row["start"], row["end"], row["text"], row["value"], row["rule"]))
            for row in mention_rows if row["type"] == "municipality" and row.get("review_state") != "rejected")
    return municipality_records(rules, kept)
