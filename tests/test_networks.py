"""Networks and their members (pipeline/extract/networks/ + rules/networks.yaml).

Rule tests use texts written for the tests, with other networks, municipalities and layouts
than the seed documents; the samples in sources/ are acceptance checks at the end. Expected
member codes come from the gazetteer file, never from the component's own output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipeline.extract import extract
from pipeline.ingest import read_document

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"

with (REPO / "rules" / "municipalities.csv").open(encoding="utf-8", newline="") as _fh:
    _CODE = {row["navn"]: row["kode"] for row in csv.DictReader(_fh)}


def codes(*names: str) -> list[str]:
    """Codes by gazetteer name; short forms ("Nordfyn") take the official genitive -s."""
    return [_CODE[n] if n in _CODE else _CODE[n + "s"] for n in names]


def check_facts(text: str, record) -> None:
    """Every fact's text is exactly its span of the document."""
    f = record.fields
    for key in ("name", "status", "programme", "theme"):
        if f[key] is not None:
            assert text[f[key]["start"]:f[key]["end"]] == f[key]["text"], (key, f[key])
            assert f[key]["rule"], key
    for m in f["members"]:
        assert text[m["start"]:m["end"]] == m["text"]
        assert m["rule"]
    assert 0 <= record.start <= record.end <= len(text)


@pytest.fixture
def networks(run_extract):
    """text -> network records (provenance checked on the way)."""

    def _run(text: str, published: str | None = None):
        mentions, records, document = run_extract(text, published=published, records=True)
        found = [r for r in records if r.type == "network"]
        for r in found:
            check_facts(document.text, r)
        return found

    return _run


def name(r) -> str | None:
    return r.fields["name"]["value"] if r.fields["name"] else None


def members(r) -> list[str]:
    return [m["value"] for m in r.fields["members"]]


def value(r, key: str) -> str | None:
    return r.fields[key]["value"] if r.fields[key] else None


def rule(r, key: str) -> str | None:
    return r.fields[key]["rule"] if r.fields[key] else None


def by_name(records) -> dict:
    return {name(r): r for r in records}


# ---------------------------------------------------------------------- 1. labelled blocks
INLINE_BLOCKS = (
    "FAKTA: Her er de tre netværk\n\n"
    "Klima og miljø Navn: Grøn omstilling i landdistrikterne Projekt: Netværket vil afprøve "
    "nye regler for vandløb. Deltagere: Tønder, Aabenraa, Sønderborg   "
    "Navn: Fremtidens folkeskole Projekt: Mere frihed til skolerne. Deltagere: Viborg, Skive   "
    "Ældre og omsorg Navn: Værdig ældrepleje Projekt: Mindre bureaukrati. "
    "Deltagere: Svendborg, Faaborg-Midtfyn, Nyborg"
)


def test_inline_labelled_blocks_split_at_the_next_label_and_heading(networks):
    found = networks(INLINE_BLOCKS)
    assert [name(r) for r in found] == [
        "Grøn omstilling i landdistrikterne", "Fremtidens folkeskole", "Værdig ældrepleje"]
    green, school, care = found
    assert members(green) == codes("Tønder", "Aabenraa", "Sønderborg")
    assert members(school) == codes("Viborg", "Skive")
    assert members(care) == codes("Svendborg", "Faaborg-Midtfyn", "Nyborg")
    assert value(green, "theme") == "Klima og miljø"
    assert value(school, "theme") is None
    assert value(care, "theme") == "Ældre og omsorg"
    assert rule(care, "theme") == "network.theme.heading"
    assert {r.rule for r in found} == {"network.block.labelled"}
    assert rule(green, "name") == "network.label.name"


def test_heading_above_blocks_makes_them_designated(networks):
    for r in networks(INLINE_BLOCKS):
        assert value(r, "status") == "designated"
        assert rule(r, "status") == "network.status.heading.here_are"


