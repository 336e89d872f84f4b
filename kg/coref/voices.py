"""Who writes or speaks a text, and whom it speaks to, when the text says so.

Outside quotations "I" is the text's own voice and "you" its reader or
audience. Most texts never name them; some do, in a few set forms:

- a self-introduction: "I'm Ada Byrne", "My name is Ada Byrne" (a talk, a
  video, a podcast), said by one person only;
- a letter's signature after its close ("Yours truly, Ada Byrne") and its
  salutation ("Dear Tom,");
- a transcript's speaker labels: a paragraph opening "Ada Byrne: ..."
  is hers (:func:`speaker_labels`);
- an introduction saying who gives the speech ("Ada Byrne delivered this
  address ...", "This letter was written by Ada Byrne");
- a short title naming one person ("Ada Byrne: My Garden Tour");
- a title naming a speech or letter with its voice or addressee ("Remarks by
  Ada Byrne", "A Letter to Tom Vale", "Ada Byrne's Speech").

:func:`find_voices` returns the token of the writer's name and of the
reader's name (either may be None); the sieve
``kg.coref.text_voice.v1`` (:mod:`kg.coref.sieves.voices`) links the
unquoted first and second person to them.

Examples
--------
>>> from kg.coref.state import build_discourse
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Hello, I'm Dana Kroll. Today I bake bread.")
>>> state = build_discourse(doc, list(extract_mentions(doc)))
>>> writer, reader = find_voices(state)
>>> doc[writer].text, reader
('Kroll', None)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Span, Token

from kg.coref.grammar import PERSON_LABELS
from kg.coref.words import (
    CLOSING_WORDS,
    COPULAS,
    FIRST,
    HONORIFICS,
    SALUTATIONS,
    SPEECH_NOUNS,
)

if TYPE_CHECKING:
    from kg.coref.state import Discourse

__all__ = [
    "delivered",
    "find_voices",
    "introduced",
    "salutation",
    "signature",
    "speaker_labels",
    "title_person",
    "titled_voices",
]

#: Paragraphs at the top of a text searched for a salutation or a title.
_HEAD_PARAGRAPHS = 3
#: The longest title read for its voice, in tokens.
_TITLE_TOKENS = 25
#: The sentences at the top of a text where "it's Ada Byrne" introduces its voice.
_OPENING_SENTENCES = 2
#: The most words a close ("Your most affectionate brother,") is read in.
_CLOSE_WORDS = 6
#: The verbs of "call me Ada" (lemmas).
_CALL_VERBS = frozenset({"call"})


def _person_name(state: Discourse, token: Token, *, tagged: bool = True) -> int | None:
    """Return the root token of the person name ``token`` is in, if it is one.

    With ``tagged`` False any name will do: a title or a signature places a
    name where only a person (or a body speaking as one) stands, whatever
    the tagger made of it.
    """
    for index in state.token_mentions.get(token.i, ()):
        mention, span = state.mentions[index], state.spans[index]
        if span is None or mention.kind != "name":
            continue
        if mention.label in PERSON_LABELS or not mention.label or not tagged:
            return span.root.i
    return None


def _words(span: Span) -> list[Token]:
    return [t for t in span if not (t.is_punct or t.is_space)]


def introduced(state: Discourse) -> int | None:
    """Return the one person the text's voice introduces itself as.

    "I'm Ada Byrne" / "I am Ada Byrne" / "My name is Ada Byrne" / "call me
    Ada", outside quotations, and "it's Ada Byrne" / "this is Ada Byrne" in
    the first two sentences. Two different people introducing themselves
    (hosts taking turns) name no single voice: None.
    """
    found: dict[str, int] = {}
    opening = [s.start for s in list(state.doc.sents)[:_OPENING_SENTENCES]]
    for token in state.doc:
        if token.i in state.quote_of or token.dep_ not in {"attr", "oprd"}:
            continue
        head = token.head
        subjects = [c for c in head.children if c.dep_ in {"nsubj", "dobj"}]
        if not subjects:
            continue
        subject = subjects[0]
        first = subject.lower_ in FIRST and subject.lower_ != "my"
        named = (
            subject.lower_ == "name"
            and any(c.lower_ == "my" for c in subject.children)
            and head.lemma_.lower() in COPULAS
        )
        called = head.lemma_.lower() in _CALL_VERBS and subject.lower_ == "me"
        presented = (
            subject.lower_ in {"it", "this"}
            and head.lemma_.lower() in COPULAS
            and token.sent.start in opening
            # "It is Ada Byrne who built it": a cleft, no introduction
            and not any(c.dep_ in {"relcl", "acl"} for c in token.children)
        )
        first = first or presented
        if not ((first and head.lemma_.lower() in COPULAS) or named or called):
            continue
        name = _person_name(state, token)
        if name is not None:
            found.setdefault(state.doc[name].lower_, name)
    return next(iter(found.values())) if len(found) == 1 else None


def salutation(state: Discourse) -> int | None:
    """Return the person a letter's salutation addresses ("Dear Tom,").

    A paragraph near the top opening with "Dear" (or "My dear") and a name.
    """
    for start, end in state.turns[:_HEAD_PARAGRAPHS]:
        words = _words(state.doc[start:end])
        if words and words[0].lower_ == "my":
            words = words[1:]
        if len(words) < 2 or words[0].lower_ not in SALUTATIONS:
            continue
        name = _person_name(state, words[1])
        if name is None and len(words) > 2:
            name = _person_name(state, words[2])
        if name is not None:
            return name
    return None


def _closed(state: Discourse, words: list[Token], k: int) -> bool:
    """Tell a complimentary close right before ``words[k]`` ("Yours truly,").

    The close opens its line or sentence (not "..., and nobody saw Tom").
    """
    close: list[Token] = []
    j = k - 1
    while j >= 0 and words[j].lower_ in CLOSING_WORDS and len(close) < _CLOSE_WORDS:
        close.append(words[j])
        j -= 1
    if not close:
        return False
    doc = state.doc
    before = doc[words[j].i + 1 : words[k].i] if j >= 0 else doc[: words[k].i]
    return (
        j < 0 or "\n" in before.text or any(t.is_sent_start for t in [*close, words[k]])
    )


def signature(state: Discourse) -> int | None:
    """Return the name signing a letter: its last words after a close.

    "Yours truly, Ada Byrne" (in one paragraph or two): the text ends with a
    person's name, after a complimentary close, or, in a letter that opens
    with a salutation, alone in its last paragraph.
    """
    doc = state.doc
    words = [t for t in doc if not (t.is_space or t.is_punct)]
    if not words:
        return None
    name = _person_name(state, words[-1], tagged=False)
    if name is None:
        return None
    k = len(words) - 1
    while k > 0 and _person_name(state, words[k - 1], tagged=False) == name:
        k -= 1
    while k > 0 and words[k - 1].lower_.rstrip(".") in HONORIFICS:
        k -= 1
    if _closed(state, words, k):
        return name
    last_paragraph = state.turns[-1][0] <= words[k].i and not any(
        not (t.is_space or t.is_punct) for t in doc[state.turns[-1][0] : words[k].i]
    )
    if last_paragraph and len(state.turns) > 1 and salutation(state) is not None:
        return name
    return None


def titled_voices(state: Discourse) -> tuple[int | None, int | None]:
    """Return the voice and addressee a title names ("Letter from X to Y").

    The first paragraph, if short, holding a speech noun ("speech",
    "letter", "remarks") whose "by"/"from" phrase or possessor is a person
    name (the voice) and whose "to" phrase is one (the addressee).
    """
    if not state.turns:
        return None, None
    start, end = state.turns[0]
    if end - start > _TITLE_TOKENS or len(state.turns) < 2:
        return None, None
    writer = reader = None
    for token in state.doc[start:end]:
        noun = token.pos_ in {"NOUN", "PROPN"}
        if not noun or not {token.lower_, token.lemma_.lower()} & SPEECH_NOUNS:
            continue
        bare = not any(c.dep_ == "det" for c in token.children)
        if token.dep_ == "appos" and bare and writer is None:
            # "Ada Byrne: Acceptance Speech" (not "Varn Radio: a talk with ...")
            writer = _person_name(state, token.head)
        for child in token.children:
            if child.dep_ == "poss" and writer is None:
                writer = _person_name(state, child, tagged=False)
            if child.dep_ != "prep":
                continue
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                name = _person_name(state, obj, tagged=False)
                if child.lower_ in {"by", "from", "of"} and writer is None:
                    writer = name
                elif child.lower_ == "to" and reader is None:
                    reader = name
    return writer, reader


#: The verbs of giving a speech or writing a letter (lemmas).
_DELIVER_VERBS = frozenset(
    {"deliver", "give", "make", "pen", "present", "read", "record", "send", "write"}
)


def _agent_name(verb: Token) -> int | None:
    """Return the name token a passive verb's "by" phrase holds, if any."""
    for child in verb.children:
        if child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj.i
    return None


