"""Parse helpers of coreference: label sets and questions about a dependency parse.

Pure functions over spaCy tokens and spans: who the subjects of a verb are,
whether a pronoun is possessive or pleonastic, which role a mention plays (its
salience weight after Lappin and Leass, 1994), whether a phrase names a parent,
and the like. Every walk over the tree is a bounded loop, never a recursion.

Examples
--------
>>> doc = nlp("Ada urged Tom to leave.")
>>> [t.text for t in subjects_of(doc[4])]
['Tom']
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from kg.coref.words import (
    CHILD_NOUNS,
    OFFSPRING_NOUNS,
    POSSESSIVE_FORMS,
    QUANTITY_NOUNS,
    RESULT_VERBS,
)

__all__ = [
    "APPOSED_DEPS",
    "ARG_DEPS",
    "BARE_NOUN_DEPS",
    "FRONTED_DEPS",
    "GROUP_LABELS",
    "LARGE_PLACES",
    "NOMINAL_SUBJ_DEPS",
    "NO_CHILD_TYPES",
    "OBJ_DEPS",
    "PEOPLE_LABELS",
    "PERSON_LABELS",
    "PLACE_CLASSES",
    "PLACE_LABELS",
    "QUOTE_CHARS",
    "SUBJ_DEPS",
    "bare_title",
    "child_of",
    "co_arguments",
    "content_words",
    "describes",
    "emphatic_possessive",
    "in_subordinate_clause",
    "is_plural_name",
    "is_pleonastic",
    "is_possessive",
    "names_a_parent",
    "nominal_bounds",
    "parent_phrase",
    "quantity_of_plural",
    "role_weight",
    "same_phrase",
    "span_head",
    "subjects_of",
    "verb_of",
]

#: Steps a walk up the parse takes at most (a coordination or a chain of
#: appositives longer than this is not followed to its top).
_MAX_HOPS = 10
SUBJ_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
NOMINAL_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJ_DEPS = frozenset({"dobj", "attr", "oprd"})
ARG_DEPS = SUBJ_DEPS | OBJ_DEPS | frozenset({"dative"})
PERSON_LABELS = frozenset({"PERSON"})
GROUP_LABELS = frozenset({"ORG", "NORP"})
PEOPLE_LABELS = frozenset({"NORP"})  # names of peoples: "they" without a plural form
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: classes of a common noun that names no person ("square", "company")
PLACE_CLASSES = frozenset({"GPE", "ORG", "WORK_OF_ART", "EVENT"})
LARGE_PLACES = frozenset({"Country", "Continent"})
#: dependents that leave a noun saying no more than its head ("the site's")
BARE_NOUN_DEPS = frozenset({"det", "poss", "amod", "punct", "case"})
#: entity types of a word no child noun is apposed to ("born on 2 May, the son")
NO_CHILD_TYPES = frozenset({"DATE", "TIME", "GPE"})
APPOSED_DEPS = frozenset({"appos", "compound", "flat"})
FRONTED_DEPS = frozenset({"prep", "advcl", "advmod", "npadvmod"})
QUOTE_CHARS = frozenset({'"', "“", "”", "``", "''"})
#: Salience of a subject mention over the base recency weight.
W_SUBJECT = 130.0
#: Salience of a mention that heads its phrase (not a possessor, compound, ...).
W_HEAD = 80.0


def parent_phrase(token: Token) -> Token | None:
    """Return the child noun (or "born") whose parent the token names, if any.

    "the daughter of X and Y", "a son of X", "born to X and his wife, Y": the
    phrase is about the child, and the parents are embedded in it (conjuncts
    and appositives too).
    """
    for _ in range(_MAX_HOPS):
        if token.dep_ not in {"conj", "appos"} or token.head.i >= token.i:
            break
        token = token.head  # "X and his wife, Y"
    if token.dep_ != "pobj":
        return None
    prep, noun = token.head.lower_, token.head.head
    if noun.lemma_.lower() in OFFSPRING_NOUNS and prep in {"of", "to"}:
        return noun
    if prep == "to" and noun.lower_ == "born":
        return noun
    return None


def names_a_parent(token: Token) -> bool:
    """Tell a name given as a parent ("a son of X", "born to X"), no grandparent.

    >>> doc = nlp("Ann was a daughter of Tom Hale.")
    >>> names_a_parent(doc[6]), names_a_parent(doc[0])
    (True, False)
    """
    phrase = parent_phrase(token)
    if phrase is None:
        return False
    return phrase.lower_ == "born" or phrase.lemma_.lower() in CHILD_NOUNS


def child_of(phrase: Token) -> Token | None:
    """Return who a child noun or "born" is said of ("X is the son of", "X, son of").

    The subject of "born" or of the copula the noun is predicated by, or the
    name the noun is apposed to.
    """
    if phrase.pos_ == "VERB":
        if phrase.dep_ == "acl" and phrase.head.i < phrase.i:
            return phrase.head
        subjects = subjects_of(phrase)
        return subjects[0] if subjects else None
    for _ in range(_MAX_HOPS):
        if phrase.dep_ != "conj" or phrase.head.i >= phrase.i:
            break
        phrase = phrase.head
    if phrase.dep_ in {"attr", "oprd"} or (
        # "X was born in 1754, the son of Y": the noun phrase loosely added
        # to the clause is said of its subject
        phrase.dep_ == "npadvmod" and phrase.head.pos_ == "VERB"
    ):
        subjects = subjects_of(phrase.head)
        return subjects[0] if subjects else None
    if phrase.dep_ == "appos":
        owner = phrase.head
        if owner.ent_type_ in NO_CHILD_TYPES:
            # "X was born in Paris on 2 May 1754, the son of Y": the parse
            # hangs the child noun on the date or place closing the clause,
            # and no date or town is anyone's son; the clause's subject is
            for _ in range(_MAX_HOPS):
                if owner.dep_ in {"ROOT", "conj"} or owner.pos_ in {"VERB", "AUX"}:
                    break
                owner = owner.head
            subjects = subjects_of(owner) if owner.pos_ in {"VERB", "AUX"} else []
            return subjects[0] if subjects else None
        return owner
    return None


def role_weight(token: Token) -> tuple[float, str]:
    """Lappin–Leass style salience of a mention from its head's role."""
    dep = token.dep_
    weight = 100.0
    role = "other"
    if dep in SUBJ_DEPS:
        weight += W_SUBJECT
        role = "subj"
    elif dep in OBJ_DEPS:
        weight += 50
        role = "obj"
    elif dep == "dative":
        weight += 40
        role = "obj"
    elif dep == "pobj":
        role = "pobj"
        weight += 20 if token.head.head.pos_ in {"VERB", "AUX"} else 0
    if dep not in {"pobj", "npadvmod", "appos"}:
        weight += 50
    if dep not in {"poss", "compound", "nmod", "pobj", "appos", "conj"}:
        weight += W_HEAD
    return weight, role


