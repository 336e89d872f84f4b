"""Names inside longer names: a place in a body's name, a shared opening, a field.

"the University of Tarnby" names Tarnby too, when the text names Tarnby on
its own; "the Quillo Rewind show ... the Quillo Music awards" names
Quillo; "the Institute of Geology ... she studied geology" names the field.
Coreference corpora mark such nested mentions; each pass adds them beside
the longer name, which stays.
"""

from __future__ import annotations

from collections import deque

from spacy.tokens import Span

from kg.lexicon import load_list, load_words
from kg.mentions.base import Candidate, Context, covered_tokens, register_pass, spans_of
from kg.mentions.lexicons import FACILITY_WORDS, is_given_name, nominal_class
from kg.mentions.tokens import is_acronym_word

__all__ = ["nested_concepts", "nested_names", "shared_openings"]

NESTED = "kg.mentions.names.nested.v1"
OPENINGS = "kg.mentions.names.shared-openings.v1"
CONCEPTS = "kg.mentions.names.concepts.v1"

_NESTED_LABELS = frozenset(
    {"GPE", "LOC", "ORG", "PERSON", "NORP", "LANGUAGE", "PRODUCT", ""}
)
_NESTING_LABELS = frozenset(
    {"ORG", "FAC", "EVENT", "WORK_OF_ART", "PRODUCT", "LAW", "NORP"}
)
_NESTING_PREPS = frozenset({"of", "in", "at", "de"})
_PLACE_NER = frozenset({"GPE", "LOC"})
_MAX_ALIAS_TOKENS = 6


def _words(span: Span) -> tuple[str, ...]:
    return tuple(t.text for t in span)


def _built(span: Span, label: str) -> bool:
    """Tell a place's or building's name the tagger called a person or place.

    "Tarnby Bridge", "Tarnby Bay" hold names as a body's does; so does a
    nickname headed by a role ("the Tarnby Poet"): it is named for what the
    person serves.
    """
    return span[-1].lower_ in FACILITY_WORDS or (
        label == "PERSON"
        and len(span) > 1
        and nominal_class(span[-1].lower_) == "PERSON"
        and not is_given_name(span[0].text)
    )


def _closing_place(span: Span, n: int, tail_label: str) -> bool:
    """Tell a place (or a name after punctuation) closing a longer name.

    "Hoge Skola Tarnby", "University of Varn, Tarnby", a campus
    after its system's acronym ("VU Tarnby"); never a class noun ("Old
    Mosque").
    """
    tail = span[n:]
    return (
        tail[0].is_title
        and (
            tail_label in _PLACE_NER
            or (bool(tail_label) and span[n - 1].is_punct)
            or (bool(tail_label) and n == 1 and is_acronym_word(span[0]))
        )
        and not (len(tail) == 1 and bool(nominal_class(tail[0].lower_)))
        and tail[0].lower_ not in FACILITY_WORDS
    )


def _inner_name(part: Span, common: frozenset[str]) -> bool:
    """Tell words inside a longer name that may be a name of their own.

    Inside "the Varnish Psalter Society" only a proper word can be a name: not
    a word the text writes in lower case ("Diary", "diary"), a class noun
    ("College", "Lodge"), or an adjective ("High", "Paralympic").
    """
    return all(
        t.is_title
        and t.is_alpha
        and t.lower_ not in common
        and t.lower_ not in FACILITY_WORDS
        and not nominal_class(t.lower_)
        and t.pos_ == "PROPN"
        and t.ent_type_ != "NORP"
        for t in part
    )


def _inner_parts(
    span: Span, common: frozenset[str], lengths: frozenset[int]
) -> list[Span]:
    """Return the proper stretches between the first and last words of a name.

    English names a body after what it serves or works on: "the Varnish
    Psalter Society" holds "Psalter". Each stretch is a run of proper words
    (:func:`_inner_name`) between two capitalised words, as long as some
    name of the text (``lengths``), longest first from each word.
    """
    n = len(span)
    # ok[k]: span[k] may be a word of an inner name; a stretch [i, j) qualifies
    # when every word in it does, so the run of such words from i bounds j
    ok = [0 < k < n - 1 and _inner_name(span[k : k + 1], common) for k in range(n)]
    out: list[Span] = []
    sizes = sorted((k for k in lengths if k < n - 1), reverse=True)
    run = 0
    for i in range(1, n - 1):
        run = max(run, i)
        while run < n - 1 and ok[run]:
            run += 1
        if not span[i - 1].is_title:
            continue
        out.extend(
            span[i : i + k] for k in sizes if i + k <= run and span[i + k].is_title
        )
    return out


