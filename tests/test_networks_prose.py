"""Networks stated in running text: membership clauses, anaphora, names and status from
nearby sentences (prose.py, attrs.py, rules/networks.yaml `membership`, `clauses`,
`anaphora`, `nearby_name`, `status_nearby`). Documents written for these tests, with other
municipalities, themes and wording than the pages they were modelled on."""

from __future__ import annotations

import pytest

from test_networks import codes, members, name, networks, rule, value  # noqa: F401  (fixture)


def with_members(records) -> list:
    return [r for r in records if r.fields["members"]]


def member_sets(records) -> list[list[str]]:
    return [sorted(members(r)) for r in with_members(records)]


# ---------------------------------------------------------------------- "netværket med A, B og C om X"
def test_the_network_with_a_list_is_that_list(networks):
    text = ("Tre måneder efter fristen er næsten alle klar. Kun netværket med Lemvig, Struer og Skive om "
            "grøn energi mangler stadig at sende forslag ind.")
    [r] = with_members(networks(text))
    assert members(r) == codes("Lemvig", "Struer", "Skive")
    assert r.rule == "network.prose.network_with"


def test_the_network_with_keeps_its_subject_when_a_municipality_is_in_it(networks):
    text = "Sorø Kommune er med i netværket med Ringsted og Faxe om nye ældreboliger."
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Sorø", "Ringsted", "Faxe"))


# ---------------------------------------------------------------------- "indgik i 2016 et netværk med …"
@pytest.mark.parametrize("text, expected", [
    ("Tårnby Kommune indgik i 2017 et frikommunenetværk med Dragør og Hvidovre kommuner, som skulle "
     "afprøve nye regler for byggesager.", ("Tårnby", "Dragør", "Hvidovre")),
    ("I 2016 dannede Norddjurs et fælles netværk med Syddjurs og Favrskov om sundhed.",
     ("Norddjurs", "Syddjurs", "Favrskov")),
    ("Byrådet i Fredericia har etableret et nyt netværk med Billund, Kolding og Haderslev.",
     ("Fredericia", "Billund", "Kolding", "Haderslev")),
])
def test_formed_a_network_with(networks, text, expected):
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes(*expected))
    assert r.rule == "network.prose.formed_with"


def test_formed_a_network_with_an_organisation_is_no_list(networks):
    text = "Skive Kommune indgik sidste år et netværk med lokale foreninger om frivillighed."
    assert with_members(networks(text)) == []


# ---------------------------------------------------------------------- anaphora
def test_a_list_then_they_take_part_in_a_network(networks):
    text = (
        "Forslaget kommer fra fire kommuner på Fyn: Assens, Faaborg-Midtfyn, Svendborg og Nyborg. "
        "De indgår i et såkaldt frikommunenetværk og har sendt deres første ideer til ministeriet."
    )
    [r] = with_members(networks(text))
    assert members(r) == codes("Assens", "Faaborg-Midtfyn", "Svendborg", "Nyborg")
    assert r.rule == "network.prose.anaphor"
    # the record's span reaches back to the list
    assert text[r.start:r.end].startswith("Assens")


def test_a_counted_anaphor_finds_its_list_across_a_box_in_between(networks):
    text = (
        "Kommunerne bag er: Vejle, Fredericia, Middelfart og Kolding.\n\n"
        "Læs også\n\n"
        "Nyt om skolerne i trekanten\n\n"
        "De fire kommuner deltager i et fælles netværk, der nu har fået ja fra ministeren."
    )
    [r] = with_members(networks(text))
    assert members(r) == codes("Vejle", "Fredericia", "Middelfart", "Kolding")
    assert value(r, "status") == "designated"
    assert rule(r, "status") == "network.status.designated.yes"


def test_an_anaphor_with_another_count_or_no_list_before_finds_nothing(networks):
    wrong_count = ("Bag forslaget står Vejle, Fredericia, Middelfart og Kolding.\n\n"
                   "De tre kommuner indgår i et netværk om ældrepleje.")
    assert with_members(networks(wrong_count)) == []
    no_list = ("Borgmestrene fra Odder og Samsø var enige på mødet i går. "
               "De indgår i et netværk om ældrepleje.")
    assert with_members(networks(no_list)) == []
    not_at_start = ("Forslaget kommer fra Odder og Samsø. Nu siger de, at de indgår i et netværk.")
    assert with_members(networks(not_at_start)) == []