def quantity_of_plural(head: Token) -> bool:
    """Tell "a number of doctors", "a handful of firms": a plural, not an "it".

    A noun of quantity followed by "of" and a plural takes the plural's
    agreement ("a number of doctors set up X. ... it" is X).
    """
    return head.lower_ in QUANTITY_NOUNS and any(
        c.dep_ == "prep"
        and c.lower_ == "of"
        and any(o.dep_ == "pobj" and o.tag_ in {"NNS", "NNPS"} for o in c.children)
        for c in head.children
    )


def is_possessive(token: Token) -> bool:
    """Tell a possessive pronoun, also one the parser took for an argument.

    "X launched his own campaign" parsed with "his" as the object: the word
    is still a possessive, so binding does not keep it from X.
    """
    return token.dep_ == "poss" or token.lower_ in POSSESSIVE_FORMS


def emphatic_possessive(token: Token) -> bool:
    """Tell "his own", "their own": bound like a reflexive to the clause subject."""
    return (
        is_possessive(token)
        and token.i + 1 < len(token.doc)
        and token.doc[token.i + 1].lower_ == "own"
    )


def is_plural_name(span: Span, label: str) -> bool:
    """Tell a name in plural form: "the Varda Islands", "Ruritanians are ...".

    Its head ends in "s" and is tagged a plural proper noun or is the subject
    of a plural verb ("are", "were", "have"); a name the tagger took for a
    person's is plural only after "the" ("the Korvanis are"): a surname such
    as "Hayes" is often tagged a plural noun, and a misparse gives it a
    plural verb.
    """
    head = span.root
    if not head.text.endswith("s") or head.text.isupper():
        return False
    doc = span.doc
    article = span.start > 0 and doc[span.start - 1].lower_ == "the"
    if label in PERSON_LABELS and not article:
        return False  # one person's surname ("Hayes"), whatever the verb says
    if head.tag_ == "NNPS" and label not in PERSON_LABELS:
        return True
    if head.dep_ not in NOMINAL_SUBJ_DEPS or head.head.i < head.i:
        return False
    verb = head.head
    finite = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}] or [verb]
    return finite[0].tag_ == "VBP" or finite[0].lower_ == "were"


def bare_title(head: Token) -> bool:
    """Return whether a capitalised noun is a bare indefinite title ("a Dame").

    "She was made a Dame", "he was named a Knight": a title noun with only an
    indefinite article is a rank said of the subject, like "a member"; with
    an "of"-phrase ("a Fellow of the Royal Academy") it may name a body.
    """
    children = list(head.children)
    return (
        head.tag_ == "NNP"
        and len(children) == 1
        and children[0].dep_ == "det"
        and children[0].lower_ in {"a", "an"}
    )


