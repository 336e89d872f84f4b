"""Relation extraction: clause-level open IE and ontology-normalised triples.

Each test uses a short constructed sentence (never one of the sample
article's) and asserts the relation/arguments or the normalised triple.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from spacy.language import Language

from kg.relations import extract_clauses
from kg.types import Clause


def clauses(nlp: Language, text: str) -> list[Clause]:
    return list(extract_clauses(nlp(text)))


def pairs(nlp: Language, text: str) -> set[tuple[str, tuple[str, ...]]]:
    return {(c.relation, c.arguments) for c in clauses(nlp, text)}


# --- clauses ------------------------------------------------------------------


def test_active_subject_verb_object(nlp: Language) -> None:
    assert ("bought", ("The farmer", "a tractor")) in pairs(
        nlp, "The farmer bought a tractor."
    )


def test_verb_preposition_object_goes_into_relation(nlp: Language) -> None:
    assert ("wrote to", ("Maria", "the mayor")) in pairs(
        nlp, "Maria wrote to the mayor."
    )


def test_passive_keeps_agent(nlp: Language) -> None:
    found = pairs(nlp, "The bridge was designed by a young engineer.")
    assert ("was designed by", ("The bridge", "a young engineer")) in found


def test_indirect_object(nlp: Language) -> None:
    found = pairs(nlp, "The bank gave the company a loan.")
    assert ("gave", ("The bank", "the company", "a loan")) in found


def test_conjoined_subjects_give_one_clause_each(nlp: Language) -> None:
    found = pairs(nlp, "Peter and Susan visited the museum.")
    assert ("visited", ("Peter", "the museum")) in found
    assert ("visited", ("Susan", "the museum")) in found


def test_conjoined_objects_give_one_clause_each(nlp: Language) -> None:
    found = pairs(nlp, "The chef cooked pasta and soup.")
    assert ("cooked", ("The chef", "pasta")) in found
    assert ("cooked", ("The chef", "soup")) in found


def test_conjoined_verbs_share_the_subject(nlp: Language) -> None:
    found = pairs(nlp, "The senator wrote a book and founded a charity.")
    assert ("wrote", ("The senator", "a book")) in found
    assert ("founded", ("The senator", "a charity")) in found


def test_relative_clause_subject_is_the_antecedent(nlp: Language) -> None:
    found = pairs(nlp, "He met a lawyer who represents the union.")
    assert ("represents", ("a lawyer", "the union")) in found


def test_relative_clause_object_gap(nlp: Language) -> None:
    found = pairs(nlp, "The house that the architect built was sold.")
    assert ("built", ("the architect", "The house")) in found


def test_copula(nlp: Language) -> None:
    assert ("is", ("The museum", "a popular attraction")) in pairs(
        nlp, "The museum is a popular attraction."
    )


def test_appositive(nlp: Language) -> None:
    found = pairs(nlp, "John Smith, the owner of the bakery, sued the city.")
    assert ("is", ("John Smith", "the owner of the bakery")) in found
    assert ("sued", ("John Smith", "the city")) in found


def test_possessive(nlp: Language) -> None:
    found = pairs(nlp, "The police searched Robert's old farm.")
    assert ("has", ("Robert", "old farm")) in found


def test_clausal_complement_with_object_control(nlp: Language) -> None:
    found = pairs(nlp, "She asked the governor to pardon her brother.")
    assert ("asked", ("She", "the governor")) in found
    assert ("to pardon", ("the governor", "her brother")) in found


def test_clausal_complement_as_argument(nlp: Language) -> None:
    found = clauses(nlp, "The study showed that the drug reduces pain.")
    assert ("showed that", ("The study", "the drug reduces pain")) in {
        (c.relation, c.arguments) for c in found
    }
    inner = [c for c in found if c.relation == "reduces"]
    assert inner
    assert inner[0].modality == "reported"


def test_negation_is_flagged(nlp: Language) -> None:
    (clause,) = [c for c in clauses(nlp, "The firm did not pay the workers.")]
    assert clause.negated
    assert "not" in clause.relation.split()


def test_hedged_modal(nlp: Language) -> None:
    found = [c for c in clauses(nlp, "The company may sell the factory.")]
    assert found
    assert all(c.modality == "hedged" for c in found)


def test_plain_statement_is_asserted(nlp: Language) -> None:
    found = clauses(nlp, "The company sold the factory.")
    assert found
    assert all(c.modality == "asserted" and not c.negated for c in found)


def test_arguments_are_exact_token_text_of_ptb_input(nlp: Language) -> None:
    text = "The mayor of Pittsburgh 's largest suburb opened a new school ."
    words = set(text.split())
    for clause in clauses(nlp, text):
        for part in clause.arguments:
            assert set(part.split()) <= words, part


@pytest.mark.parametrize(
    "text",
    ["The farmer bought a tractor.", "The bridge was designed by a young engineer."],
)
def test_confidence_in_unit_interval_and_sentence_index(
    nlp: Language, text: str
) -> None:
    doc = nlp("It rained. " + text)
    found = list(extract_clauses(doc))
    assert found
    assert all(0.0 <= c.confidence <= 1.0 and c.sent_index == 1 for c in found)


# --- triples between entities -----------------------------------------------------

from spacy.tokens import Doc  # noqa: E402

from kg.errors import ConfigError  # noqa: E402
from kg.mentions import sentence_starts  # noqa: E402
from kg.ontology import load_ontology  # noqa: E402
from kg.relations import (  # noqa: E402
    DEFAULT_EXTRACTOR,
    extract_relations,
    extract_triples,
    get_extractor,
    normalise_relation,
)
from kg.types import Entity, Mention, Triple  # noqa: E402


def ner_entities(doc: Doc, *, pronouns: dict[str, str] | None = None) -> list[Entity]:
    """One entity per distinct NER name (trimmed of "'s"), typed by the ontology.

    ``pronouns`` maps a pronoun's text to the name it refers to, standing in
    for coreference so these tests exercise only the relation stage.
    """
    onto = load_ontology()
    starts = sentence_starts(doc)
    groups: dict[str, list[Mention]] = {}
    labels: dict[str, str] = {}
    for ent in doc.ents:
        span = ent[:-1] if ent[-1].tag_ == "POS" else ent
        groups.setdefault(span.text, []).append(
            Mention(
                span.text,
                ent.label_,
                span.start_char,
                span.end_char,
                starts[span.sent.start],
            )
        )
        labels[span.text] = onto.class_for_ner_label(ent.label_) or "Thing"
    for token in doc:
        name = (pronouns or {}).get(token.text)
        if name is not None:
            groups[name].append(
                Mention(
                    token.text,
                    "",
                    token.idx,
                    token.idx + len(token),
                    starts[token.sent.start],
                    kind="pronoun",
                )
            )
    return [
        Entity(name.lower(), labels[name], name, tuple(ms))
        for name, ms in groups.items()
    ]


def triples(nlp: Language, text: str, **kw: dict[str, str]) -> list[Triple]:
    doc = nlp(text)
    return list(extract_triples(doc, ner_entities(doc, **kw), doc_id="t"))


def facts(nlp: Language, text: str, **kw: dict[str, str]) -> set[tuple[str, str, str]]:
    """The facts a text states, however sure: never the negated or asked ones."""
    return {
        (t.subject, t.predicate, t.object)
        for t in triples(nlp, text, **kw)
        if t.modality not in {"negated", "question"}
    }


def guesses(nlp: Language, text: str, **kw: dict[str, str]) -> list[Triple]:
    """Triples of ``kg.clauses.v3+context``, after checking the default has none."""
    doc = nlp(text)
    entities = ner_entities(doc, **kw)
    plain = list(extract_triples(doc, entities, doc_id="t"))
    assert not [t for t in plain if "recent-" in t.rule], plain
    context = get_extractor("kg.clauses.v3+context")
    return [t for t in context(doc, entities, "t") if isinstance(t, Triple)]


def test_verb_preposition_trigger(nlp: Language) -> None:
    assert ("maria lopez", "wroteTo", "john brown") in facts(
        nlp, "Maria Lopez wrote to John Brown."
    )


def test_verb_trigger_with_preposition_object(nlp: Language) -> None:
    assert ("john brown", "employer", "acme corporation") in facts(
        nlp, "John Brown works for Acme Corporation."
    )


def test_passive_agent_is_the_actor(nlp: Language) -> None:
    assert ("john brown", "founded", "acme corporation") in facts(
        nlp, "Acme Corporation was founded by John Brown."
    )


def test_negated_fact_is_not_asserted(nlp: Language) -> None:
    found = facts(nlp, "John Brown did not marry Maria Lopez.")
    assert not any(p == "spouse" for _, p, _ in found)


def test_hedged_fact_is_marked(nlp: Language) -> None:
    (spouse,) = [
        t
        for t in triples(nlp, "John Brown may have married Maria Lopez.")
        if t.predicate == "spouse"
    ]
    assert spouse.modality == "hedged"


def test_reported_fact_is_marked(nlp: Language) -> None:
    text = "The newspaper claims that John Brown married Maria Lopez."
    (spouse,) = [t for t in triples(nlp, text) if t.predicate == "spouse"]
    assert spouse.modality == "reported"


def test_appositive_relational_noun(nlp: Language) -> None:
    assert ("maria lopez", "owns", "acme corporation") in facts(
        nlp, "Maria Lopez, owner of Acme Corporation, spoke to reporters."
    )


def test_family_noun_with_possessive_pronoun(nlp: Language) -> None:
    found = facts(
        nlp,
        "Maria Lopez hired her brother, John Lopez.",
        pronouns={"her": "Maria Lopez"},
    )
    assert {
        ("john lopez", "sibling", "maria lopez"),
        ("maria lopez", "sibling", "john lopez"),
    } & found


def test_friendship_noun_before_the_name(nlp: Language) -> None:
    found = facts(
        nlp,
        "Maria Lopez met her best friend John Brown.",
        pronouns={"her": "Maria Lopez"},
    )
    assert {
        ("john brown", "friendOf", "maria lopez"),
        ("maria lopez", "friendOf", "john brown"),
    } & found


def test_possessive_gives_ownership_of_a_described_thing(nlp: Language) -> None:
    doc = nlp("The police searched John Brown's former farm.")
    new, found = extract_relations(doc, ner_entities(doc), doc_id="t")
    (farm,) = [e for e in new if "farm" in e.name]
    assert not farm.named
    assert farm.label == "Thing"
    assert ("john brown", "owns", farm.key) in {
        (t.subject, t.predicate, t.object) for t in found
    }


def test_location_phrase_after_a_noun(nlp: Language) -> None:
    doc = nlp("The factory in Ohio was bought by Acme Corporation.")
    new, found = extract_relations(doc, ner_entities(doc), doc_id="t")
    (factory,) = [e for e in new if not e.named]
    assert (factory.key, "locatedIn", "ohio") in {
        (t.subject, t.predicate, t.object) for t in found
    }
    # placed somewhere and nothing else: no node of its own
    doc = nlp("The factory in Ohio closed.")
    assert extract_relations(doc, ner_entities(doc), doc_id="t") == ((), ())


def test_copula_with_predicate_noun_and_place(nlp: Language) -> None:
    assert ("springfield", "locatedIn", "illinois") in facts(
        nlp, "Springfield is a city in Illinois."
    )


def test_place_chain_names_the_country(nlp: Language) -> None:
    found = facts(nlp, "The festival took place in Lyon, France.")
    assert ("lyon", "country", "france") in found
    # country entails locatedIn: not drawn as a second edge
    assert ("lyon", "locatedIn", "france") not in found


def test_nationality_modifier(nlp: Language) -> None:
    assert ("maria lopez", "citizenOf", "brazilian") in facts(
        nlp, "Maria Lopez is a Brazilian singer."
    )


def test_domain_is_respected(nlp: Language) -> None:
    found = triples(nlp, "Texas wrote to John Brown.")
    assert found
    assert not any(t.predicate == "wroteTo" for t in found)


def test_unknown_relation_is_kept_with_its_lemma(nlp: Language) -> None:
    (t,) = [t for t in triples(nlp, "John Brown painted Maria Lopez.")]
    assert (t.predicate, t.lemma) == ("relatedTo", "paint")


def test_pronoun_subject_lands_on_its_antecedent(nlp: Language) -> None:
    found = triples(
        nlp,
        "Maria Lopez arrived. She wrote to John Brown.",
        pronouns={"She": "Maria Lopez"},
    )
    (t,) = [t for t in found if t.predicate == "wroteTo"]
    assert (t.subject, t.object) == ("maria lopez", "john brown")
    assert t.provenance.sent_index == 1
    assert t.provenance.sentence == "She wrote to John Brown."


def test_every_triple_has_confidence_and_source_sentence(
    nlp: Language, seed_text: str
) -> None:
    doc = nlp(seed_text)
    new, found = extract_relations(doc, ner_entities(doc), doc_id="seed")
    keys = {e.key for e in (*ner_entities(doc), *new)}
    assert found
    for t in found:
        assert 0.0 <= t.confidence <= 1.0
        assert {t.subject, t.object} <= keys
        assert t.provenance.sentence in doc.text
        assert t.predicate in load_ontology().properties


def test_registry_and_normalisation() -> None:
    assert callable(get_extractor("kg.clauses.v1"))
    assert callable(get_extractor("kg.svo.v1"))
    with pytest.raises(ConfigError, match="kg.clauses.v1"):
        get_extractor("kg.nope.v0")
    # the default is kg.clauses.v3; the v2 names, whose behaviour changed
    # under one name, are no longer registered and fail with the valid names
    assert DEFAULT_EXTRACTOR == "kg.clauses.v3"
    for name in ("kg.clauses.v3+context", "kg.clauses.v3+described"):
        assert callable(get_extractor(name))
    with pytest.raises(ConfigError, match=r"retired, use kg\.clauses\.v3 "):
        get_extractor("kg.clauses.v2")
    assert normalise_relation("marry") == "spouse"
    assert normalise_relation("owner", kind="noun") == "owns"
    assert normalise_relation("in", kind="prep") == "locatedIn"


def test_svo_extractor_reads_subjects_objects_and_conjuncts(nlp: Language) -> None:
    doc = nlp("Maria Lopez and John Brown met Anna Berg in Springfield.")
    found = list(get_extractor("kg.svo.v1")(doc, ner_entities(doc), "t"))
    pairs = {(t.subject, t.object, t.rule.split(":")[1]) for t in found}
    assert ("maria lopez", "anna berg", "svo") in pairs
    assert ("john brown", "anna berg", "svo") in pairs
    assert ("maria lopez", "springfield", "svpo") in pairs


def test_preposition_on_the_object_noun(nlp: Language) -> None:
    assert ("maria lopez", "wroteTo", "john brown") in facts(
        nlp, "Maria Lopez wrote a letter to John Brown."
    )


def test_gerund_under_a_preposition_takes_the_clause_subject(nlp: Language) -> None:
    assert ("maria lopez", "opposes", "john brown") in facts(
        nlp, "Maria Lopez was arrested after plotting against John Brown."
    )


def test_transitive_place_chain_reaches_the_country(nlp: Language) -> None:
    text = "Springfield is a town in Sangamon County, Illinois, United States."
    assert ("springfield", "locatedIn", "sangamon county") in facts(nlp, text)
    found = {(t.subject, t.predicate, t.object) for t in guesses(nlp, text)}
    assert ("springfield", "country", "united states") in found


def test_described_thing_with_one_generic_fact_is_no_node(nlp: Language) -> None:
    doc = nlp("Maria Lopez painted a picture.")
    new, found = extract_relations(doc, ner_entities(doc), doc_id="t")
    assert new == ()
    assert found == ()


def test_role_noun_types_its_bearer(nlp: Language) -> None:
    # NER calls the album an organisation; "album by" still makes it a work
    assert ("blue skies", "performer", "john brown") in facts(
        nlp, "Blue Skies is an album by John Brown."
    )


def test_one_country_named_places_the_others_weakly(nlp: Language) -> None:
    text = "Springfield has a large park. Most visitors come from Canada."
    assert not [t for t in triples(nlp, text) if t.predicate == "country"]
    (t,) = [t for t in guesses(nlp, text) if t.predicate == "country"]
    assert (t.subject, t.object) == ("springfield", "canada")
    assert t.rule.endswith("document-country")
    assert t.confidence <= 0.3
    assert t.provenance.sent_index == 0


def test_another_nationality_blocks_the_country_default(nlp: Language) -> None:
    text = "Springfield hosts a Japanese garden. Most visitors come from Canada."
    assert ("springfield", "country", "canada") not in facts(nlp, text)


def test_unparsed_text_is_a_clear_error(nlp: Language) -> None:
    from kg.errors import ExtractionError

    doc = Doc(nlp.vocab, words=["Ada", "met", "Bob", "."])
    with pytest.raises(ExtractionError, match="dependency parse"):
        list(extract_clauses(doc))
    with pytest.raises(ExtractionError, match="dependency parse"):
        list(extract_triples(doc, [], doc_id="t"))


def test_hand_built_parse_without_a_model(nlp: Language) -> None:
    # the rules read only the parse: a hand-built one gives the same clause
    words = ["Lena", "sold", "the", "farm", "to", "Omar", "."]
    doc = Doc(
        nlp.vocab,
        words=words,
        heads=[1, 1, 3, 1, 1, 4, 1],
        deps=["nsubj", "ROOT", "det", "dobj", "prep", "pobj", "punct"],
        pos=["PROPN", "VERB", "DET", "NOUN", "ADP", "PROPN", "PUNCT"],
        sent_starts=[True, False, False, False, False, False, False],
    )
    assert [(c.relation, c.arguments) for c in extract_clauses(doc)] == [
        ("sold", ("Lena", "the farm", "to Omar"))
    ]


def test_phrasal_verb_keeps_its_particle(nlp: Language) -> None:
    assert ("john brown", "residence", "ohio") in facts(
        nlp, "John Brown grew up in Ohio."
    )


def test_role_noun_with_a_pronoun_possessor_describes_a_person(nlp: Language) -> None:
    doc = nlp("Maria Lopez visited her husband in Ohio.")
    ents = ner_entities(doc, pronouns={"her": "Maria Lopez"})
    new, found = extract_relations(doc, ents, doc_id="t")
    (husband,) = [e for e in new if e.name == "husband of Maria Lopez"]
    assert not husband.named
    assert {(t.subject, t.predicate, t.object) for t in found} & {
        (husband.key, "spouse", "maria lopez"),
        ("maria lopez", "spouse", husband.key),
    }


def test_clause_under_a_noun_of_saying_is_reported(nlp: Language) -> None:
    text = "Many repeat the rumour that John Brown killed Maria Lopez."
    (t,) = [t for t in triples(nlp, text) if t.predicate == "killed"]
    assert t.modality == "reported"


def test_a_list_of_places_is_no_chain(nlp: Language) -> None:
    found = facts(nlp, "She visited France, Germany and Italy.")
    assert not {p for s, p, o in found if s == "france" and o == "germany"}


def test_predicate_noun_retypes_a_name(nlp: Language) -> None:
    # NER calls "Blue Skies" an organisation; "is an album" makes it a work,
    # so "recorded" can state that John Brown performs on it
    text = "Blue Skies is an album. John Brown recorded Blue Skies in 1990."
    assert ("john brown", "performsIn", "blue skies") in facts(nlp, text)


def test_refined_classes_come_back_as_entities(nlp: Language) -> None:
    doc = nlp("Blue Skies is an album by John Brown. He lives in Canada.")
    new, _ = extract_relations(doc, ner_entities(doc), doc_id="t")
    labels = {e.key: e.label for e in new}
    assert labels.get("blue skies") == "CreativeWork"
    assert labels.get("canada") == "Country"
    assert "john brown" not in labels  # a person stays as NER typed him


# --- benchmark slices (the figures in the README come from the full dev sets) ----

from pathlib import Path  # noqa: E402

from tests.fixtures import ROOT, SHARED_EVAL  # noqa: E402


def _evaluate(task: str, gold: Path, **kw: int) -> dict[str, object]:
    from kg.eval import evaluate

    if not gold.exists():
        pytest.skip(f"evaluation data not found at {gold}")
    result: dict[str, object] = evaluate(task, gold, **kw).to_dict()
    return result


def test_carb_slice_beats_openie5(nlp: Language) -> None:
    d = _evaluate("carb", SHARED_EVAL / "carb", limit=80)
    # OpenIE-5 on the whole dev split: F1 0.458, AUC 0.240
    assert d["f1"] >= 0.5
    assert d["auc"] >= 0.3


def test_redocred_slice_end_to_end(nlp: Language) -> None:
    d = _evaluate("redocred", SHARED_EVAL / "redocred" / "dev_revised.json", limit=30)
    facts = d["facts"]
    assert isinstance(facts, dict)
    # naive floor (every pair in a sentence): type-blind F1 0.18
    assert facts["untyped"]["f1"] >= 0.25
    assert facts["typed"]["f1"] >= 0.18


def test_news_sample_facts(nlp: Language) -> None:
    d = _evaluate("news", ROOT / "seeds" / "gold")
    facts = d["facts"]
    assert isinstance(facts, dict)
    # 21 of 21 gold facts and precision 0.85 when written; a margin for
    # other pipelines and small parse changes
    assert facts["typed"]["recall"] >= 0.9
    assert facts["typed"]["precision"] >= 0.75


def test_news_sample_states_the_letter_and_the_zoo(
    nlp: Language, seed_text: str
) -> None:
    """Two facts of the sample article, found through the gold mention offsets."""
    import json

    from kg.build import extract_document

    (gold_file,) = (ROOT / "seeds" / "gold").glob("*.json")
    gold = json.loads(gold_file.read_text())
    spans = {e["id"]: [(m[0], m[1]) for m in e["mentions"]] for e in gold["entities"]}
    doc = extract_document(nlp(seed_text), doc_id="seed")

    def nodes(gold_id: str) -> set[str]:
        return {
            e.key
            for e in doc.entities
            for m in e.mentions
            if any(
                m.start_char < end and start < m.end_char
                for start, end in spans[gold_id]
            )
        }

    found = {(t.subject, t.predicate, t.object) for t in doc.triples}
    checked = 0
    for fact in gold["facts"]:
        wanted = fact["property"] == "wroteTo" or (
            fact["property"] == "owns" and "former zoo" in fact["quote"]
        )
        if wanted:
            subjects, objects = nodes(fact["subject"]), nodes(fact["object"])
            assert any(
                (s, fact["property"], o) in found for s in subjects for o in objects
            ), fact["quote"]
            checked += 1
    assert checked == 2


# --- inverse properties, described things, kinship, memberships -------------


def test_inverse_property_entails_the_parent_of_its_inverse(nlp: Language) -> None:
    # performer(album, singer) is performsIn(singer, album): a notable work
    found = facts(nlp, "Blue Skies is an album by John Brown.")
    assert ("blue skies", "performer", "john brown") in found
    # entailed through the inverse: no second edge
    assert ("john brown", "notableWork", "blue skies") not in found


def test_possessed_descriptions_are_told_apart_by_their_possessor(
    nlp: Language,
) -> None:
    doc = nlp("John Brown called his father. Maria Lopez visited her father.")
    ents = ner_entities(doc, pronouns={"his": "John Brown", "her": "Maria Lopez"})
    new, found = extract_relations(doc, ents, doc_id="t")
    fathers = {e.name for e in new if e.name.startswith("father")}
    assert fathers == {"father of John Brown", "father of Maria Lopez"}
    children = {t.object for t in found if t.predicate == "child"}
    assert children == {"john brown", "maria lopez"}


@pytest.mark.parametrize(
    "text",
    [
        "Anna Smith wants to follow in her mother, Maria Lopez's footsteps.",
        "Anna Smith followed in her father, John Lopez's footsteps.",
    ],
)
def test_role_noun_apposed_to_a_possessive_name(nlp: Language, text: str) -> None:
    found = facts(nlp, text, pronouns={"her": "Anna Smith"})
    parent = "maria lopez" if "Maria" in text else "john lopez"
    assert {("anna smith", "parent", parent), (parent, "child", "anna smith")} & found


def test_light_verb_with_its_noun_and_preposition(nlp: Language) -> None:
    found = facts(nlp, "Maria Lopez has shown interest in the history of Ohio.")
    assert ("maria lopez", "interestedIn", "ohio") in found


def test_name_under_a_clause_of_the_noun_keeps_the_light_verb(nlp: Language) -> None:
    text = "Maria Lopez expressed interest in the debate surrounding Blue Skies."
    found = facts(nlp, text)
    assert {p for s, p, o in found if s == "maria lopez" and o == "blue skies"} == {
        "interestedIn"
    }


def test_last_preposition_of_a_nested_phrase(nlp: Language) -> None:
    found = facts(nlp, "John Brown plotted a campaign of lies against Maria Lopez.")
    assert ("john brown", "opposes", "maria lopez") in found


def test_file_a_lawsuit_against(nlp: Language) -> None:
    found = facts(nlp, "Acme Corporation filed a lawsuit against John Brown.")
    assert ("acme corporation", "opposes", "john brown") in found


def test_person_and_event_default_to_taking_part(nlp: Language) -> None:
    text = "John Brown was wounded during the Second World War."
    found = facts(nlp, text)
    (event,) = {o for s, p, o in found if s == "john brown" and "war" in o}
    assert ("john brown", "participantIn", event) in found
    assert ("john brown", "relatedTo", event) not in found


def test_copula_ties_a_person_to_a_country_as_nationality(nlp: Language) -> None:
    found = facts(nlp, "John Brown was a painter and sculptor from France.")
    assert ("john brown", "citizenOf", "france") in found


def test_other_clauses_keep_a_person_and_country_generic(nlp: Language) -> None:
    # two nations, so no text-wide default either
    found = facts(nlp, "John Brown visited France and Germany.")
    assert ("john brown", "relatedTo", "france") in found
    assert ("john brown", "citizenOf", "france") not in found


def test_unplaced_body_lies_in_the_country_named_last(nlp: Language) -> None:
    text = (
        "Maria Lopez grew up in Spain and later moved to France. "
        "She founded Acme Corporation there."
    )
    found = {
        (t.subject, t.predicate, t.object): t
        for t in guesses(nlp, text, pronouns={"She": "Maria Lopez"})
    }
    country = found.get(("acme corporation", "country", "france"))
    assert country is not None
    assert country.confidence < 0.3
    assert ("acme corporation", "country", "spain") not in found


def test_person_takes_the_one_nation_a_text_names(nlp: Language) -> None:
    text = "The Canadian team won the final. Coach John Brown praised Maria Lopez."
    found = {(t.subject, t.predicate, t.object): t for t in guesses(nlp, text)}
    nation = {o for s, p, o in found if s == "john brown" and p == "citizenOf"}
    assert nation == {"canadian"}
    assert found[("john brown", "citizenOf", "canadian")].confidence < 0.3


def test_two_nations_give_no_default_nationality(nlp: Language) -> None:
    text = "The Canadian team beat Germany. Coach John Brown praised Maria Lopez."
    found = facts(nlp, text)
    assert not {o for s, p, o in found if s == "john brown" and p == "citizenOf"}


@pytest.mark.parametrize(
    "text",
    [
        "Blue Skies is a film. Blue Skies star John Brown visited Ohio.",
        "Blue Skies is a film. 'Blue Skies' Star John Brown Visits Ohio",
    ],
)
def test_work_star_name_performs_in_the_work(nlp: Language, text: str) -> None:
    found = facts(nlp, text)
    assert ("john brown", "performsIn", "blue skies") in found
    assert not {s for s, p, o in found if p == "performsIn" and s != "john brown"}


@pytest.mark.parametrize(
    "text",
    [
        "John Brown signed for the Chicago Bulls in 1990.",
        "John Brown, a forward for the Chicago Bulls, scored twice.",
    ],
)
def test_sports_team_membership(nlp: Language, text: str) -> None:
    found = facts(nlp, text)
    assert ("john brown", "memberOfSportsTeam", "the chicago bulls") in found
    # the entailed parent is no second edge
    assert ("john brown", "memberOf", "the chicago bulls") not in found


def test_band_membership_stays_general(nlp: Language) -> None:
    found = facts(nlp, "John Brown, a guitarist of the Blue Foxes, left in 1990.")
    assert not {p for s, p, o in found if p == "memberOfSportsTeam"}


def test_possessive_of_an_event_noun_is_no_ownership(nlp: Language) -> None:
    doc = nlp("John Brown's sudden death shocked his fans.")
    _, found = extract_relations(doc, ner_entities(doc), doc_id="t")
    assert not [t for t in found if t.predicate == "owns"]


def test_possessive_of_an_ownable_noun_is_ownership(nlp: Language) -> None:
    doc = nlp("The police searched John Brown's old ranch.")
    new, found = extract_relations(doc, ner_entities(doc), doc_id="t")
    (ranch,) = [e for e in new if "ranch" in e.name]
    assert ("john brown", "owns", ranch.key) in {
        (t.subject, t.predicate, t.object) for t in found
    }


def test_teaching_at_a_body_is_employment(nlp: Language) -> None:
    assert ("john brown", "employer", "harvard university") in facts(
        nlp, "John Brown taught at Harvard University."
    )


def test_leader_of_a_body_is_a_member(nlp: Language) -> None:
    found = facts(nlp, "John Brown, leader of the Labour Party, spoke in Leeds.")
    assert ("john brown", "memberOf", "the labour party") in found
    assert ("john brown", "employer", "the labour party") not in found


def test_passive_trigger_naming_by_keeps_the_subject(nlp: Language) -> None:
    text = "Blue Skies is an album. Blue Skies was released by Capitol Records."
    found = facts(nlp, text)
    assert ("blue skies", "recordLabel", "capitol records") in found
    assert ("capitol records", "performsIn", "blue skies") not in found


def test_what_someone_is_asked_to_do_is_not_asserted(nlp: Language) -> None:
    text = "John Brown asked Maria Lopez to help Acme Corporation."
    (help_,) = [t for t in triples(nlp, text) if t.predicate == "supports"]
    assert help_.subject == "maria lopez"
    assert help_.modality == "hedged"
    (asked,) = [t for t in triples(nlp, text) if t.predicate == "requested"]
    assert asked.modality == "asserted"


def test_work_takes_the_one_nation_a_text_names(nlp: Language) -> None:
    text = "Blue Skies is a film. It was shot over two summers in Canada."
    found = {(t.subject, t.predicate, t.object): t for t in guesses(nlp, text)}
    origin = found.get(("blue skies", "countryOfOrigin", "canada"))
    assert origin is not None
    assert origin.confidence < 0.3


def test_body_and_country_default_to_the_country_weakly(nlp: Language) -> None:
    text = "Acme Corporation expanded into Germany and Italy."
    found = {(t.subject, t.predicate, t.object): t for t in triples(nlp, text)}
    country = found[("acme corporation", "country", "germany")]
    assert country.rule.endswith("class-default")
    assert country.confidence < 0.5
    # a person is not placed so: "John Brown expanded into Germany" is no nationality
    people = facts(nlp, "John Brown expanded into Germany and Italy.")
    assert not {p for s, p, o in people if p in {"country", "citizenOf"}}


def test_head_of_government_and_of_state(nlp: Language) -> None:
    found = facts(nlp, "John Brown, the prime minister of Canada, met the press.")
    assert ("john brown", "headsGovernment", "canada") in found
    found = facts(nlp, "Maria Lopez was the president of Chile.")
    assert ("maria lopez", "headsState", "chile") in found
    found = facts(nlp, "Maria Lopez was the president of Acme Corporation.")
    assert ("maria lopez", "employer", "acme corporation") in found


def test_a_pronoun_owns_places_and_things_not_bodies(nlp: Language) -> None:
    doc = nlp("John Brown sold his ranch and left his team.")
    ents = ner_entities(doc, pronouns={"his": "John Brown"})
    new, found = extract_relations(doc, ents, doc_id="t")
    owned = {t.object for t in found if t.predicate == "owns"}
    names = {e.key: e.name for e in new}
    assert {names.get(k) for k in owned} == {"ranch of John Brown"}


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            'John Brown wrote, "I just want to return home to [my wife] Anna Smith."',
            ("anna smith", "spouse", "john brown"),
        ),
        (
            'John Brown wrote: "I miss [my brother] Peter Brown every day."',
            ("peter brown", "sibling", "john brown"),
        ),
    ],
)
def test_bracketed_editorial_insertion(
    nlp: Language, text: str, fact: tuple[str, str, str]
) -> None:
    # coreference (stood in for here) puts "my" on the writer
    found = facts(nlp, text, pronouns={"my": "John Brown", "I": "John Brown"})
    s, p, o = fact
    assert (s, p, o) in found or (o, p, s) in found


def test_children_listed_together_are_siblings(nlp: Language) -> None:
    text = "They have three children: Paul Smith, Anna Smith and Nick Smith."
    found = facts(nlp, text)
    pairs = {frozenset((s, o)) for s, p, o in found if p == "sibling"}
    assert pairs == {
        frozenset(("paul smith", "anna smith")),
        frozenset(("paul smith", "nick smith")),
        frozenset(("anna smith", "nick smith")),
    }


def test_both_parents_of_a_child_are_spouses(nlp: Language) -> None:
    found = facts(nlp, "He was the son of William Carter and Elizabeth Reed.")
    assert {
        ("william carter", "spouse", "elizabeth reed"),
        ("elizabeth reed", "spouse", "william carter"),
    } & found


def test_people_listed_beside_a_non_kin_noun_are_not_siblings(nlp: Language) -> None:
    found = facts(
        nlp, "They have three partners: Paul Smith, Anna Smith and Nick Smith."
    )
    assert not {p for s, p, o in found if p == "sibling"}


def test_person_and_the_one_country_of_a_sentence(nlp: Language) -> None:
    text = "John Brown was born in 1950 in Lyon, France. He later moved to Germany."
    assert ("john brown", "citizenOf", "france") not in facts(nlp, text)
    found = {(t.subject, t.predicate, t.object): t for t in guesses(nlp, text)}
    nation = found.get(("john brown", "citizenOf", "france"))
    assert nation is not None
    assert nation.rule.endswith("sentence-country")
    assert ("john brown", "citizenOf", "germany") not in found


# --- reciprocal clauses, relational nouns without a property, occupations ------


def _by_pair(
    nlp: Language, text: str, *, extractor: str | None = None
) -> dict[tuple[str, str], Triple]:
    """The facts of a text by pair of names; never the negated or asked ones."""
    from kg.build import extract_document

    doc = extract_document(
        nlp(text), doc_id="d", **({"extractor": extractor} if extractor else {})
    )
    names = {e.key: e.name for e in doc.entities}
    return {
        (names[t.subject], names[t.object]): t
        for t in doc.triples
        if t.modality not in {"negated", "question"}
    }


def test_conjoined_subjects_of_a_reciprocal_verb_relate(nlp: Language) -> None:
    found = _by_pair(
        nlp, "John Brown and Maria Lopez clashed repeatedly over the budget."
    )
    there = found.get(("John Brown", "Maria Lopez"))
    back = found.get(("Maria Lopez", "John Brown"))
    assert there is not None
    assert back is not None
    assert there.predicate == back.predicate == "opposes"
    assert there.rule.endswith("reciprocal")


def test_a_symmetric_reciprocal_fact_is_stated_once(nlp: Language) -> None:
    found = _by_pair(nlp, "John Brown and Maria Lopez met in Vienna in 1990.")
    facts = [t for t in found.values() if t.predicate == "meets"]
    assert len(facts) == 1


def test_plural_relational_noun_relates_conjoined_subjects(nlp: Language) -> None:
    found = _by_pair(nlp, "John Brown and Maria Lopez are old friends.")
    assert {t.predicate for t in found.values()} == {"friendOf"}


def test_no_reciprocal_fact_without_a_reciprocal_reading(nlp: Language) -> None:
    for text in (
        "John Brown and Maria Lopez founded Acme Corporation.",
        "John Brown and Maria Lopez did not meet in Vienna.",
    ):
        found = _by_pair(nlp, text)
        assert not [t for t in found.values() if t.rule.endswith("reciprocal")], text
        people = {("John Brown", "Maria Lopez"), ("Maria Lopez", "John Brown")}
        assert not [t for p, t in found.items() if p in people and t.confidence > 0.5]


def test_possessed_noun_without_a_property_is_kept_generic(nlp: Language) -> None:
    found = _by_pair(
        nlp,
        "John Brown was arrested in May. His neighbour, Maria Lopez, said he would "
        "appeal.",
    )
    fact = found.get(("Maria Lopez", "John Brown"))
    assert fact is not None
    assert fact.predicate == "relatedTo"
    assert fact.lemma == "be neighbour of"


def test_occupation_at_a_body_is_employment(nlp: Language) -> None:
    found = _by_pair(
        nlp, "John Brown is a detective with the Boston Police Department."
    )
    fact = found.get(("John Brown", "Boston Police Department"))
    assert fact is not None
    assert fact.predicate == "employer"
    # a place is no employer
    placed = _by_pair(nlp, "John Brown is a detective in Boston.")
    assert all(t.predicate != "employer" for t in placed.values())


def test_a_country_named_with_its_article_counts_for_the_text(nlp: Language) -> None:
    text = (
        "Acme Corporation opened an office in Denver. "
        "The company now employs more people in the United States than anywhere."
    )
    assert ("Denver", "United States") not in _by_pair(nlp, text)
    found = _by_pair(nlp, text, extractor="kg.clauses.v3+context")
    placed = found.get(("Denver", "United States"))
    assert placed is not None
    assert "document-country" in placed.rule
    assert placed.confidence <= 0.3


def test_a_nationality_modifying_one_body_is_not_the_sentences(nlp: Language) -> None:
    found = _by_pair(
        nlp,
        "Its investors include Northwind Capital and the Japanese conglomerate Tamura.",
        extractor="kg.clauses.v3+context",
    )
    assert ("Northwind Capital", "Japanese") not in found
    assert ("Tamura", "Japanese") in found


def test_a_body_conjoined_with_the_country_is_not_inside_it(nlp: Language) -> None:
    found = _by_pair(
        nlp,
        "The merger needs approval from regulators in Canada and the European Union.",
    )
    assert ("European Union", "Canada") not in found


def test_intention_verbs_hedge_their_complement(nlp: Language) -> None:
    for text in (
        "Maria Lopez hopes to marry John Brown.",
        "Acme Corporation agreed to buy Zenith Labs.",
    ):
        found = _by_pair(nlp, text)
        assert found, text
        assert {t.modality for t in found.values()} == {"hedged"}, text


def test_negative_implicative_verbs_drop_their_complement(nlp: Language) -> None:
    found = _by_pair(nlp, "Acme Corporation refused to buy Zenith Labs.")
    assert all(t.predicate != "owns" for t in found.values())


def test_a_comma_chain_of_places_nests_without_a_conjunction(nlp: Language) -> None:
    found = _by_pair(nlp, "The valley lies in Marin County, California, United States.")
    assert "place-chain" in found[("Marin County", "California")].rule
    listed = _by_pair(nlp, "The band toured France, Germany and Italy.")
    assert ("France", "Germany") not in listed
    assert ("Germany", "Italy") not in listed


def test_a_body_named_after_a_place_lies_in_it(nlp: Language) -> None:
    found = _by_pair(
        nlp,
        "Ada Perera joined the Supreme Court of Freedonia in 1950. "
        "Freedonia was then a British colony.",
    )
    fact = found.get(("Supreme Court of Freedonia", "Freedonia"))
    assert fact is not None
    assert "name-of-place" in fact.rule


def test_relative_where_reads_as_a_place_preposition(nlp: Language) -> None:
    found = _by_pair(
        nlp, "Tom Hale praised Lakeside Partners, where he worked for two decades."
    )
    assert found[("Tom Hale", "Lakeside Partners")].predicate == "employer"


def test_a_person_set_off_of_a_place_lives_there(
    nlp: Language,
) -> None:
    found = _by_pair(
        nlp,
        "Gregory Hale, 61, of Newton, Massachusetts, pleaded guilty. "
        "Jane Doe of the Brookings Institution disagreed.",
    )
    assert found[("Gregory Hale", "Newton")].predicate == "residence"
    # close after a name "of" is an epithet: a band, a party or a body, no
    # employment the words state
    assert ("Jane Doe", "Brookings Institution") not in found


def test_variant_nouns_describe_one_thing(nlp: Language) -> None:
    from kg.build import extract_document

    doc = extract_document(
        nlp("John Brown wrote to his dad. His father answered John Brown at once."),
        doc_id="d",
    )
    described = [e for e in doc.entities if not e.named]
    assert len(described) == 1, described
    assert described[0].key == "described:father of john brown"


def test_an_as_occupation_phrase_makes_employment(nlp: Language) -> None:
    found = _by_pair(
        nlp,
        "Aiko Tanaka will join Northwind Corporation as a vice president. "
        "Maria Lopez was hired by Acme Corporation as an engineer.",
    )
    assert found[("Aiko Tanaka", "Northwind Corporation")].predicate == "employer"
    assert found[("Maria Lopez", "Acme Corporation")].predicate == "employer"
    # without a role, joining a party is membership
    party = _by_pair(nlp, "John Brown joined the Labour Party in 1990.")
    assert party[("John Brown", "Labour Party")].predicate == "memberOf"


def test_hiring_is_employment_seen_from_the_employer(nlp: Language) -> None:
    found = _by_pair(nlp, "Acme Corporation hired Maria Lopez in 2010.")
    assert found[("Acme Corporation", "Maria Lopez")].predicate == "employs"


def test_a_participle_predicate_uses_its_verb_trigger(nlp: Language) -> None:
    found = _by_pair(nlp, "John Brown is married to Maria Lopez.")
    assert found[("John Brown", "Maria Lopez")].predicate == "spouse"


def test_a_vice_president_is_no_head_of_state(nlp: Language) -> None:
    found = _by_pair(
        nlp, "Maria Lopez, the vice president of Chile, met John Brown in Lima."
    )
    fact = found.get(("Maria Lopez", "Chile"))
    assert fact is None or fact.predicate != "headsState"
    head = _by_pair(nlp, "Maria Lopez, the president of Chile, met John Brown.")
    assert head[("Maria Lopez", "Chile")].predicate == "headsState"


def test_ruling_a_country_is_heading_its_state(nlp: Language) -> None:
    from kg.build import extract_document

    doc = extract_document(
        nlp("Ilham Aliyev, who has ruled Azerbaijan since 2003, spoke."), doc_id="d"
    )
    assert ("ilham aliyev", "headsState", "azerbaijan") in {
        (t.subject, t.predicate, t.object) for t in doc.triples
    }


def test_a_nationality_role_reaches_the_named_country(nlp: Language) -> None:
    text = "Armenian President Vahagn Petrosyan spoke in Yerevan, Armenia, on Friday."
    from kg.build import extract_document

    doc = extract_document(nlp(text), doc_id="d")
    assert ("vahagn petrosyan", "headsState", "armenia") in {
        (t.subject, t.predicate, t.object) for t in doc.triples
    }
    # a demonym is matched to its own country only
    other = extract_document(
        nlp("Australian President Ada Byrne met the Austria team in Vienna."),
        doc_id="e",
    )
    assert not [t for t in other.triples if t.predicate == "headsState"]


def test_a_star_of_a_titled_show_performs_in_it(nlp: Language) -> None:
    from kg.build import extract_document

    text = (
        "Maria Lopez is an actress. The Keeping Up With the Joneses star "
        "has decided to become a lawyer."
    )
    doc = extract_document(nlp(text), doc_id="d")
    names = {e.key: e.name for e in doc.entities}
    facts = {(names[t.subject], t.predicate, names[t.object]) for t in doc.triples}
    assert ("Maria Lopez", "performsIn", "Keeping Up With the Joneses") in facts


def test_a_list_of_countries_is_no_apposition(nlp: Language) -> None:
    found = _by_pair(
        nlp,
        "The vaccine was tested on children in Burkina Faso, Mali, Kenya and Tanzania.",
    )
    assert not [t for t in found.values() if "apposition" in t.rule]


# --- polarity and modality, read back from the RDF written --------------------

from rdflib import Graph  # noqa: E402
from rdflib.namespace import RDF, RDFS  # noqa: E402

from kg.ontology import KGO  # noqa: E402


def _written(nlp: Language, text: str) -> Graph:
    """Extract a text and parse back the Turtle kg writes for it."""
    from kg.build import extract_document
    from kg.rdf import build_graph

    document = extract_document(nlp(text), doc_id="polarity")
    written = build_graph([document]).serialize(format="turtle")
    return Graph().parse(data=written, format="turtle")


def _statements(graph: Graph, prop: str) -> list[str]:
    """The modalities of the statements of ``prop``, and the plain triples'."""
    p = load_ontology().property_iri(prop)
    return sorted(
        str(graph.value(st, KGO.modality))
        for st in graph.subjects(RDF.predicate, p)
        if (st, RDF.type, RDF.Statement) in graph
    )


