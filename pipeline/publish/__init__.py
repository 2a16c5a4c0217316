"""Publish stage: records -> the files of the output folder.

Each run writes a complete new version, `OUT/.versions/<id>/`, and publishes it in one step:
the symlink `OUT/current` is switched to it with a single rename. Every published name at
the top of OUT (`documents.jsonl`, `text`, `dataset.sqlite`, ...) is a fixed symlink into
`current`, so readers keep their paths; a reader that needs several files from one version
(the workbench) resolves `current` once. A crash at any moment leaves `current` on the old
version or on the new one, never between. The previous version is kept one run longer for
readers still in it; older ones are removed. Rows are sorted and serialised
deterministically: rerunning on the same input gives byte-identical tables. Files the run
does not own (anything not listed in OWNED) are never touched.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from collections.abc import Mapping
from typing import Any, Callable, Iterable, Iterator

import orjson

from ..model import Document
from ..packed import PackedList, as_json
from .schema import FOREIGN_KEYS, INDEXES, TABLES, VIEWS, json_schema, primary_key, view_sql

TABLE_FILES = {table: f"{table}.jsonl" for table in TABLES}
# per table, the columns holding lists or objects: those a run may hold packed
NESTED_COLUMNS = {table: tuple(c for c, json_type, *_ in columns if "array" in json_type or "object" in json_type)
                  for table, (_key, columns) in TABLES.items()}
# Written beside the tables, one JSON object a line: the identity store (pipeline/identify),
# the change report (publish/changes.py), and the review log's unreadable lines.
SIDE_FILES = ("identity.jsonl", "changes.jsonl", "review_errors.jsonl")
OWNED = [*TABLE_FILES.values(), *SIDE_FILES, "dataset.sqlite", "schema.json", "run.json", "text"]


def dumps(value: Any) -> str:
    """Compact JSON, UTF-8 as is, keys in insertion order. orjson: ~10x faster than json here,
    and publishing serialises every row twice (JSONL, and nested values for SQLite). A run's
    rows hold their provenance lists packed (pipeline/packed.py): they serialise as lists."""
    return orjson.dumps(value, default=as_json).decode("utf-8")


def project(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """Keep exactly the schema's columns, in the schema's order."""
    return {col: row.get(col) for col, *_ in TABLES[table][1]}


VERSIONS = ".versions"
CURRENT = "current"


class Staging:
    """The next version of the output folder, built beside the current one.

    Texts can be written while documents are still being processed (`add_text`); `publish`
    writes the tables and switches `current` to the new version. Leaving the `with` block
    without publishing (an exception) removes the staging folder and leaves the output as it
    was.
    """

    def __init__(self, out: Path):
        self.out = out

    def __enter__(self) -> "Staging":
        versions = self.out / VERSIONS
        versions.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=".staging-", dir=versions))
        (self.dir / "text").mkdir()
        # the run's working files (the mention store): beside the version, never published
        self.scratch = Path(tempfile.mkdtemp(prefix=".staging-scratch-", dir=versions))
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(self.scratch, ignore_errors=True)

    def text_path(self, doc_id: str) -> Path:
        return self.dir / "text" / f"{doc_id}.txt"

    def add_text(self, doc_id: str, text: str) -> None:
        self.text_path(doc_id).write_text(text, encoding="utf-8", newline="")

    def publish(self, tables: dict[str, Iterable[dict[str, Any]]], run_info: dict[str, Any],
                side_files: dict[str, Iterable[dict[str, Any]]] | None = None) -> None:
        """Writes every table and side file and switches `current` to the new version. A table
        may be a stream that can be read again (the mention store): it is read once for its
        JSONL file and once for SQLite, never held whole."""

        def rows(table: str) -> Iterator[dict[str, Any]]:
            return (project(table, r) for r in tables.get(table, []))

        for table, filename in TABLE_FILES.items():
            write_jsonl(self.dir / filename, rows(table), NESTED_COLUMNS[table])
        for filename in SIDE_FILES:
            write_jsonl(self.dir / filename, (side_files or {}).get(filename, []))
        write_sqlite(self.dir / "dataset.sqlite", rows)
        (self.dir / "schema.json").write_text(
            json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        (self.dir / "run.json").write_text(
            json.dumps(run_info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        swap_into_place(self.dir, self.out)


    def republish(self, current: Path, run_info: dict[str, Any]) -> None:
        """A new version that is the current one with an empty change report and `run_info`
        (a rerun that changed nothing), made of hard links: nothing is serialised again."""
        from ..state import relink

        relink(current, self.dir, "changes.jsonl", "run.json", run_info)
        swap_into_place(self.dir, self.out)


class StagedDocuments(Mapping):
    """doc_id -> Document for documents whose text a run no longer holds: each lookup reads the
    text back from the staging folder (the few documents a review or a re-anchoring needs);
    `values()` gives them without their text."""

    def __init__(self, light: dict[str, Document], text_path: Callable[[str], Path]):
        self.light, self.text_path = light, text_path

    def __getitem__(self, doc_id: str) -> Document:
        document = self.light[doc_id]
        return dataclasses.replace(document, text=self.text_path(doc_id).read_text(encoding="utf-8"))

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.light

    def __iter__(self) -> Iterator[str]:
        return iter(self.light)

    def __len__(self) -> int:
        return len(self.light)

    def values(self):  # metadata only: reading every text back would defeat the point
        return self.light.values()

    def items(self):
        return self.light.items()


def write_jsonl(path: Path, rows: Iterable[dict[str, Any]], nested: tuple[str, ...] = ()) -> None:
    """`nested`: the columns that may hold a packed list (pipeline/packed.py). A row citing
    thousands of documents is megabytes of JSON, held packed: such a row is written a value at
    a time (write_json), so its whole text is never in memory at once."""
    with path.open("wb") as fh:
        for row in rows:
            if any(_holds_packed(row.get(column)) for column in nested):
                write_json(fh, row)
            else:
                fh.write(orjson.dumps(row, default=as_json))
            fh.write(b"\n")


def write_json(fh, value: Any) -> None:
    """orjson.dumps(value) written to `fh` byte for byte, a value at a time, each packed list
    from its stored JSON."""
    if isinstance(value, dict):
        fh.write(b"{")
        for i, (key, item) in enumerate(value.items()):
            fh.write(b"," if i else b"")
            fh.write(orjson.dumps(key))
            fh.write(b":")
            write_json(fh, item)
        fh.write(b"}")
    elif isinstance(value, list) and _holds_packed(value):
        fh.write(b"[")
        for i, item in enumerate(value):
            fh.write(b"," if i else b"")
            write_json(fh, item)
        fh.write(b"]")
    elif isinstance(value, PackedList):
        fh.write(value.json())
    else:
        fh.write(orjson.dumps(value, default=as_json))


def _holds_packed(value: Any) -> bool:
    """A packed list, or a list of objects (a network's members) holding one."""
    if isinstance(value, PackedList):
        return True
    return (isinstance(value, list) and bool(value) and isinstance(value[0], dict)
            and any(isinstance(v, PackedList) for v in value[0].values()))


def write_sqlite(path: Path, rows: Callable[[str], Iterable[dict[str, Any]]]) -> None:
    """`rows(table)`: the table's projected rows."""
    con = sqlite3.connect(path)
    # A staging file, moved into place only when complete: no journal or fsync needed here.
    con.execute("PRAGMA journal_mode = OFF")
    con.execute("PRAGMA synchronous = OFF")
    try:
        for statement in sqlite_ddl():
            con.execute(statement)
        for table, (_key, columns) in TABLES.items():
            names = [c for c, *_ in columns]
            # Nested values come as JSON bytes and are stored as TEXT: a row that cites thousands
            # of documents is then copied fewer times than as a Python str (see sql_value).
            values = ", ".join(f"iif(typeof(?{i}) = 'blob', CAST(?{i} AS TEXT), ?{i})" for i in range(1, len(names) + 1))
            con.executemany(f'INSERT INTO "{table}" VALUES ({values})',
                            ([sql_value(r[c]) for c in names] for r in rows(table)))
        con.commit()
    finally:
        con.close()


def sqlite_ddl() -> list[str]:
    """CREATE statements from the contract: typed columns, primary and foreign keys, indexes, views."""
    out = []
    for table, (_key, columns) in TABLES.items():
        parts = [f'"{c}" {sql_type(table, c, sqltype)}' for c, _jt, sqltype, _d in columns]
        parts.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in primary_key(table)) + ")")
        for (t, column), (ref_table, ref_column) in FOREIGN_KEYS.items():
            if t == table:
                parts.append(f'FOREIGN KEY ("{column}") REFERENCES "{ref_table}" ("{ref_column}")')
        out.append(f'CREATE TABLE "{table}" ({", ".join(parts)})')
    for table, indexes in INDEXES.items():
        for cols in indexes:
            out.append(f'CREATE INDEX "{table}_{"_".join(cols)}" ON "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)})')
    for name in VIEWS:
        out.append(f'CREATE VIEW "{name}" AS {view_sql(name)}')
    return out


