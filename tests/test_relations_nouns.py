"""Noun-phrase relation rules, on constructed sentences.

The presupposition of a possessive role noun, and the noun-phrase rules
that read a fact from a modifier or a role noun's preposition.
"""

from __future__ import annotations

from spacy.language import Language

from kg.relations import DEFAULT_EXTRACTOR, extract_relations
from kg.types import Triple
from tests.test_relations import ner_entities

DESCRIBED = "kg.clauses.v3+described"


def _triples(
    nlp: Language, text: str, extractor: str = DEFAULT_EXTRACTOR, **pronouns: str
) -> list[Triple]:
    doc = nlp(text)
    ents = ner_entities(doc, pronouns=pronouns or None)
    _, found = extract_relations(doc, ents, doc_id="t", extractor=extractor)
    return list(found)


def _role(found: list[Triple], prop: str, named: str) -> list[Triple]:
    return [t for t in found if t.predicate == prop and named in {t.subject, t.object}]


# --- a possessive role noun presupposes its relation -------------------------


def test_possessive_kin_noun_in_a_reported_clause_is_asserted(nlp: Language) -> None:
    text = "Hannah Berg believes that Greta Lind poisoned her husband."
    found = _triples(nlp, text, DESCRIBED, her="Greta Lind")
    (t,) = _role(found, "spouse", "greta lind")
    assert t.modality == "asserted"
    assert t.rule.endswith(":possessive-role")
    # the default graph keeps the described husband out: the role stays reported
    default = _role(_triples(nlp, text, her="Greta Lind"), "spouse", "greta lind")
    assert default and all(t.modality != "asserted" for t in default)


def test_possessive_role_noun_in_a_question_is_asserted(nlp: Language) -> None:
    text = "Do you think that Greta Lind fired her lawyer?"
    found = _triples(nlp, text, DESCRIBED, her="Greta Lind")
    (t,) = _role(found, "represents", "greta lind")
    assert t.modality == "asserted"


def test_saxon_genitive_possessor_presupposes_too(nlp: Language) -> None:
    text = "Officials said that Greta Lind's brother had left the country."
    (t,) = _role(_triples(nlp, text, DESCRIBED), "sibling", "greta lind")
    assert t.modality == "asserted"


def test_predicate_noun_in_a_reported_clause_stays_reported(nlp: Language) -> None:
    # the identity "Otto Brandt is her husband" is what the report claims
    text = "Hannah Berg says that Otto Brandt is her husband."
    found = _role(_triples(nlp, text, her="Hannah Berg"), "spouse", "otto brandt")
    assert found
    assert all(t.modality == "reported" for t in found)


def test_unresolved_possessor_gives_no_role(nlp: Language) -> None:
    text = "Hannah Berg believes that the woman poisoned her husband."
    assert not _role(_triples(nlp, text, DESCRIBED), "spouse", "hannah berg")


# --- a name before a common noun (described bearers: kg.clauses.v3+described) -


def test_default_extractor_makes_no_node_of_a_named_facility(nlp: Language) -> None:
    text = "A gunman opened fire at an Acme Foods factory in Springfield."
    assert not [t for t in _triples(nlp, text) if "factory" in t.object]
    found = _triples(nlp, text, DESCRIBED)
    assert {t.rule.split(":")[-1] for t in found if "factory" in t.object} == {
        "kg.pattern.compound.owner-before-facility.v1"
    }


def _facts_of(found: list[Triple]) -> set[tuple[str, str, str, str]]:
    return {(t.subject, t.predicate, t.object, t.rule.split(":")[-1]) for t in found}


def test_organisation_before_a_facility_noun_owns_it(nlp: Language) -> None:
    found = _triples(
        nlp, "A gunman opened fire at an Acme Foods factory on Monday.", DESCRIBED
    )
    (t,) = [t for t in found if t.rule.startswith("kg.pattern.compound.owner-")]
    assert (t.subject, t.predicate) == ("acme foods", "owns")
    # owned by a name, the factory has one key in every document
    assert t.object == "described:factory of acme foods"


def test_place_before_a_facility_noun_places_it(nlp: Language) -> None:
    found = _triples(
        nlp, "The victims were taken to a Springfield hospital.", DESCRIBED
    )
    (t,) = [t for t in found if t.rule.startswith("kg.pattern.compound.place-")]
    assert (t.predicate, t.object) == ("locatedIn", "springfield")
    assert t.subject == "described:hospital in springfield"


