"""Entity classes from all of an entity's evidence, and the nodes kept.

Real spaCy parses of constructed sentences; entities either found by kg's own
mention and coreference stages or built by hand over the parse, so that one
cue at a time can be tested.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef
from spacy.language import Language

from kg.build import extract_document
from kg.classes import DEFAULT_NODE_RULES, decide_class, families, fits, type_document
from kg.classes.evidence import Vote
from kg.ontology import KGO, load_ontology
from kg.render.structure import class_styles
from kg.types import Entity, Mention, Provenance, Triple
from tests.fixtures import ROOT

SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")


def _classes(nlp: Language, text: str) -> dict[str, str]:
    """Build one document with kg's stages; return each node's name and class."""
    document = extract_document(nlp(text), doc_id="t")
    return {e.name: e.label for e in document.entities}


def _entity(text: str, key: str, name: str, label: str = "", *, at: int = 0) -> Entity:
    """A hand-built named entity over the ``at``-th occurrence of ``name``."""
    start = -1
    for _ in range(at + 1):
        start = text.index(name, start + 1)
    mention = Mention(name, label, start, start + len(name), 0)
    return Entity(key, "Thing", name, (mention,))


def test_a_predicate_nominal_types_a_program_as_software(nlp: Language) -> None:
    classes = _classes(nlp, "Tarnby is a web browser. Tarnby crashed again on Tuesday.")
    assert classes == {"Tarnby": "Software"}


def test_a_religion_is_a_belief_and_its_follower_a_person(nlp: Language) -> None:
    classes = _classes(nlp, "Tomas Hrubek follows Buddhism. He prays daily.")
    assert classes["Buddhism"] == "Belief"
    assert classes["Tomas Hrubek"] == "Person"


def test_a_company_suffix_outweighs_a_person_label(nlp: Language) -> None:
    # the small model reads this name as a person's; its last word says company
    classes = _classes(nlp, "Larkspur Labs is based in Brno, a city near Vienna.")
    assert classes["Larkspur Labs"] == "Organization"


def test_a_person_needs_person_evidence_beyond_a_person_label(nlp: Language) -> None:
    # one uncommon word: no given name, no person-shaped name of two words
    plain = "The figures of Vantry rose sharply last year."
    titled = "The figures of Dr. Vantry rose sharply last year."
    for text, expected in ((plain, "Thing"), (titled, "Person")):
        doc = nlp(text)
        entity = _entity(text, "ov", "Vantry", "PERSON")
        typed = type_document(doc, [entity], ())
        assert [e.label for e in typed.entities] == [expected], typed.decisions[
            "ov"
        ].explain()
    decision = type_document(
        nlp(titled), [_entity(titled, "ov", "Vantry", "PERSON")], ()
    )
    assert "kg.classes.title.v1" in decision.decisions["ov"].explain()


def test_a_decision_weighs_votes_and_says_why() -> None:
    votes = (
        Vote("Organization", 3.0, "kg.classes.name-form.v1", "company suffix 'labs'"),
        Vote("Person", 1.2, "kg.classes.ner.v1", "PERSON 'x labs'"),
    )
    decision = decide_class(votes)
    assert decision.cls == "Organization"
    assert decision.explain().startswith("Organization (kg.classes.decide.v1)")
    assert decide_class(()).cls == "Thing"


def test_triples_the_decided_classes_break_are_dropped(nlp: Language) -> None:
    text = "Tarnby is a web browser. Mira Solden married Tarnby."
    doc = nlp(text)
    tarnby = _entity(text, "tarnby", "Tarnby")
    mira = _entity(text, "mira", "Mira Solden", "PERSON")
    prov = Provenance("t", 1, text.index("Mira"), len(text), text[text.index("Mira") :])
    spouse = Triple("mira", "spouse", "tarnby", prov)
    typed = type_document(doc, [tarnby, mira], (spouse,))
    assert {e.key: e.label for e in typed.entities}["tarnby"] == "Software"
    assert typed.triples == ()
    assert typed.unfit == (spouse,)
    onto = load_ontology()
    assert not fits(onto, "Software", "Person")
    assert fits(onto, "Publication", "Organization")


def test_junk_nodes_are_dropped_with_the_rule_that_dropped_them(
    nlp: Language,
) -> None:
    text = "Support grew in the spring. Velda Marsh said support would last."
    doc = nlp(text)
    lower = _entity(text, "support", "support", "ORG")
    capital = _entity(text, "cap", "Support", "ORG")
    person = _entity(text, "velda", "Velda Marsh", "PERSON")
    typed = type_document(doc, [lower, capital, person], ())
    # the capitalised-word rule is opt-in: by default the capital stays
    assert [e.key for e in typed.entities] == ["cap", "velda"]
    assert typed.dropped["support"].startswith("kg.nodes.common-noun.v1")
    rules = (*DEFAULT_NODE_RULES, "kg.nodes.capitalised-word.v1")
    typed = type_document(doc, [lower, capital, person], (), node_rules=rules)
    assert [e.key for e in typed.entities] == ["velda"]
    assert typed.dropped["cap"].startswith("kg.nodes.capitalised-word.v1")


def test_new_classes_are_families_or_below_one() -> None:
    assert {"Person", "Organization", "Place", "Belief", "Product"} <= set(families())
    onto = load_ontology()
    assert onto.is_a("Software", "Product")
    assert onto.is_a("Publication", "Organization")
    assert "Software" not in families()


def test_the_ontology_aligns_the_new_classes_with_schema_org_and_wikidata() -> None:
    g = Graph().parse(ROOT / "ontology" / "kg.ttl")
    expected = {
        "Software": (KGO.Product, SCHEMA.SoftwareApplication, WD.Q7397),
        "Publication": (KGO.Organization, SCHEMA.NewsMediaOrganization, WD.Q1193236),
    }
    for name, (parent, schema_class, item) in expected.items():
        cls = KGO[name]
        assert (cls, RDF.type, OWL.Class) in g
        assert (cls, RDFS.subClassOf, parent) in g
        assert (cls, OWL.equivalentClass, schema_class) in g
        assert (cls, SKOS.exactMatch, item) in g
        assert g.value(cls, RDFS.label)
        assert g.value(cls, RDFS.comment)
    belief = KGO.Belief
    assert (belief, RDFS.subClassOf, KGO.Entity) in g
    assert {WD.Q9174, WD.Q7257} <= set(g.objects(belief, SKOS.closeMatch))


def test_the_page_gives_new_classes_their_own_colour_and_a_family_shape() -> None:
    onto = load_ontology()
    classes = ["Person", "Organization", "Software", "Publication", "Belief", "Product"]
    styles = class_styles(classes, onto.superclasses)
    assert len({colour for colour, _ in styles.values()}) == len(classes)
    assert styles["Software"][1] == styles["Product"][1]
    assert styles["Publication"][1] == styles["Organization"][1]
    # a class keeps its colour whatever else the page holds
    alone = class_styles(["Software", "Belief"], onto.superclasses)
    assert alone["Software"] == styles["Software"]
    assert alone["Belief"] == styles["Belief"]


@pytest.mark.parametrize("name", ["Software", "Publication", "Belief"])
def test_built_turtle_types_nodes_with_the_new_classes(
    nlp: Language, tmp_path: Path, name: str
) -> None:
    from kg.build import BuildConfig, run_build

    texts = {
        "Software": "Tarnby is a web browser. Tarnby crashed again on Tuesday.",
        "Publication": "The newspaper Daily Courier reported that the plant closed.",
        "Belief": "Tomas Hrubek follows Buddhism. He prays daily.",
    }
    src = tmp_path / "in.txt"
    src.write_text(texts[name], encoding="utf-8")
    out = tmp_path / "out"
    run_build([src], config=BuildConfig(out=out))
    g = Graph().parse(out / "graph.ttl")
    assert any(True for _ in g.subjects(RDF.type, KGO[name]))
    assert isinstance(next(g.subjects(RDF.type, KGO[name])), URIRef)


def test_a_surname_left_untyped_links_across_documents_to_the_typed_person() -> None:
    from kg.coref import merge_entities
    from kg.types import Document

    full = Entity(
        "orsel vantry",
        "Person",
        "Orsel Vantry",
        (Mention("Orsel Vantry", "PERSON", 0, 12, 0),),
    )
    surname = Entity(
        "vantry", "Thing", "Vantry", (Mention("Vantry", "PERSON", 0, 6, 0),)
    )
    place = Entity("vantry", "Thing", "Vantry", (Mention("Vantry", "GPE", 0, 6, 0),))
    a = Document("a", "a", "0" * 64, (), (full,))
    b = Document("b", "b", "0" * 64, (), (surname,))
    c = Document("c", "c", "0" * 64, (), (place,))
    merged = merge_entities([a, b, c])
    # the untyped surname a person label found joins the person, and takes its class
    assert merged[1].entities[0].key == "orsel vantry"
    assert merged[1].entities[0].label == "Person"
    # an untyped name a place label found does not
    assert merged[2].entities[0].key == "vantry"
    assert merged[2].entities[0].label == "Thing"