def sql_type(table: str, column: str, declared: str) -> str:
    # A mention's value is a code, a date, a status (text) or a count (integer): no type
    # affinity, so each keeps its own type (a count stays an INTEGER).
    return "" if (table, column) == ("mentions", "value") else declared


def sql_value(value: Any) -> Any:
    """Lists and objects go into SQLite as JSON text (query them with json_each / ->>): given
    as UTF-8 bytes, which the INSERT of write_sqlite casts to TEXT."""
    if isinstance(value, (list, dict, PackedList)):
        return orjson.dumps(value, default=as_json)
    return value


def swap_into_place(staging: Path, out: Path) -> None:
    """Publishes a finished staging folder: one rename makes it a version, one rename of a
    symlink makes that version current. Then the fixed top-level links are made (once) and
    versions older than the previous one are removed."""
    versions = out / VERSIONS
    version = versions / f"v{time.time_ns():x}"
    os.replace(staging, version)
    link = out / f".current-{os.getpid()}.tmp"
    link.unlink(missing_ok=True)
    os.symlink(os.path.join(VERSIONS, version.name), link)
    previous = current_version(out)
    if (out / CURRENT).is_dir() and not (out / CURRENT).is_symlink():
        # a copy of an output folder made without its links (cp -r, copytree): set it aside
        retired = Path(tempfile.mkdtemp(prefix=".retired-", dir=out))
        os.replace(out / CURRENT, retired / CURRENT)
    os.replace(link, out / CURRENT)  # the publishing step: atomic
    for name in OWNED:
        _top_level_link(out, name)
    keep = {version.name, previous.name if previous else None}
    for old in versions.iterdir():
        if old.name not in keep and not old.name.startswith(".staging-"):
            shutil.rmtree(old, ignore_errors=True)


