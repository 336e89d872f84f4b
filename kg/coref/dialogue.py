"""Quotations, their speakers and addressees, paragraphs and vocatives.

The facts about a document's voices that the speaker sieves read: the
double-quoted stretches with the token of who speaks them and who is spoken to
(a reporting verb's subject and object, a vocative, or the quotation before),
the paragraphs (a transcript's turns) and the vocatives of a stretch ("Justice
Vale, ..."). Every function walks the document once from left to right.

Examples
--------
>>> doc = nlp('Ada told Tom: "I will come."')
>>> [(doc[q.speaker].text, doc[q.addressee].text) for q in find_quotes(doc)]
[('Ada', 'Tom')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.attrs import IS_QUOTE, LEMMA
from spacy.tokens import Doc, Span, Token

from kg.coref.grammar import ARG_DEPS, PERSON_LABELS, QUOTE_CHARS, subjects_of
from kg.coref.words import (
    ADDRESS_VERBS,
    FIRST,
    HONORIFICS,
    PERSONAL_DETS,
    SECOND,
    SPEECH_VERBS,
    VOCATIVE_WORDS,
)
from kg.mentions import token_indices

if TYPE_CHECKING:
    from kg.coref.state import Discourse

#: Tokens before and after a quotation searched for its reporting verb.
_REPORT_WINDOW = 60

__all__ = [
    "Quote",
    "find_floors",
    "find_interviewee",
    "find_paragraphs",
    "find_questioned",
    "find_quotes",
    "turn_cues",
    "vocatives",
]


@dataclass(slots=True)
class Quote:
    """A double-quoted stretch with the tokens of its speaker and addressee."""

    start: int  # first token inside
    end: int  # one past the last token inside
    speaker: int | None = None  # token index
    addressee: int | None = None


def _closes(mark: Token) -> bool:
    """Tell a straight quote mark shaped as a closing one: ``girl," the``.

    Glued to a comma or full stop before it and followed by a space, it ends
    a quotation; with none open it is a stray mark, and opens nothing.
    """
    doc = mark.doc
    return (
        mark.text == '"'
        and mark.i > 0
        and not doc[mark.i - 1].whitespace_
        and doc[mark.i - 1].text in {",", ".", "!", "?"}
        and (bool(mark.whitespace_) or mark.i + 1 == len(doc))
    )


def _line_breaks(doc: Doc) -> list[int]:
    """Return, for each token position, how many line breaks come before it."""
    counts = [0]
    for token in doc:
        counts.append(counts[-1] + ("\n" in token.whitespace_ or "\n" in token.text))
    return counts


def find_quotes(doc: Doc) -> list[Quote]:
    """Double-quoted stretches, with the tokens of their speaker and addressee.

    One pass over the quote marks: an opening mark with a quotation already
    open (nested quotes) opens nothing, and a quotation left open ends at
    its paragraph.
    """
    marks = [doc[i] for i in token_indices(doc, IS_QUOTE, [1])]
    marks = [t for t in marks if t.text in QUOTE_CHARS]
    breaks = _line_breaks(doc)
    quotes: list[Quote] = []
    open_at: int | None = None
    for mark in marks:
        if open_at is not None and breaks[mark.i] > breaks[open_at - 1]:
            open_at = None  # a quotation left open does not run on past its paragraph
        opening = mark.text in {"“", "``"} or (mark.text == '"' and open_at is None)
        if mark.text in {"”", "''"} or _closes(mark):
            opening = False
        if opening and open_at is None:
            open_at = mark.i + 1
        elif not opening and open_at is not None:
            inner = doc[open_at : mark.i]
            nickname = (
                len(inner) <= 3
                and open_at >= 2
                and mark.i + 1 < len(doc)
                and doc[open_at - 2].pos_ == "PROPN"
                and doc[mark.i + 1].pos_ == "PROPN"
            )
            if not nickname:
                quotes.append(Quote(open_at, mark.i))
            open_at = None
    previous: Quote | None = None
    for quote in quotes:
        _attribute(doc, quote, previous)
        previous = quote
    return quotes


def _speech_verb(tokens: Iterable[Token], inside: range) -> Token | None:
    """Return the first reporting verb with a subject outside the quotation."""
    for token in tokens:
        if token.i in inside or token.pos_ not in {"VERB", "AUX"}:
            continue
        if token.lemma_.lower() in SPEECH_VERBS and subjects_of(token):
            return token
    return None


def _reporting_verb(doc: Doc, quote: Quote) -> Token | None:
    """Return the reporting verb of a quotation, if one is near.

    The first one in the sentences the quotation touches, else at the end of
    the sentence before, within :data:`_REPORT_WINDOW` tokens of it.
    """
    inside = range(quote.start - 1, quote.end + 1)
    first_sent = doc[quote.start].sent if quote.start < len(doc) else doc[-1].sent
    last_sent = doc[max(quote.end - 1, quote.start)].sent
    # the reporting verb in the sentences the quote touches, before or after it
    before = doc[max(first_sent.start, quote.start - _REPORT_WINDOW) : quote.start]
    after = doc[
        min(quote.end, last_sent.end) : min(last_sent.end, quote.end + _REPORT_WINDOW)
    ]
    verb = _speech_verb([*before, *after], inside)
    if verb is None and first_sent.start > 0:
        prev_sent = doc[first_sent.start - 1].sent
        if prev_sent.start < quote.end and prev_sent.end > quote.start:
            return None  # the sentence before is part of the quotation
        window = doc[
            max(prev_sent.start, prev_sent.end - _REPORT_WINDOW) : prev_sent.end
        ]
        verb = _speech_verb(window, inside)
    return verb


def _addressee(verb: Token, quote: Quote) -> int | None:
    """Return the token a reporting verb says the quotation is spoken to."""
    lemma = verb.lemma_.lower()
    if lemma not in ADDRESS_VERBS and lemma not in SPEECH_VERBS:
        return None
    for child in verb.children:
        if (
            child.dep_ in {"dative", "dobj"}
            and child.pos_ in {"NOUN", "PROPN", "PRON"}
            and not quote.start <= child.i < quote.end
        ):
            return child.i
        if child.dep_ == "prep" and child.lower_ == "to":
            pobj = [c for c in child.children if c.dep_ == "pobj"]
            if pobj:
                return pobj[0].i
    return None


def _attribute(doc: Doc, quote: Quote, previous: Quote | None) -> None:
    """Find a quotation's speaker and addressee, or take the previous one's."""
    verb = _reporting_verb(doc, quote)
    if verb is not None:
        quote.speaker = subjects_of(verb)[0].i
        quote.addressee = _addressee(verb, quote)
    if quote.addressee is None:
        # "Ada, thank you": a vocative inside the quotation is its addressee
        called = vocatives(doc[quote.start : quote.end])
        if called:
            quote.addressee = called[0].root.i
    if previous is not None and quote.start - previous.end <= 40:
        if quote.speaker is None:
            quote.speaker, quote.addressee = previous.speaker, previous.addressee
        elif quote.addressee is None and previous.speaker is not None:
            quote.addressee = previous.addressee


def find_paragraphs(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the paragraphs (lines) of a document: its turns in a dialogue."""
    out: list[tuple[int, int]] = []
    start = 0
    for token in doc:
        if "\n" in token.whitespace_ or (token.is_space and "\n" in token.text):
            out.append((start, token.i + 1))
            start = token.i + 1
    out.append((start, len(doc)))
    return [(a, b) for a, b in out if any(not doc[i].is_space for i in range(a, b))]


