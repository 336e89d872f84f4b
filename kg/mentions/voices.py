"""Names of a text's voices: in its title ("Remarks by Ada Byrne"), a letter's ends.

A title-case heading makes every word look like a name, so names of the
first line that the body never repeats are dropped
(:data:`kg.mentions.titles.HEADLINES`). A speech or letter, though, is often
titled with whoever gives it or receives it and never names them again: the
body says "I" and "you". This pass, run after that one, keeps the person
name a speech noun of the first line takes as its voice ("by", "from",
"of", a possessor, the name it is apposed to) or its addressee ("to").

A letter names its reader in the salutation ("My dear Tomas,") and its
writer in the signature ("With love, Vera"), where a lone given name is
easily missed by the tagger; :func:`letter_names` finds them.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from kg.lexicon import load_words
from kg.mentions.base import Candidate, Context, covered_tokens, register_pass

__all__ = ["letter_names", "titled_person", "titled_voice_names"]

TITLED_VOICES = "kg.mentions.titled-voices.v1"
LETTER_NAMES = "kg.mentions.letter-names.v1"
TITLED_PERSON = "kg.mentions.titled-person.v1"

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


#: Paragraphs at the top of a letter searched for its salutation.
_SALUTATION_PARAGRAPHS = 3
#: The most words a close ("Your most affectionate brother,") is read in.
_CLOSE_WORDS = 6


def _capitalised_run(tokens: list[Token]) -> list[Token]:
    """Return the leading run of capitalised proper-looking words of ``tokens``."""
    run: list[Token] = []
    for token in tokens:
        if not (token.is_title and token.is_alpha) or len(run) == _NAME_WORDS:
            break
        run.append(token)
    return run


def _salutation_name(ctx: Context) -> Span | None:
    """Return the name a salutation near the top addresses ("Dear Tomas,")."""
    doc = ctx.doc
    salutations = load_words("letter-salutations")
    titles = load_words("coref-honorifics") | load_words("coref-vocative-words")
    breaks = [0] + [t.i + 1 for t in doc if "\n" in t.whitespace_ or t.is_space]
    for start in sorted(set(breaks))[:_SALUTATION_PARAGRAPHS]:
        words = [t for t in doc[start : start + 8] if not t.is_space]
        if words and words[0].lower_ == "my":
            words = words[1:]
        if not words or words[0].lower_ not in salutations:
            continue
        run = _capitalised_run(words[1:])
        while run and run[0].lower_.rstrip(".") in titles:
            run = run[1:]
        after = run[-1].i + 1 if run else -1
        if run and after < len(doc) and doc[after].text in {",", ":", "!"}:
            return doc[run[0].i : after]
    return None


def _signature_name(ctx: Context) -> Span | None:
    """Return the name signing a letter after its close ("With love, Vera")."""
    doc = ctx.doc
    words = [t for t in doc if not (t.is_space or t.is_punct)]
    run: list[Token] = []
    for token in reversed(words[-_NAME_WORDS:]):
        if not (token.is_title and token.is_alpha):
            break
        run.insert(0, token)
    if not run:
        return None
    closings = load_words("letter-closings")
    before = run[0].i - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    if before < 0 or doc[before].text != ",":
        return None
    close = [t for t in doc[max(0, before - _CLOSE_WORDS) : before] if not t.is_space]
    k = len(close)
    while k > 0 and close[k - 1].lower_ in closings:
        k -= 1
    opens_line = k == 0 or close[k - 1].is_punct or "\n" in close[k - 1].whitespace_
    if k == len(close) or not opens_line:
        return None
    return doc[run[0].i : run[-1].i + 1]


@register_pass(LETTER_NAMES)
def letter_names(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    r"""Find the names of a letter's salutation and signature the tagger missed.

    Examples
    --------
    >>> doc = nlp("My dear Tomas,\n\nI miss you.\n\nWith love,\n\nVera")
    >>> [c.span.text for c in letter_names(Context(doc), ())]
    ['Tomas', 'Vera']
    """
    if ctx.first != 0 or len(ctx.doc) == 0:
        return found
    taken = covered_tokens(found)
    new: list[Candidate] = []
    for span in (_salutation_name(ctx), _signature_name(ctx)):
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue
        new.append(Candidate(span, "PERSON", LETTER_NAMES))
    return (*found, *new) if new else found


#: Tags of finite verbs: a heading with one is a statement.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: First-person singular pronouns that make a text speak in its own voice.
_FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
#: How many of them make a text first-person.
_FIRST_PERSON_MIN = 2


@register_pass(TITLED_PERSON)
def titled_person(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    r"""Keep the person a verbless title names when the text speaks as "I".

    A talk, video or letter titled with its author's name ("Dana Kroll: A
    Garden Tour") need never name them again: the body says "I". The
    tagger's person name of such a title is kept.

    Examples
    --------
    >>> doc = nlp("Dana Kroll: A Garden Tour\n\nToday I show you my roses.")
    >>> [c.span.text for c in titled_person(Context(doc), ())]
    ['Dana Kroll']
    """
    if ctx.first != 0 or len(ctx.doc) == 0:
        return found
    doc = ctx.doc
    first = next(iter(doc.sents))
    if first.end >= len(doc) or any(t.tag_ in _FINITE_TAGS for t in first):
        return found
    body = doc[first.end :]
    voiced = [
        t for t in body if t.lower_ in _FIRST_PERSON and t.tag_ in {"PRP", "PRP$"}
    ]
    if len(voiced) < _FIRST_PERSON_MIN:
        return found
    taken = covered_tokens(found)
    new = [
        Candidate(ent, "PERSON", TITLED_PERSON)
        for ent in first.ents
        if ent.label_ == "PERSON"
        and not any(i in taken for i in range(ent.start, ent.end))
    ]
    return (*found, *new) if new else found