def test_blocks_with_one_label_a_line_and_bulleted_members(networks):
    text = (
        "Netværk: Sundhed på tværs\n"
        "Tema: Sundhed og forebyggelse\n"
        "Deltagende kommuner:\n"
        "• Horsens\n"
        "• Hedensted\n"
        "• Skanderborg\n"
        "Status: Udpeget af regeringen i oktober 2017\n"
        "\n"
        "Netværk: Digital forvaltning\n"
        "Medlemmer: Herning, Ikast-Brande og Lemvig\n"
        "Status: Ikke udvalgt\n"
    )
    health, digital = networks(text)
    assert name(health) == "Sundhed på tværs"
    assert members(health) == codes("Horsens", "Hedensted", "Skanderborg")
    assert value(health, "theme") == "Sundhed og forebyggelse"
    assert rule(health, "theme") == "network.label.theme"
    assert value(health, "status") == "designated"
    assert value(health, "programme") == "II"  # from "oktober 2017"
    assert rule(health, "programme") == "network.programme.year"
    assert name(digital) == "Digital forvaltning"
    assert members(digital) == codes("Herning", "Ikast-Brande", "Lemvig")
    assert value(digital, "status") == "not_selected"


def test_heading_on_the_line_above_and_members_wrapped_over_lines(networks):
    [r] = networks("Sundhed\n\nNavn: Sammen om sundhed\nKommuner: Vejle, Kolding,\nFredericia og Billund\n")
    assert name(r) == "Sammen om sundhed"
    assert value(r, "theme") == "Sundhed"
    assert members(r) == codes("Vejle", "Kolding", "Fredericia", "Billund")


def test_a_contact_card_is_not_a_network(networks):
    assert networks("Navn: Jens Hansen\nTelefon: 12345678\nDeltagere: Anne Holm og Bo Berg\n") == []


# ---------------------------------------------------------------------- 4. tables
def test_network_table_rows(networks):
    text = (
        "Oversigt: Her er de udpegede netværk\n"
        "Netværk | Kommuner | Tema\n"
        "Stærkere lokalsamfund | Lolland, Guldborgsund, Vordingborg | Landdistrikter\n"
        "Bedre veje til uddannelse | Aarhus og Silkeborg | Unge\n"
        "\n"
        "Kontakt Randers Kommune for mere.\n"
    )
    rows = by_name(networks(text))
    assert set(rows) == {"Stærkere lokalsamfund", "Bedre veje til uddannelse"}
    local = rows["Stærkere lokalsamfund"]
    assert members(local) == codes("Lolland", "Guldborgsund", "Vordingborg")
    assert value(local, "theme") == "Landdistrikter"
    assert local.rule == "network.table.row"
    assert members(rows["Bedre veje til uddannelse"]) == codes("Aarhus", "Silkeborg")
    assert value(local, "status") == "designated"


def test_experiment_table_is_left_to_the_experiment_component(networks):
    text = "Netværk | Forsøg | Kommuner\nStærkere lokalsamfund | Færre regler for byggeri | Lolland\n"
    assert networks(text) == []


# ---------------------------------------------------------------------- 2. prose
def test_subject_in_network_with_two_networks_in_one_sentence(networks):
    text = ("Esbjerg Kommune er udpeget som frikommune i netværk med Varde og Fanø Kommune med temaet "
            "'Vadehavets kommuner' og i netværk med Vejen Kommune og Billund om temaet Erhverv og vækst.")
    first, second = networks(text)
    assert name(first) == "Vadehavets kommuner"
    assert members(first) == codes("Esbjerg", "Varde", "Fanø")
    assert name(second) == "Erhverv og vækst"
    assert rule(second, "name") == "network.name.theme_phrase"
    assert members(second) == codes("Esbjerg", "Vejen", "Billund")
    assert first.rule == second.rule == "network.prose.in_network_with"
    assert value(first, "status") == value(second, "status") == "designated"


def test_network_consists_of(networks):
    [r] = networks("Netværket „Sammen om beskæftigelse“ består af Odense, Kerteminde, Nyborg og "
                   "Faaborg-Midtfyn Kommuner.")
    assert name(r) == "Sammen om beskæftigelse"
    assert rule(r, "name") == "network.name.network_noun"
    assert members(r) == codes("Odense", "Kerteminde", "Nyborg", "Faaborg-Midtfyn")
    assert r.rule == "network.prose.consists_of"


def test_together_with_working_on_a_named_theme(networks):
    [r] = networks("Horsens skal sammen med Hedensted og Skanderborg arbejde med Nye veje til rehabilitering.")
    assert name(r) == "Nye veje til rehabilitering"
    assert rule(r, "name") == "network.name.works_on"
    assert members(r) == codes("Horsens", "Hedensted", "Skanderborg")


