"""Municipality mentions (pipeline/extract/municipalities.py + rules/municipalit*).

Rule-level tests use sentences written for the test; the seed documents in sources/ are
checked only for the acceptance figures. Expected codes come from the gazetteer, which is a
copy of the reference list (checked below), never from the component's own output.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO / "sources"
GAZETTEER = REPO / "rules" / "municipalities.csv"
REFERENCE_CANDIDATES = [
    REPO.parent / "shared" / "reference" / "kommuner.csv",
    Path("/work/shared/reference/kommuner.csv"),
]


def gazetteer_rows() -> list[dict[str, str]]:
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


CODE = {row["navn"]: row["kode"] for row in gazetteer_rows()}


def code(name: str) -> str:
    """Code of a municipality by its name in the gazetteer (short forms take the official -s)."""
    return CODE[name] if name in CODE else CODE[name + "s"]


@pytest.fixture
def munis(run_extract):
    """text -> [(mention text, value, rule)] for municipality mentions; checks offsets on the way."""

    def _run(text: str):
        mentions, document = run_extract(text)
        out = []
        for m in mentions:
            assert m.text == document.text[m.start:m.end], m
            if m.type == "municipality":
                assert m.value in set(CODE.values()), m
                assert m.rule.startswith("municipality."), m
                out.append((m.text, m.value, m.rule))
        return out

    return _run


@pytest.fixture
def analyse(nlp):
    """text -> [(candidate text, value, excluded_by)] incl. dropped candidates and the rule that dropped them."""
    component = nlp.get_pipe("frikommune_municipalities")

    def _run(text: str):
        doc = nlp.make_doc(text)
        return [(text[c.start_char:c.end_char], c.form.kode, c.excluded_by) for c in component.analyse(doc)]

    return _run


def values(found) -> list[str]:
    return [v for _, v, _ in found]


# --------------------------------------------------------------------------- gazetteer


def test_gazetteer_has_98_distinct_three_digit_codes():
    rows = gazetteer_rows()
    assert len(rows) == 98
    assert len({r["kode"] for r in rows}) == 98
    assert all(len(r["kode"]) == 3 and r["kode"].isdigit() for r in rows)
    assert all(r["region_navn"].startswith("Region ") for r in rows)


def test_gazetteer_is_a_copy_of_the_reference():
    ref = next((p for p in REFERENCE_CANDIDATES if p.is_file()), None)
    if ref is None:
        pytest.skip("shared/reference/kommuner.csv not available")
    import importlib.util  # noqa: PLC0415

    spec = importlib.util.spec_from_file_location("build_gazetteer", REPO / "scripts" / "build_gazetteer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert GAZETTEER.read_text(encoding="utf-8") == module.build(ref)


@pytest.mark.parametrize("row", gazetteer_rows(), ids=lambda r: f"{r['kode']}-{r['navn']}")
def test_every_municipality_found_by_official_name_with_suffix(munis, row):
    text = f"Byrådet i {row['navn']} Kommune har besluttet at søge om frikommunestatus."
    assert munis(text) == [(f"{row['navn']} Kommune", row["kode"], "municipality.with_suffix")]


def test_attrs_carry_official_name_and_region(run_extract):
    mentions, _ = run_extract("Samarbejdet mellem Nordfyn og Århus fortsætter.")
    by_value = {m.value: m.attrs for m in mentions if m.type == "municipality"}
    assert by_value["480"]["name"] == "Nordfyns" and by_value["480"]["region"] == "Region Syddanmark"
    assert by_value["751"]["name"] == "Aarhus" and by_value["751"]["region"] == "Region Midtjylland"
    assert by_value["480"]["form"] == "municipality.variant.short"


# --------------------------------------------------------------------------- forms


def test_genitive_forms(munis):
    found = munis("Vejles borgmester mødte Københavns Kommune og Aalborg Kommunes direktion i Herlevs rådhus.")
    assert found == [
        ("Vejles", "630", "municipality.genitive"),
        ("Københavns Kommune", "101", "municipality.with_suffix"),
        ("Aalborg Kommunes", "851", "municipality.with_suffix"),
        ("Herlevs", "163", "municipality.genitive"),
    ]


def test_genitive_of_name_ending_in_s_takes_apostrophe(munis):
    found = munis("Randers' og Horsens' byråd er enige.")
    assert found == [("Randers'", "730", "municipality.genitive"), ("Horsens'", "615", "municipality.genitive")]
    # no "Randerss"
    assert munis("Randerss byråd") == []


def test_plural_suffix_closes_list_and_belongs_to_no_name(munis):
    found = munis("Det gælder Thisted og Vesthimmerlands Kommuner samt Lemvig, Struer og Skive kommuner.")
    assert found == [
        ("Thisted", "787", "municipality.gazetteer"),
        ("Vesthimmerlands", "820", "municipality.gazetteer"),
        ("Lemvig", "665", "municipality.gazetteer"),
        ("Struer", "671", "municipality.gazetteer"),
        ("Skive", "779", "municipality.gazetteer"),
    ]


def test_singular_suffix_after_list_goes_to_last_name(munis):
    found = munis("Netværket består af Odsherred, Kalundborg og Sorø Kommune.")
    assert found == [
        ("Odsherred", "306", "municipality.gazetteer"),
        ("Kalundborg", "326", "municipality.gazetteer"),
        ("Sorø Kommune", "340", "municipality.with_suffix"),
    ]


def test_suspended_compounds_in_list_closed_by_plural(munis):
    found = munis("Kolding-, Vejle- og Fredericia Kommuner har dannet et netværk.")
    assert found == [
        ("Kolding", "621", "municipality.suspended_compound"),
        ("Vejle", "630", "municipality.suspended_compound"),
        ("Fredericia", "607", "municipality.gazetteer"),
    ]


def test_suspended_compound_without_suffix_is_dropped(munis, analyse):
    assert munis("Trafikken i Vejle- og Koldingområdet vokser.") == []
    assert analyse("Trafikken i Vejle- og Koldingområdet vokser.") == [
        ("Vejle", "630", "municipality.exclude.suspended_without_suffix")
    ]


@pytest.mark.parametrize(
    "form, value",
    [
        ("Høje-Taastrup", "169"), ("Høje Taastrup", "169"), ("Høje–Taastrup", "169"),
        ("Ikast-Brande", "756"), ("Ikast Brande", "756"),
        ("Lyngby-Taarbæk", "173"), ("Lyngby Taarbæk", "173"),
        ("Ringkøbing-Skjern", "760"), ("Ringkøbing Skjern", "760"),
        ("Faaborg-Midtfyn", "430"), ("Faaborg Midtfyn", "430"),
    ],
)
def test_hyphen_and_space_variants(munis, form, value):
    found = munis(f"Borgerne i {form} får nye muligheder.")
    assert [(t, v) for t, v, _ in found] == [(form, value)]
    # and with suffix and genitive
    assert values(munis(f"Borgerne i {form} Kommune får nye muligheder.")) == [value]
    assert values(munis(f"{form}s borgere får nye muligheder.")) == [value]


@pytest.mark.parametrize(
    "form, value",
    [
        ("Århus", "751"), ("Ålborg", "851"), ("Åbenrå", "580"), ("Fåborg-Midtfyn", "430"),
        ("Taarnby", "185"), ("Tårnby", "185"), ("Høje Tåstrup", "169"), ("Høje-Tåstrup", "169"),
        ("Lyngby-Tårbæk", "173"),
    ],
)
def test_old_spellings(munis, form, value):
    found = munis(f"Forsøget i {form} blev forlænget.")
    assert [(t, v) for t, v, _ in found] == [(form, value)]


def test_old_spelling_rule_id(munis):
    assert munis("Forsøget i Århus blev forlænget.") == [("Århus", "751", "municipality.variant.old_spelling")]
    assert munis("Århus' borgmester") == [("Århus'", "751", "municipality.genitive")]


def test_short_and_official_forms(munis):
    found = munis("Nordfyn og Nordfyns Kommune samt Vesthimmerland og Vesthimmerlands Kommune.")
    assert found == [
        ("Nordfyn", "480", "municipality.variant.short"),
        ("Nordfyns Kommune", "480", "municipality.with_suffix"),
        ("Vesthimmerland", "820", "municipality.variant.short"),
        ("Vesthimmerlands Kommune", "820", "municipality.with_suffix"),
    ]
    assert munis("Nordfyns borgere stemte.") == [("Nordfyns", "480", "municipality.gazetteer")]


def test_bornholm(munis):
    found = munis("Bornholm og Bornholms Regionskommune er det samme; Bornholms Regionskommunes budget.")
    assert found == [
        ("Bornholm", "400", "municipality.gazetteer"),
        ("Bornholms Regionskommune", "400", "municipality.with_suffix"),
        ("Bornholms Regionskommunes", "400", "municipality.with_suffix"),
    ]


def test_former_name(munis):
    assert munis("Brønderslev-Dronninglund Kommune skiftede navn.") == [
        ("Brønderslev-Dronninglund Kommune", "810", "municipality.with_suffix")
    ]


def test_all_caps_headline(munis):
    found = munis("ESBJERG OG VARDE KOMMUNER SØGER SAMMEN\n\nHORSENS KOMMUNE SIGER JA")
    assert found == [
        ("ESBJERG", "561", "municipality.gazetteer"),
        ("VARDE", "573", "municipality.gazetteer"),
        ("HORSENS KOMMUNE", "615", "municipality.with_suffix"),
    ]


def test_lowercase_suffix_and_mixed_case(munis):
    assert values(munis("Hedensted kommune og Ishøj kommunes borgere.")) == ["766", "183"]


# --------------------------------------------------------------------------- exclusions


def test_region_and_kkr_are_not_municipalities(munis, analyse):
    assert munis("Region Nordjylland og KKR Syddanmark holdt møde med Regionsrådet i Region Sjælland.") == []
    assert analyse("Patienten kom på Regionshospitalet Randers, og Regionsrådet i Viborg besluttede det.") == [
        ("Randers", "730", "municipality.exclude.region_prefix"),
        ("Viborg", "791", "municipality.exclude.region_prefix"),
    ]


def test_postal_addresses(munis, analyse):
    text = "Skriv til Rådhuspladsen 1, 1599 København V eller Rådhuspladsen 2, 8000 Aarhus C eller DK-5000 Odense C."
    assert munis(text) == []
    assert [r for _, _, r in analyse(text)] == ["municipality.exclude.postcode"] * 3
    assert analyse("Kontoret ligger i Aalborg Ø.") == [("Aalborg", "851", "municipality.exclude.postal_district")]
    # a number before a suffixed name is no address
    assert values(munis("Budget 2017 Aarhus Kommune")) == ["751"]


@pytest.mark.parametrize(
    "phrase, rule",
    [
        ("Aarhus Universitet", "organisation"),
        ("Københavns Universitet", "organisation"),
        ("Odense Universitetshospital", "organisation"),
        ("Aalborg Universitetshospital", "organisation"),
        ("Aalborg Lufthavn", "organisation"),
        ("Esbjerg Havn", "organisation"),
        ("Randers FC", "organisation"),
        ("Roskilde Festival", "organisation"),
        ("Viborg Katedralskole", "organisation"),
        ("Københavns Politi", "organisation"),
        ("Vejle Amt", "organisation"),
        ("Faxe Kondi", "organisation"),
        ("Herlev Hospital", "organisation"),
        ("Retten i Kolding", "institution_prefix"),
        ("Vejle Fjord", "geographic"),
        ("Køge Bugt", "geographic"),
        ("Solrød Strand", "geographic"),
        ("Københavns Vestegn", "geographic"),
    ],
)
def test_organisation_and_place_names(munis, analyse, phrase, rule):
    text = f"Vi talte med {phrase} om sagen."
    assert munis(text) == []
    [(_, _, reason)] = analyse(text)
    assert reason == f"municipality.exclude.{rule}"


def test_organisation_word_must_be_whole(munis):
    # "havner" (verb) is not "Havn"
    assert values(munis("Esbjerg havner på førstepladsen.")) == ["561"]


def test_lowercase_words_never_match(munis, analyse):
    text = "Det kan bane vejen for en greve fra odder, og skive og tønder blev solgt i aarhus."
    assert munis(text) == []
    assert analyse(text) == []


def test_ambiguous_names_need_suffix_or_list(munis, analyse):
    assert munis("Vejen frem er lang. Greve Schimmelmann ejede godset. Odder lever ved åen.") == []
    assert [r for _, _, r in analyse("Vejen frem er lang.")] == ["municipality.exclude.ambiguous_without_context"]
    assert munis("Vejen Kommune og Greve Kommunes borgmester samt Odders Kommune.") == [
        ("Vejen Kommune", "575", "municipality.with_suffix"),
        ("Greve Kommunes", "253", "municipality.with_suffix"),
        ("Odders Kommune", "727", "municipality.with_suffix"),
    ]
    assert values(munis("Kolding, Vejen og Billund samarbejder.")) == ["621", "575", "530"]
    assert values(munis("Vejen og Odder Kommuner samarbejder.")) == ["575", "727"]
    assert munis("Vejen og Odder.") == []


def test_ambiguous_name_confirmed_by_the_document(munis):
    text = "Odder Kommune deltager.\n\nForsøg | Odder | Imødekommes\n\nOdder lever ved åen. Borgmesteren i Odder er glad."
    assert [(t, v) for t, v, _ in munis(text)] == [("Odder Kommune", "727"), ("Odder", "727"), ("Odder", "727")]
    assert munis("Forsøg | Odder | Imødekommes") == []


def test_lyngby_alone_needs_context(munis):
    assert munis("Lyngby er en gammel by.") == []
    assert values(munis("Gentofte, Gladsaxe og Lyngby samarbejder.")) == ["157", "159", "173"]
    assert munis("Lyngby Kommune") == [("Lyngby Kommune", "173", "municipality.with_suffix")]


def test_part_of_a_longer_name(munis, analyse):
    assert munis("Det sagde Jens Nyborg til Karen Viborg, der bor i Kongens Lyngby.") == []
    assert [r for _, _, r in analyse("Det sagde Jens Nyborg i går.")] == ["municipality.exclude.name_part"]
    # a capitalised word starting the sentence is no first name
    assert values(munis("Hvad Nyborg gør, gør Svendborg også.")) == ["450", "479"]


def test_names_inside_compounds_do_not_match(munis):
    assert munis("Aalborgmodellen, Odensevej 12, Aarhus-Randers-samarbejdet og Roskildeegnen.") == []


# --------------------------------------------------------------------------- seed documents

NETWORK_ARTICLE = {
    "Aalborg": "851", "Frederikshavn": "813", "Læsø": "825", "Hjørring": "860", "Brønderslev": "810",
    "Jammerbugt": "849", "Morsø": "773", "Thisted": "787", "Rebild": "840", "Vesthimmerland": "820",
    "Mariagerfjord": "846", "Høje-Taastrup": "169", "Randers": "730", "Roskilde": "265", "København": "101",
    "Favrskov": "710", "Aarhus": "751", "Herning": "657", "Holstebro": "661", "Silkeborg": "740",
    "Skive": "779", "Aabenraa": "580", "Guldborgsund": "376", "Ikast-Brande": "756", "Gladsaxe": "159",
    "Rudersdal": "230", "Gentofte": "157", "Lyngby-Taarbæk": "173", "Esbjerg": "561", "Odense": "461",
    "Ballerup": "151", "Allerød": "201", "Fredensborg": "210", "Frederikssund": "250", "Furesø": "190",
    "Gribskov": "270", "Halsnæs": "260", "Helsingør": "217", "Hillerød": "219", "Holbæk": "316",
    "Assens": "420", "Slagelse": "330", "Nordfyn": "480", "Ringkøbing-Skjern": "760",
}


def test_network_article_expectation_matches_gazetteer():
    assert len(NETWORK_ARTICLE) == 44
    for name, kode in NETWORK_ARTICLE.items():
        assert code(name) == kode, name


def seed(prefix: str) -> str:
    [path] = list(SOURCES.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def deltagere_lists(text: str) -> list[tuple[int, int]]:
    """(start, end) of each "Deltagere: ..." list of the network article (a list ends at a no-break space)."""
    spans = []
    pos = text.find("Deltagere:")
    while pos != -1:
        end = text.find("\xa0", pos)
        spans.append((pos, end))
        pos = text.find("Deltagere:", end)
    return spans


def test_network_article_all_44_and_nothing_else(run_extract):
    text = seed("001")
    mentions, document = run_extract(text)
    found = [m for m in mentions if m.type == "municipality"]
    assert {(m.text, m.value) for m in found} == set(NETWORK_ARTICLE.items())
    # the eight lists have 51 entries; every mention is one of them, nothing elsewhere
    spans = deltagere_lists(text)
    assert len(spans) == 8
    assert len(found) == 51
    for m in found:
        assert m.text == document.text[m.start:m.end]
        assert any(a < m.start and m.end <= b for a, b in spans), m


def test_seed_north_jutland_list(munis):
    found = munis(seed("000"))
    names = "Frederikshavn, Læsø, Hjørring, Brønderslev, Jammerbugt, Morsø, Thisted, Aalborg, Rebild, Vesthimmerland, Mariagerfjord"
    expected = [(n, code(n)) for n in names.split(", ")] + [
        ("Hjørring", "860"), ("Brønderslev", "810"), ("Frederikshavn", "813"),
    ]
    assert [(t, v) for t, v, _ in found] == expected


def test_seed_minutes_aalborg(munis):
    assert munis(seed("002")) == [("Aalborg Kommune", "851", "municipality.with_suffix")]


def test_seed_press_release_has_none(munis):
    assert munis(seed("003")) == []


def test_seed_explainer_gladsaxe(munis):
    assert [(t, v) for t, v, _ in munis(seed("004"))] == [
        ("Gladsaxe Kommune", "159"), ("Gentofte Kommune", "157"), ("Gladsaxe", "159"),
        ("Gladsaxe Kommune", "159"), ("Ikast-Brande", "756"), ("Guldborgsund Kommune", "376"),
        ("Rudersdal", "230"), ("Gentofte", "157"), ("Lyngby-Taarbæk Kommune", "173"),
    ]


# --------------------------------------------------------------------------- rules are data


def test_every_rule_id_used_is_declared_in_rules(nlp):
    component = nlp.get_pipe("frikommune_municipalities")
    rules_text = "".join(
        (REPO / "rules" / name).read_text(encoding="utf-8")
        for name in ("municipality_variants.yaml", "municipality_context.yaml")
    )
    ids = {f.rule for f in component.forms} | {component.suffix_rule, component.ambiguous_rule, component.suspended_rule}
    ids |= {rid for _, rid, _, _ in component.exclusions}
    for rid in ids:
        assert f"rule: {rid}" in rules_text or f"id: {rid}" in rules_text, rid


def test_surface_forms_are_unique_per_municipality(nlp):
    component = nlp.get_pipe("frikommune_municipalities")
    seen = {}
    for f in component.forms:
        assert seen.setdefault(f.text.lower(), f.kode) == f.kode, f


# --------------------------------------------------------------------------- historic and colloquial names

HISTORIC = REPO / "rules" / "municipalities_historic.csv"


def historic_rows() -> list[dict[str, str]]:
    lines = [line for line in HISTORIC.read_text(encoding="utf-8").splitlines(keepends=True)
             if not line.lstrip().startswith("#")]
    return list(csv.DictReader(lines))


def test_historic_table_maps_abolished_names_to_current_codes():
    rows = historic_rows()
    assert len(rows) >= 150  # the 2007 reform abolished 239 municipalities; the table lists the others' names
    current = {r["navn"].lower() for r in gazetteer_rows()}
    names = [r["navn"] for r in rows]
    assert len(names) == len(set(names))
    for r in rows:
        assert r["kode"] in set(CODE.values()), r
        assert r["navn"].lower() not in current, r  # a name that still names a municipality is no history


@pytest.mark.parametrize("old, successor", [
    ("Mariager", "Mariagerfjord"), ("Skagen", "Frederikshavn"), ("Nakskov", "Lolland"),
    ("Ribe", "Esbjerg"), ("Farum", "Furesø"), ("Grenaa", "Norddjurs"), ("Aars", "Vesthimmerland"),
    ("Ebeltoft", "Syddjurs"), ("Juelsminde", "Hedensted"), ("Rønne", "Bornholm"),
])
def test_historic_municipality_with_suffix_maps_to_its_successor(run_extract, old, successor):
    mentions, _ = run_extract(f"Allerede {old} Kommune søgte i 2005 om at prøve ordningen.")
    found = [m for m in mentions if m.type == "municipality"]
    assert [(m.text, m.value) for m in found] == [(f"{old} Kommune", code(successor))]
    assert found[0].attrs["historic"] is True and found[0].attrs["historic_name"] == old
    assert found[0].attrs["form"] == "municipality.historic"


def test_historic_name_without_suffix_is_the_town(analyse):
    found = analyse("Vi holdt mødet i Hobro, og bagefter kørte vi til Skagen.")
    assert [(t, reason) for t, _, reason in found] == [
        ("Hobro", "municipality.exclude.historic_without_suffix"),
        ("Skagen", "municipality.exclude.historic_without_suffix"),
    ]


def test_historic_names_in_a_list_closed_by_a_plural_suffix(munis):
    found = munis("Før reformen samarbejdede Sæby, Skagen og Frederikshavn Kommuner om turismen.")
    assert [(t, v) for t, v, _ in found] == [("Sæby", "813"), ("Skagen", "813"), ("Frederikshavn", "813")]


def test_historic_genitive_with_suffix(run_extract):
    mentions, _ = run_extract("Det var Stubbekøbing Kommunes sidste budget.")
    m = only_municipality(mentions)
    assert (m.text, m.value, m.attrs["historic_name"]) == ("Stubbekøbing Kommunes", "376", "Stubbekøbing")


def only_municipality(mentions):
    found = [m for m in mentions if m.type == "municipality"]
    assert len(found) == 1, [(m.text, m.value) for m in found]
    return found[0]


def test_colloquial_island_name(munis):
    assert munis("Forsøget kører også på Mors og i Thisted.") == [
        ("Mors", "773", "municipality.variant.colloquial"), ("Thisted", "787", "municipality.gazetteer")]
    assert munis("Mors dag fejres i maj.") == []


@pytest.mark.parametrize("text, span, value", [
    ("Det mener Odenseborgmesteren, der er glad.", "Odense", "461"),
    ("Både Kolding-borgmester Jens Ravn og Aalborgbyrådet sagde ja.", "Kolding", "621"),
    ("Formanden, Århusborgmester Karl Holm, talte først.", "Århus", "751"),
])
def test_name_written_together_with_borgmester_or_byråd(munis, text, span, value):
    found = munis(text)
    assert (span, value) in [(t, v) for t, v, _ in found], found


def test_compound_attrs_keep_the_whole_word(run_extract):
    mentions, _ = run_extract("Det mener Odenseborgmesteren.")
    m = only_municipality(mentions)
    assert (m.text, m.rule, m.attrs["compound"]) == ("Odense", "municipality.compound", "Odenseborgmesteren")


def test_no_compound_of_an_ambiguous_name(munis):
    assert munis("Vejenborgmesteren er ikke et ord.") == []


def test_names_hyphenated_over_a_line_break(munis):
    text = "Netværket består af Hol-\nstebro, Thi-\nsted og Grib-\nskov Kommuner. Det er frem-\ntiden."
    assert munis(text) == [
        ("Hol-\nstebro", "661", "municipality.hyphenated_line_break"),
        ("Thi-\nsted", "787", "municipality.hyphenated_line_break"),
        ("Grib-\nskov", "270", "municipality.hyphenated_line_break"),
    ]


def test_a_line_break_hyphen_inside_a_line_is_no_name(munis):
    assert munis("Det er Thi- og sted-navne, ikke Thisted-") == []


def test_a_name_after_a_metadata_date_prefix_and_a_capitalised_word(run_extract):
    # a saved page may begin " date 2019-05 " before its first sentence
    mentions, _ = run_extract(" date 2019-05 Kommunerne Lejre, Roskilde og Solrød har fået svar.")
    assert [m.value for m in mentions if m.type == "municipality"] == ["350", "265", "269"]


def test_a_capitalised_word_after_a_number_inside_a_sentence_still_guards_names(run_extract):
    mentions, _ = run_extract("Han blev valgt i 2019 som formand, sagde Jens Nyborg i går.")
    assert [m.value for m in mentions if m.type == "municipality"] == []
