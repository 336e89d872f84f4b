"""Voice sieves: vocatives, self-introductions, letters, titles and speaker labels."""

from __future__ import annotations

import re

from kg.coref import SIEVE_ORDER
from kg.coref.state import build_discourse
from kg.coref.voices import find_voices, speaker_labels
from kg.mentions import extract_mentions
from kg.types import Entity
from tests.fixtures import owner_of as _owner
from tests.fixtures import resolved_entities as _entities

NAMES = "kg.mentions.names.v1"


def _rule(entities: tuple[Entity, ...], text: str, word: str, nth: int = 0) -> str:
    start = [m.start() for m in re.finditer(rf"\b{word}\b", text)][nth]
    return next(
        m.link
        for e in entities
        for m in e.mentions
        if m.start_char == start and m.text == word
    )


def test_the_voice_sieves_run_before_the_interlocutor_sieve() -> None:
    order = list(SIEVE_ORDER)
    for rule in (
        "kg.coref.speaker_label.v1",
        "kg.coref.vocative_you.v1",
        "kg.coref.text_voice.v1",
    ):
        assert order.index(rule) < order.index("kg.coref.interlocutor.v1")


def test_you_is_the_person_a_vocative_calls(nlp) -> None:
    text = "Thank you, Mr. Brandt. You have done so much for our town."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "you") == "Brandt"  # named after the pronoun
    assert _owner(ents, text, "You") == "Brandt"  # a later sentence of the paragraph
    assert _rule(ents, text, "You") == "kg.coref.vocative_you.v1"


def test_a_vocative_reaches_no_further_than_its_paragraph(nlp) -> None:
    text = "Thank you, Mr. Brandt.\n\nYou will find the hall on the left."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "You") is None


def test_a_self_introduction_names_the_text_voice(nlp) -> None:
    text = (
        "Hi everyone, I'm Dana Kroll and this is my kitchen. "
        "Today I will show you how to bake bread. My mother taught me this."
    )
    ents = _entities(nlp, text)
    for word, nth in [("I", 0), ("my", 0), ("I", 1), ("My", 0), ("me", 0)]:
        assert _owner(ents, text, word, nth) == "Dana Kroll", (word, nth)
    assert _rule(ents, text, "me") == "kg.coref.text_voice.v1"
    assert _owner(ents, text, "you") is None  # the viewer is nobody named


def test_two_people_introducing_themselves_name_no_single_voice(nlp) -> None:
    text = (
        "I'm Dana Kroll. And I'm Pavel Ostrov. Welcome to the show.\n\n"
        "Today I want to talk about rivers."
    )
    doc = nlp(text)
    state = build_discourse(doc, list(extract_mentions(doc)))
    assert find_voices(state) == (None, None)


