"""Load stage: a dataset or a release -> a PostgreSQL database, for registries that outgrow SQLite.

    frikommune load --postgres postgresql://user@host/db [--out extracted | --release releases/v3]

The tables come from the same contract as the SQLite file (pipeline/publish/schema.py):
columns typed by it (lists, objects and a mention's value as jsonb, counts as bigint), a
primary key on every table, foreign keys (checked at commit), its indexes and views. Each row
also gets `removed_at`: null while the dataset holds it.

  upsert    rows are inserted or updated by primary key; a row whose every column is unchanged
            is not touched, so loading the same dataset twice changes nothing
  removed   rows of earlier loads that the dataset no longer holds are marked (removed_at set,
            the views leave them out), never deleted; a row that comes back is unmarked
  atomic    the whole load is one transaction: a failure leaves the database as it was

Returns what it did per table, as OpenStates' importers report it: insert, update, noop,
removed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..publish.changes import read_table
from ..publish.schema import FOREIGN_KEYS, INDEXES, TABLES, VIEWS, primary_key, view_sql

LOADED_TABLES = [t for t in TABLES if t not in ("rejected", "review_orphans", "errors")]


class LoadError(Exception):
    """The load could not run (no dataset, no driver, no database); nothing was changed."""


def pg_type(table: str, column: str, json_type: str) -> str:
    types = [t for t in json_type.split("|") if t != "null"]
    if (table, column) == ("mentions", "value") or len(types) != 1:
        return "jsonb"
    return {"string": "text", "integer": "bigint", "boolean": "boolean", "array": "jsonb", "object": "jsonb"}[types[0]]


def ddl() -> list[str]:
    """CREATE statements, safe to run on a database that has them already."""
    out = []
    for table in LOADED_TABLES:
        _key, columns = TABLES[table]
        parts = [f'"{c}" {pg_type(table, c, jt)}' for c, jt, _st, _d in columns]
        parts.append('"removed_at" timestamptz')
        parts.append("PRIMARY KEY (" + ", ".join(f'"{c}"' for c in primary_key(table)) + ")")
        out.append(f'CREATE TABLE IF NOT EXISTS "{table}" ({", ".join(parts)})')
    for (table, column), (ref_table, ref_column) in FOREIGN_KEYS.items():
        name = f"{table}_{column}_fkey"
        out.append(f"""DO $$ BEGIN
            ALTER TABLE "{table}" ADD CONSTRAINT "{name}" FOREIGN KEY ("{column}")
                REFERENCES "{ref_table}" ("{ref_column}") DEFERRABLE INITIALLY DEFERRED;
            EXCEPTION WHEN duplicate_object THEN NULL; END $$""")
    for table, indexes in INDEXES.items():
        for cols in indexes:
            out.append(f'CREATE INDEX IF NOT EXISTS "{table}_{"_".join(cols)}" ON "{table}" '
                       f'({", ".join(chr(34) + c + chr(34) for c in cols)})')
    for name in VIEWS:
        select = view_sql(name, table=lambda t: f'(SELECT * FROM "{t}" WHERE removed_at IS NULL)',
                          text=lambda x: f"({x} #>> '{{}}')")
        out.append(f'CREATE OR REPLACE VIEW "{name}" AS {select}')
    out.append("""CREATE TABLE IF NOT EXISTS frikommune_loads (
        load_id bigserial PRIMARY KEY, loaded_at timestamptz NOT NULL DEFAULT now(),
        source text NOT NULL, report jsonb NOT NULL)""")
    return out


def dataset_folder(out: Path | None, release: Path | None) -> Path:
    if release is not None:
        folder = Path(release) / "jsonl"
        if not (folder / "documents.jsonl").is_file():
            raise LoadError(f"no release in {release} (expected {folder}/documents.jsonl)")
        return folder
    folder = Path(out or "extracted")
    if not (folder / "documents.jsonl").is_file():
        raise LoadError(f"no dataset in {folder}: run `frikommune run` first")
    return folder


def load(url: str, out: Path | None = None, release: Path | None = None) -> dict[str, dict[str, int]]:
    folder = dataset_folder(out, release)
    try:
        import psycopg
        from psycopg.types.json import Jsonb
    except ImportError as exc:
        raise LoadError("the PostgreSQL driver is not installed: pip install 'frikommune[postgres]'") from exc
    try:
        conn = psycopg.connect(url, autocommit=False)
    except psycopg.Error as exc:
        raise LoadError(f"cannot connect to PostgreSQL: {str(exc).strip().splitlines()[0]}") from exc
    report: dict[str, dict[str, int]] = {}
    try:
        with conn.transaction():
            with conn.cursor() as cur:
                for statement in ddl():
                    cur.execute(statement)
                for table in LOADED_TABLES:
                    report[table] = _load_table(cur, table, read_table(folder, table))
                cur.execute("INSERT INTO frikommune_loads (source, report) VALUES (%s, %s)",
                            (str(folder), Jsonb(report)))
    except psycopg.Error as exc:
        raise LoadError(f"load failed and was rolled back: {str(exc).strip().splitlines()[0]}") from exc
    finally:
        conn.close()
    return report


def _load_table(cur, table: str, rows: Iterator[dict[str, Any]]) -> dict[str, int]:
    _key, columns = TABLES[table]
    names = [c for c, *_ in columns]
    key = list(primary_key(table))
    jsonb = {c for c, jt, *_ in columns if pg_type(table, c, jt) == "jsonb"}
    # Staged in a temporary table, then merged in one statement per kind of change.
    cur.execute(f'CREATE TEMP TABLE "incoming" (LIKE "{table}" INCLUDING DEFAULTS) ON COMMIT DROP')
    quoted = ", ".join(f'"{c}"' for c in names)
    with cur.copy(f'COPY "incoming" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_value(row.get(c), c in jsonb) for c in names])
    on = " AND ".join(f't."{k}" = i."{k}"' for k in key)
    differs = " OR ".join(f't."{c}" IS DISTINCT FROM i."{c}"' for c in names if c not in key)
    cur.execute(f'SELECT count(*) FROM "incoming" i WHERE NOT EXISTS (SELECT 1 FROM "{table}" t WHERE {on})')
    inserted = cur.fetchone()[0]
    cur.execute(f'SELECT count(*) FROM "incoming" i JOIN "{table}" t ON {on} '
                f'WHERE t.removed_at IS NOT NULL' + (f" OR {differs}" if differs else ""))
    updated = cur.fetchone()[0]
    cur.execute(f'SELECT count(*) FROM "incoming"')
    total = cur.fetchone()[0]
    assignments = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in names if c not in key)
    set_clause = (assignments + ", " if assignments else "") + '"removed_at" = NULL'
    where = f'"{table}".removed_at IS NOT NULL' + (
        " OR " + " OR ".join(f'"{table}"."{c}" IS DISTINCT FROM EXCLUDED."{c}"' for c in names if c not in key)
        if differs else "")
    cur.execute(f'INSERT INTO "{table}" ({quoted}) SELECT {quoted} FROM "incoming" '
                f'ON CONFLICT ({", ".join(chr(34) + k + chr(34) for k in key)}) DO UPDATE SET {set_clause} WHERE {where}')
    cur.execute(f'UPDATE "{table}" t SET removed_at = now() WHERE t.removed_at IS NULL '
                f'AND NOT EXISTS (SELECT 1 FROM "incoming" i WHERE {on})')
    removed = cur.rowcount
    cur.execute('DROP TABLE "incoming"')
    return {"insert": inserted, "update": updated, "noop": total - inserted - updated, "removed": removed}


def _value(value: Any, as_json: bool) -> Any:
    if value is None:
        return None
    if as_json:
        return json.dumps(value, ensure_ascii=False)
    return value
