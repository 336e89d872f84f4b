"""Appositive and predicate-nominal sieves: a description says what a mention is.

"X, a village in Y", "X is a city", "X was elected a member", "As a student,
X ...", "the town grew into a city": the description joins the mention it is
said of (without salience of its own) and votes its class; said of a name
further on, it waits for that name. A description said of a pronoun further
on ("A keen rower, he ...") has that pronoun resolved first.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Portvale is a small town. The town has a harbour.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Portvale', 'a small town', 'The town']]
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.coref.grammar import (
    GROUP_LABELS,
    PERSON_LABELS,
    SUBJ_DEPS,
    bare_title,
    nominal_bounds,
    span_head,
    subjects_of,
)
from kg.coref.sieves.close import name_extended_by
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.coref.words import CHANGE_VERBS, COPULAS, FEM, MASC, NEUT, PLAYED_NOUNS, PLUR
from kg.mentions import fronted_predicate_subject, named_predicate, nominal_class

__all__ = ["evidence", "fits_evidence"]

#: Tokens back a bracket holding a predicate's subject is looked for.
_BRACKET_SPAN = 40

APPOSITIVE = "kg.coref.appositive.v1"
PREDICATE = "kg.coref.predicate_nominal.v1"


def _apposed_target(state: Discourse, head: Token) -> int | None:
    """Token of the mention a loose appositive is apposed to, if it is one."""
    if head.dep_ == "appos":
        located = located_thing(state, head)
        if located is None:
            located = name_closing_bracket(state, head)
        return located if located is not None else head.head.i
    if head.dep_ == "conj" and head.head.dep_ == "appos":
        return head.head.head.i
    for child in head.children:
        if child.dep_ == "appos" and child.i in state.token_mentions:
            return child.i
    return None


def _copula_subject(state: Discourse, head: Token) -> tuple[bool, int | None]:
    """Return (decided, token) for the subject a copula's predicate describes."""
    subjects = subjects_of(head.head)
    if subjects:
        # "X (pronunciation: [..]; 1928 - 2017) was ...": the parse took a
        # word in the brackets for the subject
        opened = name_before_bracket(state, subjects[0])
        if opened is not None:
            return True, opened
    if subjects and state.turn_of(subjects[0].i) != state.turn_of(head.i):
        # a parse run across a line break: the line's opening name
        k = state.turn_of(head.i)
        first = state.turns[k][0] if k is not None else head.i
        while first < head.i and state.doc[first].is_space:
            first += 1
        index = state.mention_at(first)
        if index is not None and state.mentions[index].kind == "name":
            return True, first
        return True, None
    if subjects:
        return True, subjects[0].i
    fragment = fragment_subject(state, head.head)
    return fragment is not None, fragment


def _as_target(head: Token) -> tuple[bool, int | None]:
    """Return (decided, token) for what a predicative "as"-phrase describes.

    "As a student, X ...", "X worked as a nurse": the subject ("regarded Y as
    a hero": the object Y).
    """
    prep = head.head
    verb = prep.head
    if prep.dep_ != "prep":
        return True, None
    objects = [c for c in verb.children if c.dep_ == "dobj"]
    if head.tag_ in {"NNS", "NNPS"}:
        # "featured other writers as guests": a plural role of a plural
        # object only, in number agreement with it
        if objects and objects[0].tag_ in {"NNS", "NNPS"}:
            return True, objects[0].i
        return True, None
    if objects and objects[0].pos_ in {"PROPN", "PRON"}:
        return True, objects[0].i
    subjects = subjects_of(verb)
    if subjects and subjects[0].pos_ in {"PROPN", "PRON"}:
        return True, subjects[0].i
    return False, None


def _passive_predicate(head: Token) -> bool:
    """Tell the predicate of a passive naming verb ("X was elected a member").

    "X was named the best player" too; a capitalised title or honour ("was
    made a Knight of the Order of Y") may be an entity of its own.
    """
    return (
        head.dep_ == "oprd"
        and (head.is_lower or bare_title(head))
        and any(c.dep_ in {"nsubjpass", "auxpass"} for c in head.head.children)
    )


