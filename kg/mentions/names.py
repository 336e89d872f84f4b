"""Name passes: the NER layer's names, trimmed, mended and cut where it erred.

The first pass reads the tagger's spans as names; the passes after it mend
what the small model gets wrong at a name's edges: a name an editor split
with brackets, a name cut on a linking word, a hyphened pair of peoples, a
number or place word left out, a name tagged two ways in one text, a person
and their place tagged as one, and several names joined into one span.
"""

from __future__ import annotations

import functools
from collections import Counter

from spacy.attrs import IS_QUOTE
from spacy.tokens import Doc, Span, Token

from kg.lexicon import load_mapping, load_words
from kg.mentions.base import Candidate, Context, register_pass
from kg.mentions.lexicons import FACILITY_WORDS, KIN_GROUP_NOUNS, is_given_name
from kg.mentions.spans import token_indices
from kg.mentions.tokens import (
    extend_name,
    is_camel,
    is_name_token,
    is_quote,
    trim_name,
)

__all__ = [
    "bracketed_names",
    "consistent_names",
    "coordinated_names",
    "dangling_names",
    "grown_names",
    "ner_names",
    "placed_persons",
    "split_nationalities",
]

NER = "kg.mentions.names.v1"
BRACKETED = "kg.mentions.names.bracketed.v1"
DANGLING = "kg.mentions.names.dangling.v1"
NATIONALITIES = "kg.mentions.names.nationalities.v1"
GROWN = "kg.mentions.names.grown.v1"
CONSISTENT = "kg.mentions.names.consistent.v1"
PLACED = "kg.mentions.names.placed-persons.v1"
COORDINATED = "kg.mentions.names.coordinated.v1"

#: Labels of names that never contain a verb form; a verb inside is a tagging error.
_VERBLESS_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP"})
_EDITION_LABELS = frozenset({"EVENT", "ORG", "WORK_OF_ART", "LAW", "PRODUCT"})
_EVENT_LABELS = frozenset({"EVENT", "WORK_OF_ART", "LAW", "PRODUCT"})
_PLACE_NER = frozenset({"GPE", "LOC"})
_VERB_TAGS = frozenset({"VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD"})
_MAX_ALIAS_TOKENS = 6
#: Words that join two names the NER layer may tag as one ("Tarnby and Varn",
#: "ACL / BCL"); "&" is left out: it joins the parts of one firm's or band's name.
_NAME_JOINERS = frozenset({"and", "/", "or"})
_DANGLING_POS = frozenset({"ADP", "CCONJ", "DET", "SCONJ"})
#: Linking words that join a person to a place, not to more of the name.
_PLACE_LINKS = frozenset({"of", "for"})
#: Prepositions that place a person ("Ada at Tarnby", "Ada in Tarnby").
_PERSON_PLACE_PREPS = frozenset({"at", "in"})


@functools.cache
def _generations() -> frozenset[str]:
    """Return the suffixes after a person's name ("Jr", "III", "Esq").

    The ``nameparser`` package's list of generation and honorific suffixes
    (lower case, no dot).
    """
    from nameparser.config import CONSTANTS

    return frozenset(CONSTANTS.suffix_not_acronyms)


def _name_links() -> frozenset[str]:
    return load_words("name-links")


def _number_words() -> frozenset[str]:
    return frozenset(load_mapping("number-words")) - {"zero"}


# --- the NER layer's names ---------------------------------------------------


def _kin_group(span: Span) -> Span | None:
    """Return "Varn dynasty" of "the Varn dynasty": a kin group named by a name.

    A family name before "family", "dynasty" or "clan" after the article
    names the group, not one of its members: the noun is a word of the name.
    """
    doc = span.doc
    end = span.end
    if (
        end < len(doc)
        and doc[end].lower_ in KIN_GROUP_NOUNS
        and span.root.head.i == end
        and span.root.dep_ == "compound"
        and span.start > 0
        and doc[span.start - 1].lower_ == "the"
    ):
        return doc[span.start : end + 1]
    return None


def _glued(doc: Doc, h: int) -> bool:
    """Tell a hyphen at ``h`` between two words, with no spaces."""
    return (
        0 < h < len(doc) - 1
        and doc[h].tag_ == "HYPH"
        and not doc[h - 1].whitespace_
        and not doc[h].whitespace_
        and doc[h - 1].is_alpha
        and doc[h + 1].is_alpha
    )


