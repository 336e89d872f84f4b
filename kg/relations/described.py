"""Corpus-wide keys of described things anchored to a named entity.

A described thing ("the zoo", "a hospital") gets a key of its own document
(``DOC#noun``): nothing says that another document's "a hospital" is the
same one. Where the text ties the description to a named entity, the
description and its anchor pick one thing out wherever they are written,
and the key says so, without the document (rule ``described-anchor``):

* a possessor: "Z's lawyer", "her home" (her: Z) is ``lawyer of Z`` in any
  document (the key already names the possessor);
* an owner or a place stated by the phrase itself: "a Springfield
  hospital", "a prison in Y", "an Acme plant in Y" (the facts
  ``locatedIn`` and the owner's ``owns``, read from the same noun phrase).

Two documents that describe "the Acme plant in Y" then share one node, as
two documents naming "Acme" do. A description with no anchor ("a judge",
"the fight") stays its document's own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kg.types import Triple

__all__: list[str] = []

#: A described thing's prefix in its corpus-wide key.
ANCHORED = "described:"

#: Rules and patterns (``ontology/patterns/compounds.json``) that read an
#: owner or place from the described noun phrase itself.
_PLACE_RULES = frozenset(
    {
        "name-modifier-place",
        "described-placed",
        "noun-prep",
        "kg.pattern.compound.place-before-facility",
        "kg.pattern.compound.place-before-noun-facility",
    }
)
_OWNER_RULES = frozenset(
    {
        "name-modifier-owner",
        "kg.pattern.compound.owner-before-facility",
        "kg.pattern.compound.owner-before-noun-facility",
    }
)


def _from_phrase(triple: Triple, rules: frozenset[str]) -> bool:
    """Tell whether a rule (``EXTRACTOR:RULE``) or a pattern (``ID.vN``) is listed."""
    rule = triple.rule.split(":", 1)[-1]
    return rule in rules or rule.rsplit(".", 1)[0] in rules


def anchored_keys(
    doc_id: str,
    described: Iterable[str],
    triples: Iterable[Triple],
    named: Mapping[str, bool],
) -> dict[str, str]:
    """Map each anchored described key to its corpus-wide key.

    ``described`` holds the keys of the document's described things
    (``DOC_ID#lemmas`` or ``DOC_ID#lemmas of OWNER``), ``named`` tells which
    keys are named entities.

    Examples
    --------
    >>> from kg.types import Provenance
    >>> p = Provenance("d", 0, 0, 1, "s")
    >>> t = Triple("d#prison", "locatedIn", "elm", p, 0.5,
    ...            rule="kg.clauses.v3:name-modifier-place")
    >>> keys = anchored_keys("d", ["d#prison", "d#judge", "d#lawyer of ada"], [t],
    ...                      {"elm": True, "ada": True})
    >>> keys["d#prison"], keys["d#lawyer of ada"], "d#judge" in keys
    ('described:prison in elm', 'described:lawyer of ada', False)
    """
    triples = list(triples)
    out: dict[str, str] = {}
    for key in described:
        base, _, owner = key.removeprefix(f"{doc_id}#").partition(" of ")
        if owner:
            # "her younger brother" and "her brother" may be two people
            out[key] = f"{ANCHORED}{base} of {owner}"
            continue
        # a placed or owned facility by its head noun: "the Acme plant in Y"
        # and "the upmarket Acme store in Y" are picked out by place and owner
        head = base.rsplit(" ", 1)[-1]
        places = sorted(
            {
                t.object
                for t in triples
                if t.subject == key
                and t.predicate == "locatedIn"
                and named.get(t.object, False)
                and _from_phrase(t, _PLACE_RULES)
            }
        )
        owners = sorted(
            {
                t.subject
                for t in triples
                if t.object == key
                and named.get(t.subject, False)
                and _from_phrase(t, _OWNER_RULES)
            }
        )
        # one place, else one owner: "an Acme plant in Y" and "the Y
        # factory" are one thing
        if len(places) == 1:
            out[key] = f"{ANCHORED}{head} in {places[0]}"
        elif len(owners) == 1 and not places:
            out[key] = f"{ANCHORED}{head} of {owners[0]}"
    return out
