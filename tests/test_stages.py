"""Each extraction component's output cached apart (pipeline/extract/stages.py): a rule edit
re-runs the component that reads the file and the ones after it, and the dataset is the one a
run from scratch gives."""

from __future__ import annotations

import copy
import shutil
from dataclasses import asdict
from pathlib import Path

import orjson
import pytest

from pipeline.extract import RULE_FILES_META, build_nlp, extract
from pipeline.extract.stages import StageCache, stage_keys
from pipeline.ingest import read_document
from pipeline.rules import Rules, reading
from pipeline.run import run

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "sources"


class MemoryStore:
    """The stage store's contract (cache.StageStore) without files: entries as JSON."""

    def __init__(self):
        self.entries = {}

    def get(self, sha256):
        return orjson.loads(self.entries[sha256]) if sha256 in self.entries else None

    def put(self, sha256, chain):
        self.entries[sha256] = orjson.dumps(chain)


@pytest.fixture(scope="module")
def documents():
    rules = Rules()
    return [read_document(p, SOURCES, rules) for p in sorted(SOURCES.iterdir())]


def plain(extraction):
    return [asdict(m) for m in extraction.mentions], [asdict(r) for r in extraction.records]


def test_every_component_reads_its_rule_files_while_it_is_built(documents):
    """The stage keys hold the files each component read as it was built: a file read only
    later, while extracting, would leave a stale output in the cache after an edit to it."""
    nlp = build_nlp(Rules())
    assert all(nlp.meta[RULE_FILES_META][name] for name, _ in nlp.pipeline)
    with reading() as names:
        for document in documents:
            extract(nlp, copy.copy(document))
    assert names == []


def test_no_component_changes_what_an_earlier_one_added(documents):
    nlp = build_nlp(Rules())
    for document in documents:
        doc = nlp.make_doc(document.text)
        doc._.document, doc._.mentions, doc._.records, doc._.published = document, [], [], document.published_hint
        snapshots = []
        for _name, component in nlp.pipeline:
            snapshots.append(([asdict(m) for m in doc._.mentions], [asdict(r) for r in doc._.records]))
            doc = component(doc)
        for mentions, records in snapshots:
            assert [asdict(m) for m in doc._.mentions[:len(mentions)]] == mentions, document.source
            assert [asdict(r) for r in doc._.records[:len(records)]] == records, document.source


def test_outputs_restored_from_the_stage_cache_equal_a_plain_extraction(documents):
    rules = Rules()
    nlp = build_nlp(rules)
    stages = StageCache(MemoryStore(), stage_keys(nlp, rules, "test"))
    for document in documents:
        expected = plain(extract(nlp, copy.copy(document)))
        first = copy.copy(document)
        assert plain(extract(nlp, first, stages=stages)) == expected  # computed, then stored
        again = copy.copy(document)
        untouched = nlp.make_doc  # every component from the cache: the text is not even tokenised
        nlp.make_doc = None
        try:
            assert plain(extract(nlp, again, stages=stages)) == expected
        finally:
            nlp.make_doc = untouched
        assert again.published == first.published


def test_a_rule_edit_changes_the_keys_from_the_first_component_that_reads_the_file(tmp_path):
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules_dir)
    before_rules = Rules(rules_dir)
    nlp = build_nlp(before_rules)
    names = [name for name, _ in nlp.pipeline]
    before = stage_keys(nlp, before_rules, "base")
    with (rules_dir / "counts.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# an edited line\n")
    after = stage_keys(build_nlp(Rules(rules_dir)), Rules(rules_dir), "base")
    first_changed = next(i for i, (a, b) in enumerate(zip(before, after)) if a != b)
    readers = [i for i, name in enumerate(names) if "counts.yaml" in nlp.meta[RULE_FILES_META][name]]
    assert first_changed == min(readers)
    assert all(a != b for a, b in zip(before[first_changed:], after[first_changed:]))
    assert before[:first_changed] == after[:first_changed]
    # a file no component reads as it is built changes every key
    with (rules_dir / "shapes.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\n# another edit\n")
    changed_everywhere = stage_keys(build_nlp(Rules(rules_dir)), Rules(rules_dir), "base")
    assert all(a != b for a, b in zip(after, changed_everywhere))


def test_a_run_after_a_rule_edit_reruns_only_the_later_components_and_equals_a_fresh_run(tmp_path, monkeypatch):
    src, rules_dir = tmp_path / "src", tmp_path / "rules"
    shutil.copytree(SOURCES, src)
    shutil.copytree(ROOT / "rules", rules_dir)
    out = tmp_path / "out"
    run(src, out, Rules(rules_dir))
    text = (rules_dir / "counts.yaml").read_text(encoding="utf-8")
    (rules_dir / "counts.yaml").write_text(text + "\n# an edited line\n", encoding="utf-8")

    ran: list[str] = []
    import pipeline.extract.stages as stages_module
    real = stages_module.extract_resuming

    def counting(nlp, document, stages):
        cached = stages.get(document.sha256)
        reused = sum(1 for (key, _), wanted in zip(cached, stages.keys) if key == wanted)
        ran.extend(name for name, _ in nlp.pipeline[reused:])
        return real(nlp, document, stages)

    monkeypatch.setattr(stages_module, "extract_resuming", counting)
    run(src, out, Rules(rules_dir))
    monkeypatch.undo()
    nlp = build_nlp(Rules(rules_dir))
    readers = [name for name, _ in nlp.pipeline if "counts.yaml" in nlp.meta[RULE_FILES_META][name]]
    first = [name for name, _ in nlp.pipeline].index(readers[0])
    assert ran and set(ran) == {name for name, _ in nlp.pipeline[first:]}

    fresh = tmp_path / "fresh"
    run(src, fresh, Rules(rules_dir), use_cache=False)
    for table in ("documents", "mentions", "networks", "experiments", "decisions", "conflicts", "municipalities"):
        assert (out / f"{table}.jsonl").read_bytes() == (fresh / f"{table}.jsonl").read_bytes(), table


def test_the_text_only_components_read_the_same_from_a_doc_of_one_token(documents):
    """Components that declare `needs_tokens = False` get a one-token Doc when they run again
    from the stage cache: they must find exactly what they find on the tokenised text."""
    from spacy.tokens import Doc

    nlp = build_nlp(Rules())
    flags = [getattr(c, "needs_tokens", True) for _name, c in nlp.pipeline]
    first_text_only = flags.index(False)
    assert first_text_only > 0 and not any(flags[first_text_only:])  # municipalities (tokens) runs first
    for document in documents:
        before = nlp.make_doc(document.text)
        before._.document, before._.mentions, before._.records = document, [], []
        before._.published = document.published_hint
        for _name, component in nlp.pipeline[:first_text_only]:
            before = component(before)
        outputs = []
        for doc in (nlp.make_doc(document.text), Doc(nlp.vocab, words=[document.text], spaces=[False])):
            doc._.document, doc._.published = document, before._.published
            doc._.mentions, doc._.records = copy.deepcopy(before._.mentions), copy.deepcopy(before._.records)
            for _name, component in nlp.pipeline[first_text_only:]:
                doc = component(doc)
            outputs.append(([asdict(m) for m in doc._.mentions], [asdict(r) for r in doc._.records]))
        assert outputs[0] == outputs[1], document.source
