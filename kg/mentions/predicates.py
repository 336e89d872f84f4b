"""Predicative passes: phrases that say what another mention is.

"X is a lawyer", "X, the capital of Y,", "X served as President of Y",
"She was the first to cross", "Tarnby is one of the oldest towns": the
phrase is a mention of its subject (coreference corpora mark predicate
nominals and appositives as mentions), found by its place in the parse
whatever its head noun.
"""

from __future__ import annotations

from spacy.attrs import LOWER, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Span, Token

from kg.lexicon import load_words
from kg.mentions.base import Candidate, Context, names_of, register_pass
from kg.mentions.lexicons import FACILITY_WORDS, nominal_class
from kg.mentions.phrases import (
    PhraseIndex,
    copulas,
    nominal_span,
    phrase_index,
    predicate_head,
    predicate_span,
)
from kg.mentions.spans import token_indices

__all__ = ["name_labels", "one_of", "predicatives", "ranked_predicates"]

PREDICATIVES = "kg.mentions.predicatives.v1"
RANKED = "kg.mentions.ranked.v1"
ONE_OF = "kg.mentions.one-of.v1"

#: indefinite articles: "a Y" of a group name is one member of the group
_INDEFINITES = frozenset({"a", "an"})


def name_labels(found: tuple[Candidate, ...]) -> dict[int, str]:
    """Map each token of a name to the name's label (the later name wins).

    Examples
    --------
    >>> doc = nlp("Ada Byrne left.")
    >>> name_labels((Candidate(doc[0:2], "PERSON", "x"),))
    {0: 'PERSON', 1: 'PERSON'}
    """
    return {t.i: c.label for c in names_of(found) for t in c.span}


def _member_of_group(span: Span, head: Token, labels: dict[int, str]) -> bool:
    """Tell "a Quaker", "an Amish": one member of a group, said of a person.

    A group name (NORP) after an indefinite article as a copula's attribute
    ("She became a Quaker") or in an "as" phrase ("received as a
    Quaker") says what its subject is, as "a linguist" does;
    the group's name alone is another referent, the group.
    """
    return (
        (
            (head.dep_ == "attr" and head.head.lemma_ in copulas())
            or (head.dep_ == "pobj" and head.head.lower_ == "as")
        )
        and span[0].lower_ in _INDEFINITES
        and all(labels.get(t.i) == "NORP" for t in span[1:])
    )


def _class_of_name(span: Span, head: Token, labels: dict[int, str]) -> bool:
    """Tell "County of Tarnby", a place's or body's name of the form "Class of Name".

    A capitalised class noun of places or bodies ("County", "City",
    "University") before "of" and a name is the first word of a name, though
    the tagger left it unlabelled: the phrase names, it does not describe.
    """
    doc = span.doc
    return (
        span[0].i == head.i
        and head.i in labels
        and head.is_title
        and nominal_class(head.lemma_.lower()) in {"GPE", "ORG"}
        and head.i + 2 < span.end
        and doc[head.i + 1].lower_ == "of"
        and all(t.i in labels for t in span[2:] if not t.is_punct)
    )


def _as_phrase(
    head: Token, labels: dict[int, str], name_tokens: set[int], index: PhraseIndex
) -> Span:
    """Return the phrase of a predicative "as" object ("as a nurse").

    A place or time after it may be the verb's ("worked as a nurse in
    Tarnby"), but an "of" phrase is the noun's ("as professor of music"),
    and so is the body a role is held in ("as a captain in the X Corps",
    "as a lecturer at Y College"), as a place may not be.
    """
    doc = head.doc
    span = nominal_span(doc, head.i, head.i + 1, head, name_tokens, index)
    of = next((c for c in head.rights if c.dep_ == "prep"), None)
    if (
        of is not None
        and (
            of.lower_ == "of"
            or (
                of.lower_ in {"in", "at"}
                and any(
                    c.dep_ == "pobj" and labels.get(c.i) == "ORG" for c in of.children
                )
            )
        )
        and of.i == span.end
    ):
        end = of.right_edge.i + 1
        if not any(
            t.is_punct or t.is_space or "\n" in t.whitespace_
            for t in doc[span.end : end - 1]
        ):
            span = doc[span.start : end]
    return span


def _predicative(
    ctx: Context,
    head: Token,
    spans: set[tuple[int, int]],
    labels: dict[int, str],
    name_tokens: set[int],
    index: PhraseIndex,
) -> tuple[Span, str] | None:
    """Return the phrase a predicate head opens, with its class, or ``None``."""
    span = (
        _as_phrase(head, labels, name_tokens, index)
        if head.dep_ == "pobj"
        else predicate_span(head.doc, head, ctx)
    )
    if span is None or len(span) < 2:
        return None
    first = span[1] if span[0].dep_ == "det" and len(span) > 1 else span[0]
    if _member_of_group(span, head, labels):
        return span, "PERSON"
    if labels.get(first.i) and labels.get(head.i):
        return None  # "known as Y in Z", "the Y of Z": the name is the mention
    if _class_of_name(span, head, labels):
        return None
    inner = span[1:] if span[0].dep_ in {"det", "poss"} else span
    if (inner.start, inner.end) in spans or (span.start, span.end) in spans:
        return None
    return span, nominal_class(head.lemma_)