def test_together_with_subject_after_the_list(networks):
    [r] = networks("Sammen med Tårnby og Dragør kommuner indgår Hvidovre i netværket »Trafik og byudvikling«, "
                   "som skal afprøve nye regler.")
    assert name(r) == "Trafik og byudvikling"
    assert members(r) == codes("Tårnby", "Dragør", "Hvidovre")


def test_together_with_without_a_name_is_any_cooperation(networks):
    text = "Netværket vil lave forsøget sammen med Skanderborg og Horsens kommuner."
    assert networks(text) == []


def test_municipalities_take_part_in_a_named_network(networks):
    [r] = networks("Sagsfremstilling\nNæstved og Slagelse kommuner deltager i netværket Robuste familier.\n")
    assert name(r) == "Robuste familier"
    assert members(r) == codes("Næstved", "Slagelse")
    assert r.rule == "network.prose.takes_part"


def test_joined_up_named_by_a_group_sentence_elsewhere(networks):
    text = ("Vordingborg, Næstved og Faxe kommuner er gået sammen i et netværk om at søge om frikommunestatus.\n\n"
            "De tre sjællandske kommuner har i ansøgningen fokus på «Aktiv hele livet».")
    [r] = networks(text)
    assert members(r) == codes("Vordingborg", "Næstved", "Faxe")
    assert name(r) == "Aktiv hele livet"
    assert rule(r, "name") == "network.name.group_link"
    assert value(r, "status") == "applied"


def test_group_with_another_count_does_not_name_the_list(networks):
    text = ("Vordingborg, Næstved og Faxe kommuner er gået sammen i et netværk om at søge om frikommunestatus.\n\n"
            "De fire sjællandske kommuner har i ansøgningen fokus på «Aktiv hele livet».")
    [r] = networks(text)
    assert name(r) is None
    assert members(r) == codes("Vordingborg", "Næstved", "Faxe")


def test_name_from_another_sentence_of_the_paragraph(networks):
    [r] = networks("Netværket består af Slagelse, Sorø og Ringsted Kommuner. Netværket arbejder under temaet "
                   "Grøn vækst på landet.")
    assert name(r) == "Grøn vækst på landet"
    assert rule(r, "name") == "network.name.paragraph"


# ---------------------------------------------------------------------- 3. quotes
@pytest.mark.parametrize("open_, close", [
    ('"', '"'), ("'", "'"), ("‘", "’"), ("“", "”"), ("”", "”"), ("„", "“"), ("«", "»"), ("»", "«"),
])
def test_quoted_theme_of_each_kind(networks, open_, close):
    text = f"Kolding og Fredericia kommuner er gået sammen i et netværk med temaet {open_}Unge i uddannelse{close}."
    [r] = networks(text)
    assert name(r) == "Unge i uddannelse"
    assert r.fields["name"]["text"] == "Unge i uddannelse"  # the span is the inner text
    assert members(r) == codes("Kolding", "Fredericia")


def test_speech_quotes_and_generic_text_name_nothing(networks):
    text = ("Kommunerne er organiseret i netværk med et fælles tema. De udvalgte frikommuner vil inden for "
            "temaet for netværket kunne søge. ”Det er en god dag for Vejle og netværket”, siger borgmesteren. "
            "Netværket arbejder med bedre velfærd.")
    assert networks(text) == []


# ---------------------------------------------------------------------- 5. theme references
def test_minutes_referring_to_a_theme_give_a_name_without_members(networks):
    [r] = networks('Det blev aftalt, at de fynske kommuner skal byde ind ift. temaet "Sammenhæng for borgeren" '
                   "i den fælles ansøgning.")
    assert name(r) == "Sammenhæng for borgeren"
    assert members(r) == []
    assert r.rule == "network.prose.name_only"


def test_network_name_mentions_mark_each_name(run_extract):
    text = "Netværket »Grøn by« består af Roskilde og Lejre Kommuner."
    mentions, records, document = run_extract(text, records=True)
    [m] = [m for m in mentions if m.type == "network_name"]
    assert (m.value, m.text) == ("Grøn by", document.text[m.start:m.end])
    assert m.value == "Grøn by"


# ---------------------------------------------------------------------- membership spans
def test_municipality_near_but_outside_the_list_is_not_a_member(networks):
    [r] = networks("Netværket består af Slagelse, Sorø og Ringsted Kommuner, mens Holbæk Kommune står udenfor.")
    assert members(r) == codes("Slagelse", "Sorø", "Ringsted")