# ---------------------------------------------------------------------- partners counted, not named
@pytest.mark.parametrize("text, expected, rule_id", [
    ("Thisted har sammen med de fem øvrige kommuner i Limfjordsrådet søgt om at blive frikommunenetværk.",
     ("Thisted",), "network.prose.partners"),
    ("I det nye frikommuneforsøg samarbejder Greve Kommune med fire andre sjællandske kommuner om "
     "at gøre vejen til job kortere.", ("Greve",), "network.prose.partners_cooperate"),
    ("Esbjerg Kommune deltager i frikommuneforsøget med de andre sønderjyske kommuner.",
     ("Esbjerg",), "network.prose.partners_in_network"),
    ("Solrød Kommune er sammen med seks andre kommuner fra Køge Bugt valgt som frikommunenetværk.",
     ("Solrød",), "network.prose.partners"),
])
def test_the_named_municipality_of_a_counted_group_is_the_member(networks, text, expected, rule_id):
    [r] = with_members(networks(text))
    assert members(r) == codes(*expected)
    assert r.rule == rule_id


def test_partners_named_after_a_colon_join_the_member(networks):
    text = ("Ringsted søgte sammen med de øvrige kommuner i Midtsjællandssamarbejdet: Sorø, Slagelse og "
            "Kalundborg, om at blive et frikommunenetværk.")
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Ringsted", "Sorø", "Slagelse", "Kalundborg"))


def test_a_counted_group_without_network_or_programme_words_is_no_network(networks):
    assert with_members(networks("Vejle har sammen med de øvrige kommuner i trekanten bygget en ny bro.")) == []
    assert with_members(networks(
        "Aalborg holdt i går møde med de øvrige nordjyske kommuner om frikommuneforsøget.")) == []


def test_the_counted_group_of_a_sentence_names_a_place_not_a_member(networks):
    text = ("Horsens har sammen med de syv andre kommuner i Østjyllandssamarbejdet søgt om at blive "
            "frikommunenetværk.")
    [r] = with_members(networks(text))
    assert members(r) == codes("Horsens")  # not Vejle, which only names the cooperation


# ---------------------------------------------------------------------- lists on both sides
def test_together_with_a_list_before_the_subject(networks):
    text = "Sammen med Faaborg-Midtfyn og Svendborg er Langeland Kommune med i et netværk om øturisme."
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Faaborg-Midtfyn", "Svendborg", "Langeland"))
    assert r.rule == "network.prose.with_list_first"


def test_an_invitation_into_a_network_makes_both_members(networks):
    text = ("Det fik Lejre Kommune til at invitere Roskilde Kommune med i et netværk om frivillige i "
            "plejecentrene.\n\nRoskilde inviteret med i frikommune-netværk")
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Lejre", "Roskilde"))
    assert r.rule == "network.prose.invites"


def test_an_invited_municipality_alone_is_no_network(networks):
    assert with_members(networks("Roskilde inviteret med i frikommune-netværk om frivillige")) == []


# ---------------------------------------------------------------------- one municipality, several networks
def test_one_municipality_in_two_named_networks(networks):
    text = ("I oktober blev Horsens Kommune udvalgt til to af de otte frikommunenetværk. De to netværk er: "
            "'Læring for alle' og 'Grøn by og land'.")
    found = with_members(networks(text))
    assert [name(r) for r in found] == ["Læring for alle", "Grøn by og land"]
    for r in found:
        assert members(r) == codes("Horsens")
        assert r.rule == "network.prose.one_in_several"
        assert value(r, "status") == "designated"


def test_fewer_quotes_than_the_count_names_nothing(networks):
    text = ("I oktober blev Horsens Kommune udvalgt til tre af de otte frikommunenetværk. Et af dem er "
            "'Læring for alle'.")
    assert [r for r in networks(text) if r.rule == "network.prose.one_in_several"] == []


