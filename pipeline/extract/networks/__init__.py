"""Networks of free municipalities and their members: spaCy component `frikommune_networks`.

Reads the municipality and date mentions earlier components left in `doc._.mentions` and the
rules in rules/networks.yaml; appends Record(type="network") to `doc._.records` and a
Mention(type="network_name") for each name span. Forms, in the order they claim text:

  1. labelled blocks (layout.find_blocks)   "Navn: X … Deltagere: A, B, C"
  2. network tables  (layout.find_tables)   "Netværk | Kommuner | Tema"
     flattened tables (flat.find_flat_tables) theme line, name line, member line, no labels
  3. prose           (prose.find_prose)     "A blev godkendt i netværk med B og C under
                                                      det fælles tema X", "A, B og C kommuner er
                                                      gået sammen i et netværk … 'X'"; whole
                                                      clauses on a masked text ("A har sammen
                                                      med de fem øvrige kommuner søgt …",
                                                      "… er: A, B og C. De indgår i …");
                     then (listed.find_listed)       any other list tied to a network cue in
                                                      its sentence or the one next to it
  4. theme references (prose.standalone_names)  'ift. underemnet "X"' (no members, or the one
                                                      municipality of its paragraph)

Then status and programme for each (attrs.py). Members are the municipality mentions
inside the membership span; names are never guessed from generic text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from ...model import Mention, Record, fact
from ...rules import Rules
from ..common import document_text, lowered, outputs
from .attrs import assign_programme, assign_status
from .flat import find_flat_tables
from .layout import find_blocks, find_tables
from .prose import find_prose, standalone_names
from .ruleset import NetworkRules
from .text import Draft, NameCandidate, TextContext


@Language.factory("frikommune_networks", default_config={"rules_dir": None})
def make_component(nlp: Language, name: str, rules_dir: str | None) -> "NetworkComponent":
    return NetworkComponent(Rules(Path(rules_dir)) if rules_dir else Rules())


class NetworkComponent:
    needs_tokens = False  # reads the text, not spaCy's tokens (extract/stages.py)

    def __init__(self, rules: Rules):
        self.rules = NetworkRules(rules)

    def __call__(self, doc: Doc) -> Doc:
        text = document_text(doc)
        low = lowered(doc, text)
        if not any(word in low for word in self.rules.prefilter):
            return doc
        outputs(doc)
        drafts = self.find(text, doc._.mentions, doc._.published, low)
        for d in drafts:
            doc._.records.append(to_record(text, d))
        doc._.mentions.extend(name_mentions(text, drafts))
        return doc

    def find(self, text: str, mentions: list[Mention], published: str | None,
             low: str | None = None) -> list[Draft]:
        """Every network the text states, with status and programme."""
        by_start = sorted(mentions, key=lambda m: (m.start, m.end))
        ctx = TextContext(
            text, self.rules,
            municipalities=[m for m in by_start if m.type == "municipality"],
            dates=[m for m in by_start if m.type == "date"],
            published=published, low=low,
        )
        drafts = find_blocks(ctx) + find_tables(ctx)
        drafts += find_flat_tables(ctx, drafts)
        drafts += find_prose(ctx, drafts)
        drafts += standalone_names(ctx, drafts)
        drafts = [d for d in drafts if d.name is not None or d.members]
        assign_status(ctx, drafts)
        assign_programme(ctx, drafts)
        return sorted(drafts, key=lambda d: (d.start, d.end))


def _name_fact(text: str, cand: NameCandidate | None) -> dict[str, Any] | None:
    if cand is None:
        return None
    return fact(cand.value, cand.start, cand.end, text[cand.start:cand.end], cand.rule)


def to_record(text: str, d: Draft) -> Record:
    members = [
        fact(m.value, m.start, m.end, m.text, rule, name=m.attrs.get("name"), mention_rule=m.rule)
        for m, rule in d.members
    ]
    return Record(
        type="network", start=d.start, end=d.end, rule=d.rule,
        fields={
            "name": _name_fact(text, d.name),
            "members": members,
            "status": d.status,
            "programme": d.programme,
            "theme": _name_fact(text, d.theme),
        },
    )


def name_mentions(text: str, drafts: list[Draft]) -> list[Mention]:
    """One network_name mention per distinct name span, so reviewers see the name highlighted."""
    out, seen = [], set()
    for d in drafts:
        if d.name is None or (d.name.start, d.name.end) in seen:
            continue
        seen.add((d.name.start, d.name.end))
        out.append(Mention(
            type="network_name", start=d.name.start, end=d.name.end, text=text[d.name.start:d.name.end],
            value=d.name.value, rule=d.name.rule, attrs={"record_rule": d.rule},
        ))
    return out
