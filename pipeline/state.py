"""What the last run saw, so a rerun over an unchanged folder costs next to nothing.

After each run, `OUT/.run-state.json` records every source file's size, mtime and inode
(the first check rsync and git make), with its sha256, and a key over everything else that
decides the output: the rules and code fingerprints, the run's options and limits, the
manifest, the review log and the published version. A rerun that finds the same key and the
same stat of every file publishes nothing new: it re-links the current version with an empty
change report (exactly what a full rerun would write) and reports from the published tables.
When some files changed, the unchanged ones still skip reading and hashing: their sha256 comes
from the record, and their extraction from the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

STATE_FILE = ".run-state.json"  # in OUT, beside the published names


def file_stats(files: list) -> dict[str, list[int]]:
    """path text -> [size, mtime_ns, inode] (of a symlink's target); files that vanished are left out."""
    stats = {}
    for path in files:
        try:
            st = os.stat(path)
        except (OSError, TypeError):
            continue
        stats[str(path)] = [st.st_size, st.st_mtime_ns, st.st_ino]
    return stats


def stat_of(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def run_key(**parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def load(out: Path) -> dict[str, Any] | None:
    try:
        state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) and isinstance(state.get("files"), dict) else None


def save(out: Path, key: str, stats: dict[str, list[int]], hashes: dict[str, str]) -> None:
    """Written atomically; a failure only costs the next run its shortcut. A file that did not
    ingest is recorded without a hash."""
    files = {path: [*stat, hashes.get(path)] for path, stat in stats.items()}
    try:
        fd, tmp = tempfile.mkstemp(dir=out, prefix=".run-state-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"key": key, "files": files}, fh)
        os.replace(tmp, out / STATE_FILE)
    except OSError:
        pass


def known_hashes(state: dict[str, Any] | None, stats: dict[str, list[int]]) -> dict[str, str]:
    """path -> sha256 for every file whose size, mtime and inode are as recorded."""
    if not state:
        return {}
    recorded = state["files"]
    return {path: recorded[path][3] for path, stat in stats.items()
            if path in recorded and recorded[path][3] and recorded[path][:3] == stat}


def unchanged(state: dict[str, Any] | None, key: str, stats: dict[str, list[int]], files: list) -> bool:
    """The same key, and exactly the recorded files, each with its recorded stat."""
    if not state or state.get("key") != key or len(stats) != len(files):
        return False
    recorded = state["files"]
    return set(recorded) == set(stats) and all(recorded[p][:3] == s for p, s in stats.items())


def relink(current: Path, staging: Path, changes_file: str, run_file: str, run_info: dict[str, Any]) -> None:
    """Fill `staging` with hard links to the current version's files (copies where the file
    system has no hard links), an empty change report and `run_info` as run.json."""
    for source in current.rglob("*"):
        target = staging / source.relative_to(current)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        if source.name in (changes_file, run_file) and source.parent == current:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
    (staging / changes_file).write_text("", encoding="utf-8")
    (staging / run_file).write_text(json.dumps(run_info, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