def _plain(graph: Graph, prop: str) -> int:
    return len(list(graph.subject_objects(load_ontology().property_iri(prop))))


@pytest.mark.parametrize(
    ("text", "prop", "modality"),
    [
        ("Ada Lovelace owns the Bell Inn.", "owns", "asserted"),
        ("Ada Lovelace no longer owns the Bell Inn.", "owns", "negated"),
        ("Ada Lovelace did not marry Charles Babbage.", "spouse", "negated"),
        ("Ada Lovelace never met Charles Babbage.", "meets", "negated"),
        ("Ada Lovelace denied owning the Bell Inn.", "owns", "negated"),
        ("Ada Lovelace stopped supporting Charles Babbage.", "supports", "negated"),
        ("Acme Corporation refused to buy Zenith Labs.", "owns", "negated"),
        ("Acme Corporation failed to buy Zenith Labs.", "owns", "negated"),
        (
            "Ada Lovelace does not want to support Charles Babbage.",
            "supports",
            "negated",
        ),
        ("Did Ada Lovelace buy the Bell Inn?", "owns", "question"),
        ("Ada Lovelace may own the Bell Inn.", "owns", "hedged"),
        ("Ada Lovelace reportedly owns the Bell Inn.", "owns", "hedged"),
        ("Ada Lovelace plans to buy the Bell Inn.", "owns", "hedged"),
        ("If Ada Lovelace buys the Bell Inn, she will close it.", "owns", "hedged"),
        (
            "Charles Babbage said that Ada Lovelace owns the Bell Inn.",
            "owns",
            "reported",
        ),
        ('"Ada Lovelace owns the Bell Inn," a neighbour said.', "owns", "reported"),
    ],
)
def test_polarity_in_the_written_graph(
    nlp: Language, text: str, prop: str, modality: str
) -> None:
    graph = _written(nlp, text)
    assert _statements(graph, prop) == [modality], text
    # only an asserted statement is a plain fact; every one stays reified
    assert _plain(graph, prop) == (1 if modality == "asserted" else 0), text