@register_pass(PREDICATIVES)
def predicatives(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find the whole phrases that say what another mention is.

    "X is a self-described member of Y", "X, the capital of Y,", "X served as
    President of Y": the phrase, with its modifiers and any names inside, is
    a mention of X. A phrase that is just a name is that name's mention; a
    capitalised role the tagger left unlabelled ("President of Y") is not a
    name.

    Examples
    --------
    >>> doc = nlp("Ada Byrne is a lawyer from Tarnby.")
    >>> found = predicatives(Context(doc), ())
    >>> [(c.span.text, c.label, c.kind) for c in found]
    [('a lawyer from Tarnby', 'PERSON', 'nominal')]
    """
    doc = ctx.doc
    labels = name_labels(found)
    spans = {(c.span.start, c.span.end) for c in names_of(found)}
    name_tokens = set(labels)
    index = phrase_index(ctx, name_tokens)
    partitives = load_words("partitive-nouns")
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, POS, [NOUN, PROPN]):
        head = doc[i]
        if not predicate_head(head) or head.lemma_.lower() in partitives:
            continue  # "X is part of Y" says where X belongs, not what it is
        read = _predicative(ctx, head, spans, labels, name_tokens, index)
        if read is not None:
            new.append(Candidate(read[0], read[1], PREDICATIVES, "nominal"))
    return (*found, *new)


def _to_clause(token: Token) -> Token | None:
    """Return the infinitive clause after a ranking word ("first to cross")."""
    verb = next((c for c in token.rights if c.dep_ in {"relcl", "acl", "xcomp"}), None)
    if verb is None or not any(
        c.dep_ == "aux" and c.lower_ == "to" and c.i == verb.i - 1
        for c in verb.children
    ):
        return None
    return verb


@register_pass(RANKED)
def ranked_predicates(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Find headless predicates that rank their subject: "the first to V".

    "She was the first to cross the strait", "He was the youngest to win":
    an ordinal or superlative after "the", with an infinitive saying in what,
    is a predicate nominal whose noun is understood (the first person to
    ...), and coreference corpora mark it as a mention of the subject.

    Examples
    --------
    >>> doc = nlp("She was the first to cross the strait.")
    >>> [c.span.text for c in ranked_predicates(Context(doc), ())]
    ['the first to cross the strait']
    """
    doc = ctx.doc
    words = load_words("rank-words")
    new: list[Candidate] = []
    for token in ctx.doclike:
        if (
            token.pos_ != "ADJ"
            or not (token.lower_ in words or token.tag_ == "JJS")
            or token.dep_ != "attr"
            or token.head.lemma_ not in copulas()
            or not any(c.dep_ == "det" and c.lower_ == "the" for c in token.lefts)
        ):
            continue
        verb = _to_clause(token)
        if verb is None:
            continue
        start, end = token.left_edge.i, verb.right_edge.i + 1
        while end > verb.i + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if not any(t.is_space or "\n" in t.whitespace_ for t in doc[start : end - 1]):
            new.append(Candidate(doc[start:end], "", RANKED, "nominal"))
    return (*found, *new)


def _one_of_phrase(
    ctx: Context,
    one: Token,
    pobj: Token,
    name_tokens: set[int],
    index: PhraseIndex | None,
) -> tuple[Span, str] | None:
    """Return "one of the ..." as a phrase with the class of its plural noun."""
    doc = one.doc
    if pobj.i in name_tokens:
        # "X, one of the Tarn Lakes": a member of a group with a name, when
        # the phrase is said of another mention
        if one.dep_ not in {"appos", "attr"}:
            return None
        return doc[one.i : pobj.right_edge.i + 1], ""
    lemma = pobj.lemma_.lower()
    # "one of the oldest mosques": a class of buildings and sites too
    cls = nominal_class(lemma) or ("FAC" if lemma in FACILITY_WORDS else "")
    if not cls:
        # "Ada was one of the early critics of Y": said of its subject,
        # the phrase is a mention of it whatever its class
        predicate = predicate_head(one) and one.dep_ in {"attr", "appos"}
        span = predicate_span(doc, one, ctx) if predicate else None
        if span is not None and span.end > pobj.i:
            return span, ""
        return None
    end = nominal_span(doc, pobj.i, pobj.i + 1, pobj, name_tokens, index).end
    if predicate_head(one) and one.dep_ in {"attr", "appos", "pobj"}:
        # "He was one of the founders of X linguistics": said of its
        # subject, the phrase runs over the whole predicate
        whole = predicate_span(doc, one, ctx)
        if whole is not None and whole.end > end:
            end = whole.end
    return doc[one.i : end], cls


@register_pass(ONE_OF)
def one_of(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find "one of the ..." phrases: one member of a class of entities.

    "Tarnby is one of the oldest cities in Varn": the phrase refers to one
    city, and takes the class of the plural noun after "of".

    Examples
    --------
    >>> doc = nlp("Tarnby is one of the oldest cities in the region.")
    >>> [c.span.text for c in one_of(Context(doc), ())]
    ['one of the oldest cities in the region']
    """
    doc = ctx.doc
    name_tokens = set(name_labels(found))
    new: list[Candidate] = []
    ones = token_indices(ctx.doclike, LOWER, [doc.vocab.strings.add("one")])
    index = phrase_index(ctx, name_tokens) if ones else None
    for i in ones:
        one = doc[i]
        if one.i in name_tokens or one.pos_ not in {"NUM", "PRON", "NOUN"}:
            continue
        of = next(
            (c for c in one.rights if c.dep_ == "prep" and c.lower_ == "of"), None
        )
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
        if pobj is None:
            continue
        named = pobj.i in name_tokens
        # the tagger often takes a plural name's last word for singular
        if pobj.tag_ not in {"NNS", "NNPS"} and not (named and pobj.lower_[-1:] == "s"):
            continue
        read = _one_of_phrase(ctx, one, pobj, name_tokens, index)
        if read is not None:
            new.append(Candidate(read[0], read[1], ONE_OF, "nominal"))
    return (*found, *new)
