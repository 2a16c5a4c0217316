"""The run's mention rows on disk, so a run's memory does not grow with its corpus.

Mentions are most of a dataset's rows (about 30 a document). A run writes each document's rows
here as the document finishes, and the later steps read them back as a stream or by id:

  reanchor     the rows of the few documents whose source changed     rows_of, replace
  review       the rows a decision names                              get, upsert, delete
  recount      the municipality rows                                  of_type
  change report  against the previous version's mentions, loaded     load_previous, changes
               into the same file
  publish      every row, in the published order                     iteration

The store is an SQLite file in the staging folder (it goes with it), written without journal
or fsync: it lives only as long as the run. Rows are stored whole (orjson) beside the few
columns the steps select and order by. Iteration gives the published order, (doc_id, start,
end, type), rows of equal keys in the order they were added, which is what the in-memory sort
gave; a row never reviewed reads as `review_state` "unreviewed".
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Iterator

import orjson

# The previous version's mentions are compared by these fields only (publish/changes.py).
COMPARED = ("doc_id", "type", "text", "value", "start", "end")
REPORTED = ("doc_id", "type", "text", "value")


def _encode(row: dict[str, Any]) -> bytes:
    return orjson.dumps(row)


def _decode(blob: bytes) -> dict[str, Any]:
    row = orjson.loads(blob)
    row.setdefault("review_state", "unreviewed")
    row.setdefault("review", None)
    return row


class MentionStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.con = sqlite3.connect(self.path)
        self.con.execute("PRAGMA journal_mode = OFF")
        self.con.execute("PRAGMA synchronous = OFF")
        self.con.execute("PRAGMA temp_store = FILE")  # large sorts spill to disk, not to memory
        # `value`: the mention's value as JSON, so the change report compares values in SQL
        self.con.execute('CREATE TABLE m (seq INTEGER PRIMARY KEY, mention_id TEXT, doc_id TEXT, type TEXT, '
                         '"start" INTEGER, "end" INTEGER, value BLOB, row BLOB)')
        self.con.execute('CREATE INDEX m_id ON m (mention_id)')
        self.con.execute('CREATE INDEX m_order ON m (doc_id, "start", "end", type, seq)')
        self.con.execute('CREATE TABLE p (mention_id TEXT PRIMARY KEY, doc_id TEXT, value BLOB, row BLOB)')
        self.con.execute('CREATE INDEX p_doc ON p (doc_id)')

    def close(self) -> None:
        self.con.close()

    # ------------------------------------------------------------------ writing
    def add(self, rows: Iterable[dict[str, Any]]) -> None:
        self.con.executemany(
            'INSERT INTO m (mention_id, doc_id, type, "start", "end", value, row) VALUES (?, ?, ?, ?, ?, ?, ?)',
            ((r["mention_id"], r["doc_id"], r["type"], r["start"], r["end"], _encode(r.get("value")), _encode(r))
             for r in rows))

    def replace(self, seq: int, row: dict[str, Any]) -> None:
        self.con.execute('UPDATE m SET mention_id = ?, value = ?, row = ? WHERE seq = ?',
                         (row["mention_id"], _encode(row.get("value")), _encode(row), seq))

    def upsert(self, row: dict[str, Any]) -> None:
        """The row of its mention_id replaced in place, or added after every other row."""
        found = self.con.execute('SELECT seq FROM m WHERE mention_id = ?', (row["mention_id"],)).fetchone()
        if found is None:
            self.add([row])
        else:
            self.replace(found[0], row)

    def delete(self, mention_id: str) -> None:
        self.con.execute('DELETE FROM m WHERE mention_id = ?', (mention_id,))

    # ------------------------------------------------------------------ reading
    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self._ordered("", ())

    def _ordered(self, where: str, args: tuple) -> Iterator[dict[str, Any]]:
        """Rows in the published order, optionally filtered."""
        for (blob,) in self.con.execute(f'SELECT row FROM m {where} ORDER BY doc_id, "start", "end", type, seq', args):
            yield _decode(blob)

    def __len__(self) -> int:
        return self.con.execute('SELECT count(*) FROM m').fetchone()[0]

    def get(self, mention_id: str) -> dict[str, Any] | None:
        found = self.con.execute('SELECT row FROM m WHERE mention_id = ?', (mention_id,)).fetchone()
        return _decode(found[0]) if found else None

    def has(self, mention_id: str) -> bool:
        return self.con.execute('SELECT 1 FROM m WHERE mention_id = ?', (mention_id,)).fetchone() is not None

    def rows_of(self, doc_id: str) -> list[tuple[int, dict[str, Any]]]:
        """(seq, row) of one document, in the order they were added."""
        return [(seq, _decode(blob)) for seq, blob in
                self.con.execute('SELECT seq, row FROM m WHERE doc_id = ? ORDER BY seq', (doc_id,))]

    def of_type(self, mention_type: str) -> Iterator[dict[str, Any]]:
        return self._ordered("WHERE type = ?", (mention_type,))

    def counts_by_type(self) -> Counter:
        return Counter(dict(self.con.execute('SELECT type, count(*) FROM m GROUP BY type')))

    # ------------------------------------------------------------------ the previous version
    def load_previous(self, rows: Iterable[dict[str, Any]]) -> None:
        """The previous version's mentions (a stream of its mentions.jsonl rows), for the change
        report and for re-anchoring; only the compared fields are kept."""
        self.con.executemany(
            'INSERT OR REPLACE INTO p (mention_id, doc_id, value, row) VALUES (?, ?, ?, ?)',
            ((r["mention_id"], r.get("doc_id"), _encode(r.get("value")), orjson.dumps({k: r.get(k) for k in COMPARED}))
             for r in rows))

    def previous_of(self, doc_ids: Iterable[str]) -> Iterator[tuple[str, dict[str, Any]]]:
        """(mention_id, compared fields) of the previous version's mentions in these documents."""
        for doc_id in sorted(set(doc_ids)):
            for mention_id, blob in self.con.execute('SELECT mention_id, row FROM p WHERE doc_id = ? ORDER BY rowid',
                                                     (doc_id,)):
                yield mention_id, orjson.loads(blob)

    _REMOVED = 'FROM p WHERE NOT EXISTS (SELECT 1 FROM m WHERE m.mention_id = p.mention_id)'
    _ADDED = 'FROM m WHERE NOT EXISTS (SELECT 1 FROM p WHERE p.mention_id = m.mention_id)'
    _UPDATED = 'FROM m JOIN p ON p.mention_id = m.mention_id WHERE m.value IS NOT p.value'

    def change_counts(self) -> Counter:
        """How many mentions the change report lists as added, removed and updated."""
        tally = Counter()
        for change, where in (("removed", self._REMOVED), ("added", self._ADDED), ("updated", self._UPDATED)):
            n = self.con.execute(f"SELECT count(*) {where}").fetchone()[0]
            if n:
                tally[change] = n
        return tally

    def changes(self) -> Iterator[dict[str, Any]]:
        """The mention lines of the change report: removed, then added, then updated, each by id."""
        for mention_id, blob in self.con.execute(f'SELECT p.mention_id, p.row {self._REMOVED} ORDER BY p.mention_id'):
            old = orjson.loads(blob)
            yield {"kind": "mention", "change": "removed", "id": mention_id, **{k: old.get(k) for k in REPORTED}}
        for mention_id, blob in self.con.execute(f'SELECT m.mention_id, m.row {self._ADDED} ORDER BY m.mention_id'):
            row = orjson.loads(blob)
            yield {"kind": "mention", "change": "added", "id": mention_id, **{k: row.get(k) for k in REPORTED}}
        for mention_id, old_blob, blob in self.con.execute(
                f'SELECT m.mention_id, p.row, m.row {self._UPDATED} ORDER BY m.mention_id'):
            old, row = orjson.loads(old_blob), orjson.loads(blob)
            yield {"kind": "mention", "change": "updated", "id": mention_id,
                   **{k: row.get(k) for k in ("doc_id", "type", "text")},
                   "fields": {"value": {"old": old.get("value"), "new": row.get("value")}}}
