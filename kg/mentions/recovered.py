"""Names the NER layer left untagged, recovered from the parse and the text.

The small model misses many names: a short form defined in brackets, a
later mention of a tagged name (a surname, an acronym), a proper noun in an
argument slot, a brand spelt with an inner capital, a heading that names
its section's subject, a state code closing an address. Each pass adds what
it finds; tagged names are never replaced here.
"""

from __future__ import annotations

import itertools
import re

from spacy.attrs import IS_TITLE, IS_UPPER, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Span, Token

from kg.mentions.base import Candidate, Context, covered_tokens, register_pass
from kg.mentions.lexicons import STATE_ABBREVIATIONS, is_given_name
from kg.mentions.spans import token_indices
from kg.mentions.tokens import is_camel, is_name_token, is_quote

__all__ = [
    "abbreviations",
    "aliases",
    "brand_names",
    "heading_names",
    "state_codes",
    "untagged_aliases",
    "untagged_names",
]

ABBREVIATIONS = "kg.mentions.names.abbreviations.v1"
ALIASES = "kg.mentions.aliases.v1"
UNTAGGED = "kg.mentions.names.untagged.v1"
BRANDS = "kg.mentions.names.brands.v1"
HEADINGS = "kg.mentions.names.headings.v1"
STATE_CODES = "kg.mentions.names.state-codes.v1"
UNTAGGED_ALIASES = "kg.mentions.aliases.untagged.v1"

_MAX_ALIAS_TOKENS = 6
_PLACE_NER = frozenset({"GPE", "LOC"})
_ROMAN_NUMERAL = re.compile(r"[IVXLC]+")
_UNTAGGED_DEPS = frozenset(
    {"nsubj", "nsubjpass", "dobj", "pobj", "poss", "dative", "appos", "conj", "attr"}
)


# --- short forms defined in brackets -----------------------------------------


def _short_form(text: str) -> bool:
    return (
        2 <= len(text) <= 6
        and text[:1].isupper()
        and text.isalnum()
        and not any(c.islower() for c in text)
        and not _ROMAN_NUMERAL.fullmatch(text)
    )


