"""Release stage: a published dataset -> a versioned, citable release for registries.

    frikommune release --out extracted --to releases

writes `releases/v<N>/`, N one more than the last release there (nothing, when the dataset
has not changed since that release):

  datapackage.json   a Frictionless (Tabular) Data Package: one CSV resource per table with
                     its Table Schema (field types, constraints, primaryKey, foreignKeys),
                     licence, sources (the documents' URLs where the manifest gave them),
                     version and creation time
  <table>.csv        the tables; lists and objects as JSON text, null as an empty cell
  schema.json        the JSON Schemas of the tables
  jsonl/             the tables as published (the next release compares with them)
  changes.csv        every record added, changed or removed since the previous release, by id,
                     with tombstones (removed) and aliases (merged into)
  CHANGELOG.md       this release's changes on top of every earlier release's

and points `releases/LATEST` at it. The release folder is written beside its final name and
renamed into place, so a failed release leaves no half-written version.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .. import __version__
from ..publish import dumps
from ..publish.changes import Previous, changes, counts, read_table
from ..publish.schema import FOREIGN_KEYS, TABLES, VIEWS, COLUMN_SCHEMAS, json_schema, primary_key

RELEASED_TABLES = [t for t in TABLES if t not in ("rejected", "review_orphans", "errors")]
DATA_LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0"}


class ReleaseError(Exception):
    """The dataset cannot be released (missing, or not a dataset)."""


def release(out: Path, to: Path, now: datetime | None = None) -> tuple[str, dict[str, dict[str, int]]]:
    """Writes the next release of the dataset in `out` into `to`. Returns (version, change counts)."""
    out, to = Path(out), Path(to)
    if not (out / "documents.jsonl").is_file():
        raise ReleaseError(f"no dataset in {out}: run `frikommune run` first")
    to.mkdir(parents=True, exist_ok=True)
    previous_dir = latest(to)
    number = int(previous_dir.name[1:]) + 1 if previous_dir else 1
    version = f"{number}.0.0"
    created = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")

    tables = {table: list(read_table(out, table)) for table in TABLES}
    previous = Previous(previous_dir / "jsonl") if previous_dir else Previous(to / ".none")
    lines = [line for line in changes(previous, tables, identity_events(out)) if line["kind"] != "mention"]
    tally = counts(lines)
    if previous_dir is not None and not lines:
        # Nothing to release: the latest release is this dataset (idempotent).
        return json.loads((previous_dir / "datapackage.json").read_text(encoding="utf-8"))["version"], tally

    staging = Path(tempfile.mkdtemp(prefix=f".v{number}-", dir=to))
    try:
        (staging / "jsonl").mkdir()
        for table in RELEASED_TABLES:
            write_csv(staging / f"{table}.csv", table, tables[table])
            src = out / f"{table}.jsonl"
            if src.is_file():
                shutil.copyfile(src, staging / "jsonl" / f"{table}.jsonl")
        (staging / "schema.json").write_text(json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
        package = datapackage(version, created, tables["documents"])
        (staging / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n",
                                                  encoding="utf-8")
        write_changes_csv(staging / "changes.csv", lines)
        earlier = (previous_dir / "CHANGELOG.md").read_text(encoding="utf-8") if previous_dir else ""
        (staging / "CHANGELOG.md").write_text(changelog(version, created, lines, tally, earlier), encoding="utf-8")
        final = to / f"v{number}"
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pointer = to / ".LATEST.tmp"
    pointer.write_text(f"v{number}\n", encoding="utf-8")
    os.replace(pointer, to / "LATEST")
    return version, tally


def latest(to: Path) -> Path | None:
    """The last complete release in `to` (a folder v<N> holding a datapackage.json)."""
    versions = [p for p in to.glob("v*") if p.name[1:].isdigit() and (p / "datapackage.json").is_file()]
    return max(versions, key=lambda p: int(p.name[1:])) if versions else None


def identity_events(out: Path) -> list[dict[str, Any]]:
    """Aliases and splits from the dataset's identity store, for the changelog."""
    events = []
    for entry in read_table(out, "identity"):
        if entry.get("state") == "merged" and entry.get("merged_into"):
            events.append({"table": entry["table"], "id": entry["id"], "event": "merged", "into": entry["merged_into"]})
        elif entry.get("split_into"):
            events.append({"table": entry["table"], "id": entry["id"], "event": "retired", "into": entry["split_into"]})
        if entry.get("derived_from"):
            events.append({"table": entry["table"], "id": entry["id"], "event": "split", "from": entry["derived_from"]})
    return events


# ---------------------------------------------------------------------- Frictionless

