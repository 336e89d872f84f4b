"""A learned mention-ranking model for definite descriptions.

After Durrett and Klein (2013): a singular definite description ("the
company", "this hotel", "the old mill") is compared with every named cluster
it may describe, each pair a vector of simple, general features
(:func:`candidate_pairs`):

- head match: the description's head noun is a word the cluster was called
  ("X is a bakery ... the bakery") or the noun that heads its name ("X
  Airport ... the airport");
- class compatibility: the classes the ontology lists the head noun under
  (``kgo:classNoun``) against the class of the cluster's NER votes and of its
  known names ("the company" is no city), and the coarse class of the noun
  against the cluster's labels;
- agreement: number and gender;
- distance in sentences, tokens and mentions, and recency rank among the
  candidates;
- salience: decayed salience (as the pronoun sieves keep it), mention count,
  whether the candidate is the most salient;
- grammatical role of the description and of the candidate's last mention;
- what the rule sieves would choose (the definite-description and head-noun
  sieves' picks), so the model learns when to trust them;
- the description itself: its determiner (the / this / our), whether it has
  modifiers (adjectives, compounds, a prepositional phrase, a relative
  clause), which say it may well be a new entity.

The head-noun and class features appear alone and conjoined with the
description's coarse class (person, organisation, place, other), so each
class learns its own weights for them. The "new entity" option is the
threshold: a description whose best candidate scores below it is not linked
by the ranker. The mention-level features (modifiers, determiner) are in
every pair, so the probability also says how likely the description is to
refer back at all. The sieve (:mod:`kg.coref.sieves.ranked`) stands before
the definite-description sieve in the optional order
:data:`kg.coref.sieves.DESCRIPTION_RANKER_ORDER`; what it does not link goes
on to the rule sieves, unless the weights file sets a ``veto`` and the rules'
pick scores below it (then the description starts an entity of its own).

The weights are a small JSON data file in the package
(``kg/coref/data/description-ranker.json``), written by
``python -m kg.coref.train_ranker --kind description``; scoring is a dot
product in pure Python (:class:`kg.coref.ranker.RankerModel`).

Examples
--------
>>> model = load_description_model()
>>> model.threshold > 0.5
True
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from importlib import resources

from spacy.tokens import Span, Token

from kg.coref.grammar import role_weight, span_head
from kg.coref.ranker import Pair, RankerModel, read_model
from kg.coref.sieves.descriptions import (
    antecedent_of_description,
    is_definite,
    name_with_head,
)
from kg.coref.state import Cluster, Discourse
from kg.coref.words import DEFINITE
from kg.mentions import FEMALE_NOUNS, MALE_NOUNS, nominal_class
from kg.ontology import load_ontology

__all__ = [
    "DESCRIPTION_MODEL_RESOURCE",
    "DESCRIPTION_REACH",
    "candidate_pairs",
    "description_class",
    "is_ranked_description",
    "load_description_model",
]

#: The packaged weights file, relative to ``kg/coref``.
DESCRIPTION_MODEL_RESOURCE = "data/description-ranker.json"
#: Sentences back a named cluster stays a candidate (one called by the
#: description's noun or named by it stays one however far back).
DESCRIPTION_REACH = 6

Features = dict[str, float]

_DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
_MODIFIER_DEPS = frozenset({"amod", "compound", "nummod", "npadvmod", "nmod"})
_CLAUSE_DEPS = frozenset({"relcl", "acl"})


def description_class(label: str) -> str:
    """Return the coarse class a description's features are conjoined with.

    Examples
    --------
    >>> [description_class(x) for x in ("PERSON", "ORG", "GPE", "")]
    ['person', 'org', 'place', 'other']
    """
    if label == "PERSON":
        return "person"
    if label in {"ORG", "NORP"}:
        return "org"
    if label in {"GPE", "LOC", "FAC"}:
        return "place"
    return "other"


def _determiner(head: Token) -> str:
    """Return the description's determiner: ``the``, ``dem``, ``poss`` or ``""``."""
    for child in head.lefts:
        if child.dep_ == "det":
            word = child.lower_
            if word in _DEMONSTRATIVES:
                return "dem"
            return "the" if word in DEFINITE else ""
        if child.dep_ == "poss" and child.tag_ == "PRP$":
            return "poss"
    return ""


def is_ranked_description(span: Span) -> bool:
    """Tell a singular definite common-noun phrase the ranker may link.

    Examples
    --------
    >>> doc = nlp("The company grew. A firm grew. Its owner left.")
    >>> [is_ranked_description(doc[s:s + 2]) for s in (0, 4, 8)]
    [True, False, False]
    """
    head = span_head(span)
    if head.pos_ != "NOUN" or head.tag_ != "NN":
        return False
    return _determiner(head) in {"the", "dem"}


@dataclass(frozen=True, slots=True)
class _Description:
    """The description being resolved and what candidates are compared with."""

    index: int
    head: Token
    sent: int
    word: str
    lemma: str
    cls: str
    role: str
    quoted: bool
    gender: str | None
    noun_classes: tuple[str, ...]
    inside: frozenset[int]
    shape: Features  # the description's own features (modifiers, determiner)


