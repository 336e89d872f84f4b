"""Link rules of kg.link.persons and kg.link.places (other ways to write a name).

Each test builds documents by hand (:func:`tests.fixtures.hand_document`)
with invented names, links them, and checks both the merge and the rule
id recorded for it; each also checks the case the rule must leave alone.
"""

from __future__ import annotations

import dataclasses

from kg.link import resolve, summarize_document
from kg.link.places import place_names
from kg.link.summary import normalize_name
from kg.types import Document
from tests.fixtures import hand_document as _doc
from tests.fixtures import linked_keys as _keys


def _person_tagged(document: Document, key: str) -> Document:
    """The document with entity ``key`` left a Thing whose name mentions are PERSON."""
    entities = []
    for e in document.entities:
        if e.key == key:
            mentions = tuple(dataclasses.replace(m, label="PERSON") for m in e.mentions)
            e = dataclasses.replace(e, label="Thing", mentions=mentions)
        entities.append(e)
    return dataclasses.replace(document, entities=tuple(entities))


def _rules(docs: list[Document]) -> dict[tuple[str, str], str]:
    decisions = resolve([s for d in docs for s in summarize_document(d)])
    return {d.uid: d.rule for d in decisions}


def test_a_role_written_as_a_title_before_a_full_name() -> None:
    docs = [
        _doc(
            "a.txt",
            "Coroner Idris Vanterpool ruled the death in Quillby an accident.",
            ("coroner idris vanterpool", "Thing", ["Coroner Idris Vanterpool"]),
            ("quillby", "Place", ["Quillby"]),
        ),
        _doc(
            "b.txt",
            "Idris Vanterpool said the man died in Quillby on Sunday.",
            ("idris vanterpool", "Person", ["Idris Vanterpool"]),
            ("quillby", "Place", ["Quillby"]),
        ),
        _doc(
            "c.txt",
            "Harbour Idris Vanterpool opened in Quillby on Sunday.",
            ("harbour idris vanterpool", "Thing", ["Harbour Idris Vanterpool"]),
            ("quillby", "Place", ["Quillby"]),
        ),
    ]
    keys = _keys(docs)
    assert (
        keys[("a.txt", "coroner idris vanterpool")]
        == keys[("b.txt", "idris vanterpool")]
    )
    # a word that is no role ("Harbour") is part of another name
    assert (
        keys[("c.txt", "harbour idris vanterpool")]
        != keys[("b.txt", "idris vanterpool")]
    )
    rules = _rules(docs)
    assert "kg.link.titled-name.v1" in {
        rules[("a.txt", "coroner idris vanterpool")],
        rules[("b.txt", "idris vanterpool")],
    }


def test_a_person_named_thing_is_a_person_to_the_name_rules() -> None:
    base = [
        _doc(
            "a.txt",
            "Oswin Q. Marrable was freed from Tallow prison on Friday.",
            ("oswin q. marrable", "Thing", ["Oswin Q. Marrable"]),
            ("tallow", "Place", ["Tallow"]),
        ),
        _doc(
            "b.txt",
            "Oswin Marrable left Tallow prison on Friday, his lawyer said.",
            ("oswin marrable", "Person", ["Oswin Marrable", "his"]),
            ("tallow", "Place", ["Tallow"]),
        ),
    ]
    # an untyped Thing of that name is not read as a person
    assert len(set(_keys(base).values()) - {"tallow"}) == 2
    docs = [_person_tagged(base[0], "oswin q. marrable"), base[1]]
    keys = _keys(docs)
    assert keys[("a.txt", "oswin q. marrable")] == keys[("b.txt", "oswin marrable")]
    rules = _rules(docs)
    assert "kg.link.person-variant.v3" in {
        rules[("a.txt", "oswin q. marrable")],
        rules[("b.txt", "oswin marrable")],
    }


def test_a_headline_verb_run_into_a_full_name() -> None:
    docs = [
        _doc(
            "a.txt",
            "Greta Holloway Resigns after the Pemberley vote.",
            ("greta holloway resigns", "Person", ["Greta Holloway Resigns"]),
            ("pemberley", "Place", ["Pemberley"]),
        ),
        _doc(
            "b.txt",
            "Greta Holloway resigned after the Pemberley vote, she said.",
            ("greta holloway", "Person", ["Greta Holloway", "she"]),
            ("pemberley", "Place", ["Pemberley"]),
        ),
    ]
    keys = _keys(docs)
    assert (
        keys[("a.txt", "greta holloway resigns")] == keys[("b.txt", "greta holloway")]
    )
    rules = _rules(docs[:2])
    assert "kg.link.name-run-on.v1" in {
        rules[("a.txt", "greta holloway resigns")],
        rules[("b.txt", "greta holloway")],
    }
    # words that are a given name or a role after the name are no run-on
    for extra in ("Ruth", "Spokeswoman"):
        other = _doc(
            "c.txt",
            f"Greta Holloway {extra} spoke after the Pemberley vote.",
            (f"greta holloway {extra.lower()}", "Person", [f"Greta Holloway {extra}"]),
            ("pemberley", "Place", ["Pemberley"]),
        )
        rules = _rules([other, docs[1]])
        assert "kg.link.name-run-on.v1" not in rules.values()