def test_negated_statement_in_the_store_quads(nlp: Language) -> None:
    from kg.build import extract_document
    from kg.rdf import own_quads

    document = extract_document(
        nlp("Ada Lovelace no longer owns the Bell Inn."), doc_id="q"
    )
    quads = own_quads(document)
    owns = str(load_ontology().property_iri("owns"))
    assert not [q for q in quads if q.predicate.value == owns]
    modalities = [
        q.object.value for q in quads if q.predicate.value == str(KGO.modality)
    ]
    assert modalities == ["negated"]


@pytest.mark.parametrize(
    ("text", "word", "modality"),
    [
        ("Nobody owns the old mill.", "owns", "negated"),
        ("The mill was sold without telling the owners.", "telling", "negated"),
        ("The council asked whether the mill was sold.", "sold", "question"),
        ("The mill was sold, the owners claimed.", "sold", "reported"),
        ("According to the owners, the mill was sold.", "sold", "reported"),
        ("The mill was sold.", "sold", "asserted"),
    ],
)
def test_clause_modality(nlp: Language, text: str, word: str, modality: str) -> None:
    from kg.relations.polarity import clause_modality

    doc = nlp(text)
    (verb,) = [t for t in doc if t.text == word]
    assert clause_modality(verb) == modality


# --- bounded cost on hostile text ---------------------------------------------


