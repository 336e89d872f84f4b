"""Acronym sieves: "Full Name (ABBR)", an acronym of a name read before, and back.

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("The Ruritanian Space Agency (RSA) launched a probe. RSA said so.")
>>> [e.name for e in resolve_entities(doc, extract_mentions(doc))]
['Ruritanian Space Agency']
"""

from __future__ import annotations

from spacy.tokens import Span

from kg.coref.names import Name, initials, is_acronym, shortens
from kg.coref.naming import join_name, name_info
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.mentions import name_words

__all__ = ["acronym_matches", "defined_acronym"]


def _found(state: Discourse, ids: list[int] | tuple[int, ...]) -> list[Cluster]:
    return [state.clusters[r] for r in dict.fromkeys(ids)]


def acronym_matches(
    state: Discourse, name: Name, person: bool, text: str, place: bool
) -> list[Cluster]:
    """Return the clusters an acronym spells, or the acronym a full name had."""
    words = name.words
    if len(words) == 1 and is_acronym(text):
        return _found(state, state.by_acronym.get(words[0], ()))
    if len(words) > 1 and all(len(w) == 1 for w in words) and text.endswith("."):
        # spaced initials ("S. F.") of a place's or body's name read before:
        # its acronym written letter by letter
        found = _found(state, state.by_acronym.get("".join(words), ()))
        if found:
            return found
    if len(words) > 1:
        # a name first met as its acronym, later spelled out
        return [
            ref
            for ref in _found(
                state, state.by_key.get(initials(name.whole or words), ())
            )
            if all(" " not in k for k in ref.keys) and not ref.givens
        ]
    return []


def defined_acronym(state: Discourse, span: Span, text: str) -> Cluster | None:
    """Return the referent of "Full Name (ABBR)": the name before the brackets.

    A bracketed short form of the name's own words counts too: "Varda
    Telecommunications Services (Varda Telecom)".
    """
    doc = state.doc
    if not (
        span.start >= 2
        and doc[span.start - 1].text == "("
        and span.end < len(doc)
        and doc[span.end].text == ")"
    ):
        return None
    # the outermost name ending before the bracket: "Council of Arda (COA)"
    # abbreviates the council, not the place nested in its name
    before = doc[span.start - 2].i
    ref = state.name_ending_at(before) or state.cluster_at(before)
    if ref is None or not ref.named:
        return None
    if len(span) == 1 and any(c.isupper() for c in text[1:]):
        return ref
    short = name_words(text)
    if len(short) > 1 and any(shortens(short, key.split()) for key in ref.keys):
        return ref
    return None


@sieve("kg.coref.acronym_definition.v1", "name")
def acronym_definition(state: Discourse, index: int) -> bool:
    """Link an acronym or short form in brackets to the name it follows."""
    info = name_info(state, index)
    if info is None:
        return False
    found = defined_acronym(state, info.span, state.mentions[index].text)
    return found is not None and join_name(
        state, index, [found], "kg.coref.acronym_definition.v1"
    )