def _hyphen_glued(span: Span) -> Span:
    """Grow a name over the hyphen-glued words it is only part of.

    "Bourg-la-Varn", "Tarnby-upon-Wey": capitalised words hyphened to a
    lower-case particle between them are one word, so a name the tagger ends
    (or starts) inside such a compound is the whole compound, up to its last
    capitalised word. Two capitalised words hyphened with nothing between
    ("Varn-Tarnby campus", "Spanish-English") are often two names side by side.
    """
    doc = span.doc
    start, end = span.start, span.end
    right = end
    while _glued(doc, right):
        right += 2
        if doc[right - 1].is_title:
            end = right
    left = start
    while _glued(doc, left - 1):
        left -= 2
        if doc[left].is_title:
            start = left
    if (start, end) == (span.start, span.end) or not any(
        t.is_lower for t in doc[start:end]
    ):
        return span
    return doc[start:end]


def _nickname_spans(ctx: Context) -> list[tuple[int, int]]:
    """Token spans of ``First "Nick" Last`` names (one to three quoted words)."""
    doc = ctx.doc
    spans: list[tuple[int, int]] = []
    for i in token_indices(ctx.doclike, IS_QUOTE, [1]):
        if not is_quote(doc[i]) or i < 1 or not is_name_token(doc[i - 1]):
            continue
        j = i + 1
        while j < len(doc) and j - i <= 3 and is_name_token(doc[j]):
            j += 1
        if j == i + 1 or j + 1 >= len(doc) or not is_quote(doc[j]):
            continue
        if (
            not is_name_token(doc[j + 1])
            or ctx.sentence_bounds[j + 1] != ctx.sentence_bounds[i - 1]
        ):
            continue
        start, _ = extend_name(doc, i - 1, i)
        _, end = extend_name(doc, j + 1, j + 2)
        spans.append((start, end))
    return spans


def _gerund_title(span: Span) -> bool:
    """Tell a title opened by a capitalised gerund after its class noun.

    "the period drama Finding Varnholt": a capitalised -ing form inside a
    sentence, opening a run of proper nouns placed right after a common
    noun, is the first word of the title that noun classifies, not a verb.
    """
    first, doc = span[0], span.doc
    return (
        first.tag_ == "VBG"
        and first.is_title
        and not first.is_sent_start
        and len(span) > 1
        and all(t.pos_ == "PROPN" for t in span[1:])
        and span.start > 0
        and doc[span.start - 1].pos_ == "NOUN"
        and doc[span.start - 1].is_lower
    )


def _name_participle(token: Token, span: Span) -> bool:
    """Tell a capitalised participle modifying a later capitalised word of ``span``."""
    return (
        token.tag_ in {"VBN", "VBG"}
        and token.is_title
        and token.i + 1 < span.end
        and token.dep_ in {"amod", "compound"}
        and token.i < token.head.i < span.end
        and all(t.is_title for t in token.doc[token.i : token.head.i + 1])
    )


def _junk_name(span: Span, label: str) -> bool:
    """Tell a tagged span that cannot be a name: no capital, or a verb inside.

    A capitalised participle that modifies the next word of the span
    ("Broken Varn Expressway", "Painted Hills") is an adjective of the name,
    not a verb: it makes no clause of the span.
    """
    if all(not t.text[:1].isupper() and not is_camel(t.text) for t in span):
        return True
    return label in _VERBLESS_LABELS and any(
        t.tag_ in _VERB_TAGS
        and t.pos_ in {"VERB", "AUX"}
        and not _name_participle(t, span)
        for t in span
    )


def _with_edition(span: Span, label: str) -> Span:
    """Take in a year that names an event's edition ("the 2002 Winter Games").

    Not before a lone word tagged as a body ("from 1892 to 1895 Varn").
    """
    doc = span.doc
    before = span.start - 1
    if (
        (label in _EVENT_LABELS or len(span) > 1)
        and label in _EDITION_LABELS
        and before >= 0
        and doc[before].like_num
        and len(doc[before].text) == 4
        and span.start <= doc[before].head.i < span.end
    ):
        return doc[before : span.end]
    return span