def _parts(
    span: Span,
    label: str,
    places: dict[tuple[str, ...], str],
    common: frozenset[str],
    lengths: frozenset[int],
) -> tuple[list[Span], list[Span]]:
    """Return the stretches of a name that may be names of their own, and inner ones.

    Only stretches as long as some name of the text (``lengths``) can be one,
    so no others are tried.
    """
    size = len(span)
    parts: list[Span] = []
    for k in range(1, size - 1):
        if span[k].lower_ in _NESTING_PREPS:
            parts.append(span[k + 1 :])  # "University of Tarnby" (any label)
            break
    if not (label in _NESTING_LABELS or _built(span, label)):
        return [p for p in parts if len(p) in lengths], []
    parts += (
        span[:n] for n in range(size - 1, 0, -1) if n in lengths
    )  # "Tarnby Gazette"
    parts += (
        span[n:]
        for n in range(1, size)
        if size - n in lengths
        and _closing_place(span, n, places.get(_words(span[n:]), ""))
    )
    for n in range(1, size):
        word = span[n - 1]  # capitalised adjectives and nationalities
        if not word.is_title or not (word.pos_ == "ADJ" or word.ent_type_ == "NORP"):
            break
        parts.append(span[n:])  # "American Quillo", "Greater Tarnby"
    return [p for p in parts if len(p) in lengths], _inner_parts(span, common, lengths)


@register_pass(NESTED)
def nested_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    """Find names the text uses alone that also sit inside a longer name.

    "the University of Tarnby", "the Tarnby Gazette", "the Tarnby Bridge",
    "American Quillo": when the text names Tarnby or Quillo (a place, body
    or person, a language, a product, or a name the tagger left unlabelled,
    "ACME") on its own too, the nested name is a mention of it. Any tagged
    name holds the name after "of" ("King of Tarnby"). A place closes a name
    too ("Hoge Skola Tarnby"), and any name does after punctuation
    the tagger took in ("non-Tarnby") or after a system's acronym ("UC
    Tarnby": a campus is named for its town). A nested name is searched in
    turn ("Rua de Tarnby Museum" > "Rua de Tarnby" > "Tarnby"). A
    person's or place's name is not cut otherwise ("Ada Byrne" keeps "Ada").
    Between the first and last words of a body's or work's name, proper
    words the text names alone, a title too, are that name ("the Varnish
    Psalter Society" holds "Psalter"; "the Varn Tarnby Mission" holds "Tarnby").
    """
    common = ctx.doc_written_lower
    places = {_words(c.span): c.label for c in found if c.label in _NESTED_LABELS}
    # a work's title ("Psalter") is sought only between the words of a name
    titles = {_words(c.span): c.label for c in found if c.label == "WORK_OF_ART"}
    if not places and not titles:
        return found
    taken = spans_of(found)
    new: list[Candidate] = []
    # a nested name nests again ("the Rua de Tarnby Museum" holds "Rua de
    # Tarnby", which holds "Tarnby"), so each one found is searched too
    lengths = frozenset(len(k) for k in (*places, *titles))
    queue = deque((c.span, c.label) for c in found)
    while queue:
        span, label = queue.popleft()
        if len(span) < 2:
            continue
        parts, inner = _parts(span, label, places, common, lengths)
        tried = [(p, False) for p in parts] + [(p, True) for p in inner]
        for part, is_inner in tried:
            key = _words(part)
            label_found = places.get(key)
            if label_found is None and is_inner:
                label_found = titles.get(key)
            if label_found is not None and (part.start, part.end) not in taken:
                taken.add((part.start, part.end))
                new.append(Candidate(part, label_found, NESTED))
                queue.append((part, label_found))
                break
    return (*found, *new)


def _ends_like_adjective(word: str) -> bool:
    return word.endswith(tuple(load_list("adjective-endings")))


def _opening_word(span: Span, common: frozenset[str]) -> bool:
    """Tell a one-word opening that may be a name: no common or given word."""
    last = span[0]
    return not (
        last.lower_ in load_words("name-openers")
        or last.lower_ in common
        or last.ent_type_ == "NORP"
        or len(last) < 3
        or is_given_name(last.text)
        or not (last.is_upper or span[1].is_lower)
    )


