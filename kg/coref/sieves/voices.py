"""Voice sieves: "you" said to a vocative, "I" and "you" of named voices.

Outside quotations a text speaks in its own voice. Two cues say to whom or
as whom, in any genre (a talk, a letter, a video, a hearing):

- a vocative: "Thank you, Mr. Vale. You have ..." -- the "you" of the
  sentence that calls someone by name, or of a later sentence of the same
  paragraph, is that person (``kg.coref.vocative_you.v1``);
- a transcript's speaker labels ("Ada Byrne: ..."): the unquoted "I" of a
  labelled paragraph is its speaker, "you" the speaker of the labelled
  paragraph before, if another (``kg.coref.speaker_label.v1``);
- the text naming its writer and reader (:mod:`kg.coref.voices`): a
  self-introduction, a letter's signature and salutation, a title
  ("A Letter to Tom Vale") -- the unquoted "I" is the writer, "you" the
  reader (``kg.coref.text_voice.v1``).

Both leave dialogues with a named interlocutor (an interview, a transcript
giving someone the floor) to ``kg.coref.interlocutor.v1``, which knows the
turns, except a vocative in the sentence itself.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Thank you, Mr. Vale. You have done so much for us.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['you', 'Vale', 'You']]
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.coref.dialogue import vocatives
from kg.coref.grammar import PERSON_LABELS
from kg.coref.sieves.registry import sieve
from kg.coref.state import LATER, Cluster, Discourse, Later
from kg.coref.words import FIRST, PERSONAL_DETS, SECOND

__all__ = ["called_in", "labelled_turn", "text_voice", "vocative_you"]

VOCATIVE_YOU = "kg.coref.vocative_you.v1"
TEXT_VOICE = "kg.coref.text_voice.v1"
SPEAKER_LABEL = "kg.coref.speaker_label.v1"

#: Sentences of a paragraph, before a "you", searched for a vocative.
_VOCATIVE_REACH = 2


def _named_person(state: Discourse, span: Span) -> Cluster | Later | None:
    """Return the cluster of the named person a vocative calls (or :data:`LATER`)."""
    for token in span:
        if token.lower_ in PERSONAL_DETS:
            continue
        index = state.mention_at(token.i)
        if index is None or state.mentions[index].kind != "name":
            continue
        if state.mentions[index].label not in PERSON_LABELS | {""}:
            continue
        ref = state.cluster_at(token.i)
        if ref is None:
            return LATER
        if ref.named and ref.is_person() is not False:
            return ref
    return None


def _unquoted_vocatives(state: Discourse, sent: Span) -> list[Span]:
    """Return a sentence's vocatives outside quotations, a signature's name aside."""
    writer = state.writer
    return [
        v
        for v in vocatives(sent)
        if v.start not in state.quote_of
        and not (writer is not None and v.start <= writer < v.end)
    ]


def called_in(state: Discourse, token: Token) -> Cluster | Later | None:
    """Return the named person the sentence of ``token`` calls, or one before it.

    The sentence's own vocative first; else the nearest vocative of the
    sentences just before it in its paragraph.
    """
    sent = token.sent
    called = [
        ref
        for v in _unquoted_vocatives(state, sent)
        if (ref := _named_person(state, v)) is not None
    ]
    if any(isinstance(c, Later) for c in called):
        return LATER
    if len({c.id for c in called if isinstance(c, Cluster)}) == 1:
        return called[0]
    if called:
        return None
    k = state.turn_of(token.i)
    if k is None:
        return None
    before = [s for s in state.turn_sents[k] if s.end <= sent.start]
    for prior in reversed(before[-_VOCATIVE_REACH:]):
        refs = {
            ref.id: ref
            for v in _unquoted_vocatives(state, prior)
            if isinstance(ref := _named_person(state, v), Cluster)
        }
        if len(refs) == 1:
            return next(iter(refs.values()))
        if refs:
            return None
    return None


@sieve(VOCATIVE_YOU, "speech")
def vocative_you(state: Discourse, index: int) -> bool:
    """Link an unquoted "you" to the named person its sentence or paragraph calls."""
    span = state.spans[index]
    if span is None:
        return True
    token = span.root
    if token.lower_ not in SECOND or token.i in state.quote_of:
        return False
    ref = called_in(state, token)
    if isinstance(ref, Later):
        return state.wait(index)
    if ref is None:
        return False
    # no salience: the one spoken to is no antecedent of "he" or "she"
    state.attach(ref, index, rule=VOCATIVE_YOU)
    return True


def _dialogue(state: Discourse) -> bool:
    """Tell a dialogue with a named interlocutor (not a letter's own two names).

    A salutation ("My dear Tomas,") or a signature alone in its paragraph
    looks like a transcript giving someone the floor; it is no dialogue.
    """
    if state.interviewee is not None:
        return True
    voices = {state.writer, state.reader}
    return any(name not in voices for _end, name in state.floors)


@sieve(TEXT_VOICE, "speech")
def text_voice(state: Discourse, index: int) -> bool:
    """Link the unquoted "I" to the named writer, "you" to the named reader.

    The writer named only later (a signature) is not read yet: the pronoun
    is tried again after the pass.
    """
    span = state.spans[index]
    if span is None:
        return True
    token = span.root
    if token.i in state.quote_of or _dialogue(state):
        return False
    if token.lower_ in FIRST:
        target = state.writer
    elif token.lower_ in SECOND:
        target = state.reader
    else:
        return False
    if target is None:
        return False
    ref = state.cluster_at(target)
    if ref is None:
        return state.wait(index)
    state.attach(ref, index, rule=TEXT_VOICE)
    return True


def labelled_turn(state: Discourse, token: Token) -> int | None:
    """Return the name token of whom "I" or "you" stands for in a labelled turn."""
    k = state.turn_of(token.i)
    if k is None or k not in state.labels:
        return None
    speaker = state.labels[k]
    if token.lower_ in FIRST:
        return speaker
    if token.lower_ not in SECOND:
        return None
    own = state.doc[speaker].lower_
    for j in range(k - 1, -1, -1):
        other = state.labels.get(j)
        if other is not None and state.doc[other].lower_ != own:
            return other
    return None


@sieve(SPEAKER_LABEL, "speech")
def speaker_label(state: Discourse, index: int) -> bool:
    """Link the unquoted "I"/"you" of a labelled turn to its speaker/the one before."""
    span = state.spans[index]
    if span is None:
        return True
    token = span.root
    if token.i in state.quote_of:
        return False
    target = labelled_turn(state, token)
    if target is None:
        return False
    ref = state.cluster_at(target)
    if ref is None:
        return False
    state.attach(ref, index, rule=SPEAKER_LABEL)
    return True
