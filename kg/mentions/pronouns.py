"""Pronoun passes: personal, possessive, reflexive and relative pronouns, "there".

A pronoun inside a name is a word of the name ("My Sea Years"), unless an
owner's possessive before the title says whose "My" it is.
"""

from __future__ import annotations

from spacy.attrs import LOWER
from spacy.tokens import Token

from kg.mentions.base import Candidate, Context, covered_tokens, names_of, register_pass
from kg.mentions.lexicons import PRONOUNS
from kg.mentions.spans import token_indices

__all__ = ["owned_title_pronoun", "place_adverbs", "pronouns"]

PLACE_ADVERBS = "kg.mentions.place-adverbs.v1"
PERSONAL = "kg.mentions.pronouns.v1"

_RELATIVE = frozenset({"who", "whom", "whose"})
_PRONOUN_TAGS = frozenset({"PRP", "PRP$", "WP", "WP$"})
_THERE_PREPS = frozenset({"from", "near", "around"})  # "from there" is a place
_REDUCED_CLAUSE_MARKS = frozenset({"while", "whilst", "once", "when"})  # "While there,"
_FIRST_POSSESSIVES = frozenset({"my", "our"})


def owned_title_pronoun(token: Token) -> bool:
    """Tell the "My" opening a title after "his" or "her" ("his My Sea Years").

    A memoir's title speaks in its author's voice: in "her My Story" the
    title's "My" is the person the possessive stands for. A named possessor
    may be a maker or broadcaster instead ("the Varn Network's My Family"): no owner.

    Examples
    --------
    >>> doc = nlp("In his My Sea Years, he wrote of it.")
    >>> owned_title_pronoun(doc[2]), owned_title_pronoun(doc[1])
    (True, False)
    """
    doc = token.doc
    if token.lower_ not in _FIRST_POSSESSIVES or not token.is_title or token.i == 0:
        return False
    before = doc[token.i - 1]
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    return (
        after is not None
        and after.is_title
        and after.pos_ == "PROPN"
        and before.lower_ in {"his", "her"}
        and before.tag_ == "PRP$"
    )


def _in_relative_clause(ctx: Context, token: Token) -> bool:
    """Tell a relative pronoun inside a relative clause (not a question's "who").

    Whether a token or one of its ancestors heads a relative clause is kept
    per document, so nested clauses are walked once, not once per pronoun.
    """
    memo: dict[int, bool] = ctx.memo("under-relative-clause", dict)
    path: list[int] = []
    node, found = token.head, False
    while True:
        if node.i in memo:
            found = memo[node.i]
            break
        path.append(node.i)
        if node.dep_ == "relcl":
            found = True
            break
        if node.head.i == node.i:
            break
        node = node.head
    for i in path:
        memo[i] = found
    return found


def _pronoun_tokens(ctx: Context) -> list[Token]:
    doc = ctx.doc
    hashes = [doc.vocab.strings.add(p) for p in PRONOUNS]
    out: list[Token] = []
    for i in token_indices(ctx.doclike, LOWER, hashes):
        token = doc[i]
        lower = token.lower_
        if lower not in PRONOUNS or token.tag_ not in _PRONOUN_TAGS:
            continue
        if lower in _RELATIVE and not _in_relative_clause(ctx, token):
            continue
        out.append(token)
    return out


@register_pass(PLACE_ADVERBS)
def place_adverbs(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find "there" standing for a place ("she moved to Tarnby and died there").

    Existential "there" ("there is") and "there" before a place phrase
    ("there in the valley") name nothing of their own. A place "there" is
    also the object of a preposition of place ("from there", "near there")
    and the whole of a reduced clause ("While there, she ..."), which the
    tagger may read as existential.

    Examples
    --------
    >>> doc = nlp("She moved to Tarnby and died there. There is a port.")
    >>> [c.span.start for c in place_adverbs(Context(doc), ())]
    [6]
    """
    doc = ctx.doc
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, LOWER, [doc.vocab.strings.add("there")]):
        token = doc[i]
        if any(c.dep_ == "prep" for c in token.children):
            continue
        adverb = token.tag_ == "RB" and token.dep_ == "advmod"
        if (
            (adverb and token.head.pos_ in {"VERB", "AUX"})
            or (token.dep_ in {"pcomp", "pobj"} and token.head.lower_ in _THERE_PREPS)
            or (
                0 < i < len(doc) - 1
                and doc[i - 1].lower_ in _REDUCED_CLAUSE_MARKS
                and doc[i + 1].text == ","
            )
        ):
            new.append(Candidate(doc[i : i + 1], "", PLACE_ADVERBS, "pronoun"))
    return (*found, *new)


@register_pass(PERSONAL)
def pronouns(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find personal, possessive, reflexive and relative pronouns.

    "who"/"whose" only where they open a relative clause (not a question).
    A pronoun inside a name is a word of the name ("My Sea Years"), unless
    :func:`owned_title_pronoun` says whose it is.

    Examples
    --------
    >>> doc = nlp("The girl who won praised herself.")
    >>> [c.span.text for c in pronouns(Context(doc), ())]
    ['who', 'herself']
    """
    doc = ctx.doc
    name_tokens = covered_tokens(names_of(found))
    new = [
        Candidate(doc[t.i : t.i + 1], "", PERSONAL, "pronoun")
        for t in _pronoun_tokens(ctx)
        if t.i not in name_tokens or owned_title_pronoun(t)
    ]
    return (*found, *new)