def current_version(out: Path) -> Path | None:
    """The version folder `OUT/current` points at, or None (nothing published yet, or the layout
    of an older release of this tool, with real files at the top)."""
    link = Path(out) / CURRENT
    if not link.is_symlink():
        return None
    return (Path(out) / os.readlink(link)).resolve()


def _top_level_link(out: Path, name: str) -> None:
    """OUT/<name> -> current/<name>. An older layout's real file or folder is replaced by the
    link (atomically for a file; a folder is moved aside first)."""
    path = out / name
    target = os.path.join(CURRENT, name)
    if path.is_symlink() and os.readlink(path) == target:
        return
    tmp = out / f".link-{os.getpid()}-{name}.tmp"
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    if path.is_dir() and not path.is_symlink():
        retired = Path(tempfile.mkdtemp(prefix=".retired-", dir=out))
        os.replace(path, retired / name)
        os.replace(tmp, path)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(tmp, path)


def clean_leftovers(out: Path) -> None:
    """Staging folders, retired folders and link temporaries of runs that were killed (the
    caller holds the output folder's lock, so none of them is in use)."""
    out = Path(out)
    for pattern in (".staging-*", ".retired-*", ".diff-*", f"{VERSIONS}/.staging-*"):
        for path in out.glob(pattern):
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    for path in out.glob(".*.tmp"):
        path.unlink(missing_ok=True)


class OutputLocked(Exception):
    """Another run holds the output folder."""


@contextlib.contextmanager
def output_lock(out: Path):
    """An exclusive lock on OUT for a whole run (`OUT/.lock`, flock: released by the kernel if
    the run dies). A second run on the same folder does not wait: it stops with OutputLocked."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fd = os.open(out / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "?"
            raise OutputLocked(f"another run (pid {holder}) is writing {out}; try again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield
    finally:
        os.close(fd)