def _predicate_target(state: Discourse, head: Token) -> int | None:
    """Token of the mention a predicate nominal describes, if it is one."""
    if head.dep_ == "conj" and head.head.dep_ in {"attr", "oprd"}:
        head = head.head  # "X is a poet and the author of Y"
    if _passive_predicate(head):
        subjects = subjects_of(head.head)
        return subjects[0].i if subjects else None
    if head.dep_ in {"attr", "oprd"} and head.head.lemma_ in COPULAS:
        decided, target = _copula_subject(state, head)
        if decided:
            return target
    prep = head.head
    if (
        head.dep_ == "pobj"
        and prep.lower_ == "into"
        and prep.head.lemma_ in CHANGE_VERBS
        and head.tag_ == "NN"
        and not any(c.dep_ == "dobj" for c in prep.head.children)
    ):
        # "the town grew into a busy city", "it was turned into a museum": a
        # change-of-state verb's "into"-phrase is what its subject became
        subjects = subjects_of(prep.head)
        return subjects[0].i if subjects else None
    if head.dep_ == "pobj" and prep.lower_ == "as" and prep.head.pos_ == "VERB":
        decided, target = _as_target(head)
        if decided:
            return target
    if head.dep_ == "pobj" and prep.lower_ == "as" and prep.head.pos_ == "NOUN":
        return as_phrase_holder(state, head, prep.head)
    return None


def evidence(state: Discourse, head: Token) -> tuple[str, int | None]:
    """Return which sieve a description's head is evidence for, and of what token.

    The first reading that applies wins, in this order: a loose appositive, a
    predicate naming a name ("His chief work is X"), an appositive the parse
    hung elsewhere, a fronted predicate, then the predicate nominals.
    """
    apposed = _apposed_target(state, head)
    if apposed is not None:
        return APPOSITIVE, apposed
    named = named_predicate(head, state.name_token_set)
    if named is not None:
        return PREDICATE, named.i
    hung = person_hung_on_of(state, head)
    if hung is not None:
        return APPOSITIVE, hung
    fronted = fronted_predicate_subject(head)
    if fronted is not None:
        return PREDICATE, fronted.i
    return PREDICATE, _predicate_target(state, head)


def as_phrase_holder(state: Discourse, head: Token, noun: Token) -> int | None:
    """Return who a noun's "as"-phrase describes ("his career as a lawyer").

    A noun of a span of life or work ("career", "years", "time") with an
    "as"-phrase says what its possessor was; without a possessor, set in
    a fronted adjunct ("After years as a soldier, he ..."), what the
    clause's subject was. A role an actor plays ("his role as a doctor")
    is the character's, not the actor's.
    """
    if head.tag_ != "NN" or noun.lemma_.lower() in PLAYED_NOUNS:
        return None
    owner = next((c for c in noun.lefts if c.dep_ == "poss"), None)
    if owner is not None:
        return owner.i if owner.pos_ in {"PRON", "PROPN"} else None
    host = noun.head
    if noun.dep_ != "pobj" or host.dep_ != "prep" or host.head.pos_ != "VERB":
        return None
    verb = host.head
    subjects = subjects_of(verb)
    if (
        host.i < verb.i
        and subjects
        and subjects[0].i > host.i
        and subjects[0].pos_ in {"PROPN", "PRON"}
    ):
        return subjects[0].i
    return None


def located_thing(state: Discourse, head: Token) -> int | None:
    """Return the thing a place's appositive describes ("X in Ruritania, a venue").

    "the Varda Stadium in Ruritania, a venue for the cup": the parse hangs the
    appositive on the place that locates the thing, but a noun that is no
    place noun ("venue", "museum") cannot describe a country or town; it
    describes the named thing the "in"-phrase modifies.
    """
    place = head.head
    prep = place.head
    if (
        place.dep_ != "pobj"
        or prep.lower_ not in {"in", "near"}
        or prep.dep_ != "prep"
        or prep.head.pos_ != "PROPN"
        or place.ent_type_ != "GPE"
        or nominal_class(head.lemma_) in {"GPE", "LOC"}
        or head.left_edge.i != place.i + 2
        or state.doc[place.i + 1].text != ","
    ):
        return None
    thing = prep.head
    return thing.i if state.mention_at(thing.i) is not None else None