def _shape(head: Token, span: Span) -> Features:
    """Return the description's own features: determiner and modifiers."""
    lefts = [c for c in head.lefts if c.dep_ in _MODIFIER_DEPS]
    rights = list(head.rights)
    f: Features = {
        "det_" + (_determiner(head) or "none"): 1.0,
        "modifiers": math.log1p(len(lefts)),
        "adjective": float(any(c.dep_ == "amod" for c in lefts)),
        "compound": float(any(c.dep_ == "compound" for c in lefts)),
        "prep_after": float(any(c.dep_ == "prep" for c in rights)),
        "clause_after": float(any(c.dep_ in _CLAUSE_DEPS for c in rights)),
        "long_phrase": float(len(span) > 3),
        "unclassed_noun": float(not nominal_class(head.lemma_)),
    }
    return {k: v for k, v in f.items() if v}


def _describe(state: Discourse, index: int, span: Span) -> _Description:
    head = span_head(span)
    lemma = head.lemma_.lower()
    _weight, role = role_weight(head)
    return _Description(
        index=index,
        head=head,
        sent=state.mentions[index].sent_index,
        word=head.lower_,
        lemma=lemma,
        cls=state.mentions[index].label or nominal_class(lemma),
        role=role,
        quoted=head.i in state.quote_of,
        gender="f" if lemma in FEMALE_NOUNS else "m" if lemma in MALE_NOUNS else None,
        noun_classes=load_ontology().classes_for_noun(lemma),
        inside=frozenset(state.clusters_inside(span)),
        shape=_shape(head, span),
    )


def _candidates(state: Discourse, desc: _Description) -> list[Cluster]:
    """Named clusters mentioned before the description and in reach of it."""
    ids = {r.id for r in state.recent(desc.sent, DESCRIPTION_REACH)}
    ids |= set(state.by_role.get(desc.lemma, ()))
    ids |= set(state.clusters_by_last_word.get(desc.word, ()))
    out: list[Cluster] = []
    for r in sorted(ids):
        ref = state.clusters[r]
        if (
            ref.named
            and ref.history
            and ref.id not in desc.inside
            and ref.last_token < desc.head.i
        ):
            out.append(ref)
    return out


def _class_fit(desc: _Description, ref: Cluster) -> str:
    """Return how the head noun's classes fit the cluster's: yes, no or unknown."""
    if not desc.noun_classes:
        return "unknown"
    onto = load_ontology()
    known = set(ref.known_classes)
    voted = onto.class_for_ner_label(ref.top_label) if ref.label_votes else None
    if voted is not None:
        known.add(voted)
    if not known:
        return "unknown"
    fits = any(
        onto.is_a(k, c) or onto.is_a(c, k) for k in known for c in desc.noun_classes
    )
    return "yes" if fits else "no"


def _label_fit(desc: _Description, ref: Cluster) -> str:
    """Return how the description's coarse class fits the cluster's labels."""
    person = ref.is_person()
    if desc.cls == "PERSON":
        return "yes" if person else "no" if person is False else "unknown"
    if not desc.cls:
        return "unknown"
    if person:
        return "no"
    labels = set(ref.label_votes)
    families = {
        "ORG": {"ORG", "NORP", "FAC"},
        "GPE": {"GPE", "LOC", "FAC"},
        "WORK_OF_ART": {"WORK_OF_ART", "PRODUCT", "LAW"},
        "EVENT": {"EVENT"},
    }
    return "yes" if labels & families.get(desc.cls, {desc.cls}) else "no"


def _named_by(desc: _Description, ref: Cluster) -> bool:
    """Tell a cluster whose name ends in the description's head noun."""
    return any(
        (words := key.split()) and words[-1] in {desc.word, desc.lemma}
        for key in ref.keys
    )


def _last(ref: Cluster, before: int) -> tuple[int, int, float, str, bool] | None:
    """Return the cluster's last mention event before token ``before``."""
    events = [h for h in ref.history if h[1] < before]
    return max(events, key=lambda h: h[1]) if events else None


def _pair_features(
    state: Discourse,
    desc: _Description,
    ref: Cluster,
    last: tuple[int, int, float, str, bool],
) -> Features:
    """Return the features of one (description, cluster) pair."""
    dist = desc.sent - last[0]
    between = max(desc.index - last_mention(state, ref, desc.head.i), 0)
    class_fit = _class_fit(desc, ref)
    label_fit = _label_fit(desc, ref)
    return {
        f"sent_dist_{min(dist, 4)}": 1.0,
        "token_dist": math.log1p(max(desc.head.i - last[1], 0)) / 5.0,
        "mention_dist": math.log1p(between) / 4.0,
        "called_so": float(desc.lemma in ref.roles),
        "named_by_head": float(_named_by(desc, ref)),
        "class_" + class_fit: 1.0,
        "label_" + label_fit: 1.0,
        "gender_clash": float(
            desc.gender is not None
            and ref.gender is not None
            and ref.gender != desc.gender
        ),
        "plural_cand": float(ref.plural or ref.plural_form),
        "cand_role_" + last[3]: 1.0,
        "parallel_role": float(last[3] == desc.role),
        "quote_mismatch": float(last[4] != desc.quoted),
        "cand_person": float(ref.is_person() is True),
        "mentions": math.log1p(len(ref.mentions)) / 3.0,
    }