def test_a_letter_is_signed_by_its_writer_and_addressed_to_its_reader(nlp) -> None:
    text = (
        "Dear Tomas, I hope you are well. I miss the long walks by the river. "
        "Your friend, Vera Lind"
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Vera Lind"
    assert _owner(ents, text, "I", 1) == "Vera Lind"
    assert _owner(ents, text, "you") == "Tomas"


def test_a_closing_without_a_letter_shape_signs_nothing_quoted(nlp) -> None:
    text = 'Vera Lind wrote: "I miss the river." Nobody answered Tomas Berg.'
    doc = nlp(text)
    state = build_discourse(doc, list(extract_mentions(doc)))
    assert find_voices(state) == (None, None)


def test_a_title_names_the_writer_and_reader_of_a_letter(nlp) -> None:
    text = "A Letter from Vera Lind to Tomas Berg\n\nI hope you are well."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Vera Lind"
    assert _owner(ents, text, "you") == "Tomas Berg"


def test_quoted_first_person_keeps_its_own_speaker(nlp) -> None:
    text = 'Hi, I\'m Dana Kroll. My neighbour Pavel Ostrov told me: "I never bake."'
    ents = _entities(nlp, text)
    assert _owner(ents, text, "me") == "Dana Kroll"
    assert _owner(ents, text, "I", 1) == "Pavel Ostrov"


def test_speaker_labels_give_each_turn_its_voice(nlp) -> None:
    text = (
        "ADA BYRNE: Welcome back. I am glad to be here.\n\n"
        "TOM VALE: Thanks. I love this show. What do you bake?"
    )
    doc = nlp(text)
    state = build_discourse(doc, list(extract_mentions(doc)))
    assert sorted(speaker_labels(state)) == [0, 1]
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I", 1) == "TOM VALE"
    assert _owner(ents, text, "you") is not None
    assert _owner(ents, text, "you") != "TOM VALE"
    assert _rule(ents, text, "I", 1) == "kg.coref.speaker_label.v1"


def test_a_title_keeps_the_name_of_the_speech_it_names(nlp) -> None:
    text = "Speech of Ada Byrne on the Harbour\n\nThank you all. I am glad to be here."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Ada Byrne"
    found = {m.text: m.source for m in extract_mentions(nlp(text))}
    # kept by the headline pass (headline-only.v2) or, failing it, the voice pass
    assert found["Ada Byrne"] in {
        "kg.mentions.names.v1",
        "kg.mentions.titled-voices.v1",
    }


def test_a_title_names_no_voice_in_a_role_or_with_two_people(nlp) -> None:
    for text in (
        "Letter to the Editor\n\nI am glad to write again.",
        "Ada Byrne and Tom Vale on the Harbour\n\nI am glad to be here.",
    ):
        doc = nlp(text)
        state = build_discourse(doc, list(extract_mentions(doc)))
        assert find_voices(state) == (None, None), text


def test_an_introduction_saying_who_gives_the_speech_names_its_voice(nlp) -> None:
    for text in (
        "Senator Ada Byrne delivered this speech at the harbour.\n\n"
        "Friends, I am glad to be here.",
        "This letter was written by Ada Byrne to her brother.\n\nI am well.",
    ):
        ents = _entities(nlp, text)
        assert _owner(ents, text, "I") == "Ada Byrne", text


def test_it_is_a_name_introduces_the_voice_only_at_the_top(nlp) -> None:
    text = "Hey guys, it's Dana Kroll. Today I show you my garden."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Dana Kroll"
    cleft = "The harbour is old. It is Ada Byrne who built it. I like it."
    doc = nlp(cleft)
    state = build_discourse(doc, list(extract_mentions(doc)))
    assert find_voices(state) == (None, None)


def test_a_letter_names_its_reader_and_signer_the_tagger_missed(nlp) -> None:
    text = "My dear Tomas,\n\nI hope you are well.\n\nWith love,\n\nVera"
    found = {m.text: m.source for m in extract_mentions(nlp(text))}
    assert "Tomas" in found
    assert found["Vera"] == "kg.mentions.letter-names.v1"
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Vera"
    assert _owner(ents, text, "you") == "Tomas"


def test_a_name_ending_a_sentence_signs_nothing(nlp) -> None:
    for text in (
        "He said it was over, Tom",
        "The ship sailed at dawn, and nobody saw Tom",
    ):
        doc = nlp(text)
        assert find_voices(build_discourse(doc, list(extract_mentions(doc)))) == (
            None,
            None,
        ), text


def test_a_short_title_naming_one_person_names_the_voice(nlp) -> None:
    text = "Dana Kroll: A Garden Tour\n\nToday I show you my roses. I love them."
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Dana Kroll"
    assert _owner(ents, text, "I", 1) == "Dana Kroll"
    assert _rule(ents, text, "I", 1) == "kg.coref.text_voice.v1"


def test_a_title_person_is_no_voice_of_a_quotation_or_an_interview(nlp) -> None:
    text = (
        "Ada Byrne\n\nAda Byrne built the harbour. "
        'She said: "I wanted ships." Tom Vale disagreed.'
    )
    ents = _entities(nlp, text)
    assert _owner(ents, text, "I") == "Ada Byrne"  # the quotation's own speaker
    interview = (
        "Tom Vale\n\nReporters interviewed Ada Byrne about the harbour.\n\n"
        "What happens next?\n\nI think the port will grow."
    )
    ents = _entities(nlp, interview)
    assert _owner(ents, interview, "I") == "Ada Byrne"


def test_a_statement_opening_the_text_is_no_title(nlp) -> None:
    text = "Dr. Ada Byrne spoke first.\n\nI thought she was right about the law."
    doc = nlp(text)
    assert find_voices(build_discourse(doc, list(extract_mentions(doc)))) == (
        None,
        None,
    )


def test_a_title_person_never_named_again_is_kept_in_a_first_person_text(nlp) -> None:
    text = "Dana Kroll: A Garden Tour\n\nToday I show you my roses."
    found = {m.text: m.source for m in extract_mentions(nlp(text))}
    # kept by the headline pass (headline-only.v2) or, failing it, the title pass
    assert found["Dana Kroll"] in {
        "kg.mentions.names.v1",
        "kg.mentions.titled-person.v1",
    }
    assert _owner(_entities(nlp, text), text, "I") == "Dana Kroll"
