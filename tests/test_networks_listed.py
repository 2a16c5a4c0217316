"""Networks read by layout in running text: a list of municipalities tied to a network cue
(listed.py, rules/networks.yaml `listed`), counted partners of a municipality the sentence
does not name (clause `network.prose.partners_anchor`), and the one municipality of a
theme's paragraph (`name_only.sole_member_rule`). Documents written for these tests, with
other municipalities, themes and wording than the pages they were modelled on."""

from __future__ import annotations

import pytest

from test_networks import codes, members, name, networks, rule, value  # noqa: F401  (fixture)


def with_members(records) -> list:
    return [r for r in records if r.fields["members"]]


def one(records):
    found = with_members(records)
    assert len(found) == 1, [(r.rule, members(r)) for r in found]
    return found[0]


# ---------------------------------------------------------------------- the list and its cue
def test_a_list_tied_by_the_next_sentence_which_names_no_municipality(networks):
    text = (
        "Kommunerne Vordingborg, Næstved, Faxe og Stevns fik onsdag grønt lys fra ministeren til at "
        "begynde en række forsøg under overskriften 'Grøn omstilling på landet'.\n\n"
        "Kommunerne fik sidste efterår ja til deres ønske om at danne et frikommunenetværk, og nu "
        "kan arbejdet begynde."
    )
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Vordingborg", "Næstved", "Faxe", "Stevns"))
    assert r.rule == "network.prose.listed"
    # the headline phrase counts: the next sentence talks about networks
    assert name(r) == "Grøn omstilling på landet"
    assert value(r, "status") == "designated"
    assert {m["rule"] for m in r.fields["members"]} == {"network.prose.listed"}


def test_a_list_tied_by_the_sentence_before(networks):
    text = ("Nu går endnu et frikommunenetværk i gang.\n\n"
            "Med i samarbejdet er Horsens, Hedensted, Odder og Skanderborg.")
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Horsens", "Hedensted", "Odder", "Skanderborg"))


def test_a_counted_apposition_in_a_sentence_about_a_network(networks):
    text = ("Derfor søgte de fire kommuner, Lemvig, Struer, Skive og Morsø, om at blive et "
            "frikommunenetværk på klimaområdet.")
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Lemvig", "Struer", "Skive", "Morsø"))
    assert value(r, "status") == "applied"


def test_among_other_things_before_the_sentence_is_no_partial_list(networks):
    text = "Blandt andet derfor søgte de tre kommuner, Sorø, Ringsted og Slagelse, om et frikommunenetværk."
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Sorø", "Ringsted", "Slagelse"))


def test_two_members_are_enough_when_the_sentence_counts_them(networks):
    text = "De to kommuner, Sorø og Ringsted, vil nu søge om at blive et frikommunenetværk."
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Sorø", "Ringsted"))


def test_a_cleft_list_of_so_called_free_municipalities_with_a_network_further_on(networks):
    text = (
        "Ministeren har givet Varde og tre andre kommuner lov til at gå nye veje.\n\n"
        "Det er Varde, Vejen, Billund og Esbjerg kommuner, der har søgt om at blive såkaldte "
        "frikommuner. Det giver dem mulighed for at afprøve nye løsninger.\n\n"
        "- Vi ser frem til arbejdet i frikommunenetværket, siger borgmesteren."
    )
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Varde", "Vejen", "Billund", "Esbjerg"))


def test_a_partner_list_first_then_the_subject_designated_as_free_municipality(networks):
    text = (
        "Vallensbæk Kommune skal de næste år være med i et af de nye frikommunenetværk.\n\n"
        "Sammen med Albertslund, Glostrup og Brøndby er Vallensbæk udpeget som frikommune med et "
        "projekt om bedre overgange fra skole til job."
    )
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Albertslund", "Glostrup", "Brøndby", "Vallensbæk"))
    assert value(r, "status") == "designated"