def test_a_parse_thousands_of_tokens_deep_reads_without_recursion(
    nlp: Language,
) -> None:
    # "Ada saw w1 w2 ... w3000", each word the dependent of the one before:
    # argument collection once recursed once per level
    depth = 3000
    words = ["Ada", "saw", *(f"w{i}" for i in range(depth)), "."]
    heads = [1, 1, 1, *range(2, depth + 1), 1]
    deps = ["nsubj", "ROOT", "dobj", *(["nmod"] * (depth - 1)), "punct"]
    pos = ["PROPN", "VERB", *(["NOUN"] * depth), "PUNCT"]
    doc = Doc(nlp.vocab, words=words, heads=heads, deps=deps, pos=pos)
    (clause,) = extract_clauses(doc)
    assert clause.relation == "saw"
    assert clause.arguments[0] == "Ada"
    assert clause.arguments[1].startswith("w0 w1")


def test_a_long_list_of_people_gives_bounded_pairwise_facts(nlp: Language) -> None:
    from kg.relations.verbs import _MAX_LISTED

    first = ["Alan", "Brian", "Carol", "Diane", "Edgar", "Fiona", "Gavin", "Helen"]
    last = ["Smith", "Jones", "Brown", "Lopez", "Clark", "Young", "Hill", "Moore"]
    names = [f"{first[i % 8]} {last[i // 8]}" for i in range(60)]
    doc = nlp(", ".join(names) + " and Maria Lopez met in Vienna.")
    found = [
        t
        for t in extract_triples(doc, ner_entities(doc), doc_id="t")
        if t.rule.endswith("reciprocal")
    ]
    assert found  # the list still relates people
    assert len(found) <= _MAX_LISTED * (_MAX_LISTED - 1)


