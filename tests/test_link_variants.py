"""Link rules of kg.link.variants and headline names, on constructed corpora.

Unit tests build :class:`~kg.types.Document` objects by hand so each rule
is tested on what it reads; the headline tests run the real pipeline on
constructed multi-document text.
"""

from __future__ import annotations

from spacy.language import Language

from kg.build import extract_document
from kg.link import link_documents
from kg.link.rules import NAME_RULES, judge
from kg.link.summary import EntitySummary
from kg.mentions import extract_mentions
from tests.fixtures import hand_document as _doc
from tests.fixtures import linked_keys as _keys


def test_a_pet_given_name_is_the_given_name_it_stands_for() -> None:
    names = ["Maggie Drummel", "Margaret Drummel", "Peggy Drummel"]
    docs = [
        _doc(
            f"{i}.txt",
            f"{name} said she would sail from Dunmere harbour at dawn.",
            (name.lower(), "Person", [name, "she"]),
            ("dunmere", "Place", ["Dunmere"]),
        )
        for i, name in enumerate(names)
    ]
    keys = _keys(docs)
    assert len({keys[(f"{i}.txt", n.lower())] for i, n in enumerate(names)}) == 1
    linked = link_documents(docs)
    rules = {m.link for d in linked for e in d.entities for m in e.mentions}
    assert rules  # the mentions keep their in-document links
    # two different given names are still two people
    other = _doc(
        "x.txt",
        "Tomas Drummel said he would sail from Dunmere harbour at dawn.",
        ("tomas drummel", "Person", ["Tomas Drummel", "he"]),
        ("dunmere", "Place", ["Dunmere"]),
    )
    keys = _keys([*docs, other])
    assert keys[("x.txt", "tomas drummel")] != keys[("0.txt", "maggie drummel")]


