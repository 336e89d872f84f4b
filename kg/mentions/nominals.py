"""Nominal passes: descriptions that can refer to an entity.

A noun phrase headed by a common noun that denotes a person, body, place,
work or event ("the former zoo owner"), or that repeats the head of a name
("Tarnby Square ... the square"), or that names a thing the text names ("the
fungus X"); "the former"/"the latter"; a description set right before a
name ("the novelist Ann Lee"); a name with the clause that says more of it;
and a common noun that repeats a name in lower case.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.attrs import LOWER, POS
from spacy.symbols import NOUN
from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_words
from kg.mentions.base import Candidate, Context, names_of, register_pass, spans_of
from kg.mentions.lexicons import KIN_GROUP_NOUNS, ORDINAL_PICKS, nominal_class
from kg.mentions.phrases import (
    copulas,
    group_class,
    group_head,
    hyphen_group,
    nominal_span,
    phrase_index,
)
from kg.mentions.predicates import name_labels
from kg.mentions.spans import token_indices

__all__ = [
    "clause_extended_names",
    "close_appositives",
    "former_latter",
    "name_repeats",
    "named_predicate",
    "nominals",
]

NOMINALS = "kg.mentions.nominals.v1"
FORMER_LATTER = "kg.mentions.former-latter.v1"
APPOSITIVES = "kg.mentions.appositives.v1"
CLAUSES = "kg.mentions.clauses.v1"
REPEATS = "kg.mentions.repeats.v1"

#: entity types of a name that a class noun before it does not label
_UNLABELLED_TYPES = frozenset({"NORP", "DATE", "TIME", "CARDINAL", "ORDINAL"})
#: determiners of a description that points back ("the square", "this mosque")
_ANAPHORIC_DETS = frozenset({"the", "this", "that", "these", "those"})
#: determiners a repeated concept name may take ("the Internet ... the internet")
_REPEAT_DETS = frozenset({"the"})
#: left dependents of a name that may open a description standing before it
_CLOSE_LEFT_DEPS = frozenset({"det", "poss", "amod", "compound", "nmod", "nummod"})
_MODIFIER_DEPS = frozenset({"compound", "npadvmod", "amod"})
#: Longest name-and-clause mention, in tokens: clauses nested in clauses
#: ("X, who knew Y, who knew ...") would make each mention hold the rest
_MAX_CLAUSE = 60


# --- descriptions headed by a common noun ------------------------------------


def _labels_a_name(head: Token, end: int) -> bool:
    """Tell a lower-case singular noun right before a name that is no date."""
    return (
        head.is_lower
        and head.is_alpha
        and head.tag_ == "NN"
        and head.doc[end].ent_type_ not in _UNLABELLED_TYPES
    )


def _named_next(head: Token, end: int, name_tokens: set[int]) -> bool:
    """Tell "the fungus X": an article and noun the parse sets before its name."""
    if end not in name_tokens or not _labels_a_name(head, end):
        return False
    return any(c.dep_ == "det" for c in head.lefts) and any(
        c.dep_ in {"appos", "compound"} and c.left_edge.i == end and c.i in name_tokens
        for c in head.rights
    )


def _label_before_name(
    doc: Doc, start: int, end: int, head: Token, name_tokens: set[int]
) -> Span | None:
    """Return "the thriller" of "the thriller X": a class noun set before a name.

    "the thriller Flight of the Heron", "the fungus Varnia bassiana":
    with an article of its own, the noun is an appositive that says what the
    named thing is, a mention of its own beside the name (a title without one,
    "Senator X", is part of the name). The parse makes the noun a modifier of
    the name, so it is read from the words: an article, perhaps adjectives,
    the noun, then the name at once.
    """
    if end >= len(doc) or end not in name_tokens or head.head.i not in name_tokens:
        return None
    if not _labels_a_name(head, end):
        return None
    first = start
    while first > 0 and doc[first - 1].pos_ == "ADJ" and doc[first - 1].is_lower:
        first -= 1
    if first == 0 or doc[first - 1].lower_ not in {"the", "a", "an"}:
        return None
    return doc[first - 1 : end]


def named_predicate(head: Token, name_tokens: Iterable[int]) -> Token | None:
    """Return the name a definite subject is equated with ("His chief work is X").

    "The first settlers were the Varni", "His chief work is X": a definite
    or possessed subject of "be" whose predicate is a name is that name
    under a description. An indefinite subject ("a man is X") is left alone.

    Examples
    --------
    >>> doc = nlp("Her chief work is Grey Harbour.")
    >>> named_predicate(doc[2], range(4, 6)).text
    'Harbour'
    """
    verb = head.head
    if head.dep_ == "nsubjpass" and verb.lemma_ in load_words("naming-verbs"):
        deps = {"oprd", "attr", "xcomp"}  # "The project is called X"
    elif head.dep_ == "nsubj" and verb.lemma_ == "be":
        deps = {"attr"}
    else:
        return None
    if not any(
        (c.dep_ == "det" and c.lower_ in {"the", "this"}) or c.dep_ == "poss"
        for c in head.lefts
    ):
        return None
    if head.lemma_.lower() in {"name", "surname", "nickname"}:
        return None  # "My name is X": the name itself, not its bearer
    names = set(name_tokens)
    for c in verb.children:
        if (
            c.dep_ in deps
            and c.pos_ == "PROPN"
            and c.i in names
            and c.i > head.i
            and c.ent_type_ not in {"NORP", "LANGUAGE"}  # "Her mother was English"
            and not any(t.dep_ == "conj" for t in c.children)  # a list
            # "The entry points are X ...": a plural subject wants a plural name
            and (head.tag_ != "NNS" or c.tag_ == "NNPS" or c.lower_.endswith("s"))
        ):
            return c
    return None


def _name_heads(names: Iterable[Candidate]) -> frozenset[str]:
    """Return the common nouns that end the document's names ("square", "airport").

    "Tarnby Square", "the Varn International Airport", "the Varn Islands":
    a capitalised last word that is also a common noun heads the name, so "the
    square", "the airport" and "the islands" can refer back to it.
    """
    leading = load_words("name-leading-class-words")
    out: set[str] = set()
    for c in names:
        span = c.span
        last = span[-1]
        # a person's last word is a surname ("Tom Baker" is no baker), unless
        # the tagger took a place for a person ("Varda Square")
        placelike = nominal_class(last.lemma_) not in {"", "PERSON"}
        if (
            len(span) > 1
            and (last.is_title or last.lower_ in KIN_GROUP_NOUNS)  # "X family"
            and last.is_alpha
            and (c.label != "PERSON" or placelike)
        ):
            out.add(last.lower_)
        first = span[0]
        if len(span) > 1 and first.lower_ in leading:
            out.add(first.lower_)  # "Cyclone Varna ... the cyclone", "Lake X"
    return frozenset(out)


def _names_head(head: Token, name_heads: frozenset[str]) -> bool:
    """Whether a definite common noun repeats the head of a name ("the square").

    A possessive determiner makes it definite too ("X, a wiki site ... his
    site").
    """
    known = head.lower_ in name_heads or head.lemma_.lower() in name_heads
    return known and any(
        (c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS)
        or (c.dep_ == "poss" and c.tag_ == "PRP$")
        for c in head.lefts
    )


def _said_of_name(head: Token, name_tokens: set[int]) -> bool:
    """Tell a noun said of a name: its appositive or its predicate nominal."""
    return (
        (head.dep_ == "appos" and head.head.i in name_tokens)
        or any(c.dep_ == "appos" and c.i in name_tokens for c in head.rights)
        or (
            head.dep_ in {"attr", "oprd"}
            and head.head.lemma_ in copulas()
            and any(
                c.dep_ in {"nsubj", "nsubjpass"} and c.i in name_tokens
                for c in head.head.children
            )
        )
    )


@register_pass(NOMINALS)
def nominals(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find descriptions headed by a common noun that can refer to an entity.

    A noun of a class (person, body, place, work, event), a noun said of a
    name, a definite noun repeating a name's head ("the square") or a noun
    the text says of a name earlier ("X is a wiki site ... the site"), a
    noun set before its name ("the fungus X"), and a definite subject
    equated with a name ("The project is called X"). A noun already heading
    an earlier description is skipped.

    Examples
    --------
    >>> doc = nlp("The old lawyer met Ada Byrne.")
    >>> [c.span.text for c in nominals(Context(doc), ())]
    ['The old lawyer']
    """
    doc = ctx.doc
    names = names_of(found)
    name_tokens = set(name_labels(found))
    earlier = [c for c in found if c.kind == "nominal"]
    # "X is a wiki site ... the site": a noun said of a name names it again
    heads = _name_heads(names) | {ctx.root(c.span).lemma_.lower() for c in earlier}
    done = {ctx.root(c.span).i for c in earlier}
    partitives = load_words("partitive-nouns")
    index = phrase_index(ctx, name_tokens)
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, POS, [NOUN]):
        token = doc[i]
        if token.pos_ != "NOUN" or token.i in name_tokens or token.i in done:
            continue
        start, end = hyphen_group(token)
        done.update(range(start, end))
        head = group_head(doc, start, end)
        if head.dep_ in _MODIFIER_DEPS and head.head.pos_ in {"NOUN", "PROPN"}:
            label = _label_before_name(doc, start, end, head, name_tokens)
            if label is not None:
                new.append(
                    Candidate(label, group_class(doc, start, end), NOMINALS, "nominal")
                )
            continue
        span = nominal_span(doc, start, end, head, name_tokens, index)
        cls = group_class(doc, start, end)
        evidence = head.lemma_.lower() not in partitives and _said_of_name(
            head, name_tokens
        )
        if (
            cls
            or evidence
            or _names_head(head, heads)
            or _named_next(head, end, name_tokens)
        ):
            new.append(Candidate(span, cls, NOMINALS, "nominal"))
        elif named_predicate(head, name_tokens) is not None:
            # "The project is called X ... the project": the noun names X again
            heads |= {head.lemma_.lower()}
            new.append(Candidate(span, cls, NOMINALS, "nominal"))
    return (*found, *new)


