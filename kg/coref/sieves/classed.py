"""A name written without the class noun of its full form: "Cyclone X" ... "X".

A storm, a mountain or an island is named with a class
noun before or after its own word ("Cyclone Varuna", "Mount Kessa", "Tarsey
Island"), and the text then drops the noun. The short name
joins the earlier full name when nothing else of that name was seen, the
mention names no person, and the noun is one of the few whose bare name
stays the same referent (``coref-dropped-class-words``; never "Lake X",
which leaves the town X). The short name the tagger marks inside the full
name ("Varuna" of "Cyclone Varuna") joins the full name too, so that the
later bare name finds it. (A full name written after its bare name is left
alone: joining it lowered GUM dev.)

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Cyclone Varuna gained strength. Varuna will bring rain.")
>>> [e.name for e in resolve_entities(doc, extract_mentions(doc))]
['Cyclone Varuna']
"""

from __future__ import annotations

from kg.coref.names import parse_name
from kg.coref.naming import join_name, name_info
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.lexicon import load_words

__all__ = [
    "DROPPED_CLASS_WORDS",
    "classed_full_names",
    "classed_outer_name",
]

#: Class nouns a name may drop and still name the same referent.
DROPPED_CLASS_WORDS = load_words("coref-dropped-class-words")

_RULE = "kg.coref.classed_short_name.v1"


def classed_full_names(state: Discourse, key: str) -> list[Cluster]:
    """Return the clusters named ``key`` with a droppable class noun before or after."""
    found: dict[int, Cluster] = {}
    for noun in sorted(DROPPED_CLASS_WORDS):
        for full in (f"{noun} {key}", f"{key} {noun}"):
            for cid in state.by_key.get(full, ()):
                ref = state.clusters[cid]
                if ref.is_person() is not True:
                    found.setdefault(cid, ref)
    return list(found.values())


def classed_outer_name(state: Discourse, index: int, key: str) -> Cluster | None:
    """Return the cluster of the classed full name this name is written inside.

    The tagger often marks "Varuna" of "Cyclone Varuna" as a name of its
    own: it is the full name's short form, not another referent.
    """
    span = state.spans[index]
    if span is None:
        return None
    for i in state.token_mentions.get(span.start, ()):
        outer = state.mentions[i]
        if (
            i == index
            or outer.kind != "name"
            or i not in state.cluster_of
            or not outer.start_char <= span.start_char < outer.end_char
        ):
            continue
        words = parse_name(outer.text).words
        if len(words) != len(key.split()) + 1:
            continue
        if " ".join(words[1:]) == key:
            noun = words[0]  # "Cyclone X"
        elif " ".join(words[:-1]) == key:
            noun = words[-1]  # "X Island"
        else:
            continue
        if noun in DROPPED_CLASS_WORDS:
            ref = state.clusters[state.cluster_of[i]]
            return None if ref.is_person() else ref
    return None


@sieve(_RULE, "name")
def classed_short_name(state: Discourse, index: int) -> bool:
    """Link "X" to an earlier "Cyclone X" / "X Island" when no other X is known."""
    info = name_info(state, index)
    if info is None or len(info.name.words) > 2:
        return False
    key = info.name.key
    if info.nested:
        outer = classed_outer_name(state, index, key)
        return outer is not None and join_name(state, index, [outer], _RULE)
    if info.person:
        return False
    if key in state.by_key or key in state.by_surname:
        return False  # the bare name is already somebody's or something's
    found = classed_full_names(state, key)
    return len(found) == 1 and join_name(state, index, found, _RULE)
