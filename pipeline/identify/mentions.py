"""Mention ids that survive an edit elsewhere in the same document.

A mention's id is derived from its document and offsets. When a source file changes, its
document gets a new id and every offset after the edit moves, so every mention would get a new
id. Instead, each mention of the changed document is looked up among the previous version's
mentions by its quote and the text around it (as W3C Web Annotation's TextQuoteSelector does:
exact, prefix, suffix); a mention found there keeps the old id. Mentions the edit really
touched get new ids, and the change report lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..model import Document
from ..publish.changes import Previous
from ..publish.mentionstore import MentionStore

CONTEXT = 32  # characters of prefix and suffix


def selector(text: str, start: int, end: int) -> tuple[str, str, str]:
    return text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT]


def reanchor_mentions(mentions: MentionStore, documents: Mapping[str, Document], previous: Previous,
                      out: Path) -> int:
    """Gives mentions of changed documents their previous ids where quote and context still
    stand (else where the quote is unique in both versions). `mentions` holds this run's rows
    and the previous version's (load_previous). Returns how many kept their id."""
    old_doc_of = {}
    for doc_id, document in documents.items():
        before = previous.documents.get(document.source)
        if before is not None and before["doc_id"] != doc_id:
            old_doc_of[doc_id] = before["doc_id"]
    if not old_doc_of:
        return 0
    old_by_doc: dict[str, list[tuple[str, dict]]] = {}
    for mention_id, m in mentions.previous_of(old_doc_of.values()):
        old_by_doc.setdefault(m["doc_id"], []).append((mention_id, m))

    kept = 0
    for doc_id, old_id in old_doc_of.items():
        rows = mentions.rows_of(doc_id)
        try:
            old_text = (Path(out) / "text" / f"{old_id}.txt").read_text(encoding="utf-8")
        except OSError:
            continue  # the old text is gone: nothing to compare with
        exact: dict[tuple, str] = {}
        one_side: dict[tuple, list[str]] = {}  # the quote with its prefix, or with its suffix
        loose: dict[tuple, list[str]] = {}
        for mention_id, m in old_by_doc.get(old_id, []):
            if not isinstance(m.get("start"), int):
                continue
            quote, prefix, suffix = selector(old_text, m["start"], m["end"])
            exact[(m["type"], quote, prefix, suffix)] = mention_id
            one_side.setdefault((m["type"], quote, "<", prefix), []).append(mention_id)
            one_side.setdefault((m["type"], quote, ">", suffix), []).append(mention_id)
            loose.setdefault((m["type"], m["text"], str(m["value"])), []).append(mention_id)
        new_text = documents[doc_id].text
        new_loose: dict[tuple, int] = {}
        for _seq, row in rows:
            k = (row["type"], row["text"], str(row["value"]))
            new_loose[k] = new_loose.get(k, 0) + 1
        used: set[str] = set()
        for seq, row in rows:
            quote, prefix, suffix = selector(new_text, row["start"], row["end"])
            found = exact.get((row["type"], quote, prefix, suffix))
            if found is None:  # the edit touched one side of the context: the other still places it
                sides = [c for c in (one_side.get((row["type"], quote, "<", prefix), []),
                                     one_side.get((row["type"], quote, ">", suffix), [])) if len(c) == 1]
                found = sides[0][0] if sides else None
            if found is None:
                k = (row["type"], row["text"], str(row["value"]))
                candidates = loose.get(k, [])
                if len(candidates) == 1 and new_loose[k] == 1:
                    found = candidates[0]
            if found is None or found in used or (found != row["mention_id"] and mentions.has(found)):
                continue
            used.add(found)
            row["mention_id"] = found
            mentions.replace(seq, row)
            kept += 1
    return kept
