"""Pronoun sieves: a third-person pronoun joins the referent it stands for.

"there" takes the place just named; a relative pronoun the noun its clause
modifies; a reflexive the subject of its clause; a pleonastic "it" nobody; a
pronoun in a fronted adjunct the name that follows ("During her first season,
Ada ..."); the subject of "he added" the speaker of the quotation before; any
other the most salient referent in reach that agrees with it in number and
gender and that binding allows (after Lappin and Leass, 1994): subjects over
objects, recency, parallel roles, the subject of the pronoun's own clause,
the nearest referent of its own sentence.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Ada Byrne met Tom Vale. She gave him a book.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Ada Byrne', 'She'], ['Tom Vale', 'him']]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Token

from kg.coref.agreement import agrees, gender_clash
from kg.coref.grammar import (
    ARG_DEPS,
    FRONTED_DEPS,
    NOMINAL_SUBJ_DEPS,
    OBJ_DEPS,
    PEOPLE_LABELS,
    PERSON_LABELS,
    PLACE_LABELS,
    SUBJ_DEPS,
    co_arguments,
    describes,
    emphatic_possessive,
    in_subordinate_clause,
    is_pleonastic,
    is_possessive,
    role_weight,
    span_head,
    subjects_of,
    verb_of,
)
from kg.coref.names import parse_name
from kg.coref.sieves.descriptions import DESCRIPTION_WINDOW
from kg.coref.sieves.names import match_name
from kg.coref.sieves.registry import sieve
from kg.coref.state import DECAY, Cluster, Discourse
from kg.coref.words import (
    FEM,
    LOCATIVE_PREPS,
    MASC,
    MOTION_VERBS,
    NEUT,
    PLUR,
    REFLEXIVE,
    RELATIVE,
    RELATIVE_THINGS,
    SPEECH_VERBS,
)

__all__ = [
    "best_antecedent",
    "excluded_clusters",
    "join_pronoun",
    "new_pronoun_cluster",
]

#: Sentences back a pronoun looks for an antecedent.
PRONOUN_WINDOW = 3
#: Salience bonuses and costs of a candidate antecedent (see best_antecedent).
W_PARALLEL = 35.0
W_LOCAL = 150.0
W_SAME_SENT = 20.0
W_NAMED = 60.0
#: bonus of the nearest candidate in the pronoun's sentence (possessive / other)
W_NEAREST = 300.0
W_NEAREST_ARG = 150.0
#: cost of a he/she antecedent not known as a person (and "it" for a person)
W_NOT_PERSON = 60.0
#: cost of a he/she antecedent whose gender only a lone-word guess contradicts
W_WEAK_GENDER = 100.0
#: bonus of a people named in the plural for "they"
W_PEOPLE = 60.0
#: cost of reading "they" as an organisation or country (notional agreement)
W_COLLECTIVE = 100.0

CATAPHORA = "kg.coref.cataphora.v1"
#: Members of a coordination that binding keeps from a pronoun in it.
_NEAREST_CONJUNCTS = 50


def place_antecedent(state: Discourse, token: Token, sent: int) -> Cluster | None:
    """Return the place a locative "there" stands for: the latest one named.

    A place named after a locative preposition ("went to Rome", "lived in
    Lyon") in this or the previous sentences; nothing if none is near.
    """
    found = [
        ref
        for ref in state.recent(sent, DESCRIPTION_WINDOW)
        if ref.named
        and ref.last_token < token.i
        and (
            reached(state, ref)
            or (ref.last_sent == sent and ref.is_person() is None)
            or (
                (ref.locative or ref.top_label in PLACE_LABELS)
                and ref.is_person() is not True
            )
        )
    ]
    if not found:
        return None
    return max(found, key=lambda r: r.last_token)


def reached(state: Discourse, ref: Cluster) -> bool:
    """Tell a referent last named as where someone goes or is.

    "went to X", "moved from X", "reach X", "visit X": the goal or source
    of a motion verb is a place, whatever a tagger made of its name
    ("St. Varda" read as a saint's name, "La Varda" as a body).
    """
    index = state.mention_at(ref.last_token)
    span = state.spans[index] if index is not None else None
    if span is None:
        return False
    head = span_head(span)
    verb = head.head
    if head.dep_ == "pobj" and verb.lower_ in LOCATIVE_PREPS | {"to", "from"}:
        verb = verb.head
    elif head.dep_ != "dobj":
        return False
    return verb.pos_ == "VERB" and verb.lemma_.lower() in MOTION_VERBS


def cataphor(state: Discourse, token: Token) -> int | None:
    """Return the later name a pronoun in a fronted adjunct points to.

    "During her first season, Ada Byrne ...": the pronoun sits in a
    phrase attached to the main verb before its subject, and the subject is
    a name.
    """
    node = token
    for _ in range(10):
        head = node.head
        if head.i == node.i:
            return None
        if head.pos_ in {"VERB", "AUX"}:
            subjects = [c for c in head.children if c.dep_ in {"nsubj", "nsubjpass"}]
            if subjects and node.dep_ in FRONTED_DEPS:
                if node.i < subjects[0].i and token.i < subjects[0].i:
                    index = state.head_mention.get(subjects[0].i)
                    if index is not None and state.mentions[index].kind == "name":
                        return index
                return None
            if head.dep_ not in FRONTED_DEPS and (
                subjects or node.dep_ not in {"prep", "pobj", "pcomp", "dobj"}
            ):
                return None
        node = head
    return None


def reporting_subject(state: Discourse, token: Token, word: str) -> Cluster | None:
    """Return the previous quote's speaker for the subject of "He added"."""
    if token.i in state.quote_of or token.dep_ not in SUBJ_DEPS:
        return None
    if token.head.lemma_.lower() not in SPEECH_VERBS:
        return None
    before = [q for q in state.quotes if q.end <= token.i and token.i - q.end <= 12]
    if not before or before[-1].speaker is None:
        return None
    ref = state.cluster_at(before[-1].speaker)
    return ref if ref is not None and agrees(state, ref, word) else None


def relative_antecedent(state: Discourse, token: Token) -> Cluster | None:
    """Return the cluster of the noun a relative clause modifies."""
    node = token
    for _ in range(4):
        if node.dep_ == "relcl":
            return state.cluster_at(node.head.i)
        node = node.head
    return None


def is_collective(ref: Cluster) -> bool:
    """Tell a named organisation or country, which "they" may take up.

    A collective noun has notional plural agreement: "Acme says they
    can't", "Russia felt threatened, so they rearmed". The reading costs
    :data:`W_COLLECTIVE`, so a true plural near the pronoun wins.
    """
    return (
        ref.named
        and ref.is_person() is False
        and ref.top_label in {"ORG", "GPE"}
        and not ref.initialism
    )


def collective_reading(
    state: Discourse, token: Token, candidates: Sequence[Cluster], sent: int
) -> bool:
    """Tell a "they" that may take up an organisation or country.

    Not when a named plural or people agrees ("the Ruritanians ... They"),
    nor after a coordination in its sentence ("X, her mother and her
    sister ... their house"): those are the plural it stands for.
    """
    if any(
        ref.named and agrees(state, ref, token.lower_, since=sent - PRONOUN_WINDOW)
        for ref in candidates
    ):
        return False
    return not any(
        t.dep_ == "conj" and t.pos_ in {"NOUN", "PROPN", "PRON"}
        for t in token.sent
        if t.i < token.i
    )


def owned_thing(state: Discourse, ref: Cluster, word: str, sent: int) -> bool:
    """Tell an unnamed noun whose own possessor is a rival for "it".

    "The town's name reflects its history": a thing named only as the
    possession of another ("name" of the town) yields "its" to its
    possessor, the referent the phrase is about, in the pronoun's own
    sentence (a thing named in a sentence before is a topic of its own).
    """
    if ref.kind != "np" or len(ref.history) != 1 or ref.history[0][0] != sent:
        return False
    head = state.doc[ref.history[0][1]]
    for child in head.children:
        if child.dep_ == "poss":
            owner = state.cluster_at(child.i)
            return owner is not None and agrees(state, owner, word)
    return False


def conjunct_owner(state: Discourse, token: Token) -> int | None:
    """Return the referent a possessive's phrase is conjoined to.

    "X and her husband", "X or his heirs": the possessor is the first
    conjunct's referent.
    """
    if token.dep_ != "poss" or token.head.dep_ != "conj":
        return None
    first = token.head.head
    if first.i > token.i or first.pos_ not in {"PROPN", "NOUN"}:
        return None
    ref = state.cluster_at(first.i)
    return ref.id if ref is not None else None


def clause_subjects(state: Discourse, token: Token) -> set[int]:
    """Return the referents of the subject of the pronoun's clause.

    A subject pronoun is its own clause's subject; in a relative clause
    on an argument of the main verb, the main clause's subject is its
    local one ("X called her the best pupil he ever taught": X).
    """
    node = token.head
    if token.dep_ in ARG_DEPS and not is_possessive(token):
        if not (
            token.dep_ in NOMINAL_SUBJ_DEPS
            and node.dep_ == "relcl"
            and node.head.dep_ in OBJ_DEPS | {"dative", "pobj"}
            and node.head.head.pos_ in {"VERB", "AUX", "ADP"}
        ):
            return set()
        node = node.head.head
    for _ in range(6):
        if node.pos_ in {"VERB", "AUX"}:
            break
        if node.head.i == node.i:
            return set()
        node = node.head
    out = set()
    for subj in subjects_of(node):
        if subj.lower_ in RELATIVE_THINGS and subj.head.dep_ == "relcl":
            subj = subj.head.head  # "X, which urged its staff": X urges
        if subj.i < token.i:
            ref = state.cluster_at(subj.i)
            if ref is not None:
                out.add(ref.id)
    return out


@dataclass(frozen=True, slots=True)
class _Pronoun:
    """A pronoun being resolved and the facts every candidate is scored against."""

    token: Token
    word: str
    sent: int
    role: str
    quoted: bool
    local: frozenset[int]


def _bound(state: Discourse, token: Token) -> set[int]:
    """Clusters binding keeps from a non-reflexive pronoun: its co-arguments."""
    excluded: set[int] = set()
    verb = verb_of(token)
    if verb is not None and not is_possessive(token):
        for arg in co_arguments(verb):
            if arg.dep_ in SUBJ_DEPS and token.dep_ in SUBJ_DEPS and arg.i < token.i:
                continue  # "The boss, Ann, she said": a dislocated subject resumed
            if arg.i != token.i:
                other = state.cluster_at(arg.i)
                if other is not None:
                    excluded.add(other.id)
    # nor a phrase it is conjoined with ("she and Ada"); in a long list only
    # the nearest members count
    near = sorted(state.conjuncts(token.i), key=lambda i: abs(i - token.i))
    for conjunct in near[:_NEAREST_CONJUNCTS]:
        other = state.cluster_at(conjunct)
        if other is not None:
            excluded.add(other.id)
    return excluded


def _excluded(state: Discourse, token: Token) -> set[int]:
    """Clusters a pronoun cannot stand for: bound ones, its own phrase, its speaker."""
    excluded = _bound(state, token)
    # i-within-i: not the phrase the pronoun sits in ("her father"), nor the
    # name that phrase is waiting for ("her husband, Tom")
    for containing in state.token_mentions.get(token.i, ()):
        if containing in state.described:
            continue  # "Tom, who said he would": the clause is no phrase of his
        name_index = state.pending_of.get(containing)
        if name_index is not None:
            later = state.mentions[name_index]
            name = parse_name(later.text)
            if name.key:
                person = later.label in PERSON_LABELS
                for ref in match_name(state, name, person, later.text):
                    excluded.add(ref.id)
        if (
            containing in state.cluster_of
            and state.mentions[containing].kind != "pronoun"
        ):
            excluded.add(state.cluster_of[containing])
    quote = state.quote_of.get(token.i)
    if quote is not None and quote.speaker is not None:
        speaker = state.cluster_at(quote.speaker)
        if speaker is not None:
            excluded.add(speaker.id)
    return excluded


#: The clusters a pronoun cannot stand for (also read by :mod:`kg.coref.ranker`).
excluded_clusters = _excluded


def _history_score(
    state: Discourse, pronoun: _Pronoun, ref: Cluster
) -> tuple[float, tuple[int, int, float, str, bool] | None]:
    """Return a cluster's decayed salience before the pronoun, and its last event."""
    score = 0.0
    last: tuple[int, int, float, str, bool] | None = None
    voiced = False
    for h in ref.history:
        if h[1] >= pronoun.token.i or h[0] > pronoun.sent:
            continue
        factor = 0.5 if h[4] and not pronoun.quoted else 1.0
        score += h[2] * factor * DECAY ** (pronoun.sent - h[0])
        if last is None or h[1] > last[1]:
            last = h
    if last is None or (voiced and last[0] < pronoun.sent - PRONOUN_WINDOW):
        return score, None
    return score, last


def _score(
    state: Discourse, pronoun: _Pronoun, ref: Cluster, collective: bool
) -> tuple[float, int] | None:
    """Score one candidate: salience plus the bonuses and costs of its fit.

    Returns the score and the token of its mention in the pronoun's own
    sentence (-1 if none), or None when it was not mentioned before.
    """
    word, sent = pronoun.word, pronoun.sent
    score, last = _history_score(state, pronoun, ref)
    if last is None:
        return None
    score -= W_COLLECTIVE if collective else 0.0
    if last[3] == pronoun.role:
        score += W_PARALLEL
    if ref.id in pronoun.local:
        score += W_LOCAL
    person = ref.is_person()
    if (word not in NEUT | PLUR and person is False) or (word in NEUT and person):
        score -= W_NOT_PERSON
    if gender_clash(ref, word):
        score -= W_WEAK_GENDER
    if last[0] == sent:
        score += W_SAME_SENT
    if ref.named:
        score += W_NAMED
        if (
            word in PLUR
            and set(ref.label_votes) & PEOPLE_LABELS
            and any(key.endswith("s") for key in ref.keys)
        ):
            score += W_PEOPLE  # a people named in the plural, not "some monks"
    return score, last[1] if last[0] == sent else -1


def _candidates(
    state: Discourse, pronoun: _Pronoun
) -> list[tuple[float, int, Cluster]]:
    """Score every agreeing cluster in reach: (score, token in sentence, cluster)."""
    token, word, sent = pronoun.token, pronoun.word, pronoun.sent
    excluded = _excluded(state, token)
    candidates = [
        ref
        for ref in state.recent(sent, PRONOUN_WINDOW)
        if ref.id not in excluded and ref.history
    ]
    collectives = word in PLUR and collective_reading(state, token, candidates, sent)
    scored: list[tuple[float, int, Cluster]] = []
    for ref in candidates:
        if word in NEUT and owned_thing(state, ref, word, sent):
            continue
        collective = False
        if not agrees(state, ref, word, since=sent - PRONOUN_WINDOW):
            if not collectives or not is_collective(ref):
                continue
            collective = True
        found = _score(state, pronoun, ref, collective)
        if found is not None:
            scored.append((found[0], found[1], ref))
    return scored


def _nearest(
    state: Discourse, pronoun: _Pronoun, scored: list[tuple[float, int, Cluster]]
) -> None:
    """Give the nearest referent of the pronoun's own sentence its bonus.

    he/she lean to it, a possessive strongly ("X praised Y's work and her
    ..."); "they" only to a people, from a subordinate clause. A predicate
    nominal ("X was the last Y") describes the subject, and a name modifying
    a noun the thing: neither is a nearer referent.
    """
    doc, token = state.doc, pronoun.token
    nearest = max(
        range(len(scored)),
        key=lambda k: -1 if describes(doc, scored[k][1]) else scored[k][1],
    )
    at = scored[nearest][1]
    inside = doc[at].head if at >= 0 else None
    if (
        inside is not None
        and doc[at].dep_ == "poss"
        and inside.dep_ in NOMINAL_SUBJ_DEPS
        and inside.i < token.i
    ):
        # "his brother kept the grudge until his death": the subject, not
        # the possessor inside it, is the nearer referent
        subject = state.cluster_at(inside.i)
        for k, (score, _at, ref) in enumerate(scored):
            if (
                subject is not None
                and ref.id == subject.id
                and ref.id in pronoun.local
                and k != nearest
            ):
                nearest = k
                scored[k] = (score, at, ref)
                break
    if scored[nearest][1] >= 0 and (
        pronoun.word not in PLUR
        or (
            set(scored[nearest][2].label_votes) & PEOPLE_LABELS
            and in_subordinate_clause(token)
        )
    ):
        score, at, ref = scored[nearest]
        bonus = W_NEAREST if is_possessive(token) else W_NEAREST_ARG
        scored[nearest] = (score + bonus, at, ref)


def best_antecedent(
    state: Discourse, token: Token, word: str, sent: int
) -> Cluster | None:
    """Return the most salient cluster in reach that the pronoun may stand for."""
    _weight, role = role_weight(token)
    pronoun = _Pronoun(
        token=token,
        word=word,
        sent=sent,
        role=role,
        quoted=token.i in state.quote_of,
        local=frozenset(clause_subjects(state, token)),
    )
    partner = conjunct_owner(state, token)
    scored = _candidates(state, pronoun)
    if scored and word in MASC | FEM | PLUR:
        _nearest(state, pronoun, scored)
    for _score, _at, ref in scored:
        if ref.id == partner:
            return ref  # "X and her students": the first conjunct
    if emphatic_possessive(token):
        for _score, _at, ref in scored:
            if ref.id in pronoun.local:
                return ref  # "X took Y's idea for his own book": X
    best = 0.0
    chosen: Cluster | None = None
    for score, _at, ref in scored:
        if score > best:
            best, chosen = score, ref
    return chosen


# -- joining ------------------------------------------------------------------


def join_pronoun(state: Discourse, index: int, ref: Cluster, rule: str) -> None:
    """Put a pronoun on a cluster; he/she vote a person and a gender, "it" no person."""
    span = state.spans[index]
    if span is None:
        return
    token = span.root
    word = token.lower_
    if word in MASC | FEM:
        ref.gender_votes["m" if word in MASC else "f"] += 1
        ref.label_votes["PERSON"] += 1
        ref.person_cues += 1
    elif word in NEUT and ref.named:
        ref.neuter += 1
    sent = state.mentions[index].sent_index
    state.add(ref, index, sent, token, token.i in state.quote_of, rule=rule)


def new_pronoun_cluster(state: Discourse, index: int) -> None:
    """Start a cluster with a pronoun nothing in reach agrees with."""
    span = state.spans[index]
    if span is None:
        return
    word = span.root.lower_
    ref = state.new_cluster("pronoun")
    ref.plural = word in PLUR
    if word in MASC | FEM:
        ref.person = True
    elif word in NEUT:
        ref.person = False
    join_pronoun(state, index, ref, "")


def _root(state: Discourse, index: int) -> Token | None:
    span = state.spans[index]
    return span.root if span is not None else None


@sieve("kg.coref.locative_there.v1", "pronoun")
def locative_there(state: Discourse, index: int) -> bool:
    """Link "there" to the place just named; else it names nothing."""
    token = _root(state, index)
    if token is None or token.lower_ != "there":
        return False
    sent = state.mentions[index].sent_index
    ref = place_antecedent(state, token, sent)
    if ref is not None:
        state.add(ref, index, sent, None, rule="kg.coref.locative_there.v1")
    return True


@sieve("kg.coref.relative_pronoun.v1", "pronoun")
def relative_pronoun(state: Discourse, index: int) -> bool:
    """Link "who", "whom", "whose" to the noun its clause modifies."""
    token = _root(state, index)
    if token is None or token.lower_ not in RELATIVE:
        return False
    ref = relative_antecedent(state, token)
    if ref is None:
        new_pronoun_cluster(state, index)
    else:
        join_pronoun(state, index, ref, "kg.coref.relative_pronoun.v1")
    return True


@sieve("kg.coref.reflexive.v1", "pronoun")
def reflexive(state: Discourse, index: int) -> bool:
    """Link a reflexive ("herself") to the subject of its clause, if they agree."""
    token = _root(state, index)
    if token is None or token.lower_ not in REFLEXIVE:
        return False
    verb = token.head if token.head.pos_ in {"VERB", "AUX"} else verb_of(token)
    subjects = subjects_of(verb) if verb is not None else []
    ref = state.cluster_at(subjects[0].i) if subjects else None
    if ref is None or not agrees(state, ref, token.lower_):
        return False
    join_pronoun(state, index, ref, "kg.coref.reflexive.v1")
    return True


@sieve("kg.coref.pleonastic.v1", "pronoun")
def pleonastic(state: Discourse, index: int) -> bool:
    """Keep a non-referring "it" ("it is clear that ...") from any antecedent."""
    token = _root(state, index)
    if token is None or not is_pleonastic(token):
        return False
    new_pronoun_cluster(state, index)
    return True


@sieve(CATAPHORA, "pronoun")
def cataphora(state: Discourse, index: int) -> bool:
    """Make a pronoun in a fronted adjunct wait for the name that follows it."""
    token = _root(state, index)
    if token is None or token.lower_ in PLUR:
        return False
    later = cataphor(state, token)
    if later is None:
        return False
    state.pending_pronouns.setdefault(later, []).append(index)
    return True


@sieve("kg.coref.reporting_subject.v1", "pronoun")
def reporting_subject_sieve(state: Discourse, index: int) -> bool:
    """Link the subject of "he added" to the speaker of the quotation before."""
    token = _root(state, index)
    if token is None:
        return False
    ref = reporting_subject(state, token, token.lower_)
    if ref is None:
        return False
    join_pronoun(state, index, ref, "kg.coref.reporting_subject.v1")
    return True


@sieve("kg.coref.pronoun_salience.v1", "pronoun")
def pronoun_salience(state: Discourse, index: int) -> bool:
    """Link a pronoun to the most salient agreeing referent binding allows."""
    token = _root(state, index)
    if token is None:
        return False
    sent = state.mentions[index].sent_index
    ref = best_antecedent(state, token, token.lower_, sent)
    if ref is None:
        return False
    join_pronoun(state, index, ref, "kg.coref.pronoun_salience.v1")
    return True
