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
ACTIONS = ("accept", "reject", "correct", "add", "resolve", "note", "undo", "flag", "unflag")
# Marks for the reviewers' own work, kept in the log but never applied to the dataset.
WORKBENCH_ONLY = ("flag", "unflag")


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


class LogWriteError(OSError):
    """A decision could not be stored whole (disk full, quota, I/O error): it is not in the log."""


def append(out: Path, decision: Decision) -> Decision:
    """Stores one decision durably: the whole line is written and fsynced before this returns.
    A short or failed write raises LogWriteError; the torn tail it may leave is never glued to:
    the next writer starts a new line after it, and the reader reports it."""
    path = log_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (json.dumps(asdict(decision), ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # an earlier write was torn: leave its fragment on a line of its own
        written = 0
        while written < len(line):
            n = os.write(fd, line[written:])
            if n <= 0:
                raise LogWriteError(f"short write to {path}: {written} of {len(line)} bytes")
            written += n
        os.fsync(fd)
    except LogWriteError:
        raise
    except OSError as exc:
        raise LogWriteError(f"cannot write the review log {path}: {exc.strerror or exc}") from exc
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    return decision


def undone(decisions: list[Decision]) -> set[str]:
    """decision_ids that a later "undo" took back."""
    return {d.undoes for d in decisions if d.action == "undo" and d.undoes}


def read(out: Path, bad: list[dict[str, Any]] | None = None) -> Iterator[Decision]:
    """Every decision in the order written. A torn or foreign line is never fatal: it is
    skipped, and reported in `bad` (line number, reason, the text) when a list is given."""
    path = log_path(out)
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield Decision(**json.loads(line))
            except (ValueError, TypeError) as exc:
                if bad is not None:
                    bad.append({"line": number, "reason": str(exc).splitlines()[0][:200], "text": line.rstrip("\n")[:2000]})