def test_a_surname_tagged_as_a_nationality_joins_the_person() -> None:
    docs = [
        _doc(
            "a.txt",
            "Ivo Varnik said he would defend his title against Oren Falk in Dunmere.",
            ("ivo varnik", "Person", ["Ivo Varnik", "he"]),
            ("oren falk", "Person", ["Oren Falk"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "b.txt",
            "Varnik beat Oren Falk in Dunmere as Varnik kept the title.",
            ("varnik", "Group", ["Varnik", "Varnik"]),
            ("oren falk", "Person", ["Oren Falk"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
        _doc(
            "c.txt",
            "Varnik knocked out Oren Falk in Dunmere; Varnik is unbeaten.",
            ("varnik", "Group", ["Varnik", "Varnik"]),
            ("oren falk", "Person", ["Oren Falk"]),
            ("dunmere", "Place", ["Dunmere"]),
        ),
    ]
    keys = _keys(docs)
    assert keys[("b.txt", "varnik")] == keys[("a.txt", "ivo varnik")]
    assert keys[("c.txt", "varnik")] == keys[("a.txt", "ivo varnik")]
    # a place of that name is not the group, nor the person
    group = EntitySummary("b", "v", "Group", "Varnik", ("varnik",), votes=2)
    place = EntitySummary("p", "v", "Place", "Varnik", ("varnik",), votes=2)
    assert judge(group, place) is None


def test_a_body_named_with_more_generic_words_is_one_body() -> None:
    names = ["Holloway Lake Treatment Center", "Holloway Lake Center"]
    docs = [
        _doc(
            f"{i}.txt",
            f"The singer checked into {name} in Dunmere on Monday.",
            (name.lower(), "Organization", [name]),
            ("dunmere", "Place", ["Dunmere"]),
        )
        for i, name in enumerate(names)
    ]
    keys = _keys(docs)
    assert keys[("0.txt", names[0].lower())] == keys[("1.txt", names[1].lower())]
    linked = link_documents(docs)
    assert "kg.link.generic-core.v1" in NAME_RULES
    # two different generic nouns name two bodies
    a = EntitySummary(
        "a", "x", "Organization", "Holloway College", ("holloway college",)
    )
    b = EntitySummary(
        "b", "y", "Organization", "Holloway University", ("holloway university",)
    )
    assert judge(a, b) is None
    # a shop is not its company
    shop = EntitySummary(
        "c", "z", "Organization", "Holloway Store", ("holloway store",)
    )
    firm = EntitySummary("d", "w", "Organization", "Holloway", ("holloway",))
    found = judge(shop, firm)
    assert found is None or found.rule != "kg.link.generic-core.v1"
    assert len(linked) == 2


def _names(nlp: Language, text: str) -> list[tuple[str, int]]:
    return [
        (m.text, m.sent_index) for m in extract_mentions(nlp(text)) if m.kind == "name"
    ]


def test_a_headline_name_run_into_the_next_words_is_cut_back(nlp: Language) -> None:
    text = (
        "Mira Castellane Dead: Opera Singer Dies At 88\n\n"
        "The soprano Mira Castellane died on Sunday in Dunmere."
    )
    names = _names(nlp, text)
    assert ("Mira Castellane", 0) in names
    assert not any(t.startswith("Mira Castellane ") for t, _ in names)
    # a generic noun of the name, or a word of a body name, stays in it
    kept = _names(
        nlp, "Holloway Bank Robbed\n\nThieves robbed Holloway Bank on Monday."
    )
    assert ("Holloway Bank", 0) in kept


def test_a_headline_name_cut_back_links_across_documents(nlp: Language) -> None:
    texts = {
        "a.txt": (
            "Mira Castellane Dead: Opera Singer Dies At 88\n\n"
            "The soprano Mira Castellane died on Sunday in Dunmere."
        ),
        "b.txt": (
            "Mira Castellane sang in Dunmere for forty years. She retired in 2001."
        ),
    }
    docs = [extract_document(nlp(t), doc_id=d) for d, t in texts.items()]
    linked = link_documents(docs)
    nodes = {
        d.doc_id: {
            e.key for e in d.entities if any("Castellane" in m.text for m in e.mentions)
        }
        for d in linked
    }
    assert nodes["a.txt"] == nodes["b.txt"]
    assert len(nodes["a.txt"]) == 1


def test_a_name_fitting_two_entities_of_one_document_takes_the_closer() -> None:
    # one document calls the informant by a code name; the others keep the
    # code name apart from the person: the alias has a rival in each of them
    places = [("dunmere", "Place", ["Dunmere"]), ("arden", "Place", ["Arden"])]
    firm = ("varnco", "Organization", ["Varnco"])
    docs = [
        _doc(
            "a.txt",
            "Orla Venn, the informant called Grey Heron, told reporters in Dunmere "
            "and Arden that Varnco paid bribes.",
            ("orla venn", "Person", ["Orla Venn", "Grey Heron"]),
            *places,
            firm,
        )
    ]
    for i in range(4):
        docs.append(
            _doc(
                f"b{i}.txt",
                "Grey Heron, the informant, was Orla Venn, who told reporters in "
                "Dunmere and Arden that Varnco paid bribes.",
                ("grey heron", "Person", ["Grey Heron"]),
                ("orla venn", "Person", ["Orla Venn"]),
                *places,
                firm,
            )
        )
    keys = _keys(docs)
    venn = {keys[(d.doc_id, "orla venn")] for d in docs}
    assert len(venn) == 1
    assert all(keys[(f"b{i}.txt", "grey heron")] not in venn for i in range(4))


def test_a_full_personal_name_in_a_headline_alone_is_kept(nlp: Language) -> None:
    # a text that is only its headline, and one whose body uses a nickname
    alone = _names(nlp, "Director Marcus Delaney in Tough Talks for Sequel")
    assert ("Marcus Delaney", 0) in alone
    nick = _names(
        nlp,
        "Marcus Delaney Signs On for Sequel\n\n"
        "The studio said MaDe would start filming in Dunmere in May.",
    )
    assert any(t.startswith("Marcus Delaney") and i == 0 for t, i in nick)
    # a headline word the body never names is still dropped
    junk = _names(
        nlp,
        "Former Banker Sentenced for Fraud\n\nGregory Hale was sentenced on Thursday.",
    )
    assert not any(t == "Fraud" for t, _ in junk)


def test_a_headline_name_run_into_a_verb_is_the_name_before_it(nlp: Language) -> None:
    text = (
        "Marcus Delaney Confesses To Theft Of Arden Paintings\n\n"
        "Delaney, a painter, admitted on Monday that he took the works."
    )
    names = _names(nlp, text)
    assert ("Marcus Delaney", 0) in names
    assert not any("Confesses" in t for t, _ in names)
