"""Coreference rules for dialogue, vocatives, gender cues and conjoined phrases."""

from __future__ import annotations

from kg.coref import resolve_entities
from kg.mentions import extract_mentions

from .fixtures import hand_parse
from .fixtures import owner_of as _owner
from .fixtures import resolved_entities as _entities

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
    text = "Partner Tom Hale\n\nAda Byrne (born 1950) was a Welsh chemist."
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
        "Peter Morgan joined the navy in 1805. "
        "As a young sailor, Midshipman Morgan went to Cadiz."
    )
    ents = _entities(nlp, text)
    peter = next(e for e in ents if e.name == "Peter Morgan")
    assert "Midshipman Morgan" in {m.text for m in peter.mentions}


def test_a_name_with_the_family_name_first_is_the_same_person(nlp) -> None:
    text = (
        "The novelist Keiko Tanabe was born in Osaka in 1872. "
        "In Japan she is known as Tanabe Keiko."
    )
    ents = _entities(nlp, text)
    owners = {
        e.name
        for e in ents
        if {"Keiko Tanabe", "Tanabe Keiko"} & {m.text for m in e.mentions}
    }
    assert len(owners) == 1


def test_a_vocative_with_my_addresses_the_bench_not_the_speaker(nlp) -> None:
    text = (
        "The court will now hear the appeal. Dr. Ada Byrne.\n\n"
        "Thank you. I ask the court to reverse the ruling.\n\n"
        "So we need not decide everything today.\n\n"
        "Of course, my Lords, I see. One small point ... Yes, my Lord?"
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I", 1) == "Ada Byrne"
    assert _owner(ents, text, "my", 0) == "Ada Byrne"


# --- first person plural ---------------------------------------------------------


def test_we_is_no_third_party_and_no_antecedent(nlp) -> None:
    text = (
        "Dr. Ada Byrne spoke first for the appellants.\n\n"
        "Two plans were put forward by Mr. Omar Haddad. If the first wins "
        "support among us, it grants us a new school. If it fails, he said "
        "plainly, the matter is closed."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "us") is None
    assert _owner(ents, text, "he") == "Omar Haddad"


# --- question-and-answer layout -------------------------------------------------


def test_a_q_and_a_names_its_interviewee_in_the_introduction(nlp) -> None:
    text = (
        "Plans for the river\n\n"
        "Governor Ada Byrne at her desk.\n\n"
        "Madam Governor, are you still hopeful about the river?\n\n"
        "The river is our road. Why do I call it a road? Because barges use it.\n\n"
        "What do you think of the new dam?\n\n"
        "Well, I see two dams."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "you") == "Ada Byrne"  # "Madam Governor" is her
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


def test_an_interviewee_with_no_group_leaves_we_unlinked(nlp) -> None:
    text = (
        "Reporters interviewed Ada Byrne in Velocia on Monday.\n\n"
        "Why did you move?\n\n"
        "We wanted a quiet town. I grew up in one."
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "We") is None
    assert _owner(ents, text, "I") == "Ada Byrne"


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