def verb_of(token: Token) -> Token | None:
    """Return the verb whose argument ``token`` is (through a preposition too)."""
    head = token.head
    if token.dep_ in ARG_DEPS and head.pos_ in {"VERB", "AUX"}:
        return head
    if (
        token.dep_ == "pobj"
        and head.dep_ in {"prep", "agent"}
        and head.head.pos_ in {"VERB", "AUX"}
    ):
        return head.head
    return None


def subjects_of(verb: Token) -> list[Token]:
    """Return the subjects of a verb, understood ones included.

    A conjoined or adverbial clause shares its head's subject; an infinitive
    complement takes its head's object if it has one ("X urged Y to leave":
    Y leaves), else its subject; a participle modifying a noun has that noun;
    a gerund after a preposition has the subject of the verb the phrase
    modifies ("X teased Y by copying her": X copies), but none for a means
    ("by") of a passive verb ("X was saved by amending it": the unsaid agent
    amends).
    """
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    hops = 0
    while not subjects and hops < 3:
        if verb.dep_ == "xcomp":
            objects = [c for c in verb.head.children if c.dep_ in {"dobj", "dative"}]
            if objects:
                return objects
        elif verb.dep_ == "acl" and verb.head.pos_ in {"NOUN", "PROPN"}:
            return [verb.head]
        elif verb.dep_ == "pcomp" and verb.head.dep_ == "prep":
            verb = verb.head  # a gerund adjunct: the subject of the verb it modifies
            if verb.lower_ == "by" and any(
                c.dep_ == "nsubjpass" for c in verb.head.children
            ):
                # "X was saved by amending it": the means is the unsaid agent's
                # ("X was praised for helping Y": X helps)
                return []
        elif verb.dep_ not in {"conj", "advcl"}:
            break
        verb = verb.head
        hops += 1
        subjects = [c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return subjects


def in_subordinate_clause(token: Token) -> bool:
    """Tell a token whose clause is subordinate ("..., when they left")."""
    node = token.head
    for _ in range(6):
        if node.pos_ in {"VERB", "AUX"}:
            return node.dep_ in {"advcl", "relcl", "ccomp"}
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def describes(doc: Doc, i: int) -> bool:
    """Tell a mention head that describes rather than refers (see best_antecedent)."""
    if i < 0:
        return False
    token = doc[i]
    return token.dep_ == "attr" or (
        token.dep_ in {"compound", "amod"}
        and (
            token.head.pos_ == "NOUN"
            # a name inside another's ("Ashby University"), not a personal name
            or (token.head.pos_ == "PROPN" and token.head.ent_type_ != "PERSON")
        )
    )


def _result_participle(verb: Token) -> bool:
    """Tell a participle after a comma giving what a whole clause brought about.

    In "X had a gift, enabling him to work" the gift enables, not X: the
    participle's understood subject is no co-argument of its object.
    """
    return (
        verb.tag_ == "VBG"
        and verb.dep_ == "advcl"
        and verb.lemma_ in RESULT_VERBS
        and verb.i > 0
        and verb.doc[verb.i - 1].text == ","
        and not any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children)
    )


def co_arguments(verb: Token) -> list[Token]:
    """Return a verb's arguments: subjects, objects, prepositional objects."""
    out = [] if _result_participle(verb) else list(subjects_of(verb))
    for child in verb.children:
        if child.dep_ in OBJ_DEPS or child.dep_ == "dative":
            out.append(child)
        elif child.dep_ in {"prep", "agent"}:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def same_phrase(token: Token, other: int) -> bool:
    """Tell a head apposed to (or compounded with) the token ``other``."""
    if token.i == other:
        return True
    head = token.head
    if token.dep_ in APPOSED_DEPS and head.i == other:
        return True
    return any(c.i == other and c.dep_ in APPOSED_DEPS for c in token.children)


def is_pleonastic(token: Token) -> bool:
    """Tell a non-referring ``it`` ("it is clear that ...")."""
    if token.lower_ != "it" or token.dep_ not in {"nsubj", "nsubjpass", "expl"}:
        return token.dep_ == "expl"
    verb = token.head
    return any(
        c.dep_ in {"ccomp", "xcomp", "csubj"} and c.i > token.i for c in verb.children
    ) and any(
        c.dep_ in {"acomp", "attr", "ccomp"} or c.lemma_ in {"take", "seem", "appear"}
        for c in (verb, *verb.children)
    )


def content_words(span: Span) -> tuple[str, ...]:
    """Lower-case words of a phrase without its leading determiner."""
    if len(span) > 1 and span[0].dep_ == "det":
        span = span[1:]
    return tuple(t.lower_ for t in span)


def span_head(span: Span) -> Token:
    """Return the syntactic head of a span."""
    return span.root


def nominal_bounds(head: Token) -> Span:
    """Return the whole phrase a nominal head governs, for adjacency tests."""
    return head.doc[head.left_edge.i : head.i + 1]
