"""The source files themselves, kept beside the dataset so the workbench can show a document's
original page (a PDF page image, the HTML as published) even when the sources folder has moved.

`OUT/originals/<first two hex digits>/<sha256>`: named by content, so versions share them, an
unchanged rerun writes nothing and two copies of one file are kept once. A copy, not a hard
link: a source edited in place must not change what the dataset says it read. Written to a
temporary name and renamed, so a killed run never leaves half a file under a real name.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

ORIGINALS = "originals"


def original_path(out: Path, sha256: str) -> Path:
    return Path(out) / ORIGINALS / sha256[:2] / sha256


def keep_original(out: Path, source: Path, sha256: str) -> None:
    """Copy `source` in under its hash, unless a file of that content is kept already."""
    target = original_path(out, sha256)
    if target.exists():
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prune_originals(out: Path, keep: set[str]) -> None:
    """Remove kept files whose hash is in none of the `keep` set (the new dataset's documents
    and the previous version's, which readers may still be in), and leftovers of killed runs."""
    root = Path(out) / ORIGINALS
    if not root.is_dir():
        return
    for folder in root.iterdir():
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.endswith(".tmp") or path.name not in keep:
                path.unlink(missing_ok=True)
        with_files = next(folder.iterdir(), None)
        if with_files is None:
            folder.rmdir()