# --- a relation added without writing Python -----------------------------------

_SPONSOR_TTL = """\
@prefix kgo:    <https://w3id.org/kg/ontology#> .
@prefix owl:    <http://www.w3.org/2002/07/owl#> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
@prefix wdt:    <http://www.wikidata.org/prop/direct/> .

kgo:sponsor a owl:ObjectProperty ;
    rdfs:subPropertyOf kgo:relatedTo ;
    rdfs:label "sponsor"@en ;
    rdfs:comment "The object organisation sponsored the subject."@en ;
    rdfs:domain kgo:Entity ; rdfs:range kgo:Agent ;
    owl:equivalentProperty wdt:P859, schema:sponsor .
"""

_SPONSOR_PATTERNS = {
    "family": "sponsors",
    "description": "'X, sponsored by Y': Y sponsored X.",
    "patterns": [
        {
            "id": "user.pattern.sponsored-by.v1",
            "pattern": [
                {"RIGHT_ID": "thing", "RIGHT_ATTRS": {"ENT_TYPE": {"NOT_IN": [""]}}},
                {
                    "LEFT_ID": "thing",
                    "REL_OP": ">",
                    "RIGHT_ID": "verb",
                    "RIGHT_ATTRS": {"DEP": "acl", "LEMMA": "sponsor"},
                },
                {
                    "LEFT_ID": "verb",
                    "REL_OP": ">",
                    "RIGHT_ID": "by",
                    "RIGHT_ATTRS": {"DEP": "agent"},
                },
                {
                    "LEFT_ID": "by",
                    "REL_OP": ">",
                    "RIGHT_ID": "sponsor",
                    "RIGHT_ATTRS": {"DEP": "pobj", "ENT_TYPE": "ORG"},
                },
            ],
            "subject": "thing",
            "object": "sponsor",
            "property": "sponsor",
            "lemma": "{verb.lemma} by",
            "confidence": 0.7,
        }
    ],
}