def test_an_evaluation_report_with_a_quoted_network_and_a_trigger_broken_over_a_line(networks):
    text = (
        "Forord\n"
        "Frikommunenetværket ”Stærke familier i hverdagen” bestå-\n"
        "ende af Vejen, Billund, Varde og Esbjerg Kommuner har gennemført en række forsøg, hvoraf\n"
        "tre er evalueret her:\n"
    )
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Vejen", "Billund", "Varde", "Esbjerg"))
    assert name(r) == "Stærke familier i hverdagen"


# ---------------------------------------------------------------------- lists that are no network
@pytest.mark.parametrize("text", [
    # free municipalities of a programme without networks: no network word on the page
    "Brønderslev, Hedensted, Syddjurs og Odder Kommuner har status som frikommuner.",
    # a network word on the page, but the sentence is dated to the first programme
    "I 2013 blev Brønderslev, Hedensted og Syddjurs frikommuner.\n\nI dag er der otte netværk.",
    "I Frikommuneforsøg I var Brønderslev, Hedensted og Syddjurs frikommuner.\n\nNu er der netværk.",
    # a count that is not the list
    "Hele 44 kommuner søgte om at blive frikommunenetværk, blandt dem Lejre, Køge og Solrød.",
    # another municipality in the sentence, with no partner lead
    "Vejle, Kolding og Fredericia holdt i går møde i Odense om det nye netværk.",
    # only some of the members
    "Blandt kommunerne i det nye frikommunenetværk er Viborg, Skive og Silkeborg.",
    "Frikommunenetværket tæller bl.a. Viborg, Skive og Silkeborg.",
    "Frikommunenetværket tæller blandt andre Viborg, Skive og Silkeborg.",
    "Frikommunenetværket tæller Viborg, Skive, Silkeborg m.fl.",
    "I frikommunenetværket er Viborg, Skive og Silkeborg og flere andre med.",
    # places, not members
    "Netværket har i foråret holdt borgermøder i Viborg, Skive og Silkeborg om de nye forsøg.",
    # several networks
    "Aarhus, Randers og Favrskov deltager nu i to netværk om boliger og skoler.",
    "Aarhus, Randers og Favrskov er med i netværkene om boliger og skoler.",
    # the list runs on with a name the gazetteer does not know
    "Kommunerne Hilerød, Gribskov, Halsnæs og Helsingør indgår nu sammen i et frikommunenetværk.",
    # applicants of an experiment, the network word elsewhere on the page
    ("Frikommunenetværk Vestjylland\n\nForsøget handler om færre samtaler.\n\n"
     "Følgende kommuner ansøgte om forsøget: Lemvig, Struer, Holstebro og Herning."),
    # cooperation outside the programme's words: no network cue
    ("Tårnby, Dragør og Hvidovre kommuner fik i 2018 et fælles vagtteam. Teamet bruger to "
     "undtagelser fra reglerne, som frikommune-ordningen giver."),
    # the adjacent network sentence names other municipalities
    "Sorø, Ringsted og Slagelse holdt møde i går.\n\nGreve og Solrød skal i et nyt netværk.",
])
def test_lists_that_are_no_network(networks, text):
    listed = [r for r in with_members(networks(text)) if r.rule == "network.prose.listed"]
    assert listed == []
    if "Greve" not in text:
        assert with_members(networks(text)) == []


def test_more_municipalities_than_a_network_holds_is_an_applicant_list(networks):
    names = ["Aabenraa", "Assens", "Billund", "Esbjerg", "Faaborg-Midtfyn", "Fredericia", "Haderslev",
             "Kerteminde", "Kolding", "Langeland", "Middelfart", "Nyborg", "Odense", "Svendborg",
             "Sønderborg", "Tønder", "Varde", "Vejen"]
    text = "Ansøgninger om frikommunenetværk kom fra " + ", ".join(names[:-1]) + " og " + names[-1] + "."
    assert with_members(networks(text)) == []


