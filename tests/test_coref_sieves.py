"""The sieve architecture: registry, order, link ids, and the ids kept in the RDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, Graph

from kg.build import extract_document
from kg.coref import (
    SIEVE_ORDER,
    make_sieve_resolver,
    resolve_entities,
    sieve,
    sieves,
)
from kg.coref.resolve import mention_class, run_sieves
from kg.coref.sieves import MENTION_CLASSES, Sieve
from kg.coref.state import build_discourse
from kg.errors import ConfigError
from kg.mentions import extract_mentions
from kg.ontology import KGO
from kg.rdf import build_graph, serialize

TEXT = "Ada Byrne founded Acme Corporation in 1990. Byrne said she loved the company."


#: One constructed example per sieve: a text and a mention the sieve decides for.
EXAMPLES: dict[str, tuple[str, str]] = {
    "kg.coref.title_pronoun.v1": (
        "Tom Vale published his My Story in 2001.",
        "My",
    ),
    "kg.coref.quote_speaker.v1": (
        'Ada Byrne told Tom Vale: "I trust you."',
        "I",
    ),
    "kg.coref.reported_speech.v1": (
        "Ada Byrne said, I hereby open the bridge.",
        "I",
    ),
    "kg.coref.speaker_label.v1": (
        "Ada Byrne: Welcome back. I am glad to be here.",
        "I",
    ),
    "kg.coref.vocative_you.v1": (
        "Thank you, Mr. Tom Vale. You have done so much.",
        "You",
    ),
    "kg.coref.text_voice.v1": (
        "Hello, I'm Ada Byrne. Today I will show you the harbour.",
        "I",
    ),
    "kg.coref.interlocutor.v1": (
        "Reporters interviewed Ada Byrne about the harbour.\n\n"
        "What happens next?\n\nI think the port will grow.",
        "I",
    ),
    "kg.coref.unreported_quote.v1": (
        '"I never left the town," according to Ada Byrne.',
        "I",
    ),
    "kg.coref.we_affiliation.v1": (
        '"We will appeal," said Ada Byrne, a spokeswoman for Varnex Corp.',
        "We",
    ),
    "kg.coref.we_group.v1": (
        "We won the cup. We were happy.",
        "We",
    ),
    "kg.coref.acronym_definition.v1": (
        "The Ruritanian Space Agency (RSA) launched a probe.",
        "RSA",
    ),
    "kg.coref.birth_name.v1": (
        "Ada Vale, born Ada Byrne, wrote novels.",
        "Ada Byrne",
    ),
    "kg.coref.resumed_name.v1": (
        "Ann (Hale) Vale wrote novels.",
        "Vale",
    ),
    "kg.coref.classed_place_name.v1": (
        "We sailed to the island of Varda. Varda Island has a lighthouse.",
        "Varda Island",
    ),
    "kg.coref.short_name_inside.v1": (
        "Ada Byrne taught at Ashby University. Ashby has a big library.",
        "Ashby",
    ),
    "kg.coref.naming_verb.v1": (
        "Eastmere, called Ostby in the old dialect, is a town. Ostby has a bridge.",
        "Ostby",
    ),
    "kg.coref.alias_cue.v1": (
        "Portvale (now Eastmere) is a town.",
        "Eastmere",
    ),
    "kg.coref.translated_name.v1": (
        "The island is known as the Turtle Island (French: Ile Tortue).",
        "Ile Tortue",
    ),
    "kg.coref.state_abbreviation.v1": (
        "Tom Hale left Kansas. He died in Wichita, KS.",
        "KS",
    ),
    "kg.coref.role_apposition.v1": (
        "By legend, the King of Arda, Tomas unified the villages into one state.",
        "Tomas",
    ),
    "kg.coref.bracketed_alias.v1": (
        "We walked to the oldest bridge in the town (the Hanford Bridge) last week.",
        "Hanford Bridge",
    ),
    "kg.coref.body_part_name.v1": (
        "Ada Byrne taught at the University of Ashby. She loved Ashby.",
        "Ashby",
    ),
    "kg.coref.exact_name.v1": (
        "Ada Byrne spoke. Ada Byrne left.",
        "Ada Byrne",
    ),
    "kg.coref.classed_short_name.v1": (
        "Cyclone Varuna gained strength. Varuna will bring rain.",
        "Varuna",
    ),
    "kg.coref.spelling_variant.v1": (
        "Tom visited Vallmora. Valmora is a small town.",
        "Valmora",
    ),
    "kg.coref.acronym.v1": (
        "The Ruritanian Space Agency launched a probe. The RSA said it worked.",
        "RSA",
    ),
    "kg.coref.plural_short_name.v1": (
        "We sailed to the Morrow Islands. Life on the Morrows is calm.",
        "Morrows",
    ),
    "kg.coref.lone_name_word.v1": (
        "Ada Byrne spoke. Byrne left.",
        "Byrne",
    ),
    "kg.coref.family_name.v1": (
        "Ana Lucia Ferreira Santos arrived in Lyon. Ferreira Santos spoke first.",
        "Ferreira Santos",
    ),
    "kg.coref.body_name_variant.v1": (
        "Estland is a small country. The Estland Supreme Court ruled on Monday. "
        "Later the Supreme Court published its reasons.",
        "Supreme Court",
    ),
    "kg.coref.personal_name.v1": (
        "Byrne spoke first. Ada Byrne left later.",
        "Ada Byrne",
    ),
    "kg.coref.company_short_name.v1": (
        "The Marsh Rovers won the cup. The Rovers celebrated all night.",
        "Rovers",
    ),
    "kg.coref.company_full_name.v1": (
        "Acme makes tools. Acme Inc. grew fast.",
        "Acme Inc.",
    ),
    "kg.coref.headline_short_name.v1": (
        "Rovers lose to a late goal\n\n"
        "The Port Varda Rovers lost on Sunday. The Rovers play again soon.",
        "Port Varda Rovers",
    ),
    "kg.coref.capitalised_head_noun.v1": (
        "The Clean Rivers Act passed in 1990. The Act protects rivers.",
        "Act",
    ),
    "kg.coref.role_as_name.v1": (
        "The Minister spoke.",
        "Minister",
    ),
    "kg.coref.former_latter.v1": (
        "Ada met Tom Vale and Piet Ostrom in Lyon. The former was a baker.",
        "The former",
    ),
    "kg.coref.repeated_name.v1": (
        "The Eden of the old poets was bright. "
        "The monks longed for eden and its gardens.",
        "eden",
    ),
    "kg.coref.appositive.v1": (
        "Tom Vale, owner of a small bakery, spoke at the fair.",
        "owner of a small bakery",
    ),
    "kg.coref.predicate_nominal.v1": (
        "Portvale is a small town.",
        "a small town",
    ),
    "kg.coref.name_with_clause.v1": (
        "Ada Byrne, who lives in Lyon, paints.",
        "Ada Byrne, who lives in Lyon",
    ),
    "kg.coref.close_apposition.v1": (
        "The poet Ann Lee read a poem.",
        "The poet",
    ),
    "kg.coref.bracketed_description.v1": (
        "Ada Byrne said that [my husband] Tom Hale was kind.",
        "my husband",
    ),
    "kg.coref.noun_before_name.v1": (
        "Tom Vale is a self-described Green Liberal.",
        "a self-described",
    ),
    "kg.coref.name_in_phrase.v1": (
        "She received the country's top science award, the Varda Medal, in 2010.",
        "the country's top science award",
    ),
    "kg.coref.place_of_name.v1": (
        "Ada Byrne lives in the village of Ostby.",
        "the village of Ostby",
    ),
    "kg.coref.headline_lede.v1": (
        "Tom Vale jailed for bank fraud\n\nA former banker was jailed on Monday.",
        "A former banker",
    ),
    "kg.coref.kin.v1": (
        "Tom Vale married Ann Lee in 1990. His wife paints.",
        "His wife",
    ),
    "kg.coref.lede_cataphora.v1": (
        "The veteran actress has entered a clinic. Dora Quill checked in on Monday.",
        "The veteran actress",
    ),
    "kg.coref.contrastive_description.v1": (
        "Ada Byrne met Tom Vale in Lyon. The other lawyer left early.",
        "The other lawyer",
    ),
    "kg.coref.proxy_description.v1": (
        "Dora Quill has entered a clinic. The rep said she was well.",
        "The rep",
    ),
    "kg.coref.facility_description.v1": (
        "Dora Quill checked into the Verano Treatment Center on Friday. "
        "She entered the facility after a party.",
        "the facility",
    ),
    "kg.coref.agent_noun.v1": (
        "Ada Byrne founded Acme in 1990. The founder still works there.",
        "The founder",
    ),
    "kg.coref.definite_description.v1": (
        "Acme Corporation makes tools. The company was founded in 1950.",
        "The company",
    ),
    "kg.coref.head_noun_of_name.v1": (
        "Eastport International Airport opened in 1990. The airport is busy.",
        "The airport",
    ),
    "kg.coref.bare_institution.v1": (
        "Tom Vale studied at Ridgeway College in Ohio. "
        "After three years in college, he moved to Maine.",
        "college",
    ),
    "kg.coref.locative_there.v1": (
        "Ada Byrne moved to Lyon in 1990. She lived there for years.",
        "there",
    ),
    "kg.coref.relative_pronoun.v1": (
        "Ada Byrne, who paints, lives in Lyon.",
        "who",
    ),
    "kg.coref.reflexive.v1": (
        "Ada Byrne taught herself to paint.",
        "herself",
    ),
    "kg.coref.pleonastic.v1": (
        "It is clear that Ada Byrne paints.",
        "It",
    ),
    "kg.coref.cataphora.v1": (
        "During her first season, Ada Byrne won three races.",
        "her",
    ),
    "kg.coref.reporting_subject.v1": (
        '"The harbour will grow," Ada Byrne said. She added that ships would come.',
        "She",
    ),
    "kg.coref.pronoun_salience.v1": (
        "Ada Byrne met Tom Vale. She gave him a book.",
        "She",
    ),
}


def _links(nlp, text: str, **kwargs: object) -> dict[str, list[tuple[str, str]]]:
    doc = nlp(text)
    ents = resolve_entities(doc, extract_mentions(doc), **kwargs)  # type: ignore[arg-type]
    return {e.name: [(m.text, m.link) for m in e.mentions] for e in ents}


def test_every_sieve_of_the_order_is_registered_once_with_a_versioned_id() -> None:
    assert len(SIEVE_ORDER) == len(set(SIEVE_ORDER))
    for name in SIEVE_ORDER:
        entry = sieves.get(name)
        assert isinstance(entry, Sieve)
        assert entry.id == name
        assert name.startswith("kg.coref.")
        assert name.rsplit(".", 1)[1].startswith("v")
        assert entry.classes <= MENTION_CLASSES


def test_every_link_names_the_sieve_that_made_it(nlp) -> None:
    links = _links(nlp, TEXT)
    assert links["Ada Byrne"] == [
        ("Ada Byrne", ""),
        ("Byrne", "kg.coref.lone_name_word.v1"),
        ("she", "kg.coref.pronoun_salience.v1"),
    ]
    assert links["Acme Corporation"] == [
        ("Acme Corporation", ""),
        ("the company", "kg.coref.definite_description.v1"),
    ]


def test_each_entity_has_one_first_mention_without_a_link(nlp) -> None:
    text = (
        "The poet Ann Lee met Tom Vale in Portvale. Lee told Vale that she liked "
        "the town. He said it was quiet, and Lee agreed with him."
    )
    doc = nlp(text)
    for entity in resolve_entities(doc, extract_mentions(doc)):
        unlinked = [m for m in entity.mentions if not m.link]
        assert len(unlinked) == 1, [(m.text, m.link) for m in entity.mentions]
        assert all(m.link.startswith("kg.coref.") for m in entity.mentions if m.link)


def test_the_rdf_keeps_the_sieve_of_each_linked_mention(nlp, tmp_path: Path) -> None:
    document = extract_document(nlp(TEXT), doc_id="linked.txt")
    path = serialize(build_graph([document]), tmp_path / "graph.ttl")
    graph = Graph().parse(path, format="turtle")
    by_text = {
        str(graph.value(node, RDF.value)): str(graph.value(node, KGO.linkedBy) or "")
        for node in graph.subjects(RDF.type, KGO.Mention)
    }
    assert by_text["Byrne"] == "kg.coref.lone_name_word.v1"
    assert by_text["she"] == "kg.coref.pronoun_salience.v1"
    assert by_text["the company"] == "kg.coref.definite_description.v1"
    # an entity's first mention was linked by no rule
    assert by_text["Ada Byrne"] == by_text["Acme Corporation"] == ""


def test_a_resolver_made_of_some_sieves_links_only_by_them(nlp) -> None:
    names_only = make_sieve_resolver(["kg.coref.exact_name.v1"])
    doc = nlp("Ada Byrne spoke. Ada Byrne left. She smiled at Byrne.")
    ents = names_only(doc, tuple(extract_mentions(doc)))
    assert {e.name: [(m.text, m.link) for m in e.mentions] for e in ents} == {
        "Ada Byrne": [("Ada Byrne", ""), ("Ada Byrne", "kg.coref.exact_name.v1")],
        # no surname sieve, no pronoun sieve: "Byrne" is a node of its own
        "Byrne": [("Byrne", "")],
    }


def test_an_unknown_sieve_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="kg.coref.exact_name.v1"):
        make_sieve_resolver(["kg.coref.no_such_sieve.v1"])


def test_a_plugged_in_sieve_runs_where_the_order_puts_it(nlp) -> None:
    seen: list[str] = []

    @sieve("test.watch.v1", "pronoun")
    def watch(state, index):  # type: ignore[no-untyped-def]
        seen.append(state.mentions[index].text)
        return False

    resolver = make_sieve_resolver(("test.watch.v1", *SIEVE_ORDER))
    doc = nlp("Ada Byrne arrived. She sat down.")
    ents = resolver(doc, tuple(extract_mentions(doc)))
    assert seen == ["She"]
    assert [m.text for m in ents[0].mentions] == ["Ada Byrne", "She"]


def test_a_sieve_reads_only_classes_it_declares() -> None:
    with pytest.raises(ValueError, match="mention classes"):
        Sieve("test.bad.v1", frozenset({"verb"}), lambda state, index: False)


def test_mentions_fall_into_the_classes_the_sieves_read(nlp) -> None:
    doc = nlp('We met Ada Byrne at the museum. "I like you," she said.')
    state = build_discourse(doc, list(extract_mentions(doc)))
    classes = {m.text: mention_class(state, i) for i, m in enumerate(state.mentions)}
    assert classes["We"] == "we"
    assert classes["Ada Byrne"] == "name"
    assert classes["I"] == classes["you"] == "speech"
    assert classes["she"] == "pronoun"


def test_every_sieve_has_an_example() -> None:
    assert set(EXAMPLES) == set(SIEVE_ORDER)


@pytest.mark.parametrize("rule", SIEVE_ORDER)
def test_each_sieve_decides_for_the_mention_of_its_example(nlp, rule: str) -> None:
    text, surface = EXAMPLES[rule]
    doc = nlp(text)
    state = build_discourse(doc, list(extract_mentions(doc)))
    run_sieves(state, [sieves.get(name) for name in SIEVE_ORDER])
    decided = [
        (m.text, state.decided.get(i), state.links.get(i))
        for i, m in enumerate(state.mentions)
    ]
    assert any(text == surface and rule in (by, link) for text, by, link in decided), (
        decided
    )