def test_municipality_in_the_previous_sentence_is_not_a_member(networks):
    [r] = networks("Aarhus Kommune har fulgt sagen. Randers, Favrskov og Norddjurs kommuner er gået sammen i et "
                   "netværk om temaet Unge i job.")
    assert members(r) == codes("Randers", "Favrskov", "Norddjurs")


def test_two_networks_in_one_paragraph_keep_their_members(networks):
    text = ("Hjørring og Frederikshavn kommuner er gået sammen i et netværk om temaet Kystbeskyttelse. "
            "Aalborg og Rebild kommuner er også gået sammen i et netværk om temaet Grøn energi, men fik afslag.")
    found = by_name(networks(text))
    assert members(found["Kystbeskyttelse"]) == codes("Hjørring", "Frederikshavn")
    assert members(found["Grøn energi"]) == codes("Aalborg", "Rebild")
    assert value(found["Grøn energi"], "status") == "not_selected"
    assert value(found["Kystbeskyttelse"], "status") is None  # the other sentence's refusal is not its own


# ---------------------------------------------------------------------- status
@pytest.mark.parametrize("sentence, status, trigger", [
    ("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer', men fik afslag.",
     "not_selected", "network.status.not_selected.refused"),
    ("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer' og blev ikke udvalgt.",
     "not_selected", "network.status.not_selected.was_not"),
    ("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer' og blev frikommuner.",
     "designated", "network.status.designated.became"),
    ("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer' og er nu udvalgt.",
     "designated", "network.status.designated.chosen"),
    ("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer' og har søgt ministeriet.",
     "applied", "network.status.applied.has_applied"),
    ("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer', som ansøger om status.",
     "applied", "network.status.applied.applies_formal"),
])
def test_status_triggers(networks, sentence, status, trigger):
    [r] = networks(sentence)
    assert value(r, "status") == status
    assert rule(r, "status") == trigger


def test_applying_for_an_experiment_is_not_applying_to_be_a_network(networks):
    [r] = networks("Roskilde og Lejre kommuner er gået sammen i netværket 'Grønne byer', der søger om lov til "
                   "at droppe skemaer.")
    assert value(r, "status") is None


def test_status_from_a_sentence_about_a_member_in_the_same_paragraph(networks):
    [r] = networks("Gribskov Kommune er udpeget som frikommune. Sammen med Halsnæs kommune indgår Gribskov i "
                   "netværket „Kysten som ressource“.")
    assert value(r, "status") == "designated"
    assert members(r) == codes("Halsnæs", "Gribskov")


# ---------------------------------------------------------------------- programme
@pytest.mark.parametrize("text, programme, prog_rule", [
    ("Frikommuneforsøg III: Lolland og Vordingborg kommuner er gået sammen i et netværk om temaet Robuste "
     "lokalsamfund.", "III", "network.programme.stated"),
    ("I marts 2022 er Lolland og Vordingborg kommuner gået sammen i et netværk om temaet Robuste "
     "lokalsamfund.", "III", "network.programme.year"),
    ("I marts 2017 er Lolland og Vordingborg kommuner gået sammen i et netværk om temaet Robuste "
     "lokalsamfund.", "II", "network.programme.year"),
    ("I marts 2019 er Lolland og Vordingborg kommuner gået sammen i et netværk om temaet Robuste "
     "lokalsamfund.", None, None),  # 2019 lies in both II and III
    ("I marts 2014 er Lolland og Vordingborg kommuner gået sammen i et netværk om temaet Robuste "
     "lokalsamfund.", None, None),  # programme I had no networks
])
def test_programme(networks, text, programme, prog_rule):
    [r] = networks(text)
    assert value(r, "programme") == programme
    assert rule(r, "programme") == prog_rule


def test_programme_stated_elsewhere_in_the_document_and_programme_one_ignored(networks):
    text = ("Lolland og Vordingborg kommuner er gået sammen i et netværk om temaet Robuste lokalsamfund.\n\n"
            "Til forskel fra Frikommuneforsøg I deltager kommunerne i frikommuneforsøg II i netværk.")
    [r] = networks(text)
    assert value(r, "programme") == "II"
    assert r.fields["programme"]["text"] == "frikommuneforsøg II"


