"""Small builders the tests share: a sources folder of one file run once, and a copy of the
rules with one more status label (at a line the test can find again by reading the file)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent


def one_file_run(tmp_path: Path, name: str, text: str, **options) -> tuple[Path, Path]:
    """(sources, output) of a run over one file written with `text`."""
    src, out = tmp_path / "src", tmp_path / "out"
    src.mkdir()
    (src / name).write_text(text, encoding="utf-8")
    run(src, out, **options)
    return src, out


def rules_with_status_label(target: Path, label: str, status_id: str = "experiment_status.approved",
                            drop: tuple[str, ...] = ()) -> tuple[Path, int, int]:
    """A copy of rules/ at `target` whose `status_id` entry lists `label` first, without the
    labels in `drop`. Returns the folder, the 1-based line of the entry's id and of the label."""
    shutil.copytree(ROOT / "rules", target)
    path = target / "experiment_status.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines.index(f"  - id: {status_id}")
    labels = next(i for i in range(at, len(lines)) if lines[i].strip() == "labels:")
    lines.insert(labels + 1, f"      - {label}")
    lines = [line for line in lines if line.strip() not in {f"- {d}" for d in drop}]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target, at + 1, labels + 2