# --- "the former", "the latter" ----------------------------------------------


@register_pass(FORMER_LATTER)
def former_latter(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find "the former" and "the latter" used on their own, as noun phrases.

    "A and B (2011), the latter earning him a prize": the phrase points back
    to the first or the second of the two things just named. "The former
    mayor" is a modifier, no mention of its own.

    Examples
    --------
    >>> doc = nlp("Ada and Tom came; the latter stayed.")
    >>> [c.span.text for c in former_latter(Context(doc), ())]
    ['the latter']
    """
    doc = ctx.doc
    hashes = [doc.vocab.strings.add(w) for w in sorted(ORDINAL_PICKS)]
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, LOWER, hashes):
        token = doc[i]
        if token.dep_ in {"amod", "compound"} or i == 0:
            continue
        det = doc[i - 1]
        if det.lower_ == "the" and det.head.i == i:
            new.append(Candidate(doc[i - 1 : i + 1], "", FORMER_LATTER, "nominal"))
    return (*found, *new)


# --- a description set right before a name -----------------------------------


def _description_start(doc: Doc, name: Span) -> int:
    """Return the first token of a hyphenated noun right before a name."""
    start = name.start - 1
    # a hyphenated noun ("co-star") the tagger may split into odd parts
    while (
        start >= 2
        and doc[start - 1].text in {"-", "–"}
        and not doc[start - 2].whitespace_
        and not doc[start - 1].whitespace_
    ):
        start -= 2
    return start


def _close_description(ctx: Context, name: Span, name_tokens: set[int]) -> Span | None:
    """Return the description a name follows directly, or ``None``."""
    doc = ctx.doc
    end = name.start
    start = _description_start(doc, name)
    last = doc[end - 1]
    if (
        any(i in name_tokens for i in range(start, end))
        or not any(t.pos_ == "NOUN" for t in doc[start:end])
        or last.tag_ in {"NNS", "NNPS"}
        or last.lemma_.lower() in load_words("time-nouns")  # "the 12th century"
        or "\n" in last.whitespace_
        or not last.whitespace_
    ):
        return None
    if last.pos_ == "ADJ" and (start == end - 1 or doc[start].tag_ != "NN"):
        return None  # "a centuries-old X", "well-known": an adjective, no noun
    root = ctx.root(name)
    if not (name.start <= last.head.i < name.end or root.head.i in range(start, end)):
        return None
    if not _has_verb(ctx, root):
        return None  # "the B9 link Tarnby with Y": a verb taken for a noun
    owner = root if name.start <= last.head.i < name.end else last
    for child in owner.lefts:
        if child.dep_ in _CLOSE_LEFT_DEPS and child.i < start:
            start = min(start, child.left_edge.i)
    for token in doc[start:end]:
        start = min(start, token.left_edge.i)
    if any(
        doc[i].is_punct and doc[i].text not in {"-", "–"} for i in range(start, end)
    ):
        return None
    if doc[start].dep_ not in {"det", "poss"}:
        return None  # "novelist Ann Lee": a bare noun is part of the name
    return doc[start:end]


def _has_verb(ctx: Context, token: Token) -> bool:
    """Tell whether the sentence of ``token`` has a verb (cached per sentence)."""
    sent = ctx.sentence(token.i)
    return any(t.pos_ in {"VERB", "AUX"} for t in sent)


@register_pass(APPOSITIVES)
def close_appositives(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Find the descriptions a name follows directly ("the novelist Ann Lee").

    In close apposition a common noun phrase and a name side by side, with no
    comma, are two mentions of one entity ("his co-star Ann Lee", "the
    thriller Dark Water"); the parse makes the noun a modifier of the name.
    The description runs from the phrase's determiner or possessor to the
    noun right before the name; a bare noun ("novelist Ann Lee") works as a
    title and stays part of the name, as coreference corpora mark it.
    """
    name_tokens = set(name_labels(found))
    known = spans_of(c for c in found if c.kind == "nominal")
    new: list[Candidate] = []
    for c in names_of(found):
        if c.span.start == 0 or c.label == "NORP":
            continue  # "a centuries-old Varnish town": a people's name is a modifier
        span = _close_description(ctx, c.span, name_tokens)
        if span is not None and (span.start, span.end) not in known:
            cls = group_class(ctx.doc, span.start, span.end)
            new.append(Candidate(span, cls, APPOSITIVES, "nominal"))
    return (*found, *new)


# --- a name with the clause that says more of it -----------------------------


@register_pass(CLAUSES)
def clause_extended_names(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Find a name with the non-restrictive clause after it ("X, which ...").

    "Tarnby, which had grown rich": coreference corpora mark the
    whole noun phrase, clause and all, as one mention of the name's entity;
    the name alone stays a mention too, for matching names. A clause
    running over more than sixty tokens is no noun phrase a reader holds as
    one mention, and is left out.
    """
    doc = ctx.doc
    known = spans_of(c for c in found if c.kind == "nominal")
    new: list[Candidate] = []
    for c in names_of(found):
        name = c.span
        root = ctx.root(name)
        if not name.start <= root.i < name.end:
            continue
        clause = next(
            (
                k
                for k in root.rights
                if k.dep_ in {"relcl", "acl"}
                and k.left_edge.i == name.end + 1
                and doc[name.end].text == ","
            ),
            None,
        )
        if clause is None:
            continue
        end = clause.right_edge.i + 1
        cut = ctx.next_break(name.end)
        if cut < end:
            end = cut if doc[cut].is_space else cut + 1
        while end > name.end and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        if (
            name.end + 2 < end <= name.start + _MAX_CLAUSE
            and (name.start, end) not in known
        ):
            new.append(Candidate(doc[name.start : end], "", CLAUSES, "nominal"))
    return (*found, *new)


# --- a name repeated in lower case -------------------------------------------


def _repeatable(names: Iterable[Candidate]) -> dict[str, set[tuple[str, ...]]]:
    """Index the lower-cased words of the names a common noun may repeat."""
    by_first: dict[str, set[tuple[str, ...]]] = {}
    for c in names:
        span = c.span
        inner = span[1:] if len(span) > 1 and span[0].dep_ == "det" else span
        words = tuple(t.lower_ for t in inner)
        if c.label == "PERSON" or not all(t.is_alpha for t in inner):
            continue
        if len("".join(words)) < 3:
            continue
        by_first.setdefault(words[0], set()).add(words)
    return by_first


def _whole_phrase(ctx: Context, i: int, stop: int) -> Span | None:
    """Return ``doc[i:stop]`` (with "the") when it is a whole noun phrase."""
    doc = ctx.doc
    span = doc[i:stop]
    root = ctx.root(span)
    if root.pos_ not in {"NOUN", "PROPN"} or root.dep_ == "compound":
        return None
    outside = [c for t in span for c in t.children if not i <= c.i < stop]
    if any(
        not (c.dep_ == "det" and c.lower_ in _REPEAT_DETS and c.i == i - 1)
        and not c.is_punct
        and c.dep_ not in {"cc", "conj", "case"}  # "music and art", "'s"
        for c in outside
    ):
        return None
    if any(c.dep_ == "det" for c in outside):
        return doc[i - 1 : stop]
    return span


@register_pass(REPEATS)
def name_repeats(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find common-noun phrases that repeat a name of the text in another case.

    "Professor of Music ... his interests turned to music", "Astronomy ...
    her love of astronomy", "Coastal Survey Methods ... coastal survey
    methods": a concept the text once writes capitalised (a
    heading, a title, a field of study) is the same concept when written in
    lower case, so the bare noun phrase, or one with "the", is a mention of
    it. The phrase must be the whole noun phrase: a modifier or complement
    ("classical music", "the music of Byrne") or a use as a modifier ("a music
    teacher") makes it another, narrower thing. Person names are left out: a
    surname that is also a common noun ("Baker", "baker") is no repeat. A
    noun already heading an earlier description is skipped.
    """
    doc = ctx.doc
    by_first = _repeatable(names_of(found))
    if not by_first:
        return found
    name_tokens = set(name_labels(found))
    roots = {ctx.root(c.span).i for c in found if c.kind == "nominal"}
    new: list[Candidate] = []
    for i in range(ctx.first, ctx.stop):
        token = doc[i]
        if token.i in name_tokens or token.lower_ not in by_first:
            continue
        for words in by_first[token.lower_]:
            stop = i + len(words)
            if stop > ctx.stop or tuple(t.lower_ for t in doc[i:stop]) != words:
                continue
            if any(t.i in name_tokens for t in doc[i:stop]):
                continue
            span = _whole_phrase(ctx, i, stop)
            root = ctx.root(span) if span is not None else None
            if span is not None and root is not None and root.i not in roots:
                cls = nominal_class(root.lemma_)
                new.append(Candidate(span, cls, REPEATS, "nominal"))
    return (*found, *new)
