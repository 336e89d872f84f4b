"""Titles and headlines: capitalised runs that are one work's name, or no name.

A title-case headline makes every word look like a name; a work's title
before a performer noun ("the Varn Street star") or after a genre noun
("the thriller Flight of the Heron") is one name the tagger cuts in pieces.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.lexicon import class_nouns, load_words
from kg.mentions.base import Candidate, Context, register_pass

__all__ = [
    "headline_only",
    "headline_only_v2",
    "headline_trim",
    "verb_cut",
    "work_titles",
]

HEADLINES = "kg.mentions.names.headline-only.v1"
HEADLINES_V2 = "kg.mentions.names.headline-only.v2"
HEADLINE_TRIM = "kg.mentions.names.headline-trim.v1"
VERB_CUT = "kg.mentions.names.verb-cut.v1"
_CUT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC"})
_FINITE_TAGS = frozenset({"VBZ", "VBD"})
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
TITLES = "kg.mentions.titles.v1"


def _title_small_words() -> frozenset[str]:
    return load_words("title-small-words")


def _before_verb(ent: Span) -> Span | None:
    """Return the proper nouns of a tagged span before the verb it runs into."""
    for token in ent[1:]:
        finite = token.tag_ in _FINITE_TAGS
        if finite or (token.tag_ == "VBN" and token.i == ent.end - 1):
            prefix = ent.doc[ent.start : token.i]
            if all(t.tag_ in _PROPER_TAGS and t.text[:1].isupper() for t in prefix):
                return prefix
            return None
    return None


@register_pass(VERB_CUT)
def verb_cut(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Read a headline name the tagger ran into a verb as the name before it.

    In a title-case headline the tagger runs a name into the verb after it
    ("Ada Byrne Confesses To Theft", "Varnco Hit By Strike"); the span has
    a verb inside, so it is no name, but its proper nouns before the verb
    (a finite verb, or a participle ending the span) are. Spans another
    pass already read are left alone.
    """
    doc = ctx.doc
    taken = {i for c in found for i in range(c.span.start, c.span.end)}
    out = list(found)
    for ent in ctx.doclike.ents:
        if (
            ent.label_ not in _CUT_LABELS
            or ent.label_ not in ctx.labels
            or ent.start in ctx.non_prose
            or not ctx.headline(ent.start)
            or any(i in taken for i in range(ent.start, ent.end))
        ):
            continue
        prefix = _before_verb(ent)
        if prefix is not None and len(prefix):
            out.append(Candidate(doc[prefix.start : prefix.end], ent.label_, VERB_CUT))
    return tuple(out)


def _drop_headline_only(
    ctx: Context, found: tuple[Candidate, ...], *, keep_people: bool
) -> tuple[Candidate, ...]:
    heading = [
        c
        for c in found
        if ctx.headline(c.span.start)
        and (
            ctx.sentence_bounds[c.span.start] == 0
            or len([t for t in ctx.sentence(c.span.start) if t.is_alpha]) == 1
        )
    ]
    if not heading:
        return found
    in_heading = {id(c) for c in heading}
    body_words = {
        t.lower_
        for c in found
        if id(c) not in in_heading
        for t in c.span
        if t.is_alpha and not t.is_stop
    }
    dropped = {
        (c.span.start, c.span.end)
        for c in heading
        if not any(
            t.lower_ in body_words for t in c.span if t.is_alpha and not t.is_stop
        )
        and not (keep_people and _personal_name(c))
    }
    return tuple(c for c in found if (c.span.start, c.span.end) not in dropped)


def _personal_name(c: Candidate) -> bool:
    """Tell a person's name of two or three capitalised words, a given name first."""
    from kg.mentions.lexicons import given_name_gender

    words = list(c.span)
    return (
        c.label == "PERSON"
        and 2 <= len(words) <= 3
        and all(t.is_alpha and t.is_title for t in words)
        and given_name_gender(words[0].text)[1] >= 1
    )