# ---------------------------------------------------------------------- other triggers
@pytest.mark.parametrize("text, expected, rule_id", [
    ("Kalundborg, Holbæk og Odsherred kommuner søgte om frikommunenetværk på skoleområdet.",
     ("Kalundborg", "Holbæk", "Odsherred"), "network.prose.apply_as_network"),
    ("Kalundborg og Holbæk ansøger nu om at danne et frikommunenetværk, der vil prøve nyt.",
     ("Kalundborg", "Holbæk"), "network.prose.apply_as_network"),
    ("Netværket om 'Rent vand til alle' har deltagelse af Furesø, Allerød og Egedal Kommune.",
     ("Furesø", "Allerød", "Egedal"), "network.prose.consists_of"),
    ("Mariagerfjord og Rebild indgår i et såkaldt frikommunenetværk om turisme.",
     ("Mariagerfjord", "Rebild"), "network.prose.takes_part"),
])
def test_more_membership_wordings(networks, text, expected, rule_id):
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes(*expected))
    assert r.rule == rule_id


# ---------------------------------------------------------------------- names
def test_name_after_a_title_phrase_with_a_colon(networks):
    text = ("Kolding Kommune deltager i ét netværk på skoleområdet med titlen: Færre test og mere tid til "
            "den enkelte elev i udskolingen. Netværket består af Kolding, Vejen og Billund.")
    [r] = with_members(networks(text))
    assert name(r) == "Færre test og mere tid til den enkelte elev i udskolingen"
    assert members(r) == codes("Kolding", "Vejen", "Billund")


def test_name_under_a_headline_phrase_in_a_later_paragraph(networks):
    text = (
        "Herning har sammen med de syv øvrige kommuner i Midtjysk Vækst søgt om at blive frikommunenetværk.\n\n"
        "Byrådet besluttede det på et møde i foråret.\n\n"
        "Ansøgningen har under overskriften \"Hurtigere byggesager\" fokus på erhvervslivet."
    )
    [r] = with_members(networks(text))
    assert members(r) == codes("Herning")
    assert name(r) == "Hurtigere byggesager"
    assert rule(r, "name") == "network.name.nearby"


def test_a_nearby_name_is_not_taken_across_another_network(networks):
    text = (
        "Herning har sammen med de syv øvrige kommuner i Midtjysk Vækst søgt om at blive frikommunenetværk.\n\n"
        "Lemvig, Struer og Skive er gået sammen i et netværk under temaet Grøn energi.\n\n"
        "Ansøgningen har under overskriften \"Hurtigere byggesager\" fokus på erhvervslivet."
    )
    herning = next(r for r in networks(text) if members(r) == codes("Herning"))
    assert name(herning) is None


# ---------------------------------------------------------------------- status and programme nearby
DESIGNATED_ELSEWHERE = (
    "Kerteminde er frikommune\n\n"
    "Byrådet besluttede i marts 2016 at søge, og den 10. oktober 2016 udpegede ministeriet Kerteminde "
    "Kommune til at deltage i et af de otte frikommunenetværk i perioden 2016-2019.\n\n"
    "Netværket hedder 'Stærke lokalsamfund', og Kerteminde deltager sammen med Nyborg og "
    "Faaborg-Midtfyn Kommune."
)


def test_status_and_programme_from_a_designation_sentence_in_another_paragraph(networks):
    [r] = with_members(networks(DESIGNATED_ELSEWHERE))
    assert sorted(members(r)) == sorted(codes("Kerteminde", "Nyborg", "Faaborg-Midtfyn"))
    assert name(r) == "Stærke lokalsamfund"
    assert value(r, "status") == "designated"
    assert rule(r, "status") == "network.status.designated.appointed"
    assert value(r, "programme") == "II"
    assert rule(r, "programme") == "network.programme.year"


