"""Polarity and modality of a clause: negated, asked, conditional, hedged, reported.

:func:`clause_modality` reads a verb's clause, in this order:

* ``negated``: a negation on the verb ("not", "never", "no longer"), a
  negative subject or object ("nobody", "no ties"), "without doing", a
  negative or implicative verb above it ("failed to pay", "denied owning",
  "stopped supporting"), or a negated verb it is the complement of ("did
  not want to buy");
* ``question``: the clause is in a sentence ending in "?", or embedded by
  "whether";
* ``hedged``: a modal or hedging adverb ("may", "reportedly"), a verb of
  asking, wanting or intending above it ("asked X to help Y", "plans to
  buy Y"), a condition ("if X buys Y, ...", and the clause it conditions);
* ``reported``: the clause is what someone says, claims or believes ("X
  said that ...", "according to X", "the claim that ...", or it stands in
  quotation marks);
* otherwise ``asserted``.

The word lists are ``ontology/lexicons/{negative-words, negative-verbs,
hedge-words, irrealis-verbs, conditional-marks, question-marks}.txt``.
"""

from __future__ import annotations

import functools

from spacy.tokens import Token

from kg.lexicon import load_mapping, load_words
from kg.relations.parse import _OBJ_DEPS, _SUBJ_DEPS, _is_noun_complement
from kg.types import Modality

__all__ = ["clause_modality", "phrase_modality"]

#: How far up a chain of conjoined or controlled verbs a reading may look.
_MAX_CHAIN = 6
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp", "advcl", "pcomp"})
#: How far around a verb quotation marks are counted (tokens each side).
_QUOTE_WINDOW = 150


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
        if w.endswith("p"):
            forms.update({w + "ped", w + "ping"})  # "stopped"
    return frozenset(forms)


@functools.cache
def _verbs(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """Return a verb lexicon's lemmas and their inflected forms."""
    lemmas = load_words(name)
    return lemmas, _inflections(lemmas)


def _head_verb_in(verb: Token, lexicon: str, *, gerund: bool = False) -> bool:
    """Tell whether a to-infinitive (or a gerund) hangs on a verb of a lexicon."""
    head = verb.head
    lemmas, forms = _verbs(lexicon)
    if verb.dep_ not in _COMPLEMENT_DEPS - {"pcomp"} or head.i == verb.i:
        return False
    if head.lemma_.lower() not in lemmas and head.lower_ not in forms:
        return False
    infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
    return infinitive or (gerund and verb.tag_ == "VBG")


def _negative_word(token: Token) -> bool:
    words = load_words("negative-words")
    return token.lower_ in words or token.text.lower().replace("’", "'") in words


def _negates(verb: Token) -> bool:
    """Tell whether a verb's own dependents negate it."""
    for child in verb.children:
        if child.dep_ == "neg":
            return True
        # "no longer": the parser hangs "no" on "longer"
        if child.dep_ == "advmod" and (
            _negative_word(child) or any(g.dep_ == "neg" for g in child.children)
        ):
            return True
        if child.dep_ in _SUBJ_DEPS | {"dobj"} and (
            _negative_word(child)
            or any(g.dep_ == "det" and _negative_word(g) for g in child.children)
        ):
            return True  # "nobody owns Y", "X has no ties to Y"
    return False


def _is_negated(verb: Token) -> bool:
    """Tell whether a verb's clause is negated (its own words or the verb above).

    Examples
    --------
    >>> _is_negated(nlp("She no longer owns the farm.")[3])
    True
    >>> _is_negated(nlp("She refused to sell the farm.")[3])
    True
    """
    node = verb
    for _ in range(_MAX_CHAIN):
        if _negates(node):
            return True
        if node.dep_ == "pcomp" and node.head.lower_ == "without":
            return True  # "left without paying Y"
        if _head_verb_in(node, "negative-verbs", gerund=True):
            return True  # "refused to pay Y", "denied owning Y"
        if node.dep_ in {"xcomp", "ccomp"} and node.head.i != node.i:
            if node.dep_ == "ccomp" and not any(
                c.dep_ == "aux" and c.tag_ == "TO" for c in node.children
            ):
                return False  # "X did not say that Y owns Z": Y's clause stands
            node = node.head  # "did not want to support Y"
            continue
        return False
    return False


def _is_question(verb: Token) -> bool:
    """Tell whether a verb's clause is asked: a "?" sentence, or "whether"."""
    sent = verb.sent
    last = next((t for t in reversed(sent) if not (t.is_quote or t.is_space)), sent[-1])
    if last.text == "?":
        return True
    marks = load_words("question-marks")
    node = verb
    for _ in range(_MAX_CHAIN):
        if node.dep_ == "ccomp" and any(
            c.dep_ == "mark" and c.lower_ in marks for c in node.children
        ):
            return True  # "asked whether X owns Y"
        if node.dep_ in {"conj", "xcomp"} and node.head.i != node.i:
            node = node.head
            continue
        return False
    return False


def _is_conditional(verb: Token) -> bool:
    """Tell whether a clause is a condition or the clause a condition governs."""
    marks = load_words("conditional-marks")

    def marked(tok: Token) -> bool:
        return tok.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in marks for c in tok.children
        )

    return marked(verb) or any(marked(c) for c in verb.children)