def delivered(state: Discourse) -> int | None:
    """Return the person an introduction says gives the speech or letter.

    In the first two paragraphs, outside quotations: "Ada Byrne delivered
    this speech ...", "This letter was written by Ada Byrne ...", "the
    following address, given by Ada Byrne".
    """
    for start, end in state.turns[:2]:
        for token in state.doc[start:end]:
            if token.i in state.quote_of or token.pos_ not in {"NOUN", "PROPN"}:
                continue
            if not {token.lower_, token.lemma_.lower()} & SPEECH_NOUNS:
                continue
            head = token.head
            who: int | None = None
            if head.lemma_.lower() in _DELIVER_VERBS:
                if token.dep_ == "dobj":
                    who = next((c.i for c in head.children if c.dep_ == "nsubj"), None)
                elif token.dep_ == "nsubjpass":
                    who = _agent_name(head)
            if who is None:
                for child in token.children:
                    if child.dep_ == "acl" and child.lemma_.lower() in _DELIVER_VERBS:
                        who = _agent_name(child)
            if who is not None:
                name = _person_name(state, state.doc[who])
                if name is not None:
                    return name
    return None


def title_person(state: Discourse) -> int | None:
    """Return the one person a short verbless title names, as the text's voice.

    A talk, a video, an essay or a letter is often titled with its author's
    name alone or beside its subject ("Ada Byrne: My Garden Tour"). A first
    paragraph with a finite verb is a statement ("Ada Byrne spoke first."),
    a title naming two people names no single voice, and a dialogue's
    titles are left to the dialogue sieves.
    """
    if len(state.turns) < 2:
        return None
    start, end = state.turns[0]
    if end - start > _TITLE_TOKENS:
        return None
    if any(t.tag_ in _FINITE_TAGS for t in state.doc[start:end]):
        return None  # "Ada Byrne spoke first.": a statement, no title
    names: dict[str, int] = {}
    for index, mention in enumerate(state.mentions):
        span = state.spans[index]
        if span is None or span.start < start or mention.kind != "name":
            continue
        if span.start >= end:
            break
        if mention.label in PERSON_LABELS:
            names.setdefault(span.root.lower_, span.root.i)
    return next(iter(names.values())) if len(names) == 1 else None