def vocatives(span: Span) -> list[Span]:
    """Phrases that address someone ("Justice Vale, ...", "..., my Lord?").

    A vocative is set off by a comma from the rest of its sentence, is made
    of names and forms of address only, and is no argument of a verb.
    """
    chunks: list[tuple[list[Token], bool]] = []  # tokens, next to a comma
    current: list[Token] = []
    comma_before = False
    for token in span:
        if token.is_space:
            continue
        if token.is_punct or token.is_quote:
            if current:
                chunks.append((current, comma_before or token.text == ","))
            current = []
            comma_before = token.text == ","
        else:
            current.append(token)
    if current:
        chunks.append((current, comma_before))
    out: list[Span] = []
    for chunk, by_comma in chunks:
        if not by_comma or len(chunk) > 5:
            continue
        if not all(
            t.pos_ == "PROPN" or t.lower_.rstrip(".") in VOCATIVE_WORDS for t in chunk
        ):
            continue
        if len(chunk) == 1 and chunk[0].lower_ in PERSONAL_DETS:
            continue
        # "my Lords": only the phrase's own head may not be an argument
        inner = {t.i for t in chunk}
        if any(
            t.dep_ in ARG_DEPS | {"pobj", "poss"} and t.head.i not in inner
            for t in chunk
        ):
            continue
        out.append(span.doc[chunk[0].i : chunk[-1].i + 1])
    return out