def _tagged_name(ent: Span) -> tuple[Span, str] | None:
    """Return a tagged span as a name: trimmed, grown over its glued words."""
    span = trim_name(ent)
    if span is None:
        return None
    label = ent.label_
    if label != "NORP":  # "Irish-Varnish": two peoples, cut apart later
        span = _hyphen_glued(span)
    kin = _kin_group(span)
    if kin is not None:
        span, label = kin, "ORG"
    if _gerund_title(span):
        label = "WORK_OF_ART"
    elif _junk_name(span, label):
        return None
    return _with_edition(span, label), label


class _Nicknames:
    """The ``First "Nick" Last`` spans, each given to the first name over it."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.used: set[tuple[int, int]] = set()
        # each token -> the first span (in text order) over it; a span runs
        # over at most the name runs on either side of its quotes, so the
        # map stays as long as the text
        self._first: dict[int, int] = {}
        for k, (a, b) in enumerate(spans):
            for i in range(a, b):
                self._first.setdefault(i, k)

    def overlapping(self, start: int, end: int) -> tuple[int, int] | None:
        """Return the first nickname span (in text order) overlapping a name."""
        hits = [self._first[i] for i in range(start, end) if i in self._first]
        return self.spans[min(hits)] if hits else None


def _subtitled(
    ctx: Context, found: list[Candidate], span: Span, tagged: Counter[str]
) -> bool:
    """Tell a name right after a title and a colon: the title's subtitle.

    "Jaws: The Return" is one title; a name the text also tags in another
    place is a name of its own ("Rover Photo: ACME" credits ACME).
    """
    if not found:
        return False
    doc = ctx.doc
    prev = found[-1].span
    return (
        prev.end < len(doc)
        and doc[prev.end].text == ":"
        and all(t.pos_ == "DET" for t in doc[prev.end + 1 : span.start])
        and prev.end < span.start <= prev.end + 2
        and ctx.sentence_bounds[prev.start] == ctx.sentence_bounds[span.start]
        and tagged[span.text] < 2
    )


@register_pass(NER)
def ner_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Read the NER layer's spans of the kept labels as names.

    Trimmed of determiners, quotes and possessives; a name with a quoted
    nickname inside (``Ada "Countess" Byrne``) is one person's name; a
    title and its subtitle after a colon are one title. Names in captions,
    credits, bylines and other page furniture are left out.

    Examples
    --------
    >>> doc = nlp("The Varn Society's head, Ada Byrne, spoke.")
    >>> [c.span.text for c in ner_names(Context(doc), ())]
    ['Varn Society', 'Ada Byrne']
    """
    doc = ctx.doc
    nicknames = _Nicknames(_nickname_spans(ctx))
    out: list[Candidate] = list(found)
    names: list[Candidate] = []
    tagged = Counter(ent.text for ent in ctx.doclike.ents)
    for ent in ctx.doclike.ents:
        if ent.label_ not in ctx.labels or ent.start in ctx.non_prose:
            continue
        read = _tagged_name(ent)
        if read is None:
            continue
        span, label = read
        nick = nicknames.overlapping(span.start, span.end)
        if nick is not None:
            if nick in nicknames.used:
                continue
            nicknames.used.add(nick)
            span, label = doc[nick[0] : nick[1]], "PERSON"
        if _subtitled(ctx, names, span, tagged):
            span, label = doc[names[-1].span.start : span.end], "WORK_OF_ART"
            names.pop()
        names.append(Candidate(span, label, NER))
    names += (
        Candidate(doc[a:b], "PERSON", NER)
        for a, b in nicknames.spans
        if (a, b) not in nicknames.used
    )
    return (*out, *names)


# --- names an editor split with brackets -------------------------------------


def _bracketed_span(doc: Doc, i: int) -> Span | None:
    """Return the name run over a bracket opened at ``i`` ("Ada [Byrne] Hale")."""
    close = next((t.i for t in doc[i + 1 : i + 5] if t.text == "]"), None)
    if close is None or close == i + 1:
        return None
    if not all(t.is_alpha and t.text[:1].isupper() for t in doc[i + 1 : close]):
        return None
    start, end = i, close + 1
    while start > 0 and is_name_token(doc[start - 1]) and doc[start - 1].is_title:
        start -= 1
    while end < len(doc) and is_name_token(doc[end]) and doc[end].is_title:
        end += 1
    if start == i and end == close + 1:
        return None
    return doc[start:end]


