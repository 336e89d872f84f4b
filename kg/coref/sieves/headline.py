r"""Headline sieve: a short name in a text's headline and the body's full name.

A news text opens with a headline line, then a blank line, then the body. The
headline names a referent by its short name ("Rovers Beat Larks", "Acme
Recalls Kettles"), the body by its full name ("the Port Varda Rovers", "Acme
Rocket Works"). Read left to right, the headline's short name starts a
cluster of its own before the body names the referent in full; no name sieve
joins a longer name to a shorter one read before it, so the text would keep
the two apart. This sieve joins a body name to the headline's cluster whose
names are all a part of it, at its end ("Rovers" of "Port Varda Rovers",
"Byrne" of "Ada Byrne") or at its start ("Acme" of "Acme Rocket Works"),
when nothing else in the body could be meant: no other body name holds the
short name, and the two classes agree.

A second sieve reads the lead, the body's first sentence: its subject, one
person described by a noun ("A former banker was jailed"), is the one person
the headline names ("Tom Vale Jailed"), unless the noun names a tie to
someone else ("a spokesman", "her lawyer") or the other gender.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Rovers lose to a late goal\n\n"
...           "The Port Varda Rovers lost on Sunday. The Rovers play again soon.")
>>> [e.name for e in resolve_entities(doc, extract_mentions(doc))
...  if "Rovers" in e.name]
['Port Varda Rovers']
"""

from __future__ import annotations

from collections.abc import Sequence

from kg.coref.grammar import GROUP_LABELS, PERSON_LABELS, PLACE_LABELS, span_head
from kg.coref.names import parse_name
from kg.coref.naming import join_name, name_info
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.lexicon import load_mapping, load_words
from kg.mentions import FEMALE_NOUNS, MALE_NOUNS
from kg.types import Mention

__all__ = [
    "HEADLINE_LEDE",
    "HEADLINE_SHORT_NAME",
    "headline_end",
    "headline_lede",
    "headline_short_name",
]

HEADLINE_SHORT_NAME = "kg.coref.headline_short_name.v1"
HEADLINE_LEDE = "kg.coref.headline_lede.v1"

#: Person nouns of a tie to someone else ("spokesman", "lawyer") and kin nouns.
RELATIONAL_NOUNS = load_words("coref-relational-person-nouns") | frozenset(
    load_mapping("coref-kin-nouns")
)

#: The longest first line read as a headline, in characters.
MAX_HEADLINE_CHARS = 300
#: The most characters (all white space) between a headline and its lead.
_MAX_GAP = 8
#: The headline line ends without a sentence's final stop.
_FINAL_STOP = frozenset(".!?")


def headline_end(text: str) -> int:
    r"""Return where a text's headline line ends, or -1 if it has none.

    The headline is the text's first line, set off from the body by a
    blank line, short, one line, and with no final stop.

    Examples
    --------
    >>> headline_end("Acme Recalls Kettles\n\nAcme Rocket Works said.")
    20
    >>> headline_end("Acme recalled kettles.\n\nIt said so."), headline_end("No body")
    (-1, -1)
    """
    cut = text.find("\n\n", 0, MAX_HEADLINE_CHARS)
    line = text[:cut].strip() if cut > 0 else ""
    if not line or "\n" in line or line[-1] in _FINAL_STOP:
        return -1
    return cut


def _group(label: str) -> str:
    """Return the coarse class of a NER label: person, place, group, or "" (other)."""
    if label in PERSON_LABELS:
        return "person"
    if label in PLACE_LABELS:
        return "place"
    if label in GROUP_LABELS:
        return "group"
    return ""


def _part_at(short: tuple[str, ...], words: tuple[str, ...]) -> str:
    """Tell where ``short`` is a proper part of ``words``: "end", "start" or ""."""
    n = len(short)
    if not 0 < n < len(words):
        return ""
    if words[-n:] == short:
        return "end"
    if words[:n] == short:
        return "start"
    return ""


def _holds(short: tuple[str, ...], words: tuple[str, ...]) -> bool:
    n = len(short)
    return any(words[i : i + n] == short for i in range(len(words) - n + 1))