def last_mention(state: Discourse, ref: Cluster, before: int) -> int:
    """Return the index of the cluster's last mention starting before token ``before``.

    Mentions are in text order, so the mentions between it and a later
    mention are a slice of ``state.mentions``.
    """
    best = 0
    for m in ref.mentions:
        span = state.spans[m]
        if span is not None and span.start < before and m > best:
            best = m
    return best


def _rule_picks(
    state: Discourse, index: int, span: Span, head: Token
) -> tuple[int | None, int | None]:
    """Return the clusters the rule sieves would pick (description, head noun).

    What :func:`~kg.coref.sieves.descriptions.antecedent_of_description` and
    :func:`~kg.coref.sieves.descriptions.name_with_head` choose are features:
    the model learns when to trust them, and what to link where they choose
    nothing.
    """
    described = (
        antecedent_of_description(state, index, span, head)
        if is_definite(span, head)
        else None
    )
    headed = name_with_head(state, span, head)
    return (
        described.id if described is not None else None,
        headed.id if headed is not None else None,
    )


#: The features also conjoined with the description's class: the head-noun
#: and class evidence, whose weight differs by class ("the city" and "the
#: company" are sure cues, "the man" a weak one); the others are shared, so
#: the few training descriptions of each class do not learn their quirks.
CONJOINED = frozenset(
    {
        "called_so",
        "named_by_head",
        "class_yes",
        "class_no",
        "label_yes",
        "label_no",
        "rule_description",
        "rule_head_noun",
    }
)


def _conjoin(features: Features, cls: str) -> Features:
    out: Features = {"bias|" + cls: 1.0}
    for name, value in features.items():
        if value:
            out[name] = value
            if name in CONJOINED:
                out[f"{name}|{cls}"] = value
    return out


def candidate_pairs(state: Discourse, index: int) -> list[Pair]:
    """Return the named clusters a description may describe, with their features.

    Candidates are the named clusters mentioned in the last
    :data:`DESCRIPTION_REACH` sentences, or ever called by the description's
    head noun or named by it, before the description and not inside it.

    Examples
    --------
    >>> from kg.coref.state import build_discourse
    >>> from kg.coref.resolve import run_sieves
    >>> from kg.mentions import extract_mentions
    >>> doc = nlp("Norvale Industries makes drills. The firm was founded in 1950.")
    >>> state = build_discourse(doc, list(extract_mentions(doc)))
    >>> run_sieves(state, ())  # no sieve: each mention a cluster of its own
    >>> pairs = candidate_pairs(state, 1)
    >>> [(sorted(p.cluster.keys), p.features["label_yes"]) for p in pairs]
    [(['norvale industries'], 1.0)]
    """
    span = state.spans[index]
    if span is None:
        return []
    desc = _describe(state, index, span)
    refs = _candidates(state, desc)
    events = [(ref, _last(ref, desc.head.i)) for ref in refs]
    found = [(ref, last) for ref, last in events if last is not None]
    if not found:
        return []
    salience = {ref.id: state.salience(ref, desc.sent) for ref, _l in found}
    top = max(salience.values())
    by_recency = sorted(found, key=lambda x: -x[1][1])
    rank = {ref.id: k for k, (ref, _l) in enumerate(by_recency)}
    fitting = sum(1 for ref, _l in found if _label_fit(desc, ref) != "no")
    picks = _rule_picks(state, index, span, desc.head)
    cls = description_class(desc.cls)
    pairs: list[Pair] = []
    for ref, last in found:
        f = _pair_features(state, desc, ref, last)
        f.update(desc.shape)
        f["salience"] = math.log1p(salience[ref.id]) / 6.0
        f["most_salient"] = float(salience[ref.id] == top)
        f[f"recency_rank_{min(rank[ref.id], 3)}"] = 1.0
        f["fitting_candidates"] = math.log1p(fitting) / 3.0
        f["desc_role_" + desc.role] = 1.0
        f["rule_description"] = float(picks[0] == ref.id)
        f["rule_head_noun"] = float(picks[1] == ref.id)
        f["rule_none"] = float(picks == (None, None))
        pairs.append(Pair(ref, last[1], _conjoin(f, cls)))
    return pairs


@functools.cache
def load_description_model() -> RankerModel:
    """Load the packaged description-ranker weights (once per process)."""
    ref = resources.files("kg.coref").joinpath(DESCRIPTION_MODEL_RESOURCE)
    with resources.as_file(ref) as path:
        return read_model(path)