def test_programme_span_of_years(networks):
    [r] = networks("Tønder Kommune er udpeget som frikommune for perioden 2016-2020 i netværk med Aabenraa "
                   "om temaet Grænseland.")
    assert value(r, "programme") == "II"


# ---------------------------------------------------------------------- samples (acceptance)
SAMPLE_001 = {
    "En mere fleksibel og effektiv beskæftigelsesindsats": (
        "Aalborg", "Frederikshavn", "Læsø", "Hjørring", "Brønderslev", "Jammerbugt", "Morsø", "Thisted",
        "Rebild", "Vesthimmerland", "Mariagerfjord"),
    "Billige boliger og fleksible boligløsninger": (
        "Høje-Taastrup", "Randers", "Roskilde", "København", "Favrskov", "Aarhus"),
    "Bedre styring af udgifterne på det specialiserede socialområde": (
        "Favrskov", "Herning", "Holstebro", "Randers", "Silkeborg", "Skive", "Aabenraa"),
    "Børn som vores vigtigste ressource": ("Guldborgsund", "Ikast-Brande", "Gladsaxe"),
    "Nye samarbejdsformer på det somatiske akutområde": ("Rudersdal", "Gentofte", "Gladsaxe", "Lyngby-Taarbæk"),
    "Sammenhængende indsatser på tværs af sektorområder": ("Esbjerg", "Odense", "København", "Aarhus", "Randers"),
    "En plan for sammenhængende indsats sammen med borgeren": (
        "Ballerup", "Allerød", "Fredensborg", "Frederikssund", "Furesø", "Gribskov", "Halsnæs", "Helsingør",
        "Hillerød"),
    "Øget borgerinvolvering og samskabelse": ("Holbæk", "Assens", "Slagelse", "Nordfyn", "Ringkøbing-Skjern",
                                               "Aarhus"),
}


@pytest.fixture(scope="module")
def sample_networks(rules, nlp):
    """source prefix -> network records of that sample document."""
    out = {}
    for path in sorted(SOURCES.iterdir()):
        document = read_document(path, SOURCES, rules)
        result = extract(nlp, document)
        found = [r for r in result.records if r.type == "network"]
        for r in found:
            check_facts(document.text, r)
        out[path.name] = found
    return lambda prefix: next(v for k, v in out.items() if k.startswith(prefix))


def test_sample_001_eight_networks(sample_networks):
    found = by_name(sample_networks("001_"))
    assert set(found) == set(SAMPLE_001)
    for network, names in SAMPLE_001.items():
        r = found[network]
        assert sorted(members(r)) == sorted(codes(*names)), network
        assert value(r, "status") == "designated"
        assert value(r, "programme") == "II"
    assert value(found["Billige boliger og fleksible boligløsninger"], "theme") == "Boliger"
    assert value(found["Nye samarbejdsformer på det somatiske akutområde"], "theme") == "Sundhed og ældre"


def test_sample_000_two_applying_networks(sample_networks):
    found = by_name(sample_networks("000_"))
    north = found["mere fleksibel og effektiv beskæftigelsesindsats, herunder også nytænkning af integrationsområdet"]
    assert sorted(members(north)) == sorted(codes(
        "Frederikshavn", "Læsø", "Hjørring", "Brønderslev", "Jammerbugt", "Morsø", "Thisted", "Aalborg", "Rebild",
        "Vesthimmerland", "Mariagerfjord"))
    streams = found["behovsorienteret vandløbsvedligehold"]
    assert sorted(members(streams)) == sorted(codes("Hjørring", "Brønderslev", "Frederikshavn"))
    assert value(north, "status") == value(streams, "status") == "applied"
    assert len(found) == 2


def test_sample_004_gladsaxe_in_two_networks(sample_networks):
    found = by_name(sample_networks("004_"))
    assert sorted(members(found["Børn som vores vigtigste ressource"])) == sorted(
        codes("Gladsaxe", "Ikast-Brande", "Guldborgsund"))
    assert sorted(members(found["Nye samarbejdsformer på det somatiske akutområde"])) == sorted(
        codes("Gladsaxe", "Rudersdal", "Gentofte", "Lyngby-Taarbæk"))
    assert {value(r, "status") for r in found.values()} == {"designated"}
    assert len(found) == 2


def test_sample_002_minutes_name_the_theme_only(sample_networks):
    [r] = sample_networks("002_")
    assert name(r) == "En effektiv og fleksibel beskæftigelsesindsats"
    assert members(r) == []


