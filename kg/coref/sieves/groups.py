"""Group sieve: the "we" of a voice that speaks for a named organisation.

First person plural is the speaker and others (``kg.coref.we_group.v1``).
When the text says which named group a voice speaks for, "we", "us" and
"our" are that group (Lee et al. 2013 resolve speakers first; a group's
spokesperson speaks as the group):

- a quotation spoken by an organisation ("Acme said in a statement: 'We
  regret ...'") or by someone the text names as one of its members ("Ada
  Byrne, a spokeswoman for Acme", "Acme founder Ada Byrne", "Ada Byrne of
  Acme", "the captain of the Varn Rovers, Ada Byrne", "Ada Byrne is the
  president of Acme");
- outside quotations, the answers of an interviewee so named, and the
  text of a writer so named (a letter signed for a society).

The group gets the pronoun without salience: "we" is no antecedent of
"it" or "they".

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp('"We will appeal," said Ada Byrne, a spokeswoman for Varnex Corp.')
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Ada Byrne', 'a spokeswoman for Varnex Corp.'], ['We', 'Varnex Corp.']]
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.coref.sieves.quotes import unreported_speaker
from kg.coref.sieves.registry import sieve
from kg.coref.sieves.speakers import addresses, interlocutor
from kg.coref.state import LATER, Cluster, Discourse, Later
from kg.coref.words import COPULAS, MEMBER_NOUNS

__all__ = ["group_of", "voice_group"]

WE_AFFILIATION = "kg.coref.we_affiliation.v1"

#: Prepositions that tie a member noun or a name to its group ("of", "for").
_GROUP_PREPS = frozenset({"of", "for", "at", "with"})
#: Labels of a named group a voice may speak for ("" when no tagger said one).
_GROUP_LABELS = frozenset({"ORG", "NORP", "GPE", ""})


def _group_at(state: Discourse, token: Token) -> Cluster | Later | None:
    """Return the named group whose mention holds ``token`` (or :data:`LATER`)."""
    if state.mention_at(token.i) is None:
        return None
    ref = state.cluster_at(token.i)
    if ref is None:
        return LATER
    if ref.named and ref.is_person() is not True and ref.top_label in _GROUP_LABELS:
        return ref  # an organisation, a people or a nation, not a person
    return None


def _organisation_at(state: Discourse, token: Token) -> Cluster | Later | None:
    """Return the named organisation whose mention holds ``token`` (or later)."""
    group = _group_at(state, token)
    if isinstance(group, Cluster) and group.top_label != "ORG":
        return None  # "Ada Byrne of Tarnby": where she lives, not whom she speaks for
    return group


def _group_of_noun(state: Discourse, noun: Token) -> Cluster | Later | None:
    """Return the group a member noun names: "X's founder", "chief of X"."""
    if noun.lemma_.lower() not in MEMBER_NOUNS and noun.lower_ not in MEMBER_NOUNS:
        return None
    found: list[Token] = []
    for child in noun.children:
        if child.dep_ in {"poss", "compound", "nmod", "amod"} and child.i < noun.i:
            found.append(child)
        elif child.dep_ == "prep" and child.lower_ in _GROUP_PREPS:
            found += [c for c in child.children if c.dep_ == "pobj"]
    for token in found:
        group = _group_at(state, token)
        if group is not None:
            return group
    return None


def _member_nouns(head: Token) -> list[Token]:
    """Return the nouns said of a name's head: appositives, modifiers, predicates."""
    nouns = [
        c
        for c in head.children
        if (c.dep_ == "appos")
        or (c.dep_ in {"compound", "nmod"} and c.i < head.i and c.pos_ == "NOUN")
    ]
    if head.dep_ == "appos":
        nouns.append(head.head)  # "the founder of X, Ada Byrne"
    verb = head.head
    if head.dep_ == "nsubj" and verb.lemma_.lower() in COPULAS:
        nouns += [c for c in verb.children if c.dep_ == "attr"]
    return nouns


def group_of(state: Discourse, ref: Cluster) -> Cluster | Later | None:
    """Return the named group a voice's cluster speaks for, if the text says one.

    An organisation speaks for itself; a person for the group a member noun
    said of one of their names ties them to ("Ada Byrne, a spokeswoman for
    X"), or a preposition on the name itself ("Ada Byrne of X").
    """
    if ref.named and ref.is_person() is False and ref.top_label == "ORG":
        return ref
    for index in ref.mentions:
        span = state.spans[index]
        if span is None or state.mentions[index].kind == "pronoun":
            continue
        head = span.root
        groups: list[Cluster | Later | None] = [
            _group_of_noun(state, noun) for noun in _member_nouns(head)
        ]
        groups += [
            _organisation_at(state, pobj)
            for prep in head.children
            if prep.dep_ == "prep" and prep.lower_ in {"of", "at"}
            for pobj in prep.children
            if pobj.dep_ == "pobj"
        ]
        for group in groups:
            if group is not None and (isinstance(group, Later) or group.id != ref.id):
                return group
    return None


def _voice_token(state: Discourse, token: Token) -> int | None:
    """Return the token of the name whose voice says an unquoted or quoted "we"."""
    quote = state.quote_of.get(token.i)
    if quote is not None:
        if quote.speaker is not None:
            return quote.speaker
        return unreported_speaker(state, quote)
    target = interlocutor(state, token.i)
    if target is not None:
        ref = state.cluster_at(target)
        if ref is None or addresses(state, token, ref) is not None:
            return None  # a question to the interviewee: the interviewer's "we"
        return target
    return state.writer


def voice_group(state: Discourse, token: Token) -> Cluster | Later | None:
    """Return the named group the voice of a first-person plural speaks for."""
    voice = _voice_token(state, token)
    if voice is None:
        return None
    ref = state.cluster_at(voice)
    if ref is None:
        return LATER if state.mention_at(voice) is not None else None
    return group_of(state, ref)


@sieve(WE_AFFILIATION, "we")
def we_affiliation(state: Discourse, index: int) -> bool:
    """Link "we"/"us"/"our" to the named group its voice speaks for."""
    span = state.spans[index]
    if span is None:
        return False
    group = voice_group(state, span.root)
    if isinstance(group, Later):
        return state.wait(index)
    if group is None:
        return False
    # no salience: "we" is no antecedent of a third-person pronoun
    state.attach(group, index, rule=WE_AFFILIATION)
    return True