def _in_quotes(verb: Token) -> bool:
    """Tell whether a verb stands between quotation marks in its sentence."""
    sent = verb.sent
    start = max(sent.start, verb.i - _QUOTE_WINDOW)
    end = min(sent.end, verb.i + 1 + _QUOTE_WINDOW)
    before = sum(1 for t in sent.doc[start : verb.i] if t.is_quote)
    after = sum(1 for t in sent.doc[verb.i + 1 : end] if t.is_quote)
    return before % 2 == 1 and after >= 1


def _is_hedged(verb: Token) -> bool:
    """Tell whether a modal or hedging adverb is on the verb (or its conjunct head)."""
    words = load_words("hedge-words")
    node = verb
    for _ in range(_MAX_CHAIN):
        if any(
            c.dep_ in {"aux", "advmod"} and c.lower_ in words for c in node.children
        ):
            return True
        if node.dep_ != "conj" or node.head.i == node.i:
            return False
        node = node.head
    return False


def _reports(node: Token) -> bool:
    """Tell whether a verb introduces reported speech after it ("..., X said")."""
    return any(
        c.dep_ in {"ccomp", "parataxis"}
        and c.i > node.i
        and any(g.dep_ in _SUBJ_DEPS for g in c.children)
        and not any(g.dep_ in _OBJ_DEPS | {"ccomp"} for g in c.children)
        and any(g.is_punct for g in c.doc[node.i : c.i])
        for c in node.children
    )


def _alleges(prep: Token) -> bool:
    """Tell whether a preposition brings the deed of a charge.

    "charged with", "accused of", "suspected of" (the phrases of
    ``relation-charge-phrases``): the deed it introduces is what the charge
    says, not a fact the sentence states.
    """
    key = f"{prep.head.lemma_.lower()} {prep.lower_}"
    return key in load_mapping("relation-charge-phrases")


def _chain_modality(verb: Token) -> Modality:
    """Hedged or reported by the verbs above: asking, saying, believing."""
    node = verb
    for _ in range(_MAX_CHAIN):
        if _head_verb_in(node, "irrealis-verbs"):
            return "hedged"  # "asked you to help me": asked for, not stated
        if _is_conditional(node):
            return "hedged"
        if node.dep_ in {"ccomp", "parataxis"} and node.head.i != node.i:
            return "reported"
        if _reports(node):
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
        if node.dep_ == "pcomp" and node.head.dep_ == "prep":
            if _alleges(node.head):
                return "hedged"  # "charged with killing Y": a charge, not a deed
            # "after pointing a gun at Y": the clause the preposition modifies
            node = node.head.head
            continue
        break
    return "asserted"


def phrase_modality(verb: Token) -> Modality:
    """Modality of a noun phrase's facts under a verb: hedged or reported only.

    What a noun phrase presupposes ("the zoo owner X") holds whether or not
    the clause around it is negated or asked; a hedge or a report still
    weakens it.

    Examples
    --------
    >>> phrase_modality(nlp("She may meet the owner of the farm.")[2])
    'hedged'
    """
    if _is_hedged(verb):
        return "hedged"
    return _chain_modality(verb)


def clause_modality(verb: Token) -> Modality:
    """Return the modality of a verb's clause (see the module notes).

    Examples
    --------
    >>> clause_modality(nlp("She no longer owns the farm.")[3])
    'negated'
    >>> clause_modality(nlp("Did she buy the farm?")[2])
    'question'
    >>> clause_modality(nlp("She reportedly bought the farm.")[2])
    'hedged'
    >>> clause_modality(nlp("She bought the farm.")[1])
    'asserted'
    """
    if _is_negated(verb):
        return "negated"
    if _is_question(verb):
        return "question"
    modality = phrase_modality(verb)
    if modality == "asserted" and _in_quotes(verb):
        return "reported"
    return modality