def test_sample_html_pages(sample_networks):
    [syddjurs] = sample_networks("syddjurs_frikommune_info")
    assert name(syddjurs) == "Frihed i ældreplejen"
    assert sorted(members(syddjurs)) == sorted(codes("Syddjurs", "Odder", "Skanderborg"))
    assert value(syddjurs, "status") == "designated"
    assert value(syddjurs, "programme") == "II"
    [vejle] = sample_networks("vejle_nyhed")
    assert name(vejle) == "Bedre velfærd gennem frisættelse"
    assert sorted(members(vejle)) == sorted(codes("Vejle", "Fredericia", "Kolding", "Middelfart"))
    assert value(vejle, "status") is None  # asking leave for an experiment is no network status


# ---------------------------------------------------------------------- rules and speed devices
def _anchored_rules(network_rules):
    r = network_rules
    named = [(m.id, m.pattern) for m in r.membership] + [(p.id, p.pattern) for p in r.name_phrases]
    named += [(t.id, t.pattern) for t in r.status] + [(h[0], h[2]) for h in r.heading_status]
    named += [("labels", r.label), (r.group_rule, r.group), (r.programme_stated_rule, r.programme_stated)]
    return named


@pytest.fixture(scope="module")
def network_rules(nlp):
    return nlp.get_pipe("frikommune_networks").rules


def _texts_for_anchor_check(rules) -> list[str]:
    texts = [read_document(p, SOURCES, rules).text for p in sorted(SOURCES.iterdir())]
    return texts + [
        INLINE_BLOCKS,
        "Esbjerg er udpeget i netværk\nmed Varde. Roskilde og Lejre kommuner er\ngået sammen og fik\nafslag.",
        "Syddjurs og Odder kommuner deltager i\nnetværket Frihed. De tre midtjyske kommuner ansøger.",
        "Frikommuneforsøg II og frikommuneforsøget III: Her er de fem netværk. Gribskov er nu frikommune.",
    ]


def test_anchored_search_finds_what_a_full_scan_finds(rules, network_rules):
    """The anchors and reach of every whole-text rule are sound on the samples and on texts
    with line breaks inside the phrases."""
    from pipeline.extract.networks.text import TextContext, find_anchored

    for text in _texts_for_anchor_check(rules):
        ctx = TextContext(text, network_rules, [], [], None)
        for rule_id, pattern in _anchored_rules(network_rules):
            target = ctx.low
            full = [m.span() for m in pattern.regex.finditer(target)]
            positions = [ctx.anchor_offsets(a) for a in pattern.anchors]
            near = [m.span() for m in find_anchored(pattern, target, positions)]
            assert near == full, (rule_id, text[:60])


def test_rule_ids_are_unique_and_namespaced(network_rules):
    ids = [rule_id for rule_id, _ in _anchored_rules(network_rules) if rule_id != "labels"]
    ids += [network_rules.block_rule, network_rules.table_rule, network_rules.name_only_rule,
            network_rules.quote_rule, network_rules.paragraph_name_rule, network_rules.theme_heading_rule,
            network_rules.table_name_rule, network_rules.table_theme_rule,
            network_rules.programme_year_rule, network_rules.programme_published_rule,
            network_rules.flat_rule, network_rules.flat_name_rule, network_rules.flat_theme_rule,
            network_rules.nearby_name_rule]
    ids += [c.id for c in network_rules.clauses]
    ids += list({rule for _, rule in network_rules.label_kind.values()})
    assert len(ids) == len(set(ids))
    assert all(i.startswith("network.") for i in ids)


def test_a_document_without_network_words_is_skipped(networks):
    assert networks("Vejle Kommune holder byrådsmøde den 3. maj. Aarhus og Odense deltager.") == []


def test_municipalities_that_apply_to_become_a_network(networks):
    [r] = networks('Vejle, Kolding og Fredericia søgte i marts om at blive frikommunenetværk med temaet '
                   '"Færre regler i ældreplejen".')
    assert name(r) == "Færre regler i ældreplejen"
    assert members(r) == codes("Vejle", "Kolding", "Fredericia")
    assert value(r, "status") == "applied"
    assert r.rule == "network.prose.apply_as_network"


def test_applying_for_an_experiment_is_no_network(networks):
    assert networks("Vejle og Kolding søger om at blive fritaget for reglerne om visitation.") == []
