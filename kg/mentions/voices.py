"""Names of a text's voice in its title: "Remarks by Ada Byrne", "A Letter to Tom Vale".

A title-case heading makes every word look like a name, so names of the
first line that the body never repeats are dropped
(:data:`kg.mentions.titles.HEADLINES`). A speech or letter, though, is often
titled with whoever gives it or receives it and never names them again: the
body says "I" and "you". This pass, run after that one, keeps the person
name a speech noun of the first line takes as its voice ("by", "from",
"of", a possessor, the name it is apposed to) or its addressee ("to").
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.lexicon import load_words
from kg.mentions.base import Candidate, Context, covered_tokens, register_pass

__all__ = ["titled_voice_names"]

TITLED_VOICES = "kg.mentions.titled-voices.v1"

#: The prepositions by which a speech noun takes its voice or addressee.
_VOICE_PREPS = frozenset({"by", "from", "of", "to"})
#: The most words a titled name is read in.
_NAME_WORDS = 4


def _name_run(token: Token) -> Span | None:
    """Return the run of capitalised proper nouns ``token`` ends, titles aside."""
    doc = token.doc
    if token.pos_ != "PROPN" or not token.is_title:
        return None
    if any(c.dep_ == "det" for c in token.children):
        return None  # "to the Editor": a role, no name
    start = token.i
    while start > 0 and doc[start - 1].pos_ == "PROPN" and doc[start - 1].is_title:
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
        end += 1
    titles = load_words("coref-honorifics") | load_words("coref-titles-office")
    while start < end and doc[start].lower_.rstrip(".") in titles:
        start += 1
    if start >= end or end - start > _NAME_WORDS:
        return None
    return doc[start:end]


def _voice_tokens(noun: Token) -> list[Token]:
    """Return the heads of a speech noun's possessor and by/from/of/to phrases."""
    out = [c for c in noun.children if c.dep_ == "poss"]
    if noun.dep_ == "appos" and not any(c.dep_ == "det" for c in noun.children):
        out.append(noun.head)  # "Ada Byrne: Acceptance Speech", not "...: a talk"
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in _VOICE_PREPS:
            out += [o for o in child.children if o.dep_ == "pobj"]
    return out


@register_pass(TITLED_VOICES)
def titled_voice_names(
    ctx: Context, found: tuple[Candidate, ...]
) -> tuple[Candidate, ...]:
    r"""Keep the person a title's speech noun names ("Speech by Ada Byrne").

    Examples
    --------
    >>> doc = nlp("Speech of Ada Byrne on the Harbour\n\nThank you. I am glad.")
    >>> [c.span.text for c in titled_voice_names(Context(doc), ())]
    ['Ada Byrne']
    """
    if ctx.first != 0 or len(ctx.doc) == 0:
        return found
    nouns = load_words("speech-nouns")
    doc = ctx.doc
    first = next(iter(doc.sents))
    if not ctx.headline(first.start) or first.end >= len(doc):
        return found
    taken = covered_tokens(found)
    new: list[Candidate] = []
    for token in first:
        speech = {token.lower_, token.lemma_.lower()} & nouns
        if token.pos_ not in {"NOUN", "PROPN"} or not speech:
            continue
        for head in _voice_tokens(token):
            span = _name_run(head)
            if span is None or any(i in taken for i in range(span.start, span.end)):
                continue
            new.append(Candidate(span, "PERSON", TITLED_VOICES))
            taken.update(range(span.start, span.end))
    return (*found, *new) if new else found
