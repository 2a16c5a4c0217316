"""`frikommune diff --rules NEW_RULES`: what an edit to rules/ would change in the whole dataset,
before anyone keeps it.

The published dataset is re-extracted with the new rules in a scratch folder inside OUT that
starts as a hard-linked copy of the current version, so the run keeps every id (identity store)
and applies the review log exactly as a real run would. The run's own change report against
that copy is the diff: mentions, records and documents added, updated and removed; beside it,
the review decisions that would become orphans. Nothing of OUT changes but `diff.jsonl`.

Sources come from `OUT/originals/` (kept by every run), or from `--sources` when the dataset
was built with --no-originals. The real cache is used and grown, never pruned: unchanged
ingest rules mean no PDF is parsed again, and if the edit is kept the next run is cheap.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .publish import CURRENT, VERSIONS, current_version, dumps, output_lock
from .publish.changes import RECORD_TABLES, read_table
from .publish.originals import original_path
from .review import log as review_log
from .rules import Rules
from .run import CACHE_DIR, run

DIFF_FILE = "diff.jsonl"


class DiffError(Exception):
    """The diff cannot be made (no dataset, originals missing); says why in one line."""


@dataclass
class RuleDiff:
    lines: list[dict[str, Any]] = field(default_factory=list)  # the change report, then orphans
    counts: dict[str, Counter] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)  # documents the new rules could not read


def diff_rules(out: Path, new_rules: Rules, sources: Path | None = None) -> RuleDiff:
    out = Path(out)
    version = current_version(out)
    if version is None or not (version / "documents.jsonl").is_file():
        raise DiffError(f"no dataset in {out}: run `frikommune run` first")
    with output_lock(out):  # no run may switch the version under the comparison
        scratch = Path(tempfile.mkdtemp(prefix=".diff-", dir=out))
        try:
            copy_version(version, scratch)
            if review_log.log_path(out).is_file():
                (scratch / review_log.LOG_DIR).mkdir()
                os.link(review_log.log_path(out), review_log.log_path(scratch))  # read only by the run
            folder = sources or sources_from_originals(out, version, scratch / ".sources")
            summary = run(folder, scratch, new_rules, jobs=None, originals=False,
                          cache_dir=out / CACHE_DIR, prune_cache=False)
            result = RuleDiff(errors=summary.errors)
            result.lines = located(list(read_table(current_version(scratch), "changes")),
                                   current_version(scratch), version)
            before = {o["decision_id"] for o in read_table(version, "review_orphans")}
            for orphan in read_table(current_version(scratch), "review_orphans"):
                if orphan["decision_id"] not in before:
                    result.lines.append({"kind": "review", "change": "orphaned", **orphan})
            result.counts = tally(result.lines)
            write_atomically(out / DIFF_FILE, result.lines)
            return result
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def located(lines: list[dict[str, Any]], new: Path, old: Path) -> list[dict[str, Any]]:
    """Each change with what a reviewer needs to look at it: a record's title and first source
    span, a mention's offsets (from the new rules' dataset, or for a removal the current one)."""
    wanted: dict[str, set[str]] = {}
    for line in lines:
        if line["kind"] in ("record", "mention"):
            wanted.setdefault(line.get("table", "mentions"), set()).add(line["id"])
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for table, ids in wanted.items():
        key = RECORD_TABLES.get(table, "mention_id")
        for folder in (old, new):  # the new rules' row wins where both have one
            for row in read_table(folder, table):
                if row[key] in ids:
                    rows[(table, row[key])] = row
    for line in lines:
        row = rows.get((line.get("table", "mentions"), line.get("id")))
        if row is None:
            continue
        if line["kind"] == "mention":
            line.update(start=row["start"], end=row["end"], rule=row.get("rule"))
            continue
        line["title"] = row.get("title") or row.get("name") or row.get("description") or row.get("kommunekode")
        span = first_span(row)
        if span:
            line["span"] = {k: span.get(k) for k in ("doc_id", "start", "end", "text", "page", "rule")}
    return lines


def first_span(row: dict[str, Any]) -> dict[str, Any] | None:
    sources = row.get("sources")
    if isinstance(sources, dict):  # committee decisions: spans by field
        sources = [s for s in sources.values() if isinstance(s, dict)]
    for source in sources or []:
        if isinstance(source, dict) and "start" in source:
            return source
    for side in row.get("sides") or []:
        for source in side.get("sources") or []:
            return source
    if "start" in row and "doc_id" in row:
        return row
    return None


def copy_version(version: Path, scratch: Path) -> None:
    """scratch/.versions/<name> as hard links of the current version, scratch/current, and the
    fixed names at the top that point into it, as publishing lays them out."""
    target = scratch / VERSIONS / version.name
    shutil.copytree(version, target, copy_function=os.link)
    (scratch / CURRENT).symlink_to(Path(VERSIONS) / version.name)
    for entry in target.iterdir():
        (scratch / entry.name).symlink_to(Path(CURRENT) / entry.name)


def sources_from_originals(out: Path, version: Path, folder: Path) -> Path:
    """A sources folder of hard links to the kept originals, under each document's own name."""
    missing = []
    for row in read_table(version, "documents"):
        original = original_path(out, row["sha256"])
        if not original.is_file():
            missing.append(row["source"])
            continue
        target = folder / row["source"]
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(original, target)
    if missing:
        raise DiffError(f"{len(missing)} documents have no kept original (first: {missing[0]}); "
                        "pass --sources with the folder the dataset was built from")
    folder.mkdir(exist_ok=True)
    return folder


def tally(lines: list[dict[str, Any]]) -> dict[str, Counter]:
    counts: dict[str, Counter] = {}
    for line in lines:
        group = line.get("table") or f"{line['kind']}s"
        counts.setdefault(group, Counter())[line["change"]] += 1
    return counts


def write_atomically(path: Path, lines: list[dict[str, Any]]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        for line in lines:
            fh.write(dumps(line) + "\n")
    os.replace(tmp, path)


def describe(line: dict[str, Any]) -> str:
    """One terminal line for one change."""
    change, kind = line["change"], line["kind"]
    if kind == "mention":
        text = f"{line.get('type')} «{line.get('text')}»"
        if change == "updated":
            value = line["fields"]["value"]
            return f"mention {change:8} {text}: {json.dumps(value['old'], ensure_ascii=False)} -> " \
                   f"{json.dumps(value['new'], ensure_ascii=False)}"
        return f"mention {change:8} {text} = {json.dumps(line.get('value'), ensure_ascii=False)}"
    if kind == "record":
        what = f"{line['table'].rstrip('s')} {line['id']}"
        title = f" «{line['title']}»" if line.get("title") else ""
        if change == "updated":
            fields = line.get("fields") or {}
            shown = [f"{name} {short(f['old'])} -> {short(f['new'])}" if scalar(f) else name
                     for name, f in sorted(fields.items())]
            return f"record  {change:8} {what}{title}: " + ", ".join(shown)
        return f"record  {change:8} {what}{title}"
    if kind == "review":
        return f"review  {change:8} {line.get('action')} by {line.get('reviewer')} on {line.get('table')} " \
               f"{line.get('target')}: {line.get('reason')}"
    return f"{kind:7} {change:8} {line.get('source')}"


def scalar(field_change: dict[str, Any]) -> bool:
    return all(not isinstance(v, (list, dict)) for v in field_change.values())


def short(value: Any, width: int = 40) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"
