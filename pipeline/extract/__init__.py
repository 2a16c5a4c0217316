"""Extract stage: Document -> list of Mentions.

Each extractor is a small spaCy component on `spacy.blank("da")`, registered by name and
configured by the rule files it reads; `rules/pipeline.yaml` says which run and in which order.
Components append `Mention`s to `doc._.mentions` (single spans) and `Record`s to
`doc._.records` (structured facts built from several spans), and may set document-level facts
(`doc._.published`). Tokenisation happens once per document and is shared by all components.
"""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dataclasses import dataclass

from ..model import Document, Mention, Record
from ..rules import Rules

# Importing the modules registers their factories with spaCy.
from . import counts, dates, experiments, minutes, municipalities, networks  # noqa: F401

for _name, _default in (("mentions", None), ("records", None), ("document", None), ("published", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def build_nlp(rules: Rules) -> Language:
    nlp = spacy.blank("da")
    for component in rules.yaml("pipeline.yaml")["components"]:
        nlp.add_pipe(component, config={"rules_dir": str(rules.dir)})
    return nlp


@dataclass
class Extraction:
    mentions: list[Mention]
    records: list[Record]


def extract(nlp: Language, document: Document) -> Extraction:
    """Run every component over the document's text; fills `document.published` as a side result."""
    doc = nlp.make_doc(document.text)
    doc._.document = document
    doc._.mentions = []
    doc._.records = []
    doc._.published = document.published_hint
    for _name, component in nlp.pipeline:
        doc = component(doc)
    document.published = doc._.published
    # A mention's id is its document, type and span: two components (or one, twice) finding
    # the same span must give one row, never a duplicate key that would fail the whole run.
    unique = {(m.type, m.start, m.end): m for m in reversed(doc._.mentions)}
    return Extraction(
        mentions=sorted(unique.values(), key=lambda m: (m.start, m.end, m.type)),
        records=sorted(doc._.records, key=lambda r: (r.start, r.end, r.type)),
    )