@register_pass(BRACKETED)
def bracketed_names(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Join a name an editor split with square brackets ("Ada [Byrne]").

    Quotations add missing words in brackets; the name runs over them. A name
    tagged inside the stretch is replaced by the whole.

    Examples
    --------
    >>> doc = nlp("Then Ada [Byrne] Hale left.")
    >>> [c.span.text for c in bracketed_names(Context(doc), ())]
    ['Ada [Byrne] Hale']
    """
    doc = ctx.doc
    out = dict(enumerate(found))
    # token -> the candidates over it, so that a bracket finds the names it
    # replaces without looking at every name
    over: dict[int, list[int]] = {}
    for k, c in out.items():
        for i in range(c.span.start, c.span.end):
            over.setdefault(i, []).append(k)
    for token in ctx.doclike:
        span = _bracketed_span(doc, token.i) if token.text == "[" else None
        if span is None:
            continue
        hits = sorted(
            {
                k
                for i in range(span.start, span.end)
                for k in over.get(i, ())
                if k in out
            }
        )
        overlapping = [out[k] for k in hits]
        first = next(t.text for t in span if t.is_alpha)
        label = "PERSON" if is_given_name(first) else ""
        label = label or next((c.label for c in overlapping if c.label), "")
        for k in hits:  # a name equal to one of them covers the same tokens
            del out[k]
        new = len(found) + token.i
        out[new] = Candidate(span, label, BRACKETED)
        for i in range(span.start, span.end):
            over.setdefault(i, []).append(new)
    return tuple(out.values())


# --- names cut on a linking word ---------------------------------------------


def _dangling(token: Token) -> bool:
    """Tell a lower-case linking or joining word that cannot end a name."""
    return (
        token.is_lower
        and token.is_alpha
        and (token.pos_ in _DANGLING_POS or token.lower_ in _name_links())
        and not (token.i > 0 and token.doc[token.i - 1].tag_ == "HYPH")
    )


def _linked_end(ctx: Context, span: Span, starts: dict[int, Span]) -> int | None:
    """Return where a name ending on a linking word runs to, or ``None``."""
    doc, stop = ctx.doc, ctx.stop
    nxt = span.end
    if nxt < stop and doc[nxt].lower_ == "the":
        nxt += 1
    end = None
    if nxt in starts:
        end = starts[nxt].end
    elif nxt < stop and is_name_token(doc[nxt]) and doc[nxt].is_title:
        end = nxt
        while end < stop and is_name_token(doc[end]) and doc[end].is_title:
            end += 1
    if end is not None and any(t.is_sent_start for t in doc[span.end : end]):
        return None
    return end


@register_pass(DANGLING)
def dangling_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Mend a tagged name that ends on a lower-case linking or joining word.

    The tagger cuts "the High Court of Varn County" into "High Court
    of" and "Varn County": a name ending on a linking word ("of", "for",
    "von") runs over the name after it (an article between them allowed),
    tagged or not, and keeps its own label (the tagged name stays a mention
    of its own, nested in the whole). A person's name runs over
    a particle ("Ada von Byrne") but not over "of" a place ("Ada Byrne of
    Varn"). Any other dangling function word ("Varn and", "the Varn
    Players in") is cut off.
    """
    doc = ctx.doc
    starts = {c.span.start: c.span for c in found}
    out: list[Candidate] = []
    for c in sorted(found, key=lambda c: (c.span.start, -c.span.end)):
        span, label = c.span, c.label
        last = span[-1]
        if len(span) < 2 or not _dangling(last):
            out.append(c)
            continue
        if len(span) == 2 and last.lower_ in _PLACE_LINKS:
            # "City of" + "Varn": a lone word before "of" is more often a
            # title or a kind of place than the first part of one name
            out.append(c)
            continue
        end = None
        if last.lower_ in _name_links() and not (
            label == "PERSON" and last.lower_ in _PLACE_LINKS
        ):
            end = _linked_end(ctx, span, starts)
        if end is not None:
            out.append(Candidate(doc[span.start : end], label, DANGLING))
            continue
        cut = span.end
        while cut > span.start + 1 and _dangling(doc[cut - 1]):
            cut -= 1
        out.append(_reshaped(c, doc[span.start : cut], DANGLING))
    return tuple(out)


def _reshaped(c: Candidate, span: Span, source: str) -> Candidate:
    """Return ``c`` over ``span``: credited to ``source`` when the span changed."""
    if (span.start, span.end) == (c.span.start, c.span.end):
        return c
    return Candidate(span, c.label, source, c.kind)


# --- peoples joined by a hyphen ----------------------------------------------


@register_pass(NATIONALITIES)
def split_nationalities(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Cut a hyphened pair of nationalities into one name each.

    "African-American", "Cuban-Varnish": the tagger takes the compound as
    one nationality; each part names a people (or country) of its own. A
    combining form ("Anglo-Irish", "Austro-Varnish") is one word.
    """
    out: list[Candidate] = []
    for c in found:
        span = c.span
        words = list(span)[::2]
        if (
            c.label != "NORP"
            or len(span) < 3
            or len(span) % 2 == 0
            or not all(t.tag_ == "HYPH" for t in list(span)[1::2])
            or not all(
                t.is_alpha and t.is_title and len(t) > 3 and not t.lower_.endswith("o")
                for t in words
            )
        ):
            out.append(c)
            continue
        out.extend(
            Candidate(span[i : i + 1], c.label, NATIONALITIES)
            for i in range(0, len(span), 2)
        )
    return tuple(out)


# --- words the tagger left after a name --------------------------------------


@register_pass(GROWN)
def grown_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Grow a name over the words the tagger left after it.

    - A capitalised number word ("Sky Two"): the tagger reads the number of a
      channel, station or series as a count. A person's name does not grow.
    - "'s" and a capitalised place word ("St Mary's Church", "Byrne's
      Bridge"): the tagger stops at the possessive; the whole names a place.
    """
    doc, stop = ctx.doc, ctx.stop
    numbers = _number_words()

    def starts_word(i: int) -> bool:
        return i < stop and doc[i].is_title and not doc[i].is_sent_start

    out: list[Candidate] = []
    for c in found:
        span, end = c.span, c.span.end
        if (
            c.label != "PERSON"
            and span[-1].whitespace_
            and starts_word(end)
            and doc[end].lower_ in numbers
        ):
            c = Candidate(doc[span.start : end + 1], c.label, GROWN)
        elif (
            end < stop
            and doc[end].lower_ in {"'s", "’s"}
            and starts_word(end + 1)
            and doc[end + 1].lower_ in FACILITY_WORDS
        ):
            c = Candidate(doc[span.start : end + 2], "FAC", GROWN)
        out.append(c)
    return tuple(out)


# --- one name, tagged two ways -----------------------------------------------


def _grown_to_known(ctx: Context, found: tuple[Candidate, ...]) -> list[Candidate]:
    """Return each name grown to a longer name the text tagged elsewhere.

    Later words may be written in lower case ("Ribbon theory" of "Ribbon
    Theory"): writers vary the case of a name's inner words. The longest
    such name wins; of names as long, the first the text tagged.
    """
    doc, stop = ctx.doc, ctx.stop
    known: dict[tuple[str, ...], str] = {}
    for c in found:
        if 1 < len(c.span) <= _MAX_ALIAS_TOKENS:
            known.setdefault(tuple(t.text for t in c.span), c.label)
    # (first word, lower-cased words) -> the known names spelt so, in order
    by_key: dict[tuple[str, tuple[str, ...]], list[tuple[str, ...]]] = {}
    lengths: dict[str, set[int]] = {}
    for words in sorted(known, key=len, reverse=True):
        key = (words[0], tuple(w.lower() for w in words))
        by_key.setdefault(key, []).append(words)
        lengths.setdefault(words[0], set()).add(len(words))
    grown: list[Candidate] = []
    for c in found:
        span = c.span
        first = span[0].text
        for size in sorted(lengths.get(first, ()), reverse=True):
            end = span.start + size
            if size <= len(span) or end > stop:
                continue
            match = by_key.get((first, tuple(t.lower_ for t in doc[span.start : end])))
            if not match or any(
                doc[i].is_sent_start for i in range(span.start + 1, end)
            ):
                continue
            grown.append(Candidate(doc[span.start : end], known[match[0]], CONSISTENT))
            break
    return grown


@register_pass(CONSISTENT)
def consistent_names(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Tag a name the same way each time the text writes it.

    The tagger may take "Varn Bay" whole once and "Varn" + "Bay" the next
    time: a name that starts a longer name the text tagged elsewhere, word for
    word, grows to it, and the pieces inside it go. The words after the first
    may differ in case ("Ribbon theory" of "Ribbon Theory").
    """
    grown = _grown_to_known(ctx, found)
    if not grown:
        return found
    covered = {i for g in grown for i in range(g.span.start, g.span.end)}
    bounds = {(g.span.start, g.span.end) for g in grown}
    kept = [
        c
        for c in found
        if not covered.issuperset(range(c.span.start, c.span.end))
        or (c.span.start, c.span.end) in bounds
    ]
    taken = {(c.span.start, c.span.end) for c in kept}
    kept += [g for g in grown if (g.span.start, g.span.end) not in taken]
    return tuple(sorted(kept, key=lambda c: (c.span.start, -c.span.end)))


# --- a person and their place, tagged as one ---------------------------------


def _person_cut(span: Span, persons: set[str]) -> int | None:
    for k in range(1, len(span) - 1):
        prep, left = span[k], span[:k]
        if (
            prep.lower_ in _PERSON_PLACE_PREPS
            and left.start <= prep.head.i < left.end
            and left.text in persons
            and span[k + 1].is_title
        ):
            return k
    return None


@register_pass(PLACED)
def placed_persons(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Cut a person's name out of a tagged span that places the person.

    "a stay with Byrne at Tarnby": the tagger may read a name, a locative
    preposition and a place as one title or body. When the words before the
    preposition, which the parse attaches to them, are a person's name or
    surname the text tags elsewhere, the span is the person followed by
    where they were: the person's name and the place are names of their own,
    the place read as a place unless tagged as a body or building.
    """
    persons = {
        key
        for c in found
        if c.label == "PERSON"
        for key in (c.span.text, c.span[-1].text)
    }
    if not persons:
        return found
    out: list[Candidate] = []
    for c in found:
        span, label = c.span, c.label
        cut = None
        if label != "PERSON" and len(span) > 2 and not is_quote(span[0]):
            cut = _person_cut(span, persons)
        if cut is None:
            out.append(c)
        else:
            place = label if label in _PLACE_NER | {"FAC", "ORG"} else "GPE"
            out += [
                Candidate(span[:cut], "PERSON", PLACED),
                Candidate(span[cut + 1 :], place, PLACED),
            ]
    return tuple(out)


# --- several names joined into one span --------------------------------------


def _joined_parts(span: Span, listed: bool) -> list[Span]:
    """Return the names a span joins, or ``[]`` when it is one name."""
    joiners = _NAME_JOINERS | {","} if listed else _NAME_JOINERS
    cuts = [t.i for t in span[1:-1] if t.lower_ in joiners]
    if not cuts:
        return []
    doc, start = span.doc, span.start
    parts: list[Span] = []
    for cut in [*cuts, span.end]:
        part = trim_name(doc[start:cut])
        start = cut + 1
        if part is None or not any(is_name_token(t) for t in part):
            return []
        parts.append(part)
    generations = _generations()
    if listed and any(p[-1].lower_.rstrip(".") in generations for p in parts[1:]):
        return []  # "Ada Hale, Jr."
    return parts


@register_pass(COORDINATED)
def coordinated_names(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Cut a tagged span that joins several names the text also uses alone.

    The NER layer tags "Tarnby and Varn" or "ACL / BCL" as one name. The
    span is cut at each joining word when one of the parts is a name of its
    own elsewhere in the text; "Skull and Crown", never split by the text,
    stays whole. A person's name is cut at each comma too ("Ada, Tom Hale"),
    save before a generation ("Ada Hale, Jr.").
    """
    alone = {tuple(t.text for t in c.span) for c in found}
    out: list[Candidate] = []
    for c in found:
        span, label = c.span, c.label
        # a person's name holds no comma: "Ada, Tom Hale" lists two people
        listed = label == "PERSON" and any(t.text == "," for t in span[1:-1])
        parts = _joined_parts(span, listed)
        if parts and (listed or any(tuple(t.text for t in p) in alone for p in parts)):
            out.extend(Candidate(part, label, COORDINATED) for part in parts)
        else:
            out.append(c)
    return tuple(out)