@register_pass(ABBREVIATIONS)
def abbreviations(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Read a capitals-only word in brackets as the name it abbreviates.

    "second-order drift (D2) research", "ocean salinity (OSM)": a writer
    defines a short form in brackets after what it stands for, however
    common the words spelt out; the tagger leaves such a form untagged. A
    Roman numeral ("(II)") or a bare number is no short form.

    Examples
    --------
    >>> doc = nlp("They study ocean salinity (OSM) at sea.")
    >>> [c.span.text for c in abbreviations(Context(doc), ())]
    ['OSM']
    """
    doc = ctx.doc
    covered = covered_tokens(found)
    new: list[Candidate] = []
    for i in range(ctx.first + 1, ctx.stop - 1):
        if (
            doc[i - 1].text != "("
            or doc[i + 1].text != ")"
            or i in covered
            or not _short_form(doc[i].text)
        ):
            continue
        new.append(Candidate(doc[i : i + 1], "", ABBREVIATIONS))
    return (*found, *new)


# --- later mentions of a tagged name -----------------------------------------


def _alias_surfaces(span: Span, label: str) -> list[tuple[str, ...]]:
    """Token-text sequences a later untagged mention of this name may take."""
    words = [t.text for t in span if not is_quote(t)]
    out = [tuple(words)]
    if label != "PERSON" and len(span) >= 2:
        initials = "".join(
            t.text[0] for t in span if t.is_alpha and t.text[0].isupper()
        )
        if len(initials) >= 2:
            out.append((initials,))
    if label == "PERSON" and len(span) >= 2:
        # the surname: the last word, with a hyphenated compound kept whole
        last = len(span) - 1
        first_of_last = last
        while first_of_last >= 2 and span[first_of_last - 1].tag_ == "HYPH":
            first_of_last -= 2
        surname = tuple(t.text for t in span[first_of_last:])
        if surname != tuple(words):
            out.append(surname)
        if span[0].pos_ == "PROPN" and not is_quote(span[1]):
            out.append((span[0].text,))
        # the nickname inside quotes
        quoted = [i for i, t in enumerate(span) if is_quote(t)]
        if len(quoted) == 2 and quoted[1] - quoted[0] >= 2:
            nick = tuple(t.text for t in span[quoted[0] + 1 : quoted[1]])
            out.append(nick)
            out.append((span[0].text, *nick))
            out.append((span[0].text, *surname))
    return out


def _surfaces(
    sources: list[Candidate], *, all_forms: bool
) -> dict[tuple[str, ...], str]:
    surfaces: dict[tuple[str, ...], str] = {}
    for c in sources:
        forms = (
            _alias_surfaces(c.span, c.label)
            if all_forms or c.label == "PERSON"
            else [tuple(t.text for t in c.span)]
        )
        for surface in forms:
            if surface and surface[0][:1].isupper():
                surfaces.setdefault(surface, c.label)
    return surfaces


def _recover(
    ctx: Context,
    found: tuple[Candidate, ...],
    surfaces: dict[tuple[str, ...], str],
    source: str,
) -> list[Candidate]:
    """Find untagged occurrences of ``surfaces`` outside the names ``found``."""
    if not surfaces:
        return []
    longest = min(_MAX_ALIAS_TOKENS, max(len(s) for s in surfaces))
    covered = covered_tokens(found)
    doc, stop = ctx.doc, ctx.stop
    new: list[Candidate] = []
    starts = sorted(
        set(token_indices(ctx.doclike, IS_TITLE, [1]))
        | set(token_indices(ctx.doclike, IS_UPPER, [1]))
        | set(token_indices(ctx.doclike, POS, [PROPN]))
    )
    for i in starts:
        token = doc[i]
        if (
            i in covered
            or not token.text[:1].isupper()
            or token.pos_ in {"PRON", "DET", "ADP"}
        ):
            continue
        for n in range(min(longest, stop - i), 0, -1):
            words = tuple(t.text for t in doc[i : i + n])
            found_label = surfaces.get(words)
            if found_label is None or covered.intersection(range(i, i + n)):
                continue
            # a whole word sequence, not part of a longer proper name, but
            # for a place, which opens the names of what lies in it ("the
            # Tarnby Harbour ferry", "the Varn - Tarnby Bay Bridge")
            if (
                i + n < stop
                and is_name_token(doc[i + n])
                and doc[i + n].text[:1].isupper()
                and found_label not in _PLACE_NER
            ):
                continue
            if doc[i + n - 1].tag_ == "HYPH":
                continue
            new.append(Candidate(doc[i : i + n], found_label, source))
            covered.update(range(i, i + n))
            break
    return new


@register_pass(ALIASES)
def aliases(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find untagged occurrences of the aliases of tagged names.

    A person's full name, surname, first name and quoted nickname; another
    name's full words and initials ("Varn Art Society" ... "VAS").

    Examples
    --------
    >>> doc = nlp("Ada Byrne-Hale won. Byrne-Hale smiled.")
    >>> ctx = Context(doc)
    >>> names = (Candidate(doc[0:4], "PERSON", "x"),)
    >>> [c.span.text for c in aliases(ctx, names)[1:]]
    ['Byrne-Hale']
    """
    surfaces = _surfaces(list(found), all_forms=True)
    return (*found, *_recover(ctx, found, surfaces, ALIASES))


# --- proper nouns the tagger left untagged -----------------------------------


def _named_by_appositive(token: Token) -> bool:
    """Tell a capitalised word read as a common noun that an appositive classes.

    "two languages: Varn, a hill language": inside a sentence, a capitalised
    word followed by an indefinite appositive saying what it is, is a name.
    """
    return (
        token.pos_ == "NOUN"
        and token.is_title
        and not token.is_sent_start
        and any(
            child.dep_ == "appos"
            and child.i > token.i
            and any(d.lower_ in {"a", "an"} for d in child.children)
            for child in token.children
        )
    )


def _argument_noun(token: Token, covered: set[int]) -> bool:
    """Tell a capitalised proper noun heading an argument, outside any name."""
    classed = _named_by_appositive(token)
    return (
        (token.pos_ == "PROPN" or classed)
        and token.i not in covered
        and (
            token.dep_ in _UNTAGGED_DEPS
            or classed
            or (
                token.dep_ == "compound"
                and token.head.pos_ == "NOUN"
                and token.head.i > token.i
            )
        )
        and token.text[:1].isupper()
        and (token.is_alpha or "'" in token.text)
        and not token.is_quote
        and not token.is_stop
    )


def _quoted_title(span: Span, label: str) -> bool:
    """Tell a quoted proper noun: a title, unless it is a personal name."""
    doc = span.doc
    return any(is_quote(t) for t in span) or (
        not label
        and span.start > 0
        and is_quote(doc[span.start - 1])
        and span.end < len(doc)
        and is_quote(doc[span.end])
    )


def _untagged_covered(ctx: Context, found: tuple[Candidate, ...]) -> set[int]:
    covered = covered_tokens(found)
    covered.update(i for ent in ctx.doc.ents for i in range(ent.start, ent.end))
    return covered


@register_pass(UNTAGGED)
def untagged_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Proper nouns in argument positions that the NER layer left untagged.

    The small model misses many surnames ("Nyvard sang"); such a proper noun
    heading a subject, object or possessor is kept as a name of unknown class
    (``""``), or ``PERSON`` when it starts with a known given name. So is a
    capitalised word read as a common noun that an indefinite appositive
    classes ("Varn, a hill language"), wherever the parse hangs it.
    """
    doc = ctx.doc
    covered = _untagged_covered(ctx, found)
    new: list[Candidate] = []
    for i in token_indices(ctx.doclike, POS, [PROPN, NOUN]):
        token = doc[i]
        if not _argument_noun(token, covered):
            continue
        start = token.i
        while (
            start > 0
            and doc[start - 1].pos_ == "PROPN"
            and doc[start - 1].dep_ == "compound"
            and doc[start - 1].head.i == token.i
            and doc[start - 1].text[:1].isupper()
            and start - 1 not in covered
        ):
            start -= 1
        span = doc[start : token.i + 1]
        if token.dep_ == "compound" and len(span.text) < 3:
            continue  # "Le port", "La gare": no short word as a name
        label = "PERSON" if len(span) > 1 and is_given_name(span[0].text) else ""
        if _quoted_title(span, label):
            continue
        new.append(Candidate(span, label, UNTAGGED))
        covered.update(range(span.start, span.end))
    return (*found, *new)


@register_pass(BRANDS)
def brand_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Read brand-style words ("eVarn") as names, whatever their part of speech.

    Examples
    --------
    >>> doc = nlp("She sold it on wikiHow today.")
    >>> [c.span.text for c in brand_names(Context(doc), ())]
    ['wikiHow']
    """
    covered = _untagged_covered(ctx, found)
    doc = ctx.doc
    new = [
        Candidate(doc[t.i : t.i + 1], "", BRANDS)
        for t in ctx.doclike
        if t.i not in covered and is_camel(t.text)
    ]
    return (*found, *new)


def _line_opening(ctx: Context, sent: Span) -> list[Span]:
    """Return the stretches a line opening ``sent`` may name its subject with.

    Only the sentence's first words are read (a heading is short; a list
    entry's subject ends at the first colon), so a long sentence costs no
    more than a short one.
    """
    doc = ctx.doc
    words = list(
        itertools.islice(
            (t for t in sent if not (t.is_punct or t.is_space)), _MAX_ALIAS_TOKENS + 1
        )
    )
    if not words:
        return []
    before = doc[words[0].i - 1] if words[0].i > 0 else None
    if before is not None and "\n" not in before.text + before.whitespace_:
        return []  # a heading or list entry opens a line
    spans = []
    if len(words) <= _MAX_ALIAS_TOKENS and ctx.headline(sent.start):
        spans.append(doc[words[0].i : words[-1].i + 1])
    colon = ctx.next_at(ctx.positions(":"), sent.start, sent.end)
    if (
        colon < sent.end
        and colon > words[0].i
        and colon + 1 < len(doc)
        and doc[colon + 1].is_lower
    ):
        # a list entry "Tarnby: a quiet port" opens with its subject's name
        # (not a title with its subtitle, "Tarnby: The Return")
        spans.append(doc[words[0].i : colon])
    return spans


@register_pass(HEADINGS)
def heading_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find headings and list entries that open with a name the text uses.

    Guides and biographies head a section with the name of its subject
    ("Tarnby" over the paragraph on Tarnby) and open list entries with it
    ("Tarnby: a quiet port"); the tagger, seeing no sentence, tags it as
    anything. The words, spelt as a name found elsewhere, are that name.
    """
    known = {c.span.text: c.label for c in found}
    covered = _untagged_covered(ctx, found)
    new: list[Candidate] = []
    for sent in ctx.doc.sents:
        if not ctx.first <= sent.start < ctx.stop:
            continue
        for span in _line_opening(ctx, sent):
            if (
                span.text in known
                and not covered.intersection(range(span.start, span.end))
                and span.text[:1].isupper()
            ):
                new.append(Candidate(span, known[span.text], HEADINGS))
                covered.update(range(span.start, span.end))
                break
    return (*found, *new)


# --- state codes -------------------------------------------------------------


@register_pass(STATE_CODES)
def state_codes(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find US state codes closing an address the tagger left untagged.

    "from Tarnby, OK, or ...", "near Varn, Nev.": after a town's name and a
    comma, a state's postal code or customary abbreviation (see
    ``STATE_ABBREVIATIONS``) before punctuation or the end names the state,
    though the tagger reads "OK" as a word.
    """
    doc = ctx.doc
    covered = covered_tokens(found)
    new: list[Candidate] = []
    for token in ctx.doclike:
        if (
            token.i < 2
            or token.i in covered
            or token.text.rstrip(".") not in STATE_ABBREVIATIONS
            or doc[token.i - 1].text != ","
            or not (doc[token.i - 2].pos_ == "PROPN" or token.i - 2 in covered)
            or (token.i + 1 < len(doc) and not doc[token.i + 1].is_punct)
        ):
            continue
        new.append(Candidate(doc[token.i : token.i + 1], "GPE", STATE_CODES))
    return (*found, *new)


# --- later mentions of a recovered name --------------------------------------


def _name_like(ctx: Context, names: list[Candidate]) -> list[Candidate]:
    """Keep the untagged names that are sure to be names wherever they recur.

    Not a word the text also writes in lower case ("Research", "research"),
    nor one or two letters ("F", "OK"), nor a label before a number
    ("Table 3", "Gate 7").
    """
    doc, stop, common = ctx.doc, ctx.stop, ctx.written_lower
    return [
        c
        for c in names
        if c.span[-1].lower_ not in common
        and len(c.span.text) > 2
        and not (c.span.end < stop and doc[c.span.end].like_num)
    ]


_RECOVERED = frozenset({UNTAGGED, BRANDS, HEADINGS})


@register_pass(UNTAGGED_ALIASES)
def untagged_aliases(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Find other occurrences of the names the parse recovered.

    A proper noun found in an argument slot ("by Varnex") is sought
    elsewhere too: the tagger reads the same word as a noun or an adverb
    ("and Varnex"). Only names sure to be names are sought (see
    :func:`_name_like`): their own words, and a person's short names.
    """
    sources = _name_like(ctx, [c for c in found if c.source in _RECOVERED])
    surfaces = _surfaces(sources, all_forms=False)
    return (*found, *_recover(ctx, found, surfaces, UNTAGGED_ALIASES))