def test_organisation_before_a_role_noun_employs_its_bearer(nlp: Language) -> None:
    found = _triples(nlp, "An Acme Foods plant worker shot two colleagues.", DESCRIBED)
    (t,) = [t for t in found if t.rule.endswith(":name-modifier-role")]
    assert (t.predicate, t.object) == ("employer", "acme foods")
    # a role is no anchor: the worker stays its document's own
    assert t.subject.startswith("t#")


def test_place_before_a_place_noun_is_its_own_name(nlp: Language) -> None:
    # "the Springfield neighborhood" is Springfield, not a place in it
    found = _triples(
        nlp, "A vigil was held in the Springfield neighborhood.", DESCRIBED
    )
    assert not [t for t in found if "name-modifier" in t.rule or "compound" in t.rule]


def test_person_before_a_facility_noun_is_no_owner(nlp: Language) -> None:
    found = _triples(nlp, "Police searched the Maria Lopez house on Monday.", DESCRIBED)
    assert not [t for t in found if "name-modifier" in t.rule or "compound" in t.rule]


# --- described things placed by a preposition; possessed homes --------------


def test_a_facility_placed_in_a_named_place_is_a_node(nlp: Language) -> None:
    found = _triples(nlp, "She was held at a prison in Springfield.", DESCRIBED)
    (t,) = [t for t in found if t.rule.endswith(":described-placed")]
    assert (t.predicate, t.object) == ("locatedIn", "springfield")
    assert t.subject == "described:prison in springfield"
    # only with kg.clauses.v3+described
    default = _triples(nlp, "She was held at a prison in Springfield.")
    assert not [t for t in default if t.rule.endswith(":described-placed")]


def test_an_event_placed_in_a_named_place_takes_place_there(nlp: Language) -> None:
    found = _triples(nlp, "A vigil in Springfield drew hundreds of people.", DESCRIBED)
    (t,) = [t for t in found if t.rule.endswith(":described-placed")]
    assert (t.predicate, t.object) == ("location", "springfield")


def test_a_described_thing_of_no_listed_noun_is_not_placed(nlp: Language) -> None:
    found = _triples(nlp, "The support in Springfield grew quickly.", DESCRIBED)
    assert not [t for t in found if t.object == "springfield"]


def test_a_persons_home_is_a_residence_not_a_possession(nlp: Language) -> None:
    found = _triples(nlp, "Maria Lopez died at her home on Monday.", her="Maria Lopez")
    props = {t.predicate for t in found if t.subject == "maria lopez"}
    assert "residence" in props
    assert "owns" not in props


def test_a_persons_car_is_still_a_possession(nlp: Language) -> None:
    found = _triples(nlp, "Maria Lopez sold her car.", her="Maria Lopez")
    assert {t.predicate for t in found if t.subject == "maria lopez"} >= {"owns"}


# --- a described person's role noun with its relatum -------------------------


def test_described_role_noun_relates_to_the_name_after_it(nlp: Language) -> None:
    text = "A spokesperson for the Springfield Superior Court confirmed the news."
    (t,) = [t for t in _triples(nlp, text) if t.rule.endswith(":described-role")]
    assert t.predicate == "employer"
    assert t.subject.startswith("t#spokesperson")


def test_described_role_noun_beside_a_name_is_read_with_the_name(
    nlp: Language,
) -> None:
    text = "Otto Brandt, a spokesman for Acme Corp, confirmed the news."
    found = _triples(nlp, text)
    assert not [t for t in found if t.rule.endswith(":described-role")]
    assert ("otto brandt", "employer", "acme corp") in {
        (t.subject, t.predicate, t.object) for t in found
    }


def test_a_non_person_noun_takes_no_described_role(nlp: Language) -> None:
    text = "The owner of Acme Corp visited a factory of Acme Corp."
    found = _triples(nlp, text)
    assert not [t for t in found if "factory" in t.subject]


# --- anchored described things: one key in every document -------------------


