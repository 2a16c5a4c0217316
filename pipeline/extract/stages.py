"""Each component's output cached apart, so a rule edit re-runs only what it can change.

Components run in the order rules/pipeline.yaml gives, each reading the output of those before
it, so the output of component k depends on the rule files of components 1..k (and on the
document, the code, and rule files no component reads as it is built). Each component's key
chains those fingerprints; a document's entry keeps every component's output (the mentions and
records it added, and `published` after it) under its key. A run then takes the longest run of
leading components whose keys still match, restores their output, and runs the rest on a
freshly made Doc: an edit to rules/counts.yaml re-runs the counts component and the ones after
it, not the municipalities, dates, networks and experiments before it. Only components that read
spaCy's tokens need the text tokenised; the others declare `needs_tokens = False` and get a Doc
of one token, so such a rerun does not tokenise at all.

This relies on two things the tests check: a component reads all its rule files while it is
built, and it never changes what earlier components added.
"""

from __future__ import annotations

import hashlib

from spacy.language import Language
from spacy.tokens import Doc

from ..model import Document, Mention, Record
from ..rules import Rules
from . import RULE_FILES_META, Extraction, finished


def stage_keys(nlp: Language, rules: Rules, base: str) -> list[str]:
    """One key per component of `nlp`, in order. `base`: what every output depends on (the
    code, the ingest rules)."""
    reads: dict[str, list[str]] = nlp.meta[RULE_FILES_META]
    attributed = {name for names in reads.values() for name in names}
    unattributed = sorted(p.relative_to(rules.dir).as_posix() for p in rules.dir.rglob("*")
                          if p.is_file() and p.relative_to(rules.dir).as_posix() not in attributed)
    chain = hashlib.sha256(f"{base}\0{rules.fingerprint_of(tuple(unattributed))}".encode())
    keys = []
    for name, _component in nlp.pipeline:
        chain.update(f"\0{name}\0{rules.fingerprint_of(tuple(reads.get(name, ())))}".encode())
        keys.append(chain.hexdigest()[:16])
    return keys


class StageCache:
    """Per document (by the raw file's sha256): [[key, output], ...] for its components."""

    def __init__(self, store, keys: list[str]):
        self.store, self.keys = store, keys  # store: cache._JsonCache-like get/put by sha256

    def get(self, sha256: str) -> list:
        chain = self.store.get(sha256)
        return chain if isinstance(chain, list) else []

    def put(self, sha256: str, chain: list) -> None:
        self.store.put(sha256, chain)


def extract_resuming(nlp: Language, document: Document, stages: StageCache) -> Extraction:
    cached = stages.get(document.sha256)
    reuse = 0
    while (reuse < len(stages.keys) and reuse < len(cached) and isinstance(cached[reuse], list)
           and len(cached[reuse]) == 2 and cached[reuse][0] == stages.keys[reuse]):
        reuse += 1
    mentions: list[Mention] = []
    records: list[Record] = []
    published = document.published_hint
    added: list[tuple[int, int, str | None]] = []  # per component: mentions and records added, published after
    try:
        for _key, output in cached[:reuse]:
            mentions += [Mention(**m) for m in output["mentions"]]
            records += [Record(**r) for r in output["records"]]
            published = output["published"]
            added.append((len(output["mentions"]), len(output["records"]), published))
    except (TypeError, KeyError):  # an entry of another version of the code: start over
        reuse, mentions, records, published, added = 0, [], [], document.published_hint, []
    if reuse < len(nlp.pipeline):
        doc = _doc_for(nlp, document.text, [component for _name, component in nlp.pipeline[reuse:]])
        doc._.document = document
        doc._.mentions = mentions
        doc._.records = records
        doc._.published = published
        for _name, component in nlp.pipeline[reuse:]:
            m, r = len(doc._.mentions), len(doc._.records)
            doc = component(doc)
            added.append((len(doc._.mentions) - m, len(doc._.records) - r, doc._.published))
        mentions, records, published = doc._.mentions, doc._.records, doc._.published
        stages.put(document.sha256, _chain(stages.keys, added, mentions, records))
    document.published = published
    return finished(mentions, records)


def _doc_for(nlp: Language, text: str, components: list) -> Doc:
    """A tokenised Doc when a component still to run reads tokens, else one token holding the
    whole text: the text-only components (`needs_tokens = False`) read the text and the earlier
    components' output, and tokenising is most of what they would cost."""
    if not text or any(getattr(c, "needs_tokens", True) for c in components):
        return nlp.make_doc(text)
    return Doc(nlp.vocab, words=[text], spaces=[False])


def _chain(keys: list[str], added: list[tuple[int, int, str | None]], mentions: list[Mention],
           records: list[Record]) -> list:
    """Every component's output under its key, read off the final lists (a component's own items
    as they stand once all have run), with `published` as it stood after the component."""
    chain, m, r = [], 0, 0
    for key, (n_mentions, n_records, published) in zip(keys, added):
        # dataclasses as they are: the store writes them with orjson
        chain.append([key, {"mentions": mentions[m:m + n_mentions], "records": records[r:r + n_records],
                            "published": published}])
        m, r = m + n_mentions, r + n_records
    return chain