@register_pass(HEADLINES)
def headline_only(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Drop names found only in a headline that no name of the body echoes.

    In a title-case headline ("Former Banker Sentenced to Eight Years for
    Fraud") every word looks like a name to the NER layer; a real entity of
    the headline is named again in the body ("Ada Byrne" ... "Byrne"), so a
    name of the text's first line, when that line is a heading, or of a
    one-word heading ("Background"), that shares no word with a name of the
    body is dropped.
    """
    return _drop_headline_only(ctx, found, keep_people=False)


@register_pass(HEADLINES_V2)
def headline_only_v2(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Drop names found only in a headline, as v1, but a person's full name.

    A person's name of two or three capitalised words opening with a known
    given name ("Ada Byrne in Talks for Sequel") is a name even when the
    body never repeats it (a text that is only its headline, or a body that
    calls her by a nickname).
    """
    return _drop_headline_only(ctx, found, keep_people=True)


def _words(span: Span) -> list[str]:
    return [t.lower_ for t in span]


@register_pass(HEADLINE_TRIM)
def headline_trim(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Cut a headline name back to the body's name it starts with.

    A title-case headline lets the tagger run a name into the words after
    it ("Ada Byrne Dead at 90", "Varn Returns", "Arden: Shop Robbed"). A
    name of the document's first line, when that line is a heading, that
    begins with a name of the body and goes on with words that are in no
    name of the body (nor are a company suffix or a generic noun of the
    name: "Arden Bank" stays whole) is cut back to that body name.
    """
    first_heading = [
        c
        for c in found
        if c.kind == "name"
        and len(c.span) > 1
        and ctx.headline(c.span.start)
        and ctx.sentence_bounds[c.span.start] == 0
    ]
    if not first_heading:
        return found
    heading = {id(c) for c in first_heading}
    body = [c for c in found if c.kind == "name" and id(c) not in heading]
    body_names = {tuple(_words(c.span)) for c in body}
    body_words = {w for name in body_names for w in name}
    keep = load_words("link-company-suffixes") | class_nouns("Organization")
    keep |= class_nouns("Facility") | class_nouns("Place")
    out = []
    for c in found:
        cut = (
            _cut(_words(c.span), body_names, body_words | keep)
            if id(c) in heading
            else None
        )
        if cut is None:
            out.append(c)
        else:
            out.append(c._replace(span=c.span[:cut], source=HEADLINE_TRIM))
    return tuple(out)


def _cut(
    words: list[str], body_names: set[tuple[str, ...]], named: frozenset[str] | set[str]
) -> int | None:
    """Where to cut a headline name: after the longest body name it starts with.

    The words after it must be words of no body name (``named``).
    """
    for n in range(len(words) - 1, 0, -1):
        rest = [w for w in words[n:] if w.isalpha()]
        if (
            rest
            and not any(w in named for w in rest)
            and tuple(words[:n]) in body_names
        ):
            return n
    return None


def _role_title(ctx: Context, noun: Token) -> tuple[int, int] | None:
    """Return the title before a performer noun ("the Varn Street star")."""
    doc, small = ctx.doc, _title_small_words()
    start = noun.i
    while start > ctx.first and (
        doc[start - 1].is_title
        or (doc[start - 1].lower_ in small and start - 1 < noun.i - 1)
    ):
        start -= 1
    while start < noun.i and doc[start].lower_ in small:
        start += 1  # a title starts and ends with a capitalised word
    run = doc[start : noun.i]
    if (
        len(run) < 2
        or start == 0
        or doc[start - 1].pos_ != "DET"
        or not doc[noun.i - 1].is_title
        or any(t.ent_type_ == "PERSON" and t.ent_iob_ == "B" for t in run[:1])
    ):
        return None
    return run.start, run.end


def _genre_title(ctx: Context, noun: Token) -> tuple[int, int] | None:
    """Return the title of several words after a genre noun, or ``None``."""
    doc, stop = ctx.doc, ctx.stop
    before = doc[noun.i - 1] if noun.i > 0 else None
    if (
        not noun.is_lower
        or before is None
        or not (before.pos_ == "DET" or before.tag_ in {"POS", "PRP$"})
        or noun.i + 1 >= stop
        or not doc[noun.i + 1].is_title
    ):
        return None
    last = noun.i + 1
    while True:
        if (
            last + 3 < stop
            and doc[last + 1].lower_ in {"of", "by"}
            and doc[last + 2].lower_ == "the"
            and doc[last + 3].is_title
        ):
            last += 3
        elif last + 1 < stop and doc[last + 1].is_title:
            last += 1
        else:
            break
    if last > noun.i + 1 and any(
        t.lower_ in {"of", "by"} for t in doc[noun.i + 1 : last]
    ):
        return noun.i + 1, last + 1
    return None


def _titles(ctx: Context) -> list[tuple[int, int]]:
    """Token spans of works' titles named by a role or a genre noun.

    Performer nouns first ("the Keeping Up With the Varns star": between a
    determiner and a lower-case noun that names someone by a work, a run of
    capitalised words, with the small words of titles between them), then
    genre nouns ("the thriller Flight of the Heron", "his comedy Taller by
    the Hour": capitalised words joined by "of the" or "by the" right after
    a determined genre noun; a preposition without an article may as well
    start a phrase of the clause, "the film Jaws by Byrne").
    """
    roles, genres = load_words("work-role-nouns"), load_words("genre-nouns")
    found = [
        span
        for noun in ctx.doclike
        if noun.lower_ in roles and noun.is_lower
        for span in [_role_title(ctx, noun)]
        if span is not None
    ]
    found += (
        span
        for noun in ctx.doclike
        if noun.lower_ in genres
        for span in [_genre_title(ctx, noun)]
        if span is not None
    )
    return found


@register_pass(TITLES)
def work_titles(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Read a capitalised title before a performer noun or after a genre noun.

    The small model tags a piece of the title, or nothing: the whole run is
    one work's name, and names inside the run give way.

    Examples
    --------
    >>> doc = nlp("She met the Varn Street Blues star at the gala.")
    >>> [c.span.text for c in work_titles(Context(doc), ())]
    ['Varn Street Blues']
    """
    titles = _titles(ctx)
    if not titles:
        return found
    kept = [
        c
        for c in found
        if not any(a < c.span.end and c.span.start < b for a, b in titles)
    ]
    doc = ctx.doc
    return (*kept, *(Candidate(doc[a:b], "WORK_OF_ART", TITLES) for a, b in titles))