def test_a_status_sentence_about_other_municipalities_gives_nothing(networks):
    text = (
        "Den 10. oktober 2016 udpegede ministeriet Lolland og Guldborgsund til et frikommunenetværk.\n\n"
        "Netværket hedder 'Stærke lokalsamfund', og Kerteminde deltager sammen med Nyborg og "
        "Faaborg-Midtfyn Kommune."
    )
    kerteminde = next(r for r in networks(text) if codes("Kerteminde")[0] in members(r))
    assert value(kerteminde, "status") is None


def test_a_heading_sentence_about_networks_designates_a_prose_network_below_it(networks):
    text = ("Ministeren udpegede i går otte nye frikommunenetværk.\n\n"
            "Kun netværket med Lemvig, Struer og Skive om grøn energi er endnu ikke klar.")
    [r] = with_members(networks(text))
    assert value(r, "status") == "designated"
    assert rule(r, "status") == "network.status.heading.networks_designated"


def test_not_designated_networks_are_no_heading(networks):
    text = ("Kommunerne er ikke udpeget som enkeltkommuner, men i netværk.\n\n"
            "Netværket består af Lemvig, Struer og Skive.")
    [r] = with_members(networks(text))
    assert value(r, "status") is None


def test_a_designation_of_one_member_in_several_networks_designates_the_full_list_too(networks):
    text = (
        "I maj 2017 blev Horsens Kommune udpeget som en del af to frikommunenetværk. De to netværk er "
        "'Læring for alle' og 'Grøn by og land'.\n\n"
        "Kontakt: Jens Hansen\n\n"
        "Frikommunenetværket omkring 'Grøn by og land' har deltagelse af Horsens, Skanderborg og Odder Kommune."
    )
    found = with_members(networks(text))
    full = next(r for r in found if len(members(r)) == 3)
    assert name(full) == "Grøn by og land"
    assert value(full, "status") == "designated"
    assert value(full, "programme") == "II"
    assert sorted(name(r) for r in found if members(r) == codes("Horsens")) == ["Grøn by og land", "Læring for alle"]


# ---------------------------------------------------------------------- guards
@pytest.mark.parametrize("text", [
    "Derfor har netværket med Aarhus i spidsen søgt om tre nye forsøg.",  # a leader, not the list
    "Der var møde i netværket med deltagelse af Aarhus og Odense.",  # a meeting's participants
    "I Aalborg holdt borgmesteren møde sammen med de øvrige nordjyske kommuner om frikommuneforsøget.",
])
def test_no_member_list(networks, text):
    assert with_members(networks(text)) == []


def test_an_article_headline_is_no_network_name(networks):
    text = ("Tønder er blevet frikommune.\n\n"
            "Avisen bragte i går en artikel under overskriften 'Mere frihed til skolerne' om byens skoler.")
    assert [name(r) for r in networks(text)] == []


# ---------------------------------------------------------------------- speed devices
def test_anchored_clause_search_finds_what_a_full_scan_of_the_masked_text_finds(run_extract, nlp):
    """Every clause's anchors and reach are sound: near its anchors it finds what a scan of the
    whole masked text finds, on the texts of this file."""
    from pipeline.extract.networks.text import TextContext, find_anchored

    network_rules = nlp.get_pipe("frikommune_networks").rules
    texts = [v for k, v in globals().items() if k.isupper() and isinstance(v, str)]
    texts += [
        "Thisted har sammen med de fem øvrige kommuner i Limfjordsrådet: Morsø,\nSkive og Struer søgt om at "
        "blive frikommunenetværk. Forslaget kommer fra Assens, Faaborg-Midtfyn, Svendborg og Nyborg. De\n"
        "indgår i et såkaldt frikommunenetværk. I 2016 dannede Norddjurs et fælles netværk med Syddjurs og "
        "Favrskov. Det fik Lejre Kommune til at invitere Roskilde med i et netværk. I oktober blev Horsens "
        "Kommune udvalgt til to af de otte frikommunenetværk. Sammen med Tønder og Haderslev kommuner er "
        "Langeland Kommune med i et netværk. Greve Kommune samarbejder med fire andre sjællandske "
        "kommuner i frikommuneforsøget, og Esbjerg Kommune indgår i netværket med de øvrige syddanske kommuner.",
    ]
    checked = 0
    for text in texts:
        mentions, _document = run_extract(text)
        munis = sorted((m for m in mentions if m.type == "municipality"), key=lambda m: m.start)
        ctx = TextContext(text, network_rules, munis, [], None)
        for clause in network_rules.clauses:
            full = [m.span() for m in clause.pattern.regex.finditer(ctx.masked)]
            positions = [ctx.anchor_offsets(a) for a in clause.pattern.anchors]
            near = [m.span() for m in find_anchored(clause.pattern, ctx.masked, positions)]
            assert near == full, (clause.id, text[:60])
            checked += len(full)
    assert checked >= 8