def _fits(cluster: Cluster, words: tuple[str, ...], label: str) -> bool:
    """Tell a headline cluster whose every name is a short form of ``words``.

    A name that opens the longer one is no place (a place opens the name of
    what is named after it: "Port Varda" of "Port Varda Rovers"), and the
    two classes agree (a group, a place, a person; an unclassed side fits).
    """
    if not cluster.named or not cluster.keys:
        return False
    places = {_part_at(tuple(k.split()), words) for k in cluster.keys}
    if "" in places:
        return False
    mine, theirs = _group(label), _group(cluster.top_label)
    if "start" in places and theirs in {"place", "person"}:
        return False
    return not (mine and theirs and mine != theirs)


def _rivals(
    mentions: Sequence[Mention],
    end: int,
    index: int,
    key: str,
    short: str,
    words: tuple[str, ...],
) -> bool:
    """Tell another body name that holds ``short`` but is not this name.

    The short name alone, tagged as a place in the body ("in Varda"), is a
    rival of a longer name it opens ("Varda Larks"): the place the body is
    named after.
    """
    shorts = tuple(short.split())
    opens = _part_at(shorts, words) == "start"
    for i, m in enumerate(mentions):
        if i == index or m.kind != "name" or m.start_char < end:
            continue
        other = parse_name(m.text)
        if other.key == short and opens and m.label in PLACE_LABELS:
            return True
        if other.key in {key, short}:
            continue
        if _holds(shorts, other.words):
            return True
    return False


@sieve(HEADLINE_SHORT_NAME, "name")
def headline_short_name(state: Discourse, index: int) -> bool:
    """Join a body's full name to the headline's short name of it."""
    end = headline_end(state.doc.text)
    mention = state.mentions[index]
    if end < 0 or mention.start_char < end:
        return False
    info = name_info(state, index)
    if info is None or info.nested or len(info.name.words) < 2:
        return False
    words = info.name.words
    found = [
        r for r in _headline_clusters(state, end) if _fits(r, words, mention.label)
    ]
    if len(found) != 1:
        return False
    (ref,) = found
    key = info.name.key
    mentions = state.mentions
    if any(_rivals(mentions, end, index, key, s, words) for s in ref.keys):
        return False
    return join_name(state, index, [ref], HEADLINE_SHORT_NAME, matched=False)


def _headline_clusters(state: Discourse, end: int) -> list[Cluster]:
    """Return the clusters a name of the headline started, in order."""
    found: dict[int, Cluster] = {}
    for i, m in enumerate(state.mentions):
        if m.start_char >= end:
            break
        if m.kind == "name" and i in state.cluster_of:
            ref = state.clusters[state.cluster_of[i]]
            if ref.mentions[0] == i:
                found[ref.id] = ref
    return list(found.values())


@sieve(HEADLINE_LEDE, "nominal")
def headline_lede(state: Discourse, index: int) -> bool:
    """Link the lead sentence's described subject to the headline's one person.

    "Ada Byrne Wins Seat" then "A former teacher won the seat on Monday":
    the subject of the body's first sentence, one person described by a
    noun, is the person the headline names, when the headline names one
    person only and the noun is no tie to someone else ("her lawyer", "a
    witness") nor of the other gender.
    """
    end = headline_end(state.doc.text)
    mention, span = state.mentions[index], state.spans[index]
    if end < 0 or span is None or mention.start_char < end:
        return False
    head = span_head(span)
    lemma = head.lemma_.lower()
    if (
        head.dep_ not in {"nsubj", "nsubjpass"}
        or head.head.dep_ != "ROOT"
        or head.tag_ != "NN"
        or mention.label not in PERSON_LABELS
        or lemma in RELATIONAL_NOUNS
        or any(c.dep_ == "poss" for c in head.children)
    ):
        return False
    start = head.sent.start_char
    if start - end > _MAX_GAP or state.doc.text[end:start].strip():
        return False  # not the body's first sentence
    people = [r for r in _headline_clusters(state, end) if r.is_person()]
    if len(people) != 1 or not people[0].named:
        return False
    (ref,) = people
    gender = "f" if lemma in FEMALE_NOUNS else "m" if lemma in MALE_NOUNS else None
    if gender is not None and ref.gender not in {None, gender}:
        return False
    state.attach_nominal(ref, index, rule=HEADLINE_LEDE)
    return True