def find_floors(state: Discourse) -> list[tuple[int, int]]:
    """Return the paragraphs that end by giving a named person the floor.

    "We will hear Dr. Ada Byrne first. Dr. Byrne.": a paragraph whose last
    sentence is a person's name alone; returns (its last token, the name).
    """
    out: list[tuple[int, int]] = []
    for (_start, end), sents in zip(state.turns, state.turn_sents, strict=True):
        if not sents:
            continue
        last = sents[-1]
        words = [t for t in last if not (t.is_punct or t.is_space)]
        if not words:
            continue
        index = state.mention_at(words[-1].i)
        if index is None:
            continue
        mention = state.mentions[index]
        span = state.spans[index]
        if (
            span is None
            or mention.kind != "name"
            or mention.label not in PERSON_LABELS | {""}
        ):
            continue
        rest = [t for t in words if not span.start <= t.i < span.end]
        if all(t.lower_.rstrip(".") in HONORIFICS for t in rest):
            out.append((end - 1, span.root.i))
    return out


def find_interviewee(state: Discourse) -> tuple[int, int] | None:
    """Return the token of an "interview" verb and of its named interviewee.

    "In an interview with X, Y said" reports another interview and names
    none.
    """
    for i in token_indices(
        state.doc, LEMMA, [state.doc.vocab.strings.add("interview")]
    ):
        verb = state.doc[i]
        if verb.dep_ == "acl" and verb.tag_ == "VBN":
            # "Ada Byrne, Acme founder interviewed by ...": the noun it
            # modifies, or the name that noun is apposed to
            head = verb.head.head if verb.head.dep_ == "appos" else verb.head
            if state.person_name_at(head.i):
                return verb.i, head.i
        if verb.head.lower_ == "in" and verb.dep_ == "pobj":
            continue  # "In an interview with X, Y said": another's interview
        for child in verb.children:
            if (
                child.dep_ in {"dobj", "nsubjpass"}
                and state.mention_at(child.i) is not None
            ):
                return verb.i, child.i
            # "An Interview with (the philosopher) Ada Byrne"
            if verb.pos_ == "NOUN" and child.dep_ == "prep" and child.lower_ == "with":
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    for token in obj.subtree:
                        if state.person_name_at(token.i):
                            return verb.i, token.i
    return None


def find_questioned(state: Discourse) -> tuple[int, int] | None:
    """Return the first question turn of a Q&A and the person named before it.

    An interview may never say "interview": it is laid out as questions
    to "you", each a paragraph of its own outside quotations and
    answered by the next paragraph. Two such questions make a Q&A; the
    interviewee is the first person named before the first question
    (in the title or introduction). Returns (the token before that
    question, the name's token).
    """
    questions: list[int] = []
    for k, sents in enumerate(state.turn_sents[:-1]):
        answer = state.turn_sents[k + 1]
        if not sents or not answer:
            continue
        start, end = state.turns[k]
        tokens = state.doc[start:end]
        if (
            sents[-1].text.rstrip().endswith("?")
            and not answer[-1].text.rstrip().endswith("?")
            and any(t.lower_ in SECOND for t in tokens)
            and not any(t.is_quote or t.i in state.quote_of for t in tokens)
        ):
            questions.append(start)
    if len(questions) < 2 or questions[0] == 0:
        return None
    for index, mention in enumerate(state.mentions):
        span = state.spans[index]
        if span is None or span.start >= questions[0]:
            break
        if (
            mention.kind == "name"
            and mention.label in PERSON_LABELS
            and span.start not in state.quote_of
        ):
            return questions[0] - 1, span.root.i
    return None


def turn_cues(state: Discourse, k: int) -> tuple[list[Span], bool]:
    """Return a turn's vocatives, and whether it reads as a question to someone.

    A question: its last sentence ends with "?", or it speaks to "you"
    without speaking in the first person.
    """
    if k not in state.turn_cache:
        sents = state.turn_sents[k]
        called = [
            v
            for sent in sents
            for v in vocatives(sent)
            if v.start not in state.quote_of
        ]
        start, end = state.turns[k]
        persons = {
            t.lower_
            for t in state.doc[start:end]
            if t.pos_ == "PRON" and t.i not in state.quote_of
        }
        asks = bool(sents) and sents[-1].text.rstrip().endswith("?")
        second = bool(persons & SECOND) and not persons & FIRST
        state.turn_cache[k] = (called, asks or second)
    return state.turn_cache[k]