# ---------------------------------------------------------------------- lists after a colon, numbered items
def test_bullets_of_quoted_names_each_consisting_of_a_list_after_a_colon(networks):
    text = (
        "Fra maj 2017 er Ikast-Brande Kommune med i frikommunenetværkene:\n\n"
        " • \"Unge på vej\", et netværk bestående af kommunerne: Ikast-Brande, Herning og Holstebro.\n"
        " • \"Grønne byer\", et netværk bestående kommunerne: Ikast-Brande, Silkeborg, Viborg.\n"
    )
    young, green = with_members(networks(text))
    assert name(young) == "Unge på vej"
    assert members(young) == codes("Ikast-Brande", "Herning", "Holstebro")
    assert name(green) == "Grønne byer"
    assert members(green) == codes("Ikast-Brande", "Silkeborg", "Viborg")
    assert {r.rule for r in (young, green)} == {"network.prose.consists_of"}
    assert value(young, "programme") == value(green, "programme") == "II"  # from the lead-in's year


BILL = (
    "§ 4. Disse frikommunenetværk oprettes, hvert med sit tema og sine\n"
    "deltagende kommuner:\n"
    "1) Frikommunenetværk om stærkere erhvervsliv i yderområderne med Tønder, Aabenraa,\n"
    "Haderslev og Sønderborg Kommuner som deltagere.\n"
    "2) Frikommunenetværk om en skole for alle sammen med forældrene med Hedensted og\n"
    "Horsens Kommuner.\n"
)


def test_numbered_items_of_a_bill_name_the_theme_and_the_members(networks):
    trade, school = with_members(networks(BILL))
    assert name(trade) == "stærkere erhvervsliv i yderområderne"
    assert rule(trade, "name") == "network.name.clause"
    assert members(trade) == codes("Tønder", "Aabenraa", "Haderslev", "Sønderborg")
    assert name(school) == "en skole for alle sammen med forældrene"
    assert members(school) == codes("Hedensted", "Horsens")
    assert {r.rule for r in (trade, school)} == {"network.prose.network_about"}


def test_a_list_that_goes_on_with_an_unknown_broken_name_is_no_list(networks):
    text = "1) Frikommunenetværk om sikre skoleveje med Aalborg, Rebild og Nord-\nby Kommuner som deltagere.\n"
    assert with_members(networks(text)) == []


def test_counted_group_listed_one_per_line_in_a_report_about_a_network(networks):
    text = (
        "Evaluering af det sønderjyske frikommunenetværk om grænsehandel\n\n"
        "Resumé: Netværket har arbejdet i fire år.\n\n"
        "Her ses logoer fra de fire sønderjyske kommuner:\n"
        "Tønder Kommune\nAabenraa kommune\nHaderslev Kommune\nSønderborg kommune\n"
        "Side 2\n"
    )
    [r] = with_members(networks(text))
    assert members(r) == codes("Tønder", "Aabenraa", "Haderslev", "Sønderborg")
    assert r.rule == "network.prose.group_listed"


def test_counted_group_with_another_count_or_far_from_networks_is_no_list(networks):
    wrong = ("Om frikommunenetværket\n\nHer ses logoer fra de fem sønderjyske kommuner:\n"
             "Tønder Kommune\nAabenraa kommune\nHaderslev Kommune\nSønderborg kommune\n")
    assert with_members(networks(wrong)) == []
    far = ("Frikommunenetværk\n\n" + "Lorem ipsum dolor sit amet. " * 70 +
           "\n\nHer ses logoer fra de fire sønderjyske kommuner:\n"
           "Tønder Kommune\nAabenraa kommune\nHaderslev Kommune\nSønderborg kommune\n")
    assert with_members(networks(far)) == []


