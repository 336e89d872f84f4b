"""Speaker sieves: first and second person for the voices of the text.

Lee et al. (2013) resolve speakers first: "I" and "you" inside a quotation
are its speaker and addressee (a reporting verb's subject and object, a
vocative, the quotation before); an "I" right after "he said," is the
verb's subject; outside quotations, in an interview or a transcript that
gives someone the floor, "I" in the answers and "you" in the questions are
the interlocutor. "we" is the group of its voice, never an antecedent of a
third-person pronoun.
The "My" opening a title after a possessor ("his My Life") is that
possessor.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp('Ada Byrne told Tom Vale: "I trust you."')
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Ada Byrne', 'I'], ['Tom Vale', 'you']]
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.coref.dialogue import turn_cues
from kg.coref.grammar import PLACE_LABELS
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.coref.words import (
    FIRST,
    FIRST_PLURAL,
    PERSONAL_DETS,
    SECOND,
    SPEECH_VERBS,
)

__all__ = ["addresses", "interlocutor"]


def unquoted_reporter(state: Discourse, token: Token) -> Cluster | None:
    """Return who speaks an "I" that opens unquoted direct speech.

    "... where he said, I hereby issue waivers": a first person right
    after a speech verb and a comma quotes the verb's subject, when that
    subject is a third party (not "I" or "you").
    """
    doc = state.doc
    i = token.i
    if token.lower_ not in FIRST or i < 2 or doc[i - 1].text != ",":
        return None
    verb = doc[i - 2]
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in SPEECH_VERBS:
        return None
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects or subjects[0].lower_ in FIRST | SECOND | FIRST_PLURAL:
        return None
    return state.cluster_at(subjects[0].i)


def interlocutor(state: Discourse, token_i: int) -> int | None:
    """Return the token of the named person a dialogue is held with, if any."""
    cues = list(state.floors)
    if state.interviewee is not None:
        cues.append(state.interviewee)
    before = [c for c in cues if c[0] < token_i]
    return max(before)[1] if before else None


def replies_to(state: Discourse, token: Token, ref: Cluster) -> bool | None:
    """Tell a turn that replies to ``ref``'s turn just before it.

    ``ref``'s turn addressing others by name ("..., my Lords.") is
    answered by the next turn: its "you" is ``ref``. True then, else None.
    (Its "I" is left alone: an answer often runs on over paragraphs.)
    """
    k = state.turn_of(token.i)
    if k is None or k == 0 or turn_addresses(state, k - 1, ref) is not False:
        return None
    return True


def addresses(state: Discourse, token: Token, ref: Cluster) -> bool | None:
    """Tell whether the turn of ``token`` addresses ``ref``.

    True when a vocative names ``ref``, or the turn asks a question; False
    when its vocatives address someone else; None when it says nothing.
    """
    k = state.turn_of(token.i)
    if k is None:
        return None
    return turn_addresses(state, k, ref)


def turn_addresses(state: Discourse, k: int, ref: Cluster) -> bool | None:
    """Tell whether turn ``k`` addresses ``ref`` (see :meth:`addresses`)."""
    called, question = turn_cues(state, k)
    if called:
        return any(
            other is not None and other.id == ref.id
            for v in called
            for other in (
                state.cluster_at(t.i) for t in v if t.lower_ not in PERSONAL_DETS
            )
        )
    return True if question else None


@sieve("kg.coref.title_pronoun.v1", "title")
def title_pronoun(state: Discourse, index: int) -> bool:
    """Link the "My" of "his My Life" to the possessor before the title."""
    span = state.spans[index]
    if span is None:
        return True
    ref = state.cluster_at(span.root.i - 1)
    if ref is not None:
        state.add(
            ref,
            index,
            state.mentions[index].sent_index,
            None,
            rule="kg.coref.title_pronoun.v1",
        )
    return True


@sieve("kg.coref.quote_speaker.v1", "speech")
def quote_speaker(state: Discourse, index: int) -> bool:
    """Link "I"/"you" in a quotation to its speaker/addressee.

    A speaker named only after the quotation is not read yet: the pronoun
    is tried again after the pass.
    """
    span = state.spans[index]
    if span is None:
        return True
    token = span.root
    quote = state.quote_of.get(token.i)
    if quote is None:
        return False
    target = quote.speaker if token.lower_ in FIRST else quote.addressee
    if target is None:
        return True
    ref = state.cluster_at(target)
    if ref is None:
        state.wait(index)  # a speaker's "I" takes no other referent meanwhile
        return True
    sent = state.mentions[index].sent_index
    state.add(ref, index, sent, token, True, rule="kg.coref.quote_speaker.v1")
    return True


@sieve("kg.coref.reported_speech.v1", "speech")
def reported_speech(state: Discourse, index: int) -> bool:
    """Link an unquoted "I" right after "X said," to X."""
    span = state.spans[index]
    if span is None:
        return True
    reporter = unquoted_reporter(state, span.root)
    if reporter is None:
        return False
    sent = state.mentions[index].sent_index
    state.add(
        reporter, index, sent, span.root, True, rule="kg.coref.reported_speech.v1"
    )
    return True


@sieve("kg.coref.interlocutor.v1", "speech")
def interlocutor_pronoun(state: Discourse, index: int) -> bool:
    """Link "I" and "you" outside quotations in a dialogue to its interlocutor.

    Outside quotations first person is the writer's, except in a dialogue
    with a named interlocutor: an interview ("Reporters interviewed Ada
    Byrne"), or a transcript that gives someone the floor (a paragraph
    ending with their name alone, "Dr. Byrne."). After that, each paragraph
    is a turn: in a turn that addresses the interlocutor (by name, or as a
    question), "you" is the interlocutor; in the others, "I" is (the
    interlocutor answering).
    """
    span = state.spans[index]
    if span is None:
        return True
    token = span.root
    target = interlocutor(state, token.i)
    if target is None:
        return True
    ref = state.cluster_at(target)
    if ref is None or not ref.named:
        return True
    if ref.is_person() is False and ref.top_label in PLACE_LABELS:
        return True  # a heading naming a place gives no one the floor
    addressed = addresses(state, token, ref)
    if addressed is None and token.lower_ in SECOND:
        addressed = replies_to(state, token, ref)
    if token.lower_ in SECOND:
        asks = token.sent.text.rstrip().endswith("?")
        if addressed is False or not (addressed or asks):
            return True
    elif addressed:
        return True
    sent = state.mentions[index].sent_index
    state.add(ref, index, sent, token, rule="kg.coref.interlocutor.v1")
    return True


@sieve("kg.coref.we_group.v1", "we")
def we_group(state: Discourse, index: int) -> bool:
    """Link "we"/"us"/"our" to the group of one voice, never to a third party.

    First person plural is the speaker and others: it is no antecedent for
    third-person pronouns and takes none. Each voice (a quotation's speaker,
    else the text outside quotations) has one such group, which is no entity.
    """
    span = state.spans[index]
    if span is None:
        return True
    token = span.root
    quote = state.quote_of.get(token.i)
    if quote is None:
        voice = -1
    elif quote.speaker is None:
        voice = -2 - quote.start
    else:
        voice = quote.speaker
    ref = state.we_clusters.get(voice)
    if ref is None:
        ref = state.new_cluster("we")
        ref.plural = True
        ref.person = True
        state.we_clusters[voice] = ref
    # no salience: "we" is no antecedent of a third-person pronoun
    state.attach(ref, index, rule="kg.coref.we_group.v1")
    return True