def _may_open(span: Span, n: int, common: frozenset[str]) -> bool:
    """Tell whether the first ``n`` words of a name may be a name of their own."""
    last = span[n - 1]
    if (
        not (last.is_title or last.is_upper)
        or not last.is_alpha
        or nominal_class(last.lower_)
        or last.lower_ in FACILITY_WORDS
        or last.pos_ == "ADJ"
        or _ends_like_adjective(last.lower_)
    ):
        return False
    return n > 1 or _opening_word(span, common)


@register_pass(OPENINGS)
def shared_openings(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Find a name that opens several longer names the text uses.

    "the Quillo Rewind show ... the Quillo Music awards", "Holt on Card
    Games ... Holt on Dice Games": words that open two different longer
    names are a name of their own, nested in each, even when the text never
    writes them alone. The opening ends with a capitalised word that is no
    class noun ("University of ..."), role, title or adjective ("Varnish
    National Committee ... Convention"). One word alone is an
    acronym or followed by a small word ("Holt on ..."), lest any common
    word open it ("Harbour Board", "Harbour Inn"); it is no given name ("John
    Byrne", "John Hale"), no nationality, no common opener ("New") and no
    word the text writes in lower case.
    """
    common = ctx.doc_written_lower
    by_opening: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
    for c in found:
        words = _words(c.span)
        lowered = tuple(map(str.lower, words))
        for n in range(1, min(len(c.span), _MAX_ALIAS_TOKENS)):
            # one name in two cases ("Varn Theory", "Varn theory") is one name
            by_opening.setdefault(words[:n], set()).add(lowered)
    taken = spans_of(found)
    alone = {_words(c.span) for c in found}
    new: list[Candidate] = []
    for c in found:
        span = c.span
        if c.label == "PERSON":
            continue  # "Ada Byrne", "Ada Hale": no name opens a person's
        words = _words(span)
        for n in range(min(len(span), _MAX_ALIAS_TOKENS) - 1, 0, -1):
            if (
                len(by_opening.get(words[:n], ())) < 2
                or words[:n] in alone
                or not _may_open(span, n, common)
            ):
                continue
            if (span.start, span.start + n) not in taken:
                taken.add((span.start, span.start + n))
                new.append(Candidate(span[:n], "", OPENINGS))
            break
    return (*found, *new)


def _bare_nouns(ctx: Context, name_tokens: set[int]) -> set[str]:
    """Return the singular common nouns the text uses as a whole noun phrase."""
    bare: set[str] = set()
    for token in ctx.doclike:
        if (
            token.i in name_tokens
            or not token.is_lower
            # "-ics" nouns are singular mass nouns the tagger reads as plurals
            or not (token.tag_ == "NN" or token.lower_.endswith("ics"))
            or token.dep_ == "compound"
        ):
            continue
        if all(c.dep_ in {"punct", "cc", "conj"} for c in token.children):
            bare.add(token.lower_)
    return bare


@register_pass(CONCEPTS)
def nested_concepts(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    """Find concept words inside longer names that the text also uses in lower case.

    "the Institute of Geology ... she studied geology", "the Hale Peace Prize
    ... a lasting peace": a field, activity or idea that names a body or an
    award is the same concept the text writes in lower case elsewhere, so
    the capitalised word is a mention of it (coreference corpora mark such
    nested mentions) and the lower-case noun repeats it (see
    :func:`kg.mentions.nominals.name_repeats`). Only a word that modifies the
    name's head or follows its "of" is taken, never the head itself
    ("University"), and only when the lower-case noun stands alone as a
    whole singular noun phrase ("studied geology", not "a geology teacher"
    or "the geology of Varn").
    """
    bare = _bare_nouns(ctx, covered_tokens(found))
    if not bare:
        return found
    doc = ctx.doc
    taken = spans_of(found)
    new: list[Candidate] = []
    for c in found:
        span = c.span
        if c.label == "PERSON" or len(span) < 2:
            continue
        for k in range(1, len(span)):
            word = span[k]
            after_of = span[k - 1].lower_ == "of" and k == len(span) - 1
            if not (after_of or k < len(span) - 1):
                continue  # the head names the body, not a concept
            if (
                word.is_title
                and word.is_alpha
                and len(word) > 3
                and word.lower_ in bare
                and not nominal_class(word.lower_)  # "Emperor of Y": a role
                and (word.i, word.i + 1) not in taken
            ):
                taken.add((word.i, word.i + 1))
                new.append(Candidate(doc[word.i : word.i + 1], "", CONCEPTS))
    return (*found, *new)