def test_variant_nouns_and_modifiers_share_an_anchored_key(nlp: Language) -> None:
    # "an Acme plant" and "the old Acme factory": one factory of Acme
    a = _triples(nlp, "A fire broke out at an Acme plant on Monday.", DESCRIBED)
    b = _triples(nlp, "Workers left the old Acme factory on Friday.", DESCRIBED)
    owned = {t.object for t in (*a, *b) if t.predicate == "owns"}
    assert owned == {"described:factory of acme"}


def test_a_place_anchors_before_an_owner(nlp: Language) -> None:
    found = _triples(
        nlp, "A gunman opened fire at an Acme Foods factory in Springfield.", DESCRIBED
    )
    keys = {t.object for t in found if t.predicate == "owns"}
    assert keys == {"described:factory in springfield"}


def test_a_possessed_role_is_anchored_by_its_possessor(nlp: Language) -> None:
    found = _triples(
        nlp, "Greta Lind's lawyer filed a motion.", DESCRIBED, her="Greta Lind"
    )
    (t,) = _role(found, "represents", "greta lind")
    assert t.subject == "described:lawyer of greta lind"


def test_two_documents_describing_one_facility_share_its_node() -> None:
    from kg.eval.product import build_corpus

    built = build_corpus(
        [
            ("a.txt", "Police said a fire broke out at a Springfield hospital."),
            ("b.txt", "Two nurses were hurt at a Springfield hospital on Monday."),
        ],
        extractor=DESCRIBED,
    )
    described = [{e.key for e in b.document.entities if not e.named} for b in built]
    # read back from the store: one node (its IRI's slug) in both documents
    assert described[0] == described[1] == {"described-hospital-in-springfield"}


# --- a possessor shared by conjoined role phrases ----------------------------


def test_conjoined_kin_noun_shares_the_possessor(nlp: Language) -> None:
    text = (
        "Sam Rook was charged with the murders of his mother Ann Rook, 58, "
        "and sister Lisa Rook, 20."
    )
    found = _triples(nlp, text, his="Sam Rook")
    pairs = {(t.subject, t.predicate, t.object) for t in found}
    assert ("lisa rook", "sibling", "sam rook") in pairs
    assert ("ann rook", "child", "sam rook") in pairs


def test_a_role_noun_after_a_verb_shares_no_possessor(nlp: Language) -> None:
    # "his mother ... met sister Lisa Rook": no conjunction, no shared "his"
    text = "Sam Rook said his mother Ann Rook met sister Lisa Rook in May."
    found = _triples(nlp, text, his="Sam Rook")
    assert not [t for t in found if t.predicate == "sibling"]


# --- an event noun and its participant ---------------------------------------


def test_an_event_noun_takes_its_participant_after_of_or_for(nlp: Language) -> None:
    for text, noun in (
        ("The trial of Jermaine Toll began on Monday.", "trial"),
        ("A preliminary hearing for Sam Rook was held on Friday.", "hearing"),
    ):
        (t,) = [t for t in _triples(nlp, text) if t.rule.endswith(":described-role")]
        assert t.predicate == "participant", text
        assert t.subject.startswith("t#")
        assert noun in t.subject


def test_a_retrial_takes_its_participant_after_for(nlp: Language) -> None:
    text = "The court ordered a retrial for Lena Holm on Friday."
    found = _triples(nlp, text)
    assert [t.object for t in found if t.predicate == "participant"] == ["lena holm"]


def test_a_person_noun_takes_no_participant_after_over(nlp: Language) -> None:
    text = "A spokesman over Lena Holm said nothing."
    assert not [t for t in _triples(nlp, text) if t.predicate == "participant"]


def test_a_name_ending_in_an_event_noun_is_no_participant(nlp: Language) -> None:
    # "the Varn Coup" is an event, whatever class its name was given
    text = "The Varn Coup's trial began on Monday."
    found = _triples(nlp, text)
    assert not [t for t in found if t.predicate == "participant"]


def test_two_documents_share_a_possessed_role_node() -> None:
    from kg.eval.product import build_corpus

    built = build_corpus(
        [
            ("a.txt", "Greta Lind met reporters. Greta Lind's lawyer filed a motion."),
            ("b.txt", "Greta Lind's lawyer spoke to Otto Brandt on Monday."),
        ]
    )
    described = [{e.key for e in b.document.entities if not e.named} for b in built]
    assert described[0] == described[1] == {"described-lawyer-of-greta-lind"}
