"""Reruns cost what changed: an unchanged folder (same files by size, mtime and inode, same
rules, options and review log) publishes nothing new and reads no document; a changed folder
re-reads only the files whose stat changed. Either way the dataset is the one a full rerun
would publish, byte for byte."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from pipeline import run as run_module
from pipeline.run import run
from pipeline.state import STATE_FILE

ROOT = Path(__file__).resolve().parent.parent


def published(out: Path) -> dict[str, bytes]:
    files = {name: (out / name).read_bytes() for name in sorted(os.listdir(out))
             if not name.startswith(".") and (out / name).is_file() and name != "current"}
    files.update({f"text/{p.name}": p.read_bytes() for p in sorted((out / "text").iterdir())})
    return files


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "sources", src)
    out = tmp_path / "out"
    run(src, out)
    return src, out


def spy_reads(monkeypatch) -> list[str]:
    """Names of the files a run reads from the sources folder."""
    read: list[str] = []
    real = run_module.read_source

    def reading(path, max_bytes):
        read.append(Path(str(path)).name)
        return real(path, max_bytes)

    monkeypatch.setattr(run_module, "read_source", reading)
    return read


def test_an_unchanged_rerun_reads_nothing_and_publishes_what_a_full_rerun_would(folder, tmp_path, monkeypatch):
    src, out = folder
    twin = tmp_path / "twin"
    shutil.copytree(out, twin, symlinks=True)
    (twin / STATE_FILE).unlink()  # no record: the twin reruns the long way
    full = run(src, twin)
    assert full.documents == 10
    read = spy_reads(monkeypatch)
    quick = run(src, out)
    assert read == []  # not one source file opened
    assert (quick.documents, quick.reused, quick.extracted) == (10, 10, 0)
    assert quick.mentions == full.mentions and quick.records == full.records and quick.errors == full.errors
    assert published(out) == published(twin)
    assert (out / "changes.jsonl").read_bytes() == b""
    versions = sorted(os.listdir(out / ".versions"))
    run(src, out)  # and again: the current version already says "no changes": nothing is written
    assert sorted(os.listdir(out / ".versions")) == versions


def test_only_files_whose_stat_changed_are_read_again(folder, monkeypatch):
    src, out = folder
    edited = src / "000_ddde290369c07cfb.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nTilføjet: Samsø Kommune.\n", encoding="utf-8")
    touched = src / "002_f729fd4ef02a056c.txt"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 5_000_000_000))
    read = spy_reads(monkeypatch)
    summary = run(src, out)
    assert sorted(read) == sorted([edited.name, touched.name])
    assert summary.extracted == 1 and summary.reused == 9  # the touched file came from the cache
    assert '"text":"Samsø Kommune","start"' in (out / "mentions.jsonl").read_text(encoding="utf-8")


@pytest.mark.parametrize("change", ["review log", "rules", "new file", "option"])
def test_any_other_change_takes_the_full_path(folder, tmp_path, monkeypatch, change):
    src, out = folder
    rules_dir = None
    kwargs = {}
    if change == "review log":
        log = out / "review" / "decisions.jsonl"
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text("", encoding="utf-8")
    elif change == "rules":
        rules_dir = tmp_path / "rules"
        shutil.copytree(ROOT / "rules", rules_dir)
        with (rules_dir / "titles.yaml").open("a", encoding="utf-8") as fh:
            fh.write("\n# an edited comment changes the fingerprint\n")
    elif change == "new file":
        (src / "ny.txt").write_text("Fanø Kommune søger om forsøg.\n", encoding="utf-8")
    else:
        kwargs["exclude"] = ["*.pdf"]
    calls = []
    monkeypatch.setattr(run_module, "unchanged_rerun", lambda *a: calls.append(a))
    from pipeline.rules import Rules

    summary = run(src, out, Rules(rules_dir) if rules_dir else None, **kwargs)
    assert calls == []
    assert summary.documents == {"new file": 11, "option": 8}.get(change, 10)


def edited_rules(tmp_path: Path, name: str):
    """A copy of the rules with one comment line appended to `name`: a new fingerprint."""
    from pipeline.rules import Rules

    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    with (rules_dir / name).open("a", encoding="utf-8") as fh:
        fh.write("\n# an edited rule file\n")
    return Rules(rules_dir)


def spy_parses(monkeypatch) -> list[str]:
    parsed: list[str] = []
    real = run_module.read_document
    monkeypatch.setattr(run_module, "read_document", lambda path, *a, **k: parsed.append(path.name) or real(path, *a, **k))
    return parsed


def test_an_extraction_rule_edit_re_extracts_without_parsing_any_file_again(folder, tmp_path, monkeypatch):
    src, out = folder
    rules = edited_rules(tmp_path, "counts.yaml")
    parsed = spy_parses(monkeypatch)
    summary = run(src, out, rules)
    assert summary.extracted == 10 and parsed == []  # every document extracted again, none parsed again
    fresh = run(src, tmp_path / "fresh", rules, use_cache=False)
    assert fresh.documents == 10 and len(parsed) == 10
    for table in ("documents.jsonl", "mentions.jsonl", "experiments.jsonl", "networks.jsonl", "decisions.jsonl"):
        assert (out / table).read_bytes() == (tmp_path / "fresh" / table).read_bytes(), table


def test_an_ingest_rule_edit_parses_the_files_again(folder, tmp_path, monkeypatch):
    src, out = folder
    rules = edited_rules(tmp_path, "titles.yaml")
    parsed = spy_parses(monkeypatch)
    run(src, out, rules)
    assert len(parsed) == 10


def test_ingest_reads_only_the_rule_files_that_key_its_cache(tmp_path):
    from pipeline.ingest import INGEST_RULE_FILES, check_rules, read_document
    from pipeline.rules import Rules

    rules = Rules(ROOT / "rules")
    check_rules(rules)
    for path in sorted((ROOT / "sources").iterdir()):
        read_document(path, ROOT / "sources", rules)
    assert rules.read and set(rules.read) <= set(INGEST_RULE_FILES)