def after_locating_phrase(state: Discourse, head: Token, other: int) -> bool:
    """Tell an appositive that follows a name and its "in"-phrase ("X in Y, a Z").

    The comma then closes the name's whole phrase, not the name itself.
    """
    span = state.spans[other]
    if span is None or not head.is_lower:
        return False  # a capitalised phrase may be the next item of a list
    thing = span.root
    preps = [
        c
        for c in thing.children
        if c.dep_ == "prep"
        and c.lower_ in {"in", "near"}
        and c.i < head.i
        and any(o.ent_type_ in {"GPE", "LOC"} for o in c.children)
    ]
    if not preps:
        return False
    prep, comma = preps[-1], head.left_edge.i - 1
    inside = {t.i for t in prep.subtree}
    return (
        thing.i < prep.i < comma
        and state.doc[comma].text == ","
        and all(i in inside for i in range(prep.i, comma))
    )


def person_hung_on_of(state: Discourse, head: Token) -> int | None:
    """Return a person's name the parse hung on the "of"-name of a role noun.

    "The head of Acme, Ann Lee, said": the appositive belongs to "the
    head", but the parse attaches it to the nearer name; a person's name
    cannot stand in apposition to a firm's or a place's, so a person noun
    takes it back.
    """
    if nominal_class(head.lemma_) != "PERSON":
        return None
    for prep in head.rights:
        if prep.dep_ != "prep" or prep.lower_ != "of":
            continue
        for pobj in prep.children:
            owner = state.mention_at(pobj.i)
            if pobj.dep_ != "pobj" or owner is None:
                continue
            if state.mentions[owner].label in PERSON_LABELS | {""}:
                continue
            for appos in pobj.rights:
                index = state.mention_at(appos.i)
                if (
                    appos.dep_ == "appos"
                    and index is not None
                    and state.mentions[index].kind == "name"
                    and state.mentions[index].label in PERSON_LABELS
                ):
                    return appos.i
    return None


def name_closing_bracket(state: Discourse, head: Token) -> int | None:
    """Return the name whose bracket an appositive follows ("X (1704-87), a Y").

    "the son of X (1704 – 1787), a painter": an appositive right after a
    name's bracket and a comma is the name's, wherever the parse hung it.
    """
    doc = state.doc
    i = head.left_edge.i - 1
    if i < 2 or doc[i].text != "," or doc[i - 1].text != ")":
        return None
    opened = name_before_bracket(state, doc[i - 1])
    return opened if opened is not None and opened != head.head.i else None


def name_before_bracket(state: Discourse, token: Token) -> int | None:
    """Return the name a bracket holding the token follows ("X (born ...)")."""
    doc = state.doc
    start = token.sent.start
    i = token.i - 1
    first = max(start, token.i - _BRACKET_SPAN)
    while i >= first and doc[i].text not in {"(", ")"}:
        i -= 1
    if i <= start or i < first or doc[i].text != "(":
        return None
    index = state.mention_at(i - 1)
    if index is None or state.mentions[index].kind != "name":
        return None
    span = state.spans[index]
    if span is None or span.end != i:
        return None
    return span_head(span).i


def fragment_subject(state: Discourse, verb: Token) -> int | None:
    """Return the name a subjectless copula's parse cut off before it.

    "X (born 1982) [1] is an actor": a bracket or a citation mark makes
    the parser end a fragment at the name, leaving "is" with no subject.
    """
    if any(c.dep_ in SUBJ_DEPS for c in verb.children):
        return None
    start = verb.sent.start
    if verb.left_edge.i == start and start > 0:
        start = state.doc[start - 1].sent.start  # the fragment may end a sentence
    roots = [t for t in state.doc[start : verb.i] if t.dep_ == "ROOT"]
    if not roots or roots[-1].pos_ != "PROPN":
        return None
    name = roots[-1]
    if state.turn_of(name.i) != state.turn_of(verb.i):
        return None
    between = state.doc[name.right_edge.i + 1 : verb.left_edge.i]
    if any(
        not (t.is_punct or t.like_num or t.dep_ in {"meta", "dep"}) for t in between
    ):
        return None
    return name.i


def possessor_refs(state: Discourse, head: Token) -> set[int]:
    """Return the possessor's referents ("X's estrangement" is not X)."""
    out: set[int] = set()
    for child in head.children:
        if child.dep_ == "poss":
            ref = state.cluster_at(child.i)
            if ref is not None:
                out.add(ref.id)
    return out


