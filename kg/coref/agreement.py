"""Agreement: whether a pronoun may stand for a cluster (number, gender, person).

Examples
--------
>>> from collections import Counter
>>> from kg.coref.state import Cluster
>>> woman = Cluster(0, "name", gender_votes=Counter({"f": 2}), keys={"ada byrne"})
>>> gender_clash(woman, "he"), gender_clash(woman, "she")
(True, False)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.coref.grammar import LARGE_PLACES, PEOPLE_LABELS, span_head
from kg.coref.words import FEM, MASC, NEUT, PLUR

if TYPE_CHECKING:
    from kg.coref.state import Cluster, Discourse

__all__ = ["agrees", "gender_clash", "maybe_person", "only_modifier"]


def agrees(state: Discourse, ref: Cluster, word: str, *, since: int = 0) -> bool:
    """Tell a cluster the pronoun ``word`` may stand for.

    ``since`` is the first sentence of the pronoun's window: a people's
    name counts for "they" only if used there as more than an adjective.
    """
    if word in PLUR:
        return (
            ref.plural
            or (ref.plural_form and not ref.person_cues)
            or (
                not ref.is_person()
                and bool(set(ref.label_votes) & PEOPLE_LABELS)
                and not only_modifier(state, ref, since)
            )
        )
    if ref.plural:
        return False
    if ref.plural_form and not ref.person_cues and word not in NEUT:
        return False  # a plural name is no "he"; "the Islands" may still be "it"
    if word in NEUT:
        return _takes_it(ref)
    return _takes_he_or_she(ref, word)


def _takes_it(ref: Cluster) -> bool:
    """Tell a singular cluster "it" may stand for: no person, no people."""
    person = ref.is_person()
    if set(ref.label_votes) & {"NORP"}:
        return False
    if ref.gender is not None and not (ref.weak_gender and person is False):
        return False  # a place named like a given name is still "it"
    return person is False or (ref.named and ref.person_cues == 0)


def _takes_he_or_she(ref: Cluster, word: str) -> bool:
    """Tell a singular cluster "he" or "she" may stand for: a person of that gender."""
    if ref.kind == "np":
        return False
    if ref.neuter and not ref.person_cues and not ref.label_votes:
        return False  # a name no tagger typed that took "it"
    if ref.is_person() is False and not maybe_person(ref):
        return False
    if ref.common and not ref.person_cues:
        return False  # "Botany ... botany": a concept, no "he"
    return ref.weak_gender or not gender_clash(ref, word)


def gender_clash(ref: Cluster, word: str) -> bool:
    """Tell a he/she pronoun whose gender is not the referent's."""
    gender = ref.gender
    if word in MASC:
        return gender == "f"
    return word in FEM and gender == "m"


def maybe_person(ref: Cluster) -> bool:
    """Tell a lone capitalised word tagged as a place or group (maybe a surname).

    A known country or continent ("Germany") is no surname: no "he" for it,
    nor is a word the text also writes in lower case as a common noun
    ("the Civil Union Act ... a union").
    """
    return (
        ref.named
        and not ref.common
        and not ref.locative
        and not ref.known_classes & LARGE_PLACES
        and all(" " not in key for key in ref.keys)
        and not ref.initialism
        and not ref.label_votes["WORK_OF_ART"]
        and set(ref.label_votes) != {"NORP"}
    )


def only_modifier(state: Discourse, ref: Cluster, since: int = 0) -> bool:
    """Tell a people's name read lately only as an adjective ("Ruritanian town").

    "They" takes up the people ("the Ruritanians"), not an adjective that
    named them in passing: "the Ruritanian town ... They" is the townsfolk.
    Only the uses from sentence ``since`` on count: a language named
    paragraphs before ("Arda (Latin: ...)") is no people of the
    pronoun's passage.
    """
    heads = [
        span_head(span)
        for index in ref.mentions
        if (span := state.spans[index]) is not None
        and state.mentions[index].sent_index >= since
    ]
    return bool(heads) and all(
        head.dep_ == "amod" and head.tag_ == "JJ" for head in heads
    )