# ---------------------------------------------------------------------- counted partners, member unnamed
def test_counted_partners_of_the_municipality_of_the_sentence_before_named_in_the_next_paragraph(networks):
    text = (
        "Tønder Kommune er udvalgt til frikommuneforsøget om rent vand i byerne. Det skal "
        "ske i samarbejde med tre andre kommuner.\n\n"
        "De tre andre kommuner er Sønderborg, Haderslev og Aabenraa.\n\n"
        "Med status som frikommune kan de fire kommuner fritages fra en række regler."
    )
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Tønder", "Sønderborg", "Haderslev", "Aabenraa"))
    assert r.rule == "network.prose.partners_anchor"
    assert value(r, "status") == "designated"


def test_counted_partners_of_the_one_municipality_of_the_page(networks):
    text = (
        "Den 1. marts begynder Kalundborg Kommune et nyt frikommuneforsøg.\n\n"
        "Målgruppen er unge uden uddannelse.\n\n"
        "\"Vi glæder os til at komme i gang\", siger borgmesteren.\n\n"
        "Forsøget sker i et frikommunenetværk med fem andre frikommuner på Sjælland under titlen "
        "\"Unge i job og uddannelse\".\n"
    )
    r = one(networks(text))
    assert members(r) == codes("Kalundborg")
    assert name(r) == "Unge i job og uddannelse"


def test_counted_partners_with_two_municipalities_on_the_page_name_nobody(networks):
    text = (
        "Kalundborg Kommune og Holbæk Kommune holdt møde i går.\n\n"
        "\"Vi glæder os\", siger borgmesteren.\n\n"
        "Forsøget sker i et frikommunenetværk med fem andre frikommuner under titlen \"Unge i job\".\n"
    )
    assert with_members(networks(text)) == []


def test_counted_partners_after_a_sentence_with_two_municipalities_name_nobody(networks):
    text = ("Slagelse og Sorø vil samarbejde om frikommuneforsøget. Det skal ske sammen med fire andre "
            "kommuner.")
    assert with_members(networks(text)) == []


def test_counted_partners_restating_the_sentence_before_make_one_record(networks):
    text = ("Skive har sammen med de fire øvrige kommuner i Limfjordssamarbejdet søgt om at blive "
            "frikommunenetværk. Byrådet besluttede i foråret at søge om at blive frikommunenetværk "
            "sammen med de fire andre kommuner i samarbejdet.")
    [r] = with_members(networks(text))
    assert members(r) == codes("Skive")


# ---------------------------------------------------------------------- a theme and its paragraph's one municipality
def test_a_theme_in_a_paragraph_about_one_municipalitys_experiments(networks):
    text = (
        "Evaluering af frikommuneforsøg\n\n"
        "Et konsulenthus har evalueret fire frikommuneforsøg i Hedensted Kommune. Alle forsøgene "
        "gennemføres under temaet ”Rent vand og grønne byer” og handler om natur og klima.\n"
    )
    [r] = networks(text)
    assert members(r) == codes("Hedensted")
    assert name(r) == "Rent vand og grønne byer"
    assert {m["rule"] for m in r.fields["members"]} == {"network.member.paragraph_sole"}


def test_a_theme_in_a_paragraph_naming_two_municipalities_has_no_members(networks):
    text = ("Et konsulenthus har evalueret forsøg i Hedensted og Horsens. Alle forsøgene gennemføres "
            "under temaet ”Rent vand og grønne byer”.\n")
    [r] = networks(text)
    assert members(r) == []
    assert name(r) == "Rent vand og grønne byer"


def test_bullets_under_a_sentence_about_a_network(networks):
    text = ("Evalueringen\n\nNetværket 'Trygge ældre' har disse medlemmer:\n\n"
            "• Horsens\n• Billund\n• Varde\n\nForsøgene begyndte i 2017.")
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Horsens", "Billund", "Varde"))
    assert name(r) == "Trygge ældre"


def test_a_counted_list_between_dashes(networks):
    text = ("Fem kommuner – Vejen, Billund, Varde, Esbjerg og Fanø – har i fællesskab søgt om at blive "
            "frikommunenetværk.")
    r = one(networks(text))
    assert sorted(members(r)) == sorted(codes("Vejen", "Billund", "Varde", "Esbjerg", "Fanø"))
    assert value(r, "status") == "applied"
