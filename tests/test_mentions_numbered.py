"""Names grown over the model, route or reign number the tagger left out."""

from __future__ import annotations

from kg.mentions import extract_mentions
from kg.mentions.base import Candidate, Context
from kg.mentions.numbered import NUMBERED, numbered_names


def _grown(nlp, text: str, name: str, label: str) -> list[tuple[str, str]]:
    doc = nlp(text)
    start = next(t.i for t in doc if t.text == name.split()[0])
    span = doc[start : start + len(name.split())]
    found = numbered_names(Context(doc), (Candidate(span, label, "test"),))
    return [(c.span.text, c.source) for c in found]


def test_a_model_number_closes_the_makers_name(nlp) -> None:
    text = (
        "The game came out for the Varnix 2600 and later for the Varnix 5200 console."
    )
    names = [m.text for m in extract_mentions(nlp(text)) if m.kind == "name"]
    assert "Varnix 2600" in names
    assert "Varnix 5200" in names
    assert "Varnix" not in names


def test_the_grown_name_records_the_pass(nlp) -> None:
    text = "The road joins Quellby Route 12 near the river."
    assert _grown(nlp, text, "Quellby Route", "FAC") == [("Quellby Route 12", NUMBERED)]


def test_a_reign_number_closes_a_persons_name(nlp) -> None:
    text = "Her uncle Tomasz II died in 1914."
    assert _grown(nlp, text, "Tomasz", "PERSON") == [("Tomasz II", NUMBERED)]


def test_a_lone_i_before_a_verb_is_the_pronoun(nlp) -> None:
    text = "When I met Orla I knew she was kind."
    assert _grown(nlp, text, "Orla", "PERSON") == [("Orla", "test")]


def test_a_count_or_a_score_stays_out(nlp) -> None:
    assert _grown(nlp, "She sold Varnix 300 cars.", "Varnix", "ORG") == [
        ("Varnix", "test")
    ]
    assert _grown(
        nlp, "It ended Quellby 3 - 1 after extra time.", "Quellby", "ORG"
    ) == [("Quellby", "test")]


def test_a_year_closes_an_events_name_but_no_places(nlp) -> None:
    text = "She sang at the Quillo Song Festival 2009 in Varn."
    assert _grown(nlp, text, "Quillo Song Festival", "EVENT") == [
        ("Quillo Song Festival 2009", NUMBERED)
    ]
    text = "They reached Tarnby 1990 was dry."
    assert _grown(nlp, text, "Tarnby", "GPE") == [("Tarnby", "test")]


def test_a_model_code_closes_a_makers_name_but_no_places(nlp) -> None:
    text = "The airline flew the Zelvor A330 to Quellby."
    assert _grown(nlp, text, "Zelvor", "ORG") == [("Zelvor A330", NUMBERED)]
    text = "They drove from Tarnby M25 to the coast."
    assert _grown(nlp, text, "Tarnby", "GPE") == [("Tarnby", "test")]


def test_a_model_code_tagged_on_its_own_joins_the_makers_name(nlp) -> None:
    doc = nlp("The airline flew the Zelvor A330 to Quellby.")
    maker = next(t.i for t in doc if t.text == "Zelvor")
    found = (
        Candidate(doc[maker : maker + 1], "ORG", "test"),
        Candidate(doc[maker + 1 : maker + 2], "PRODUCT", "test"),
    )
    grown = numbered_names(Context(doc), found)
    assert [(c.span.text, c.label, c.source) for c in grown] == [
        ("Zelvor A330", "PRODUCT", NUMBERED)
    ]