# ---------------------------------------------------------------------- counted partners named later
def test_counted_partners_named_in_the_next_sentence(networks):
    text = ("Lejre Kommune fik i oktober - sammen med tre andre kommuner - grønt lys til at indgå i et "
            "frikommunenetværk. De øvrige kommuner er Roskilde, Greve og Solrød.")
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Lejre", "Roskilde", "Greve", "Solrød"))
    assert value(r, "status") == "designated"
    assert rule(r, "status") == "network.status.designated.green_light"


def test_counted_partners_and_a_next_sentence_of_another_size(networks):
    text = ("Lejre Kommune fik i oktober - sammen med tre andre kommuner - grønt lys til at indgå i et "
            "frikommunenetværk. De øvrige kommuner er Roskilde og Greve.")
    [r] = with_members(networks(text))
    assert members(r) == codes("Lejre")


def test_a_counted_partner_record_gives_way_to_the_full_list_of_the_page(networks):
    text = (
        "Derfor har Viborg sammen med to andre kommuner ansøgt om frikommunestatus under overskriften "
        "\"Bedre busser\".\n\n"
        "Viborg, Skive og Lemvig kommuner søger nu sammen om at danne et frikommunenetværk, der "
        "skal afprøve nye regler."
    )
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Viborg", "Skive", "Lemvig"))
    assert r.rule == "network.prose.apply_as_network"
    assert name(r) == "Bedre busser"  # taken over from the record it replaced


def test_a_counted_partner_record_stays_when_no_list_has_the_counted_size(networks):
    text = (
        "Derfor har Viborg sammen med fire andre kommuner ansøgt om frikommunestatus.\n\n"
        "Viborg, Skive og Lemvig kommuner søger nu sammen om at danne et frikommunenetværk."
    )
    assert sorted(member_sets(networks(text))) == sorted(
        [sorted(codes("Viborg")), sorted(codes("Viborg", "Skive", "Lemvig"))])


def test_a_hyphenated_free_municipality_network(networks):
    text = "Esbjerg indgik i 2016 et frikommune-netværk med Varde og Fanø kommuner, som skulle prøve nyt."
    [r] = with_members(networks(text))
    assert sorted(members(r)) == sorted(codes("Esbjerg", "Varde", "Fanø"))


def test_programme_two_from_a_period_ending_2021(networks):
    text = "Lemvig er i perioden 2016-2021 med i et frikommunenetværk med Struer og Holstebro."
    [r] = with_members(networks(text))
    assert value(r, "programme") == "II"


# ---------------------------------------------------------------------- "i et samarbejde mellem A, B og C"
def test_an_application_sent_in_a_cooperation_between_three_or_more_is_a_network(networks):
    text = ("Kalundborg søger om at blive frikommune\n\nByrådet har godkendt to frikommuneansøgninger, som "
            "er skrevet sammen med nabokommunerne.\n\nDen første ansøgning har titlen ”Hurtigere hjælp til "
            "hjemløse”. Den sendes til ministeriet i et samarbejde mellem Kalundborg, Holbæk, Odsherred og "
            "Sorø kommuner.\n\nEt samarbejde mellem Slagelse og Næstved om busser er også på vej.\n")
    [r] = with_members(networks(text))
    assert members(r) == codes("Kalundborg", "Holbæk", "Odsherred", "Sorø")
    assert name(r) == "Hurtigere hjælp til hjemløse"
    assert r.rule == "network.prose.cooperation_between"


def test_a_cooperation_between_towns_far_from_any_frikommune_talk_is_none(networks):
    text = "Busplan\n\nDer er indgået et samarbejde mellem Slagelse, Næstved og Ringsted om nye busruter.\n"
    assert with_members(networks(text)) == []