def _number_or_class_clash(
    state: Discourse, index: int, head: Token, other: int, ref: Cluster | None
) -> bool:
    """Tell a description whose number or class rules out mention ``other``.

    Not its own possessor, no plural of one thing, no person's noun of a
    named non-person.
    """
    # "X are a polite people": an indefinite article makes a collective
    # noun one group, whatever its plural tag says
    plural = head.tag_ in {"NNS", "NNPS"} and not any(
        c.dep_ == "det" and c.lower_ in {"a", "an"} for c in head.lefts
    )
    if ref is None:
        return plural and state.mentions[other].label == "PERSON"
    if ref.id in possessor_refs(state, head):
        return True
    if plural and not (ref.plural or set(ref.label_votes) & GROUP_LABELS):
        return True
    return (
        state.mentions[index].label == "PERSON"
        and ref.is_person() is False
        and ref.named
        # "other writers as guests": a plural name said to be people is a
        # group of people, whatever type the tagger gave it
        and not (plural and ref.plural_form)
    )


def fits_evidence(
    state: Discourse, index: int, head: Token, other: int, ref: Cluster | None
) -> bool:
    """Tell a description that may be said of mention ``other`` (cluster ``ref``).

    A description of no known class only as a predicate or as an appositive
    right after the mention.
    """
    if _number_or_class_clash(state, index, head, other, ref):
        return False
    if state.mentions[index].label:
        return True
    predicate = head.head if head.dep_ == "conj" else head
    if named_predicate(head, state.name_token_set) is not None:
        return True  # "His chief work is X"
    if (
        predicate.dep_ in {"attr", "oprd"}
        or (predicate.dep_ == "pobj" and predicate.head.lower_ == "as")
        or fronted_predicate_subject(predicate) is not None
    ):
        return True  # "X is an example of Y": says what X is, whatever Y is
    if head.dep_ == "appos" and after_locating_phrase(state, head, other):
        return True  # "X in Y, a venue": comma-adjacent to X's whole phrase
    # a phrase of no known class only as a comma-adjacent appositive
    other_span = state.spans[other]
    if other_span is None:
        return False
    first, second = sorted((other_span, nominal_bounds(head)), key=lambda x: x.start)
    return second.start == first.end + 1 and state.doc[first.end].text == ","


def _link_evidence(state: Discourse, index: int, rule: str) -> bool:
    """Join the description to the mention its evidence points to, or wait."""
    span = state.spans[index]
    if span is None:
        return False
    mention = state.mentions[index]
    head = span_head(span)
    kind, target = evidence(state, head)
    if kind != rule or target is None:
        return False
    if state.turn_of(target) != state.turn_of(head.i):
        return False  # a parse run across a line break ("Spouse X\nY was ...")
    other = state.mention_at(target)
    found = state.spans[other] if other is not None else None
    if other is not None and found is not None and other > index:
        # "his architect, Emir X": the name the later phrase is of
        other = name_extended_by(state, found, span_head(found)) or other
    if (
        other is not None
        and other > index
        and other not in state.cluster_of
        and state.mentions[other].kind == "pronoun"
        and found is not None
        and found.root.lower_ in MASC | FEM | NEUT | PLUR
    ):
        # "A keen rower, he ...": the later pronoun the phrase is said of is
        # resolved first, and the phrase joins its cluster
        state.resolve(other)
    if other is None or other == index:
        return False
    ref = state.clusters[state.cluster_of[other]] if other in state.cluster_of else None
    if not fits_evidence(state, index, head, other, ref):
        return False
    if ref is not None:
        if mention.label and mention.label != "PERSON":
            # "X is a city", "X, a company": what X is, whatever the tagger
            # said of its name
            ref.label_votes[mention.label] += 3
        state.attach_nominal(ref, index, salient=False, rule=rule)
        return True
    if other > index and state.mentions[other].kind == "name":
        state.wait_for_name(other, index, rule)
        return True
    return False


@sieve(APPOSITIVE, "nominal")
def appositive(state: Discourse, index: int) -> bool:
    """Link an appositive to the mention it is apposed to ("X, a village")."""
    return _link_evidence(state, index, APPOSITIVE)


@sieve(PREDICATE, "nominal")
def predicate_nominal(state: Discourse, index: int) -> bool:
    """Link a predicate nominal to its subject ("X is a city", "X became a Y")."""
    return _link_evidence(state, index, PREDICATE)