def test_a_given_name_alone_needs_shared_context() -> None:
    full = _doc(
        "a.txt",
        "Rosalind Threlkeld, 9, was found safe near Brackenmoor by Felsham police.",
        ("rosalind threlkeld", "Person", ["Rosalind Threlkeld"]),
        ("brackenmoor", "Place", ["Brackenmoor"]),
        ("felsham", "Place", ["Felsham"]),
    )
    alone = _doc(
        "b.txt",
        "Rosalind was found safe near Brackenmoor by Felsham police, she said.",
        ("rosalind", "Person", ["Rosalind", "she"]),
        ("brackenmoor", "Place", ["Brackenmoor"]),
        ("felsham", "Place", ["Felsham"]),
    )
    elsewhere = _doc(
        "c.txt",
        "Rosalind opened a bakery in Quenby last spring, she said.",
        ("rosalind", "Person", ["Rosalind", "she"]),
        ("quenby", "Place", ["Quenby"]),
    )
    keys = _keys([full, alone])
    assert keys[("b.txt", "rosalind")] == keys[("a.txt", "rosalind threlkeld")]
    # nothing shared: a given name alone is too weak to link
    keys = _keys([full, elsewhere])
    assert keys[("c.txt", "rosalind")] != keys[("a.txt", "rosalind threlkeld")]
    rules = _rules([full, alone])
    assert "kg.link.given-name.v1" in {
        rules[("a.txt", "rosalind threlkeld")],
        rules[("b.txt", "rosalind")],
    }


def test_a_possessive_whose_apostrophe_became_a_hyphen() -> None:
    assert normalize_name("Ada Roe - s", person=True) == ("ada", "roe")
    assert normalize_name("Roe-s") == ("roe",)
    assert normalize_name("T-Mobile") == ("t-mobile",)
    docs = [
        _doc(
            "a.txt",
            "Marisol Quennell - s lawyer spoke in Dunmere.",
            ("marisol quennell - s", "Person", ["Marisol Quennell - s"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "Marisol Quennell spoke in Dunmere, her lawyer said.",
            ("marisol quennell", "Person", ["Marisol Quennell", "her"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
    ]
    keys = _keys(docs)
    assert (
        keys[("a.txt", "marisol quennell - s")] == keys[("b.txt", "marisol quennell")]
    )


def test_a_surname_alone_joins_a_person_named_thing() -> None:
    full = _person_tagged(
        _doc(
            "a.txt",
            "Oswin Q. Marrable was freed from Tallow prison on Friday.",
            ("oswin q. marrable", "Thing", ["Oswin Q. Marrable"]),
            ("tallow", "Place", ["Tallow"]),
        ),
        "oswin q. marrable",
    )
    short = _doc(
        "b.txt",
        "Marrable was freed from Tallow prison on Friday, his lawyer said.",
        ("marrable", "Person", ["Marrable", "his"]),
        ("tallow", "Place", ["Tallow"]),
    )
    keys = _keys([full, short])
    assert keys[("b.txt", "marrable")] == keys[("a.txt", "oswin q. marrable")]
    rules = _rules([full, short])
    assert "kg.link.surname.v3" in {
        rules[("a.txt", "oswin q. marrable")],
        rules[("b.txt", "marrable")],
    }


def test_a_state_abbreviation_and_a_country_everyday_name_join_the_place() -> None:
    docs = [
        _doc(
            "a.txt",
            "The Quillon Works plant in Fennick, Calif., closed on Monday.",
            ("quillon works", "Organization", ["Quillon Works"]),
            ("fennick", "Place", ["Fennick"]),
            ("calif.", "Place", ["Calif."]),
        ),
        _doc(
            "b.txt",
            "Quillon Works closed its plant in Fennick, California, on Monday.",
            ("quillon works", "Organization", ["Quillon Works"]),
            ("fennick", "Place", ["Fennick"]),
            ("california", "Place", ["California"]),
        ),
        _doc(
            "c.txt",
            "Quillon Works will sell its plants in America on Monday.",
            ("quillon works", "Organization", ["Quillon Works"]),
            ("america", "Country", ["America"]),
        ),
        _doc(
            "d.txt",
            "Quillon Works said the United States plants close on Monday.",
            ("quillon works", "Organization", ["Quillon Works"]),
            ("united states", "Country", ["United States"]),
        ),
    ]
    keys = _keys(docs)
    assert keys[("a.txt", "calif.")] == keys[("b.txt", "california")]
    assert keys[("c.txt", "america")] == keys[("d.txt", "united states")]
    rules = _rules(docs)
    assert "kg.link.place-name.v1" in {
        rules[("a.txt", "calif.")],
        rules[("b.txt", "california")],
    }
    # a two-letter code is an abbreviation only when written in capitals
    assert place_names(["ca"]) == frozenset()
    assert place_names(["ca"], ["ca"]) == {"california"}
