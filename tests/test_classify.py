"""Document kind and headline title: the seeds, the sample documents, and texts written here."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.ingest import read_document
from pipeline.ingest.classify import classify_kind, headline_title, kind_scores

SOURCES = Path(__file__).resolve().parent.parent / "sources"
INGEST_RULE_FILES = ["document_kinds.yaml", "titles.yaml", "text_debris.yaml", "html_boilerplate.yaml",
                     "html_metadata.yaml", "pdf_layout.yaml"]


@pytest.mark.parametrize("name,kind,title", [
    ("000_ddde290369c07cfb.txt", "news_article",
     "Nordjyske kommuner vil lave effektiv beskæftigelsesindsats som frikommuner"),
    ("001_d1b9c0e7c83c8c2d.txt", "news_article", "Her er de 44 frikommuner - i otte netværk"),
    ("002_f729fd4ef02a056c.txt", "committee_minutes", "Drøftelse af Invitation til nyt frikommuneforsøg"),
    ("003_bb0b7cc67bd1fc86.txt", "press_release", "Regeringen går videre med 17 frikommuneforsøg"),
    ("004_50fddadb9d74be55.txt", "web_page", "Hvad er en frikommune?"),
])
def test_seeds(rules, name, kind, title):
    doc = read_document(SOURCES / name, SOURCES, rules)
    assert (doc.kind, doc.title) == (kind, title)


@pytest.mark.parametrize("name,kind", [
    ("sim_pressemeddelelse_frikommuneforsoeg_2018-09-28.html", "press_release"),
    ("vejle_nyhed_frikommuneforsoeg_2018-03-14.html", "news_article"),
    ("syddjurs_frikommune_info.html", "web_page"),
    ("vejle_oekonomiudvalget_2018-03-14.pdf", "committee_minutes"),
    ("syddjurs_social_sundhed_2018-04-09.pdf", "committee_minutes"),
])
def test_sample_documents(rules, name, kind):
    assert read_document(SOURCES / name, SOURCES, rules).kind == kind


MINUTES = """Beslutningsprotokol for Børne- og Skoleudvalget

Mødedato: 6. juni 2017
Afbud: Karen Holm

Pkt. 7. Ansøgning om frikommuneforsøg i dagtilbud
Sags nr.: 16/4411

Sagsfremstilling
Haderslev Kommune ønsker at søge om fritagelse fra regler om pædagogiske læreplaner.

Indstilling
Forvaltningen indstiller, at ansøgningen godkendes.

Beslutning
Anbefales.
"""

PRESS = """PRESSEMEDDELELSE

Økonomi- og Indenrigsministeriet

Fem nye forsøg i Svendborg og Faaborg-Midtfyn

Regeringen har i dag godkendt fem forsøg om ældreplejen.

Kontakt:
Pressechef Anne Lind, telefon 33 92 33 80, al@oim.dk
"""

NEWS = """Af Mads Ravn

14.05.2018 kl. 06:00

Viborg vil skrotte kontrolbesøg

Viborg Kommune vil have lov at droppe faste kontrolbesøg, siger rådmanden.

Læs også: Budgettet for 2019 er på plads
"""

WEB = """Borgerservice og frikommune

Her kan du læse om kommunens deltagelse i forsøget og om åbningstider i borgerservice.

Forsøget løber til 2020, og resultaterne offentliggøres løbende på siden.
"""


@pytest.mark.parametrize("text,kind", [(MINUTES, "committee_minutes"), (PRESS, "press_release"),
                                       (NEWS, "news_article"), (WEB, "web_page")])
def test_genre_cues(rules, text, kind):
    assert classify_kind(text, rules) == kind, kind_scores(text, rules)


def test_html_signals_count(rules):
    neutral = "Odder Kommune er frikommune.\n\nForsøget handler om hjemmeplejen."
    assert classify_kind(neutral, rules) == "web_page"
    assert classify_kind(neutral, rules, {"og_type": "article", "html_labels": "Mest læste"}) == "news_article"
    assert classify_kind(neutral, rules, {"og_type": "website", "html_labels": ""}) == "web_page"


def test_single_weak_cue_is_not_enough(rules):
    # one "siger" or one phone number does not make a news article or a press release
    assert classify_kind("Borgmesteren siger, at forsøget virker.\nRing på tlf. 87 53 50 00.", rules) == "web_page"


@pytest.mark.parametrize("text,title", [
    ("08:45\n\n3 af 5\n\nSkanderborg og Odder går sammen om ældreplejen\n\nTekst.", 
     "Skanderborg og Odder går sammen om ældreplejen"),
    ("12. marts 2018\nPunkt 7.\n17/12345\nStatus på frikommuneforsøget\nTekst.", "Status på frikommuneforsøget"),
    ("2018-004512\n14.03.2018 10:30\nSide 1 af 3\nGodkendelse af ansøgning\n", "Godkendelse af ansøgning"),
    ("Sagsnr.: 18/2211\n\nNy frist for ansøgninger om frikommuneforsøg", "Ny frist for ansøgninger om frikommuneforsøg"),
    # a sentence with a final period is passed over for a headline-like line
    ("Kommunerne har i dag fået svar fra ministeriet om forsøgene.\nSvar til frikommunerne\n",
     "Svar til frikommunerne"),
    # no headline-like line: the first usable line
    ("Referat.\nGodkendt.\n", "Referat."),
    ("", None),
])
def test_headline_title(rules, text, title):
    assert headline_title(text, rules) == title


@pytest.mark.parametrize("name", INGEST_RULE_FILES)
def test_every_rule_has_an_id(rules, name):
    """Rules are data with provenance: every entry that matches something carries a unique id."""
    ids = []

    def walk(node, in_list=False):
        if isinstance(node, dict):
            if in_list or "pattern" in node:  # list entries are rules
                assert node.get("id"), f"{name}: entry without id: {node}"
                ids.append(node["id"])
            elif "id" in node:
                ids.append(node["id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value, in_list=True)

    walk(rules.yaml(name))
    assert ids, name
    assert len(ids) == len(set(ids)), f"{name}: duplicate ids"
