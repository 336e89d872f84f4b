"""The relation pattern families of ``ontology/patterns/`` and the engine's vocabulary.

One test per family on constructed sentences, each checking the fact, its
pattern id and what the family must not read; hand-built parses where the
model's parse of a short sentence would not reliably give the shape.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.build import extract_document
from kg.errors import OntologyError
from kg.relations.engine import RelationPattern, load_patterns, match_pattern
from kg.types import Triple


def _triples(
    nlp: Language, text: str, extractor: str = "kg.clauses.v3"
) -> list[Triple]:
    return list(extract_document(nlp(text), doc_id="t", extractor=extractor).triples)


def _pattern(pid: str) -> RelationPattern:
    return next(p for p in load_patterns() if p.id == pid)


# --- appositions ------------------------------------------------------------


def test_appositions_place_a_name_in_the_apposed_name(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.relations.triples

    # the place-chain rule reads the same comma between two NER places with a
    # higher confidence; without it the pattern's fact shows
    monkeypatch.setattr(kg.relations.triples, "_place_chain_facts", lambda c, s: ())
    found = {
        (t.subject, t.predicate, t.object): t.rule
        for t in _triples(nlp, "Police closed Elm Street, Oakfield, after the storm.")
    }
    assert found[("elm street", "locatedIn", "oakfield")] == (
        "kg.pattern.apposition.name-in-name.v1"
    )
    found = {
        (t.subject, t.predicate, t.object): t.rule
        for t in _triples(nlp, "Kenya, Africa, is a country.")
    }
    assert found[("kenya", "continent", "africa")] == (
        "kg.pattern.apposition.country-in-continent.v1"
    )


def _listed_apposition(nlp: Language) -> Doc:
    # "towns Oakfield, Brayton, Millbrook and Ashford": Brayton apposed to
    # Oakfield heads a coordination, so the names are a list
    words = ["Oakfield", ",", "Brayton", ",", "Millbrook", "and", "Ashford"]
    return Doc(
        nlp.vocab,
        words=words,
        heads=[0, 0, 0, 2, 2, 4, 4],
        deps=["ROOT", "punct", "appos", "punct", "conj", "cc", "conj"],
        pos=["PROPN", "PUNCT", "PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN"],
        ents=["B-GPE", "O", "B-GPE", "O", "B-GPE", "O", "B-GPE"],
    )


def test_appositions_skip_a_list_of_names(nlp: Language) -> None:
    pattern = _pattern("kg.pattern.apposition.name-in-name.v1")
    listed = _listed_apposition(nlp)
    assert not list(match_pattern(listed, pattern))
    plain = Doc(
        nlp.vocab,
        words=["Oakfield", ",", "Vermont"],
        heads=[0, 0, 0],
        deps=["ROOT", "punct", "appos"],
        pos=["PROPN", "PUNCT", "PROPN"],
        ents=["B-GPE", "O", "B-GPE"],
    )
    assert [m["inner"].text for m in match_pattern(plain, pattern)] == ["Vermont"]


# --- compounds --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fact", "rule"),
    [
        (
            "Workers at an Acme factory went on strike.",
            # anchored by its owner: one key in every document
            ("acme", "owns", "described:factory of acme"),
            "kg.pattern.compound.owner-before-facility.v1",
        ),
        (
            "She was taken to a Brayton hospital on Friday.",
            ("described:hospital in brayton", "locatedIn", "brayton"),
            "kg.pattern.compound.place-before-facility.v1",
        ),
    ],
)
def test_compounds_read_a_name_before_a_facility_noun(
    nlp: Language, text: str, fact: tuple[str, str, str], rule: str
) -> None:
    described = extract_document(
        nlp(text), doc_id="t", extractor="kg.clauses.v3+described"
    )
    found = {(t.subject, t.predicate, t.object): t.rule for t in described.triples}
    assert found.get(fact) == rule, found
    # the described facility is a node of the noun's class
    facility = next(e for e in described.entities if not e.named)
    assert facility.label == "Facility"
    # the default graph makes no node of a described facility
    assert not [t for t in _triples(nlp, text) if t.rule == rule]


def test_compounds_read_no_person_name_before_a_facility(nlp: Language) -> None:
    text = "Reporters gathered outside the Maria Lopez house on Friday."
    found = _triples(nlp, text, "kg.clauses.v3+described")
    assert not [t for t in found if t.rule.startswith("kg.pattern.compound.")]


# --- the engine's vocabulary ------------------------------------------------


def _write(folder: Path, pattern: dict[str, object]) -> Path:
    folder.mkdir(exist_ok=True)
    entry = {
        "id": "user.pattern.test.v1",
        "subject": "name",
        "object": "place",
        "property": "locatedIn",
        "confidence": 0.5,
        **pattern,
    }
    (folder / "test.json").write_text(
        json.dumps({"family": "test", "patterns": [entry]}), encoding="utf-8"
    )
    return folder


_SHAPE = [
    {"RIGHT_ID": "name", "RIGHT_ATTRS": {}},
    {
        "LEFT_ID": "name",
        "REL_OP": ">",
        "RIGHT_ID": "prep",
        "RIGHT_ATTRS": {"LOWER": {"IN_LEXICON": "relation-placing-prepositions"}},
    },
    {"LEFT_ID": "prep", "REL_OP": ">", "RIGHT_ID": "place", "RIGHT_ATTRS": {}},
]


def test_a_pattern_reads_a_word_list_when_loaded(tmp_path: Path) -> None:
    (pattern,) = load_patterns(_write(tmp_path / "p", {"pattern": _SHAPE}))
    prep = json.loads(pattern.pattern)[1]["RIGHT_ATTRS"]["LOWER"]
    assert prep == {"IN": ["at", "in", "near"]}


def test_a_pattern_naming_an_unknown_word_list_is_refused(tmp_path: Path) -> None:
    shape = json.loads(json.dumps(_SHAPE))
    shape[1]["RIGHT_ATTRS"]["LOWER"] = {"IN_LEXICON": "no-such-list"}
    with pytest.raises(OntologyError, match="no-such-list"):
        load_patterns(_write(tmp_path / "p", {"pattern": shape}))


@pytest.mark.parametrize(
    "extra",
    [
        {"classes": {"name": {"IN": ["NoSuchClass"]}}},
        {"classes": {"prep": {"IN": ["Place"]}}},
        {"noun_class": {"nowhere": "Facility"}},
        {"unless": [[{"LEFT_ID": "gone", "REL_OP": ">", "RIGHT_ID": "x"}]]},
        {"phrase": "nowhere"},
    ],
)
def test_a_pattern_with_a_bad_test_is_refused(
    tmp_path: Path, extra: dict[str, object]
) -> None:
    with pytest.raises(OntologyError, match=r"user\.pattern\.test\.v1"):
        load_patterns(_write(tmp_path / "p", {"pattern": _SHAPE, **extra}))


def test_left_and_right_dependents(nlp: Language) -> None:
    from kg.relations.engine import _nodes, match_tree

    doc = Doc(
        nlp.vocab,
        words=["old", "farm", "house"],
        heads=[1, 1, 1],
        deps=["amod", "ROOT", "appos"],
    )
    for op, want in ((">--", ["old"]), (">++", ["house"]), (">", ["old", "house"])):
        nodes = _nodes(
            [
                {"RIGHT_ID": "a", "RIGHT_ATTRS": {"DEP": "ROOT"}},
                {"LEFT_ID": "a", "REL_OP": op, "RIGHT_ID": "b", "RIGHT_ATTRS": {}},
            ]
        )
        assert [m["b"].text for m in match_tree(doc, nodes)] == want


def test_the_new_families_match_as_the_dependency_matcher_does(nlp: Language) -> None:
    from spacy.matcher import DependencyMatcher

    from kg.relations.engine import _tree, match_tree

    doc = nlp(
        "Workers at an Acme Foods power plant and a Brayton hospital met in "
        "Oakfield, Vermont, near Elm Street, Oakfield."
    )
    shipped = [
        p for p in load_patterns() if p.id.split(".")[2] in {"apposition", "compound"}
    ]
    assert len(shipped) == 6
    matched = 0
    for p in shipped:
        matcher = DependencyMatcher(nlp.vocab)
        matcher.add(p.id, [json.loads(p.pattern)])
        theirs = {tuple(ids) for _, ids in matcher(doc)}
        ours = {tuple(t.i for t in m.values()) for m in match_tree(doc, _tree(p))}
        assert ours == theirs, p.id
        matched += len(ours)
    assert matched >= 4


# --- noun-preps ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Workers at Acme Rescue in Oakfield went on strike.",
            ("acme rescue", "locatedIn", "oakfield"),
        ),
        (
            "The Brayton Museum in Oakfield reopened on Monday.",
            ("brayton museum", "locatedIn", "oakfield"),
        ),
    ],
)
def test_noun_preps_place_a_named_thing(
    nlp: Language, text: str, fact: tuple[str, str, str]
) -> None:
    found = {(t.subject, t.predicate, t.object): t.rule for t in _triples(nlp, text)}
    assert found.get(fact) == "kg.pattern.noun-prep.name-prep-name.v2", found


def test_noun_preps_skip_a_relational_noun(nlp: Language) -> None:
    from kg.mentions import sentence_starts
    from kg.ontology import load_ontology
    from kg.relations.engine import _ends
    from kg.relations.nodes import _Context, _entity_index
    from kg.types import Entity, Mention

    pattern = _pattern("kg.pattern.noun-prep.name-prep-name.v2")
    # "Owner of Acme": a named relational noun is a role, not a place
    doc = Doc(
        nlp.vocab,
        words=["Owner", "of", "Acme"],
        heads=[0, 0, 1],
        deps=["ROOT", "prep", "pobj"],
        pos=["PROPN", "ADP", "PROPN"],
        lemmas=["owner", "of", "Acme"],
    )
    ents = [
        Entity("owner", "Person", "Owner", (Mention("Owner", "PERSON", 0, 5, 0),)),
        Entity("acme", "Organization", "Acme", (Mention("Acme", "ORG", 9, 13, 0),)),
    ]
    ctx = _Context(
        doc=doc,
        doc_id="t",
        onto=load_ontology(),
        by_token=_entity_index(doc, ents),
        starts=sentence_starts(doc),
        new_entities={},
        pending={},
    )
    (anchors,) = list(match_pattern(doc, pattern))
    assert _ends(ctx, pattern, anchors) is None
    plain = RelationPattern(
        pattern.id, pattern.pattern, "holder", "other", 0.5, property="locatedIn"
    )
    assert _ends(ctx, plain, anchors) is not None


# --- kin ----------------------------------------------------------------------


def test_kin_two_parents_are_spouses(nlp: Language) -> None:
    text = "Maria Lopez, the daughter of John Brown and Ann Brown, won the race."
    found = {(t.subject, t.predicate, t.object): t.rule for t in _triples(nlp, text)}
    assert found[("john brown", "spouse", "ann brown")] == (
        "kg.pattern.kin.two-parents.v1"
    )
    # three people, or a noun no parent trigger takes: no couple
    for other in (
        "The son of Peter Gray, Lucy Gray and Tom Gray spoke.",
        "Maria Lopez, the owner of John Brown and Ann Brown, won.",
    ):
        assert not [t for t in _triples(nlp, other) if t.predicate == "spouse"]


# --- possessives (fallback patterns) --------------------------------------------


def test_possessives_read_a_home_as_residence_not_ownership(nlp: Language) -> None:
    found = _triples(nlp, "Maria Lopez sold her home in the spring.")
    rules = {(t.subject, t.predicate): t.rule for t in found}
    assert rules[("maria lopez", "residence")] == (
        "kg.pattern.possessive.home-residence.v1"
    )
    # the owns patterns are fallbacks: the home the first pattern took is no
    # possession as well
    assert ("maria lopez", "owns") not in rules


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        (
            "The police searched John Brown's old ranch.",
            "kg.pattern.possessive.owned-thing.v1",
        ),
        (
            "John Brown sold his factory last year.",
            "kg.pattern.possessive.pronoun-owned-thing.v1",
        ),
    ],
)
def test_possessives_read_an_ownable_thing_as_owned(
    nlp: Language, text: str, rule: str
) -> None:
    found = {(t.subject, t.predicate): t.rule for t in _triples(nlp, text)}
    assert found[("john brown", "owns")] == rule


def test_possessives_skip_a_pronouns_organisation_and_a_role_noun(
    nlp: Language,
) -> None:
    # "her company" is where she works, not what she owns; "Acme's parent
    # company" is a role noun (with its modifier) and no possession
    for text in (
        "Maria Lopez left her company in May.",
        "Acme Corporation praised Acme's parent company.",
    ):
        assert not [t for t in _triples(nlp, text) if t.predicate == "owns"], text


def test_a_fallback_needs_an_earlier_pattern_with_its_node(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="fallback 'prep'"):
        load_patterns(_write(tmp_path / "p", {"pattern": _SHAPE, "fallback": "prep"}))
    with pytest.raises(OntologyError, match="no node of the pattern"):
        load_patterns(_write(tmp_path / "q", {"pattern": _SHAPE, "fallback": "x"}))
