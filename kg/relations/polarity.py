"""Polarity and modality of a clause: negated, asked, hedged, reported."""

from __future__ import annotations

from spacy.tokens import Token

from kg.relations.parse import (
    _OBJ_DEPS,
    _SUBJ_DEPS,
    _is_noun_complement,
)
from kg.types import (
    Modality,
)

__all__: list[str] = []


#: Modal auxiliaries and adverbs that hedge a statement (closed word classes).
_HEDGE_WORDS = frozenset(
    {
        "may",
        "might",
        "could",
        "would",
        "should",
        "perhaps",
        "possibly",
        "probably",
        "reportedly",
        "allegedly",
        "apparently",
        "likely",
        "maybe",
        "supposedly",
    }
)


#: Verbs of asking, wanting and trying: "asks X to help Y" does not state that
#: X helps Y (a closed class of control verbs).
_IRREALIS_VERBS = frozenset(
    {
        "ask",
        "urge",
        "beg",
        "request",
        "implore",
        "want",
        "wish",
        "hope",
        "try",
        "attempt",
        "plan",
        "intend",
        "seek",
        "expect",
        "encourage",
        "persuade",
        "invite",
        "advise",
        "order",
        "demand",
        "threaten",
        "offer",
        "promise",
        "propose",
        "agree",
        "aim",
        "vow",
        "pledge",
        "prepare",
        "consider",
        "decide",
        "need",
    }
)


#: Verbs whose complement did not happen: "refused to pay Y" (negative
#: implicatives, a closed class).
_NEGATIVE_VERBS = frozenset({"refuse", "decline", "fail", "neglect", "forget", "avoid"})


def _inflections(lemmas: frozenset[str]) -> frozenset[str]:
    """Regular inflected forms of verb lemmas.

    The small pipeline's lemmatiser misreads some forms ("hopes" as "hop"),
    so a closed verb class is matched on the word form too.

    Examples
    --------
    >>> sorted(_inflections(frozenset({"hope", "try"})))[:4]
    ['hope', 'hoped', 'hopes', 'hoping']
    """
    forms = set(lemmas)
    for w in lemmas:
        stem = w[:-1] if w.endswith("e") else w
        forms.update({w + "s", stem + "ed", stem + "ing"})
        if w.endswith("y"):
            forms.update({w[:-1] + "ies", w[:-1] + "ied"})
    return frozenset(forms)


_IRREALIS_FORMS = _inflections(_IRREALIS_VERBS)


_NEGATIVE_FORMS = _inflections(_NEGATIVE_VERBS)


def _head_verb_in(verb: Token, lemmas: frozenset[str], forms: frozenset[str]) -> bool:
    """Tell whether a to-infinitive hangs on a verb of a closed class."""
    head = verb.head
    return (
        verb.dep_ in {"xcomp", "ccomp", "advcl"}
        and head.i != verb.i
        and (head.lemma_.lower() in lemmas or head.lower_ in forms)
        and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    )


def _modality(verb: Token) -> Modality:
    """Hedged by a modal or hedging adverb, reported under a speech frame."""
    node: Token | None = verb
    for _ in range(6):
        if node is None:
            break
        for child in node.children:
            if child.dep_ in {"aux", "advmod"} and child.lower_ in _HEDGE_WORDS:
                return "hedged"
        if node.dep_ == "conj":
            node = node.head
            continue
        break
    node = verb
    for _ in range(6):
        if _head_verb_in(node, _IRREALIS_VERBS, _IRREALIS_FORMS):
            return "hedged"  # "asked you to help me": asked for, not stated
        if node.dep_ in {"ccomp", "parataxis"} and node.head.i != node.i:
            return "reported"
        if any(
            c.dep_ in {"ccomp", "parataxis"}
            and c.i > node.i
            and any(g.dep_ in _SUBJ_DEPS for g in c.children)
            and not any(g.dep_ in _OBJ_DEPS | {"ccomp"} for g in c.children)
            and any(g.is_punct for g in c.doc[node.i : c.i])
            for c in node.children
        ):
            return "reported"
        if any(c.dep_ == "prep" and c.lower_ == "according" for c in node.children):
            return "reported"
        if (
            node.dep_ in {"acl", "ccomp"} and node.head.pos_ == "NOUN"
        ) or _is_noun_complement(node):
            return "reported"  # "their belief that X", "the claim that X"
        if node.dep_ in {"conj", "xcomp", "advcl"} and node.head.i != node.i:
            node = node.head
            continue
        break
    return "asserted"


def _is_negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)