def find_voices(state: Discourse) -> tuple[int | None, int | None]:
    """Return the tokens of the names of the text's writer and reader.

    The writer is who introduces themselves, else who signs, else whom the
    title names as the speaker, else whom the introduction says gives the
    speech, else the one person the title names; the reader is whom the
    salutation, else the title, addresses.
    """
    titled_writer, titled_reader = titled_voices(state)
    writer = introduced(state)
    if writer is None:
        writer = signature(state)
    if writer is None:
        writer = titled_writer
    if writer is None:
        writer = delivered(state)
    if writer is None:
        writer = title_person(state)
    reader = salutation(state)
    if reader is None:
        reader = titled_reader
    return writer, reader


#: Tags of finite verbs: a first paragraph with one is a statement, no title.
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})

#: The most words a speaker label ("DR. ADA BYRNE:") is read in.
_LABEL_WORDS = 5


def speaker_labels(state: Discourse) -> dict[int, int]:
    """Map each paragraph opening with a speaker label to the name's token.

    A transcript gives each turn to its speaker with a name and a colon at
    the start of the paragraph ("Ada Byrne: Welcome back."). The label's
    words are a name and honorifics only.
    """
    out: dict[int, int] = {}
    for k, (start, end) in enumerate(state.turns):
        tokens = [t for t in state.doc[start:end] if not t.is_space]
        colon = next(
            (j for j, t in enumerate(tokens[: _LABEL_WORDS + 1]) if t.text == ":"),
            None,
        )
        if not colon:
            continue
        words = tokens[:colon]
        rest = [t for t in words if t.lower_.rstrip(".") not in HONORIFICS]
        if not rest:
            continue
        # an upper-case label may be tagged as several names: the last one
        if all(_person_name(state, t, tagged=False) is not None for t in rest):
            out[k] = rest[-1].i
    return out
