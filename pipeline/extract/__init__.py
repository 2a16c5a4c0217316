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

import dataclasses
from dataclasses import dataclass

from ..model import Document, Mention, Record
from ..rules import Rules

# Importing the modules registers their factories with spaCy.
from . import counts, dates, experiments, minutes, municipalities, networks  # noqa: F401

for _name, _default in (("mentions", None), ("records", None), ("document", None), ("published", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


# nlp.meta key: component name -> the rule files it read while it was built
RULE_FILES_META = "frikommune_rule_files"


def build_nlp(rules: Rules) -> Language:
    from ..rules import reading

    nlp = spacy.blank("da")
    reads = {}
    for component in rules.yaml("pipeline.yaml")["components"]:
        with reading() as names:
            nlp.add_pipe(component, config={"rules_dir": str(rules.dir)})
        reads[component] = sorted(set(names))
    nlp.meta[RULE_FILES_META] = reads  # what each component's cached output depends on (stages.py)
    return nlp


def build_component_reading(rules: Rules) -> dict[str, list[str]]:
    """component name -> the rule files it reads (as it is built); ingest's files under
    "ingest". For explanations, not for runs."""
    from ..ingest import INGEST_RULE_FILES

    return {"ingest": sorted(INGEST_RULE_FILES), **build_nlp(rules).meta[RULE_FILES_META]}


@dataclass
class Extraction:
    mentions: list[Mention]
    records: list[Record]


# Texts longer than this are read in sections cut at paragraph breaks (spaCy refuses texts over
# its max_length of 1,000,000 characters, and a section at a time keeps memory flat).
SECTION_CHARS = 400_000


def extract(nlp: Language, document: Document, stages=None) -> Extraction:
    """Run every component over the document's text; fills `document.published` as a side result.
    `stages` (stages.StageCache): each component's output is cached apart, and only the
    components from the first whose rules changed on are run again."""
    if stages is not None and len(document.text) <= SECTION_CHARS:
        from .stages import extract_resuming

        return extract_resuming(nlp, document, stages)
    mentions: list[Mention] = []
    records: list[Record] = []
    published = document.published_hint
    for start, end in sections(document.text, SECTION_CHARS):
        part = document if (start, end) == (0, len(document.text)) else dataclasses.replace(
            document, text=document.text[start:end], page_starts=None, published_hint=published)
        doc = nlp.make_doc(part.text)
        doc._.document = part
        doc._.mentions = []
        doc._.records = []
        doc._.published = published
        for _name, component in nlp.pipeline:
            doc = component(doc)
        published = doc._.published  # the first section that states it decides
        mentions += [_shifted(m, start) for m in doc._.mentions]
        records += [_shifted(r, start) for r in doc._.records]
    document.published = published
    return finished(mentions, records)


def finished(mentions: list[Mention], records: list[Record]) -> Extraction:
    """The components' output in a fixed order. A mention's id is its document, type and span:
    two components (or one, twice) finding the same span must give one row, never a duplicate
    key that would fail the whole run."""
    unique = {(m.type, m.start, m.end): m for m in reversed(mentions)}
    return Extraction(
        mentions=sorted(unique.values(), key=lambda m: (m.start, m.end, m.type)),
        records=sorted(records, key=lambda r: (r.start, r.end, r.type)),
    )


def sections(text: str, limit: int) -> list[tuple[int, int]]:
    """[start, end) spans of at most `limit` characters covering `text`, cut at the last blank
    line before the limit (else a line break, else a space, else anywhere)."""
    out, start, n = [], 0, len(text)
    while n - start > limit:
        window = text[start:start + limit]
        cut = -1
        for sep in ("\n\n", "\n", " "):
            cut = window.rfind(sep, limit // 2)
            if cut >= 0:
                cut += len(sep)
                break
        cut = cut if cut > 0 else limit
        out.append((start, start + cut))
        start += cut
    out.append((start, n))
    return out


def _shifted(item, offset: int):
    """A mention or record of a section, with every offset moved to the whole text's."""
    if offset == 0:
        return item
    item.start += offset
    item.end += offset
    if isinstance(item, Record):
        item.fields = _shift_facts(item.fields, offset)
    else:
        item.attrs = _shift_facts(item.attrs, offset)
    return item


def _shift_facts(value, offset: int):
    if isinstance(value, list):
        return [_shift_facts(v, offset) for v in value]
    if isinstance(value, dict):
        out = {k: _shift_facts(v, offset) for k, v in value.items()}
        if isinstance(out.get("start"), int) and isinstance(out.get("end"), int):
            out["start"] += offset
            out["end"] += offset
        return out
    return value
