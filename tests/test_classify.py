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


# ---------------------------------------------------------------- cue speed rewrites keep their meaning

# The plain form of every document-text cue before it was rewritten literal-first for speed (see the
# head of document_kinds.yaml). The rewritten cue must match exactly the texts the plain form matches.
PLAIN_CUES = {
    "kind.minutes.decision": r"(?im)^\s*([\w-]+s\s+)?beslutning(\s+(i|den)\s+[^\n:]{2,60})?\s*:?\s*$",
    "kind.minutes.agenda_item": r"(?im)^\s*((punkt|pkt\.|sag\s+nr\.?)\s*\d+\.?|nr\.\s*\d{1,3}\s*[-–]\s)",
    "kind.minutes.numbered_item": r"(?m)^\s*\d{1,3}\.\s+[A-ZÆØÅ]\w+",
    "kind.minutes.case_number_label": r"(?i)\b(sagsnr|sags\s*nr|j\.\s*nr|journalnr)\.?\s*:?\s*\d",
    "kind.minutes.case_number_line": r"(?m)^\s*\d{2,4}-\d{4,6}(-\d+)?\s*$",
    "kind.minutes.minutes_word": r"(?i)\b(referat|beslutningsprotokol|dagsorden)\b",
    "kind.minutes.absence": r"(?i)\b(fraværende|afbud)\b",
    "kind.minutes.meeting_date": r"(?i)\b(mødedato|mødested|mødetidspunkt)\b",
    "kind.minutes.case_sections": r"(?im)^\s*(sagsfremstilling(\s+og\s+økonomi)?|sagsbeskrivelse|sagens\s+(indhold|kerne)|resumé|beslutningstema|problemstilling|økonomi\s+og\s+finansiering)\s*:?\s*$",
    "kind.minutes.recommendation": r"(?im)^\s*(indstilling|indstillingen)\b",
    "kind.minutes.recommendation_heading": r"(?im)^\s*(forvaltningens\s+|direktionens\s+|administrationens\s+)?indstilling\s*:?\s*$",
    "kind.minutes.meeting_closed": r"(?im)^\s*mødet\s+(blev\s+)?hævet\b",
    "kind.minutes.outcome": r"(?im)^\s*(godkendt|drøftet|taget\s+til\s+efterretning|anbefales|tiltrådt|oversendes)\b[^\n]{0,40}\.\s*$",
    "kind.minutes.attachments": r"(?im)^\s*bilag\s*:?\s*$",
    "kind.minutes.attachment_line": r"(?im)^\s*bilag\s+\d{1,2}\s*:\s*\S",
    "kind.press.label": r"(?i)\bpressemeddelelse\b",
    "kind.press.more_info": r"(?im)^\s*(for\s+)?yderligere\s+(oplysninger|information)\b",
    "kind.press.contact": r"(?im)^\s*(kontakt|pressekontakt|kontaktperson(er)?|presseansvarlig)\s*:?\s*$",
    "kind.press.phone": r"(?i)\b(tlf|telefon|mobil)\.?:?\s*(\+45\s*)?\d{2}\s?\d{2}\s?\d{2}\s?\d{2}\b",
    "kind.press.email": r"[\w.+-]+@[\w-]+(\.[\w-]+)*\.dk\b",
    "kind.press.sender_ministry": r"(?m)^\s*[\w,\- ]*(ministeriet|styrelsen)\s*$",
    "kind.press.quote_attribution": r"(?m)^\s*[-–]\s+[A-ZÆØÅ]\w+(\s+[A-ZÆØÅ]\w+){1,3}\s*$",
    "kind.press.minister_says": r"(?i)minister\b[^\n.]{0,60}\bsiger\s*:",
    "kind.news.timestamp_line": r"(?m)^\s*(kl\.\s*)?\d{1,2}[:.]\d{2}\s*$",
    "kind.news.datetime_line": r"(?im)^\s*(\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{1,2}\.\s*[a-zæøå]+\.?\s+\d{4}),?\s+(kl\.\s*)?\d{1,2}[:.]\d{2}\s*$",
    "kind.news.published_line": r"(?im)^\s*(publiceret|udgivet|offentliggjort|opdateret)\b[^\n]{0,40}\d{4}",
    "kind.news.byline": r"(?m)^\s*(Af|Skrevet af|Tekst:|Journalist:?)\s+[A-ZÆØÅ]\w+(\s+[A-ZÆØÅ]\w+){0,3}\s*$",
    "kind.news.section_label": r"(?im)^\s*(politik|indland|udland|erhverv|kultur|sport|lokalt|nyheder|debat|samfund|regionalt)\s*$",
    "kind.news.most_read": r"(?im)^\s*mest\s+(læste?|populære)\s*$",
    "kind.news.advert": r"(?im)^\s*(annonce|reklame|sponsoreret)\s*$",
    "kind.news.read_also": r"(?im)^\s*(læs\s+også|se\s+også)\b",
    "kind.news.gallery_counter": r"(?m)^\s*\d{1,2}\s+af\s+\d{1,2}\s*$",
    "kind.news.says": r"(?i)\bsiger\b",
    "kind.news.fact_box": r"(?im)^\s*fakta\b",
}


def _cues_by_id(rules):
    from pipeline.ingest.classify import _kind_cues

    ids = [c["id"] for cues in rules.yaml("document_kinds.yaml")["kinds"].values() for c in cues]
    return dict(zip(ids, _kind_cues(rules)[0]))


def _cue_matches(cue, fields) -> bool:
    _, field, _, requires, patterns = cue
    value = fields.get(field)
    if not value or (requires and not any(r in value for r in requires)):
        return False
    return any(p.search(value) for p in patterns)