def field(table: str, column: str, json_type: str, description: str) -> dict[str, Any]:
    types = [t for t in json_type.split("|") if t != "null"]
    kind = {"string": "string", "integer": "integer", "boolean": "boolean", "array": "array",
            "object": "object"}.get(types[0], "any") if len(types) == 1 else "any"
    out: dict[str, Any] = {"name": column, "type": kind, "description": description}
    constraints: dict[str, Any] = {}
    if "null" not in json_type.split("|"):
        constraints["required"] = True
    extra = COLUMN_SCHEMAS.get((table, column), {})
    if kind == "string" and "enum" in extra:
        constraints["enum"] = [v for v in extra["enum"] if v is not None]
    if kind == "string" and "pattern" in extra:
        # Table Schema patterns match the whole value; JSON Schema's match anywhere unless anchored.
        pattern = extra["pattern"]
        constraints["pattern"] = pattern[1:-1] if pattern.startswith("^") and pattern.endswith("$") \
            else pattern.lstrip("^") + ".*"
    if constraints:
        out["constraints"] = constraints
    return out


def datapackage(version: str, created: str, documents: list[dict]) -> dict[str, Any]:
    resources = []
    for table in RELEASED_TABLES:
        key, columns = TABLES[table]
        schema: dict[str, Any] = {
            "fields": [field(table, c, jt, d) for c, jt, _st, d in columns],
            "primaryKey": list(primary_key(table)),
            "missingValues": [""],
        }
        fks = [{"fields": column, "reference": {"resource": ref_table, "fields": ref_column}}
               for (t, column), (ref_table, ref_column) in FOREIGN_KEYS.items() if t == table]
        if fks:
            schema["foreignKeys"] = fks
        resources.append({"name": table, "path": f"{table}.csv", "profile": "tabular-data-resource",
                          "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    sources = sorted({(d.get("publisher") or d["url"], d["url"]) for d in documents if d.get("url")})
    return {
        "profile": "tabular-data-package",
        "name": "frikommune",
        "title": "Frikommuneforsøg: municipalities, networks, experiments and decisions from public documents",
        "description": "Facts read by rule from Danish public documents about the frikommune experiments. "
                       "Every fact carries the document, character span, page and rule it came from. "
                       "Views (in the SQLite and PostgreSQL loads): " + ", ".join(VIEWS) + ".",
        "version": version,
        "created": created,
        "licenses": [DATA_LICENSE],
        "sources": [{"title": title, "path": url} for title, url in sources]
        or [{"title": "Danish public-sector documents (see documents.csv)"}],
        "contributors": [{"title": f"frikommune pipeline {__version__}", "role": "author"}],
        "resources": resources,
    }


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        return dumps(value)
    return str(value)


def write_csv(path: Path, table: str, rows: list[dict]) -> None:
    columns = [c for c, *_ in TABLES[table][1]]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(columns)
        for row in rows:
            w.writerow([cell(row.get(c)) for c in columns])


# ---------------------------------------------------------------------- changes

def write_changes_csv(path: Path, lines: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["kind", "table", "id", "change", "fields", "merged_into", "split_into", "derived_from", "source"])
        for line in lines:
            w.writerow([line["kind"], line.get("table", "documents" if line["kind"] == "document" else ""),
                        line.get("id") or line.get("doc_id", ""), line["change"],
                        ";".join(sorted(line.get("fields", {}))), line.get("merged_into", ""),
                        ";".join(line.get("split_into", [])),
                        line.get("derived_from", ""), line.get("source", "")])


def changelog(version: str, created: str, lines: list[dict], tally: dict, earlier: str) -> str:
    buf = io.StringIO()
    buf.write(f"## {version} ({created[:10]})\n\n")
    if not lines:
        buf.write("No changes since the previous release.\n\n")
    for group, label in (("documents", "Documents"), ("records", "Records")):
        c = tally.get(group) or {}
        if c:
            buf.write(f"{label}: " + ", ".join(f"{n} {what}" for what, n in c.items()) + ".\n\n")
    by_table: dict[str, list[dict]] = {}
    for line in lines:
        if line["kind"] == "record":
            by_table.setdefault(line["table"], []).append(line)
    for table, entries in by_table.items():
        buf.write(f"### {table}\n\n")
        for e in entries:
            note = ""
            if e["change"] == "updated":
                note = ": " + ", ".join(sorted(e["fields"]))
            elif e.get("merged_into"):
                note = f": merged into `{e['merged_into']}` (alias)"
            elif e.get("split_into"):
                note = ": split into " + ", ".join(f"`{i}`" for i in e["split_into"])
            elif e["change"] == "removed":
                note = " (tombstone: the id is kept and will not be given to another record)"
            elif e.get("derived_from"):
                note = f": split from `{e['derived_from']}`"
            buf.write(f"- {e['change']} `{e['id']}`{note}\n")
        buf.write("\n")
    documents = [line for line in lines if line["kind"] == "document"]
    if documents:
        buf.write("### documents\n\n")
        for d in documents:
            buf.write(f"- {d['change']} {d['source']}\n")
        buf.write("\n")
    header = "# Changelog\n\n"
    return header + buf.getvalue() + (earlier[len(header):] if earlier.startswith(header) else earlier)
