"""The headline sieve: a headline's short name joins the body's full name."""

from __future__ import annotations

from kg.coref import make_sieve_resolver, resolve_entities
from kg.coref.sieves.headline import HEADLINE_LEDE, HEADLINE_SHORT_NAME, headline_end
from kg.mentions import extract_mentions

ONLY = make_sieve_resolver([HEADLINE_SHORT_NAME])
ONLY_LEDE = make_sieve_resolver([HEADLINE_LEDE])


def _entities(nlp, text: str, resolver=resolve_entities):
    doc = nlp(text)
    return {
        e.name: [(m.text, m.link) for m in e.mentions]
        for e in resolver(doc, tuple(extract_mentions(doc)))
        if e.named
    }


def test_headline_end_needs_a_blank_line_and_no_final_stop() -> None:
    assert headline_end("Rovers Win\n\nThe Port Varda Rovers won.") == 10
    assert headline_end("The Rovers won.\n\nThey won again.") == -1
    assert headline_end("The Rovers won. They won again.") == -1
    assert headline_end("\n\nThe Rovers won.") == -1


def test_a_team_short_name_in_the_headline_joins_its_full_name(nlp) -> None:
    text = (
        "Rovers lose to a late goal\n\n"
        "The Port Varda Rovers lost on Sunday. The Rovers play again soon."
    )
    entities = _entities(nlp, text)
    assert entities["Port Varda Rovers"] == [
        ("Rovers", ""),
        ("Port Varda Rovers", HEADLINE_SHORT_NAME),
        ("Rovers", "kg.coref.exact_name.v1"),
    ]
    assert "Rovers" not in entities


def test_a_company_short_name_opening_its_full_name_joins_it(nlp) -> None:
    text = "Strike hits Orvane\n\nWorkers at Orvane Steel Industries walked out."
    entities = _entities(nlp, text)
    assert ("Orvane Steel Industries", HEADLINE_SHORT_NAME) in entities[
        "Orvane Steel Industries"
    ]
    assert "Orvane" not in entities


def test_two_teams_of_one_headline_join_their_own_full_names(nlp) -> None:
    text = (
        "Larks and Rovers draw\n\n"
        "The Ostravia Larks and the Port Varda Rovers drew on Sunday."
    )
    entities = _entities(nlp, text)
    assert [t for t, _ in entities["Ostravia Larks"]] == ["Larks", "Ostravia Larks"]
    assert [t for t, _ in entities["Port Varda Rovers"]] == [
        "Rovers",
        "Port Varda Rovers",
    ]


def test_a_first_line_ending_in_a_stop_is_no_headline(nlp) -> None:
    text = (
        "Rovers lose to a late goal.\n\n"
        "The Port Varda Rovers lost on Sunday. The Rovers play again soon."
    )
    entities = _entities(nlp, text)
    assert "Rovers" in entities
    assert entities["Port Varda Rovers"] == [("Port Varda Rovers", "")]


def test_a_short_name_two_body_names_hold_joins_neither(nlp) -> None:
    one = "Byrne wins the vote in Tarnby\n\nAda Byrne won the vote on Monday."
    assert _entities(nlp, one, ONLY)["Ada Byrne"] == [
        ("Byrne", ""),
        ("Ada Byrne", HEADLINE_SHORT_NAME),
    ]
    two = (
        "Byrne wins the vote in Tarnby\n\n"
        "Ada Byrne won the vote on Monday. Her brother Tom Byrne lost."
    )
    entities = _entities(nlp, two, ONLY)
    assert entities["Ada Byrne"] == [("Ada Byrne", "")]
    assert entities["Tom Byrne"] == [("Tom Byrne", "")]


def test_a_place_the_body_names_alone_keeps_the_team_named_after_it_apart(
    nlp,
) -> None:
    text = (
        "Ostravia wins again\n\n"
        "The Ostravia Larks beat the Port Varda Rovers on Sunday in Ostravia."
    )
    entities = _entities(nlp, text)
    assert entities["Ostravia Larks"] == [("Ostravia Larks", "")]


def test_the_lead_sentence_subject_describes_the_headline_person(nlp) -> None:
    text = "Tom Vale jailed for bank fraud\n\nA former banker was jailed on Monday."
    assert _entities(nlp, text)["Tom Vale"] == [
        ("Tom Vale", ""),
        ("A former banker", HEADLINE_LEDE),
    ]


def test_a_lead_subject_of_the_other_gender_stays_apart(nlp) -> None:
    text = "Tom Vale jailed for bank fraud\n\nA woman was jailed on Monday."
    assert _entities(nlp, text)["Tom Vale"] == [("Tom Vale", "")]


def test_a_spokesman_in_the_lead_is_someone_else(nlp) -> None:
    text = "Tom Vale jailed for bank fraud\n\nA spokesman said on Monday he had left."
    assert _entities(nlp, text, ONLY_LEDE)["Tom Vale"] == [("Tom Vale", "")]


def test_a_headline_naming_two_people_gives_the_lead_subject_to_neither(
    nlp,
) -> None:
    text = "Tom Vale sues Ada Byrne\n\nA former banker sued on Monday."
    entities = _entities(nlp, text, ONLY_LEDE)
    assert entities["Tom Vale"] == [("Tom Vale", "")]
    assert entities["Ada Byrne"] == [("Ada Byrne", "")]


def test_the_lead_is_only_the_first_body_sentence(nlp) -> None:
    text = (
        "Tom Vale jailed for bank fraud\n\n"
        "The court sat on Monday. A former banker was jailed."
    )
    assert _entities(nlp, text, ONLY_LEDE)["Tom Vale"] == [("Tom Vale", "")]
