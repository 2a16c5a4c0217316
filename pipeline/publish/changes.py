"""What a run changed since the previous one (OpenStates-style insert/update/noop).

Compared with the dataset the output folder holds before the run:

  documents   by source path: added, changed (new bytes), removed
  records     networks, experiments, decisions, memberships, municipalities, conflicts by id: added,
              updated (with the fields that changed, old and new value), removed (and merged
              or split, from the identify stage)
  mentions    by mention id (document, type, span): added, removed, updated (the same span
              with another value)

`OUT/changes.jsonl` gets one line per change; run.json and the summary get the counts. A rerun
that changes nothing writes an empty changes.jsonl.
"""

from __future__ import annotations

import json
import zlib
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

import orjson

from . import dumps
from .schema import TABLES

RECORD_TABLES = {"networks": "network_id", "experiments": "experiment_id", "decisions": "decision_id",
                 "memberships": "membership_id", "municipalities": "kommunekode", "conflicts": "conflict_id"}
# What a reviewer did is in the review log; a changed review is no change of the data.
NOT_COMPARED = {"review_state", "review"}


def read_table(out: Path, table: str) -> Iterator[dict[str, Any]]:
    path = Path(out) / f"{table}.jsonl"
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    yield json.loads(line)
                except ValueError:
                    continue


class PackedRows(Mapping):
    """id -> row of one previous table, each row held as its compressed JSON line and decoded
    when asked for: a row citing thousands of documents is megabytes as objects."""

    def __init__(self, out: Path, table: str, key: str):
        self._lines: dict[str, bytes] = {}
        path = Path(out) / f"{table}.jsonl"
        if not path.is_file():
            return
        with path.open("rb") as fh:
            for line in fh:
                try:
                    record_id = orjson.loads(line)[key]
                except (ValueError, KeyError, TypeError):
                    continue  # a blank or torn line, or not a row: as read_table
                self._lines[record_id] = zlib.compress(line, 1)

    def __getitem__(self, record_id: str) -> dict[str, Any]:
        return orjson.loads(zlib.decompress(self._lines[record_id]))

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


class Previous:
    """The dataset in the output folder before this run: what the change report compares with.
    Its documents are held, its records packed (PackedRows); its mentions are read as a stream
    (`mention_rows`) into the run's mention store (publish/mentionstore.py), which compares them."""

    def __init__(self, out: Path):
        self.out = out
        self.documents = {row["source"]: row for row in read_table(out, "documents")}
        self.records = {table: PackedRows(out, table, key) for table, key in RECORD_TABLES.items()}

    def mention_rows(self) -> Iterator[dict[str, Any]]:
        return read_table(self.out, "mentions")


def changes(previous: Previous, tables: dict[str, list[dict]], events: list[dict]) -> list[dict[str, Any]]:
    """The document and record lines of the change report; the mention lines come from the
    mention store (MentionStore.changes), which holds both versions' mentions."""
    out: list[dict[str, Any]] = []
    current_docs = {row["source"]: row for row in tables["documents"]}
    for source in sorted(set(previous.documents) | set(current_docs)):
        old, new = previous.documents.get(source), current_docs.get(source)
        if old is None:
            out.append({"kind": "document", "change": "added", "source": source, "doc_id": new["doc_id"]})
        elif new is None:
            out.append({"kind": "document", "change": "removed", "source": source, "doc_id": old["doc_id"]})
        elif old["sha256"] != new["sha256"]:
            out.append({"kind": "document", "change": "changed", "source": source,
                        "old_doc_id": old["doc_id"], "doc_id": new["doc_id"]})

    how = {(e["table"], e["id"]): e for e in events}
    for table, key in RECORD_TABLES.items():
        columns = [c for c, *_ in TABLES[table][1] if c not in NOT_COMPARED]
        before = previous.records[table]
        after = {row[key]: row for row in tables.get(table, [])}
        for record_id in sorted(set(before) | set(after)):
            old, new = before.get(record_id), after.get(record_id)
            event = how.get((table, record_id), {})
            if old is None:
                line = {"kind": "record", "table": table, "id": record_id, "change": "added"}
                if event.get("event") == "split":
                    line["derived_from"] = event["from"]
                out.append(line)
            elif new is None:
                line = {"kind": "record", "table": table, "id": record_id, "change": "removed"}
                if event.get("event") == "merged":
                    line["merged_into"] = event["into"]
                elif event.get("event") == "retired":
                    line["split_into"] = event["into"]
                out.append(line)
            else:
                fields = {c: {"old": old.get(c), "new": new.get(c)} for c in columns
                          if old.get(c) != new.get(c) and dumps(old.get(c)) != dumps(new.get(c))}
                if fields:
                    out.append({"kind": "record", "table": table, "id": record_id, "change": "updated",
                                "fields": fields})

    return out


def counts(lines: list[dict[str, Any]], mentions: Counter | None = None) -> dict[str, dict[str, int]]:
    """{"documents": {"added": 1, ...}, "records": {...}, "mentions": {...}}; `mentions`: the
    mention lines' counts when the lines themselves are streamed (MentionStore.change_counts)."""
    tally: dict[str, Counter] = {"documents": Counter(), "records": Counter(), "mentions": Counter(mentions or {})}
    group = {"document": "documents", "record": "records", "mention": "mentions"}
    for line in lines:
        tally[group[line["kind"]]][line["change"]] += 1
    return {name: dict(sorted(c.items())) for name, c in tally.items()}