@pytest.fixture
def user_ontology(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the ontology folder the process reads instead of ``ontology/``."""
    import shutil

    import kg.ontology
    from kg.relations.engine import load_patterns

    folder = tmp_path / "ontology"
    shutil.copytree(kg.ontology.ontology_dir(), folder)
    monkeypatch.setattr(kg.ontology, "ontology_dir", lambda: folder)
    load_ontology.cache_clear()
    load_patterns.cache_clear()
    yield folder
    monkeypatch.undo()
    load_ontology.cache_clear()
    load_patterns.cache_clear()


def test_a_relation_added_as_data_reaches_the_graph(
    nlp: Language, user_ontology: Path
) -> None:
    import json

    from kg.build import extract_document
    from kg.rdf import build_graph

    text = "The Springfield Marathon, sponsored by Acme Corporation, drew crowds."
    before = extract_document(nlp(text), doc_id="d")
    assert not [t for t in before.triples if t.rule.startswith("user.")]
    # the user adds an ontology property and a pattern file: no Python
    (user_ontology / "sponsors.ttl").write_text(_SPONSOR_TTL, encoding="utf-8")
    (user_ontology / "patterns" / "sponsors.json").write_text(
        json.dumps(_SPONSOR_PATTERNS), encoding="utf-8"
    )
    load_ontology.cache_clear()
    from kg.relations.engine import load_patterns

    load_patterns.cache_clear()
    document = extract_document(nlp(text), doc_id="d")
    written = build_graph([document]).serialize(format="turtle")
    graph = Graph().parse(data=written, format="turtle")
    sponsor = load_ontology().property_iri("sponsor")
    assert str(sponsor) == "https://w3id.org/kg/ontology#sponsor"
    pairs = {
        (str(graph.value(s, RDFS.label)), str(graph.value(o, RDFS.label)))
        for s, o in graph.subject_objects(sponsor)
    }
    assert any("Marathon" in s and "Acme" in o for s, o in pairs), pairs
    rules = {
        str(graph.value(st, KGO.rule)) for st in graph.subjects(RDF.predicate, sponsor)
    }
    assert rules == {"user.pattern.sponsored-by.v1"}


def test_a_pattern_naming_an_unknown_property_is_refused(
    user_ontology: Path,
) -> None:
    import json

    from kg.errors import OntologyError
    from kg.relations.engine import load_patterns

    (user_ontology / "patterns" / "bad.json").write_text(
        json.dumps(_SPONSOR_PATTERNS), encoding="utf-8"
    )
    load_patterns.cache_clear()
    with pytest.raises(OntologyError, match="sponsor"):
        load_patterns()


def test_every_shipped_pattern_is_a_dependency_matcher_pattern(nlp: Language) -> None:
    from spacy.matcher import DependencyMatcher

    from kg.relations.engine import load_patterns

    patterns = load_patterns()
    assert {p.id.split(".")[2] for p in patterns} >= {"modifier", "place", "role"}
    matcher = DependencyMatcher(nlp.vocab)
    for p in patterns:
        matcher.add(p.id, [json.loads(p.pattern)])
    assert len(matcher) == len(patterns)


def test_the_engine_matches_as_the_dependency_matcher_does(nlp: Language) -> None:
    from spacy.matcher import DependencyMatcher

    from kg.relations.engine import _tree, load_patterns, match_tree

    doc = nlp(
        "Canadian actor John Smith met the French Prime Minister Alain Dupont "
        "at the Acme Works in Springfield."
    )
    for p in load_patterns():
        matcher = DependencyMatcher(nlp.vocab)
        matcher.add(p.id, [json.loads(p.pattern)])
        theirs = {tuple(ids) for _, ids in matcher(doc)}
        ours = {tuple(t.i for t in m.values()) for m in match_tree(doc, _tree(p))}
        assert ours == theirs, p.id


@pytest.mark.parametrize(
    ("text", "fact", "rule"),
    [
        (
            "Canadian actor John Brown met the press.",
            ("john brown", "citizenOf", "canadian"),
            "modifier",
        ),
        (
            "Floods hit Norway's Hordaland county on Monday.",
            ("hordaland", "country", "norway"),
            "kg.pattern.place.country-possessive-name.v1",
        ),
        (
            "The Governor of Alaska, Maria Lopez, spoke on Monday.",
            ("maria lopez", "headsGovernment", "alaska"),
            "kg.pattern.role.titled-role-of-name.v1",
        ),
        (
            "Maria Lopez at Acme Analytics said the figures were wrong.",
            ("maria lopez", "employer", "acme analytics"),
            "kg.pattern.role.person-at-body.v1",
        ),
    ],
)
def test_pattern_families(
    nlp: Language, text: str, fact: tuple[str, str, str], rule: str
) -> None:
    found = {(t.subject, t.predicate, t.object): t for t in triples(nlp, text)}
    assert fact in found, sorted(found)
    assert rule in found[fact].rule


def test_a_country_inside_another_name_is_no_modifier(nlp: Language) -> None:
    # "<agency of a country> spokesperson X": the country modifies the agency
    text = "U.S. Food and Drug Administration spokesperson Maria Lopez said so."
    found = facts(nlp, text)
    assert not [f for f in found if f[0] == "maria lopez" and f[1] == "citizenOf"]


# --- passives and prepositional clauses ------------------------------------


def test_a_passive_subject_is_never_the_agent_of_a_place(nlp: Language) -> None:
    text = "Police gathered in Springfield, where John Brown was shot on Friday."
    found = facts(nlp, text)
    assert not {f for f in found if f[0] == "john brown" and f[1] == "attacked"}
    # the active clause keeps its reading
    assert ("john brown", "attacked", "maria lopez") in facts(
        nlp, "John Brown shot Maria Lopez in Springfield."
    )


def test_a_clause_after_a_preposition_keeps_the_report(nlp: Language) -> None:
    text = "John Brown was arrested on Friday after attacking Maria Lopez, police said."
    attacks = [t for t in triples(nlp, text) if t.predicate == "attacked"]
    assert attacks
    assert all(t.modality == "reported" for t in attacks)
