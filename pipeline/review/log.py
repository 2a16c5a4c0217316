"""The review log: every reviewer decision, appended to a file no run ever rewrites.

`OUT/review/decisions.jsonl`, one JSON object a line. Writers take an exclusive lock on the
file and append one whole line, so two reviewers (two browser tabs, two server processes)
never lose or interleave each other's decisions. Nothing is ever edited or deleted: an undo
is a new line that names the decision it takes back.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
import dataclasses
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

LOG_DIR = "review"
LOG_FILE = "decisions.jsonl"
ACTIONS = ("accept", "reject", "correct", "add", "resolve", "note", "undo")


@dataclass
class Decision:
    action: str  # one of ACTIONS
    table: str  # mentions | networks | experiments | decisions | conflicts
    target: str  # id of the row (for "add": the id the new mention will have)
    reviewer: str
    field: str | None = None  # the corrected field ("value", "status", "name" …)
    old: Any = None
    new: Any = None
    note: str | None = None
    # Where in which version of which document the decision was made: it applies only while
    # the document still has this sha256 and the quoted text at this position.
    anchor: dict[str, Any] | None = None
    undoes: str | None = None  # decision_id taken back by an "undo"
    mention: dict[str, Any] | None = None  # for "add": type, value, start, end, text, doc_id
    decision_id: str = dataclasses.field(default_factory=lambda: uuid.uuid4().hex)
    at: str = dataclasses.field(default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    def __post_init__(self):
        if self.action not in ACTIONS:
            raise ValueError(f"unknown review action {self.action!r}")


def log_path(out: Path) -> Path:
    return Path(out) / LOG_DIR / LOG_FILE


def append(out: Path, decision: Decision) -> Decision:
    path = log_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(asdict(decision), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, line)
        os.fsync(fd)
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return decision


def undone(decisions: list[Decision]) -> set[str]:
    """decision_ids that a later "undo" took back."""
    return {d.undoes for d in decisions if d.action == "undo" and d.undoes}


def read(out: Path) -> Iterator[Decision]:
    """Every decision in the order written. A torn or foreign line is skipped, never fatal."""
    path = log_path(out)
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            try:
                yield Decision(**json.loads(line))
            except (ValueError, TypeError):
                continue
