"""Networks in flattened tables: one cell a line, no labels, no cell borders (flat.py,
rules/networks.yaml `flat_tables`). Documents written for these tests."""

from __future__ import annotations

from test_networks import codes, members, name, networks, rule, value  # noqa: F401  (fixture)

HEADED = (
    "Netværkene i forsøget\n\n"
    "I maj 2017 blev fire frikommunenetværk udvalgt af ministeren.\n\n"
    "Område\n\n"
    "Kommuner\n\n"
    "Beskrivelse\n\n"
    "Natur og klima\n\n"
    "Grønne kyster og robuste vandløb\n\n"
    " \n\n"
    "Tønder, Esbjerg, Fanø, Varde\n\n"
    "Netværket vil prøve nye måder at pleje kysterne på.\n\n"
    "Kultur\n\n"
    "Levende biblioteker i hele kommunen\n\n"
    "Næstved, Faxe og Stevns\n\n"
    "Netværket samler bibliotekerne om færre regler\n\n"
    "Digital selvbetjening for ældre\n\n"
    "Haderslev, Kolding, Vejen*\n\n"
    "Netværket arbejder med nye former for hjælp på nettet.\n\n"
    "Trafik\n\n"
    "Sikre skoleveje\n\n"
    "Horsens, Hedensted\n\n"
    "Netværket ser på skolebusser."
)


def test_rows_of_a_flattened_table_with_a_header(networks):
    found = networks(HEADED)
    assert [name(r) for r in found] == [
        "Grønne kyster og robuste vandløb", "Levende biblioteker i hele kommunen",
        "Digital selvbetjening for ældre", "Sikre skoleveje"]
    coast, library, digital, roads = found
    assert members(coast) == codes("Tønder", "Esbjerg", "Fanø", "Varde")
    assert members(library) == codes("Næstved", "Faxe", "Stevns")
    assert members(digital) == codes("Haderslev", "Kolding", "Vejen")  # footnote mark after the last
    assert members(roads) == codes("Horsens", "Hedensted")
    assert {r.rule for r in found} == {"network.table.flat"}
    assert rule(coast, "name") == "network.name.flat_cell"


def test_theme_line_above_the_name_and_the_previous_description_is_no_theme(networks):
    coast, library, digital, roads = networks(HEADED)
    assert value(coast, "theme") == "Natur og klima"  # not the header cell above it
    assert rule(coast, "theme") == "network.theme.flat_cell"
    assert value(library, "theme") == "Kultur"
    # the line above is the previous row's description (no full stop): the header says so
    assert value(digital, "theme") is None
    assert value(roads, "theme") == "Trafik"


def test_status_and_programme_of_the_table_from_the_sentence_above(networks):
    for r in networks(HEADED):
        assert value(r, "status") == "designated"
        assert rule(r, "status") == "network.status.heading.networks_designated"
        assert value(r, "programme") == "II"


def test_two_rows_without_a_header(networks):
    text = (
        "Sådan ser netværkene ud\n\n"
        "Sammen om unge\nOdder, Samsø, Syddjurs\n\n"
        "Færre skemaer i hjemmeplejen\nLemvig, Struer og Holstebro\n"
    )
    young, care = networks(text)
    assert name(young) == "Sammen om unge"
    assert members(young) == codes("Odder", "Samsø", "Syddjurs")
    assert name(care) == "Færre skemaer i hjemmeplejen"
    assert members(care) == codes("Lemvig", "Struer", "Holstebro")
    assert value(young, "theme") == "Sådan ser netværkene ud"  # a heading-like line above: read as theme


def test_one_row_without_a_header_is_not_a_table(networks):
    text = "Nyt om netværket\n\nMøde om skoler\nOdder, Samsø, Syddjurs\n\nVi mødes igen i juni.\n"
    assert [r for r in networks(text) if r.rule == "network.table.flat"] == []


def test_a_list_line_under_a_sentence_or_a_single_name_is_no_row(networks):
    text = (
        "Kommuner i netværket om turisme.\nSkagen, Frederikshavn\n\n"
        "Om netværket\nAalborg\n\n"
        "Kontakt\nAnne Holm, Rebild\n"
    )
    assert [r for r in networks(text) if r.rule == "network.table.flat"] == []


def test_a_member_line_with_other_words_is_no_row(networks):
    text = (
        "Netværk\n\nKommuner\n\n"
        "Stærke landsbyer\nLolland og Guldborgsund samarbejder om landsbyerne\n\n"
        "Bedre busser\nViborg og Skive har søgt\n"
    )
    assert [r for r in networks(text) if r.rule == "network.table.flat"] == []


def test_a_menu_of_headings_and_municipalities_without_network_words_is_no_table(networks):
    text = (
        "Nyheder fra regionen\n\n"
        "Sport\nAalborg, Hjørring og Thisted\n\n"
        "Kultur og fritid\nRanders, Viborg\n\n"
        "Læs mere om frikommunerne her"
    )
    assert [r for r in networks(text) if r.rule == "network.table.flat"] == []


def test_a_member_cell_broken_over_lines_and_a_plural_suffix(networks):
    text = (
        "Netværk\n\nDeltagere\n\nBeskrivelse\n\n"
        "Stærke landsbyer\n\nLolland\nGuldborgsund\nVordingborg\n\nNetværket arbejder med landsbyerne.\n\n"
        "Bedre busser\n\nViborg og Skive kommuner\n\nNetværket ser på ruterne.\n"
    )
    villages, buses = networks(text)
    assert name(villages) == "Stærke landsbyer"
    assert members(villages) == codes("Lolland", "Guldborgsund", "Vordingborg")
    assert name(buses) == "Bedre busser"
    assert members(buses) == codes("Viborg", "Skive")
    assert value(villages, "theme") is None  # "Beskrivelse" is a header cell, not a theme
