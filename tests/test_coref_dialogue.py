"""Coreference rules for dialogue, vocatives, gender cues and conjoined phrases."""

from __future__ import annotations

import re

from kg.coref import resolve_entities
from kg.mentions import extract_mentions
from kg.types import Entity

from .fixtures import hand_parse


def _entities(nlp, text: str) -> tuple[Entity, ...]:
    doc = nlp(text)
    return resolve_entities(doc, extract_mentions(doc))


def _owner(
    entities: tuple[Entity, ...], text: str, word: str, nth: int = 0
) -> str | None:
    """Name of the entity holding the ``nth`` occurrence of ``word`` in ``text``."""
    start = [m.start() for m in re.finditer(rf"\b{word}\b", text)][nth]
    for e in entities:
        if any(m.start_char == start and m.text == word for m in e.mentions):
            return e.name
    return None


# --- dialogue turns ------------------------------------------------------------


def test_a_transcript_gives_the_floor_to_a_named_speaker(nlp) -> None:
    text = (
        "The court will now hear the appeal. Dr. Ada Byrne.\n\n"
        "Thank you. I ask the court to reverse the ruling.\n\n"
        "Dr. Byrne, do you accept the facts found below?\n\n"
        "I accept them, but my client disputes the law."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Ada Byrne"
    assert _owner(ents, text, "you", 1) == "Ada Byrne"  # not "Thank you"
    assert _owner(ents, text, "I", 1) == "Ada Byrne"
    assert _owner(ents, text, "my") == "Ada Byrne"


def test_a_turn_addressing_someone_else_is_not_the_speaker_addressed(nlp) -> None:
    text = (
        "The court will now hear the appeal. Dr. Ada Byrne.\n\n"
        "Thank you. I ask the court to reverse the ruling.\n\n"
        "Dr. Byrne, is that your whole case?\n\n"
        "It is, Justice Omar Haddad. I rest there."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "your") == "Ada Byrne"
    assert _owner(ents, text, "I", 1) == "Ada Byrne"


def test_first_person_without_a_named_interlocutor_stays_unlinked(nlp) -> None:
    text = "Dr. Ada Byrne spoke first.\n\nI thought she was right about the law."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") is None


def test_a_vocative_in_a_quotation_is_its_addressee(nlp) -> None:
    text = (
        "Maria Lopez met the poet after the game. "
        'She hugged him and said, "Thank you, Tom Hale, thank you."'
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "you") == "Tom Hale"


def test_an_unclosed_quotation_ends_with_its_paragraph(nlp) -> None:
    text = (
        'Reporters interviewed Ada Byrne. The crowd shouted, "Encore.\n\n'
        "Why did you start writing?\n\n"
        "I started as a child."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "you") == "Ada Byrne"
    assert _owner(ents, text, "I") == "Ada Byrne"


# --- pronouns -------------------------------------------------------------------


def test_a_lone_name_the_lexicon_calls_male_can_still_be_she(nlp) -> None:
    # "Reid" is a male given name in the lexicon, but here a woman's surname
    text = "Reid founded the clinic in 1990. She ran it for twenty years."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "She") == "Reid"


def test_a_possessive_in_a_second_conjunct_is_the_first_conjunct(nlp) -> None:
    text = (
        "Laura Palmer won the award. Palmer gave a long speech. "
        "Palmer then praised the work of Anna Berg and her students."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "her") == "Anna Berg"


def test_a_pronoun_is_not_the_phrase_it_is_conjoined_with(nlp) -> None:
    text = (
        "Laura Palmer and Anna Berg ran for the council. "
        "In the end she and Berg both won seats."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "she") == "Laura Palmer"


# --- names and descriptions ------------------------------------------------------


def test_a_tie_between_person_and_another_class_is_a_person() -> None:
    from collections import Counter

    from kg.coref.state import Cluster as _Ref

    ref = _Ref(0, "name", label_votes=Counter({"ORG": 2, "PERSON": 2}))
    assert ref.is_person() is True
    ref = _Ref(1, "name", label_votes=Counter({"ORG": 3, "PERSON": 2}))
    assert ref.is_person() is False


def test_the_name_lexicon_is_asked_with_the_accents_of_the_text(nlp) -> None:
    from kg.coref.names import surface_gender as _surface_gender

    doc = nlp("François Dupont arrived.")
    assert _surface_gender(doc[0:2], "francois") == ("m", 2)


def test_a_conjoined_predicate_nominal_describes_the_subject(nlp) -> None:
    text = "Ada Byrne is a chemist and the author of several books."
    ents = _entities(nlp, text)
    ada = next(e for e in ents if e.name == "Ada Byrne")
    assert "the author of several books" in {m.text for m in ada.mentions}