def _cue_texts() -> list[str]:
    """Sample texts, the texts above, and made-up lines that put every cue's words in odd places:
    other cases, indents, tabs and other spaces, line ends, letters re.IGNORECASE folds (ſ ı İ K)."""
    import random

    texts = [MINUTES, PRESS, NEWS, WEB]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted(SOURCES.glob("*.txt"))]
    pieces = ["Beslutning", "beslutning i Økonomiudvalget:", "Pkt. 7.", "punkt 12", "Udvalgets beslutning",
              "Beslutning den 3. maj", "Sag nr. 4", "Nr.95 - ", "nr. 3 –", "Beslutningstema", "Sagens kerne",
              "Sagsfremstilling og økonomi", "Indstilling:", "Direktionens indstilling", "Mødet hævet",
              "mødet blev hævet kl. 19", "Bilag 2: Notat", "bilag 12 :x", "3. Godkendelse", "Sags nr.: 16/4411",
              "j.nr. 5", "Journalnr 3", "16-004411", "17-12345-2", "Referat", "xreferat", "Dagsorden", "Afbud", "FRAVÆRENDE",
              "Mødedato", "mødesteder", "Sagens indhold", "Økonomi og finansiering", "Resumé", "Indstillingen",
              "Godkendt.", "Taget til efterretning.", "Bilag:", "PRESSEMEDDELELSE", "pressemeddelelser",
              "For yderligere oplysninger", "Kontaktpersoner:", "Presseansvarlig", "tlf. 33 92 33 80",
              "Telefon: +45 12345678", "mobil 12 34 56 78", "al@oim.dk", "@oim.dk", "a.b@x-y.dk", "Økonomi- og Indenrigsministeriet",
              "Styrelsen", "- Anne Lind", "– Mads Ravn Hansen", "Ministeren siger:", "minister, siger:", "kl. 06:00", "08.45",
              "14.05.2018 kl. 06:00", "12. marts 2018, 10:30", "Publiceret 14. maj 2018", "Opdateret", "Af Mads Ravn",
              "Skrevet af Anne", "Tekst: Lis", "Journalist: Bo Ib", "Politik", "NYHEDER", "Mest læste", "Mest populære",
              "Annonce", "Læs også", "Se også:", "3 af 5", "siger", "Fakta", "Faktaboks", "ſiger", "ı", "İndstilling", "K",
              "Å", "xsiger", "A", "æ", "17", "."]
    separators = [" ", "  ", "\n", "\n\n", "\n  ", "\t", "\xa0", "\x0c", "\r", "\u2028", "", ":", " - ", ", "]
    rng = random.Random(1)
    for _ in range(1500):
        parts = []
        for _ in range(rng.randint(1, 8)):
            piece = rng.choice(pieces)
            if rng.random() < 0.3:
                piece = rng.choice([piece.upper(), piece.lower(), piece.title()])
            parts += [piece, rng.choice(separators)]
        texts.append("".join(parts))
    return texts


def test_cues_match_as_their_plain_forms(rules):
    import re

    from pipeline.ingest.classify import cue_fields

    cues = _cues_by_id(rules)
    assert {i for i, c in cues.items() if c[1] in ("text", "lines", "lower")} == set(PLAIN_CUES)
    plain = {i: re.compile(p) for i, p in PLAIN_CUES.items()}
    for text in _cue_texts():
        fields = cue_fields(text)
        for cue_id, pattern in plain.items():
            assert _cue_matches(cues[cue_id], fields) == bool(pattern.search(text)), (cue_id, text)


def test_requires_is_in_every_match(rules):
    """A cue's `requires` strings only skip texts the pattern cannot match: each match holds one."""
    from pipeline.ingest.classify import cue_fields

    for cue_id, (_, field, _, requires, patterns) in _cues_by_id(rules).items():
        if not requires:
            continue
        for text in _cue_texts():
            value = cue_fields(text).get(field) or ""
            for pattern in patterns:
                for m in pattern.finditer(value):
                    assert any(r in m.group() for r in requires), (cue_id, m.group())


@pytest.mark.parametrize("text", ["Pressemeddelelse", "PRESSEMEDDELELSE", "İndstilling", "ındstilling", "ſiger",
                                  "SIGER", "Kl", "Åbent møde", "ÆØÅ", "straße", "Σίσυφος", ""])
def test_fold_case_is_how_ignorecase_compares(text):
    import re

    from pipeline.ingest.classify import fold_case

    folded = fold_case(text)
    assert len(folded) == len(text)
    for word in ["pressemeddelelse", "indstilling", "siger", "kl", "åbent", "æøå"]:
        assert bool(re.search(word, folded)) == bool(re.search(word, text, re.IGNORECASE)), word


def test_title_skip_patterns_combined(rules):
    """The skip patterns are tried as one alternation; it must agree with trying them one by one."""
    import re

    from pipeline.ingest.classify import _any_fullmatch

    skips = [re.compile(e["pattern"], re.IGNORECASE) for e in rules.yaml("titles.yaml")["skip"]]
    combined = _any_fullmatch(skips)
    for line in ["08:45", "kl. 10.30", "14.03.2018 10:30", "2018-03-14T10:30", "tirsdag den 12. marts 2018",
                 "Side 1 af 3", "3/5", "Punkt 7.", "- 4 -", "17/12345", "Sagsnr.: 18/2211", "j. nr. 2018-3",
                 "Nyt forsøg", "12 af mine", "Godkendelse af ansøgning", ""]:
        assert bool(combined(line)) == any(p.fullmatch(line) for p in skips), line
    backref = [re.compile(r"(a)\1"), re.compile("b")]
    assert _any_fullmatch(backref)("aa") and _any_fullmatch(backref)("b") and not _any_fullmatch(backref)("ab")