def test_a_predicate_nominal_stays_on_its_own_line(nlp) -> None:
    text = "Spouse Tom Hale\n\nAda Byrne (born 1950) was a Welsh chemist."
    ents = _entities(nlp, text)
    owner = [
        e.name for e in ents if any(m.text == "a Welsh chemist" for m in e.mentions)
    ]
    assert owner in ([], ["Ada Byrne"])
    assert "Tom Hale" not in owner


def test_one_of_a_class_describes_the_subject(nlp) -> None:
    text = "Ada Byrne was one of the first chemists in Wales."
    ents = _entities(nlp, text)
    ada = next(e for e in ents if e.name == "Ada Byrne")
    assert any(m.text.startswith("one of the first chemists") for m in ada.mentions)


def test_the_city_is_no_country(nlp) -> None:
    text = (
        "In 1850 the mills of Leeds drew workers from Ireland. "
        "The city still has two universities."
    )
    ents = _entities(nlp, text)
    owner = [e.name for e in ents if any(m.text == "The city" for m in e.mentions)]
    assert owner == ["Leeds"]


def test_a_rank_before_a_surname_is_no_given_name(nlp) -> None:
    text = (
        "Joseph Israel joined the navy in 1801. "
        "As a young officer, Midshipman Israel sailed to Tripoli."
    )
    ents = _entities(nlp, text)
    joseph = next(e for e in ents if e.name == "Joseph Israel")
    assert "Midshipman Israel" in {m.text for m in joseph.mentions}


def test_a_name_with_the_family_name_first_is_the_same_person(nlp) -> None:
    text = (
        "The novelist Ichiyo Higuchi was born in Tokyo in 1872. "
        "In Japan she is known as Higuchi Ichiyo."
    )
    ents = _entities(nlp, text)
    owners = {
        e.name
        for e in ents
        if {"Ichiyo Higuchi", "Higuchi Ichiyo"} & {m.text for m in e.mentions}
    }
    assert len(owners) == 1


def test_a_vocative_with_my_addresses_the_bench_not_the_speaker(nlp) -> None:
    text = (
        "The court will now hear the appeal. Dr. Ada Byrne.\n\n"
        "Thank you. I ask the court to reverse the ruling.\n\n"
        "So we need not decide everything today.\n\n"
        "No, no, my Lords, I follow. The only thing ... Yes, my Lord?"
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I", 1) == "Ada Byrne"
    assert _owner(ents, text, "my", 0) == "Ada Byrne"


# --- first person plural ---------------------------------------------------------


def test_we_is_no_third_party_and_no_antecedent(nlp) -> None:
    text = (
        "Dr. Ada Byrne spoke first for the appellants.\n\n"
        "One channel was pointed out by Mr. Omar Haddad. If it finds favor with "
        "us, it gives us the status of marriage. If it does not, he rightly "
        "said, the case is over."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "us") is None
    assert _owner(ents, text, "he") == "Omar Haddad"


# --- question-and-answer layout -------------------------------------------------


def test_a_q_and_a_names_its_interviewee_in_the_introduction(nlp) -> None:
    text = (
        "The future of the harbour\n\n"
        "Mayor Ada Byrne in her office.\n\n"
        "Mr. President, do you still think the harbour has a future?\n\n"
        "The future is only trade. Why do I say trade? Because ships come.\n\n"
        "How do you feel about the new bridge?\n\n"
        "Well, I distinguish between two bridges."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "you") == "Ada Byrne"  # "Mr. President" is her
    assert _owner(ents, text, "I") == "Ada Byrne"
    assert _owner(ents, text, "you", 1) == "Ada Byrne"
    assert _owner(ents, text, "I", 1) == "Ada Byrne"


def test_one_question_paragraph_makes_no_interview(nlp) -> None:
    text = (
        "Ada Byrne opened the harbour on Monday.\n\n"
        "Do you remember the old bridge?\n\n"
        "I remember it well, wrote a reader."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") is None


def test_an_interviewee_speaks_for_the_group_the_text_says_they_lead(nlp) -> None:
    text = (
        "Ada Byrne, Velocia founder interviewed by reporters on Monday\n\n"
        "Velocia sells bicycles in four towns.\n\n"
        "Why did you start Velocia?\n\n"
        "We wanted cheap bicycles. I grew up without one, and our shops fix them."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") == "Velocia"
    assert _owner(ents, text, "our") == "Velocia"
    assert _owner(ents, text, "I") == "Ada Byrne"


def test_an_interviewee_with_no_group_leaves_we_unlinked(nlp) -> None:
    text = (
        "Reporters interviewed Ada Byrne in Velocia on Monday.\n\n"
        "Why did you move?\n\n"
        "We wanted a quiet town. I grew up in one."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") is None
    assert _owner(ents, text, "I") == "Ada Byrne"


def test_a_headline_interviews_the_name_after_it(nlp) -> None:
    # the tagger calls the interviewee a work and the verb part of a name
    doc = hand_parse(nlp, [
        ("Wikinews", 3, "compound", "PROPN/NNP", "O"),
        ("interviews", 3, "compound", "VERB/VBZ", "O"),
        ("Ada", 3, "compound", "PROPN/NNP", "B-WORK_OF_ART"),
        ("Byrne", 3, "ROOT", "PROPN/NNP", "I-WORK_OF_ART"),
        ("\n\n", 3, "dep", "SPACE/_SP", "O"),
        ("Tom", 6, "compound", "PROPN/NNP", "B-PERSON"),
        ("Reed", 7, "nsubj", "PROPN/NNP", "I-PERSON"),
        ("called", 7, "ROOT", "VERB/VBD", "O"),
        ("me", 7, "dobj", "PRON/PRP", "O"),
        (".", 7, "punct", "PUNCT/.", "O"),
        ("\n\n", 9, "dep", "SPACE/_SP", "O"),
        ("Did", 13, "aux", "AUX/VBD", "O"),
        ("you", 13, "nsubj", "PRON/PRP", "O"),
        ("know", 13, "ROOT", "VERB/VB", "O"),
        ("him", 13, "dobj", "PRON/PRP", "O"),
        ("?", 13, "punct", "PUNCT/.", "O"),
        ("\n\n", 15, "dep", "SPACE/_SP", "O"),
        ("I", 18, "nsubj", "PRON/PRP", "O"),
        ("did", 18, "ROOT", "VERB/VBD", "O"),
        (".", 18, "punct", "PUNCT/.", "O"),
        ("\n\n", 19, "dep", "SPACE/_SP", "O"),
        ("Will", 23, "aux", "AUX/MD", "O"),
        ("you", 23, "nsubj", "PRON/PRP", "O"),
        ("return", 23, "ROOT", "VERB/VB", "O"),
        ("?", 23, "punct", "PUNCT/.", "O"),
        ("\n\n", 24, "dep", "SPACE/_SP", "O"),
        ("I", 27, "nsubj", "PRON/PRP", "O"),
        ("hope", 27, "ROOT", "VERB/VBP", "O"),
        (".", 27, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    doc[1].lemma_ = "interview"
    ents = resolve_entities(doc, extract_mentions(doc))
    byrne = next(e for e in ents if e.name == "Ada Byrne")
    assert {m.start_char for m in byrne.mentions} >= {doc[17].idx, doc[26].idx}


def test_an_interview_reported_in_a_question_names_no_interviewee(nlp) -> None:
    text = (
        "The Daily Joke: a talk with its writers\n\n"
        "How do you pick the jokes?\n\n"
        "We read them all. I like short ones.\n\n"
        "In an interview with Tom Reed, Ada Byrne said that she avoids politics. "
        "Do you?\n\n"
        "No. I think we should mock everyone."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I", 1) is None


def test_a_heading_naming_a_place_gives_no_one_the_floor(nlp) -> None:
    doc = hand_parse(nlp, [
        # the tagger takes the heading for a person's name
        ("Varnby", 0, "ROOT", "PROPN/NNP", "B-PERSON"),
        ("\n\n", 0, "dep", "SPACE/_SP", "O"),
        ("Varnby", 4, "nsubjpass", "PROPN/NNP", "B-GPE"),
        ("is", 4, "auxpass", "AUX/VBZ", "O"),
        ("located", 4, "ROOT", "VERB/VBN", "O"),
        ("in", 4, "prep", "ADP/IN", "O"),
        ("Denmark", 5, "pobj", "PROPN/NNP", "B-GPE"),
        (".", 4, "punct", "PUNCT/.", "O"),
        ("Ships", 9, "nsubj", "NOUN/NNS", "O"),
        ("sail", 9, "ROOT", "VERB/VBP", "O"),
        ("to", 9, "prep", "ADP/IN", "O"),
        ("Varnby", 10, "pobj", "PROPN/NNP", "B-GPE"),
        (".", 9, "punct", "PUNCT/.", "O"),
        ("\n\n", 9, "dep", "SPACE/_SP", "O"),
        ("You", 16, "nsubj", "PRON/PRP", "O"),
        ("can", 16, "aux", "AUX/MD", "O"),
        ("swim", 16, "ROOT", "VERB/VB", "O"),
        ("there", 16, "advmod", "ADV/RB", "O"),
        (".", 16, "punct", "PUNCT/.", "O"),
    ], tags=True)  # fmt: skip
    ents = resolve_entities(doc, extract_mentions(doc))
    town = next(e for e in ents if any(m.start_char == doc[2].idx for m in e.mentions))
    assert town.label == "Place"
    assert all(m.text != "You" for m in town.mentions)


def test_an_interviewee_speaks_for_a_group_named_by_a_description(nlp) -> None:
    text = (
        "The Varnby Otters are a rowing club. Reporters interviewed Ada Byrne, "
        "a member of the club.\n\n"
        "Why did you join?\n\n"
        "We train every day. I love the river."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") == "Varnby Otters"
    assert _owner(ents, text, "I") == "Ada Byrne"
