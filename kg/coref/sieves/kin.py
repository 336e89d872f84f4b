"""The kin sieve: "his father", "her husband" for the relative the text named.

"X was a son of Y ... his father" is Y, "... Y's son" is X, "X married Z ...
his wife" is Z: a kin noun with a possessor takes the one relative of that
kind the text said the possessor has (the parents and spouses are gathered as
names are read, see :mod:`kg.coref.naming`).

Examples
--------
>>> from kg.coref import resolve_entities
>>> from kg.mentions import extract_mentions
>>> doc = nlp("Tom Vale married Ann Lee in 1990. His wife paints.")
>>> [[m.text for m in e.mentions] for e in resolve_entities(doc, extract_mentions(doc))]
[['Tom Vale', 'His'], ['Ann Lee', 'His wife']]
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.coref.grammar import span_head
from kg.coref.sieves.registry import sieve
from kg.coref.state import Cluster, Discourse
from kg.coref.words import CHILD_NOUNS, PARENT_NOUNS, SPOUSE_NOUNS

__all__ = ["relative_by_kin"]


def relative_by_kin(state: Discourse, head: Token) -> Cluster | None:
    """Return the parent, child or spouse a kin noun's possessor was said to have.

    "Tom was a son of Otto ... his father" (his: Tom): Otto;
    "... Otto's son": Tom; "X married Y ... his wife": Y. Only a
    single fitting relative is taken.
    """
    lemma = head.lemma_.lower()
    if not (state.parents or state.spouses) or head.tag_ in {"NNS", "NNPS"}:
        return None
    if not (lemma in PARENT_NOUNS or lemma in CHILD_NOUNS or lemma in SPOUSE_NOUNS):
        return None
    poss = next((c for c in head.children if c.dep_ == "poss"), None)
    if poss is None:
        return None
    owner_index = state.mention_at(poss.i)
    if owner_index is None:
        return None
    owner_span = state.spans[owner_index]
    if (
        owner_index not in state.cluster_of
        and owner_span is not None
        and state.mentions[owner_index].kind == "pronoun"
    ):
        # "his father": the possessor first, read as it would be next
        state.resolve(owner_index, klass="pronoun")
    owner = state.cluster_at(poss.i)
    if owner is None:
        return None
    if lemma in PARENT_NOUNS:
        gender = PARENT_NOUNS[lemma]
        ids = state.parents.get(owner.id, [])
    elif lemma in SPOUSE_NOUNS:
        gender = SPOUSE_NOUNS[lemma]
        ids = state.spouses.get(owner.id, [])
    else:
        gender = CHILD_NOUNS[lemma]
        ids = [c for c, known in state.parents.items() if owner.id in known]
    found = [
        ref
        for ref in (state.clusters[i] for i in ids)
        if not (gender and ref.gender and ref.gender != gender)
    ]
    return found[0] if len(found) == 1 else None


@sieve("kg.coref.kin.v1", "nominal")
def kin(state: Discourse, index: int) -> bool:
    """Link a kin noun to the relative the text named (no salience of its own).

    The relative stays in the background: "His father is a baker. He studied
    law" is still about the son.
    """
    span = state.spans[index]
    if span is None:
        return False
    found = relative_by_kin(state, span_head(span))
    if found is None:
        return False
    state.attach_nominal(found, index, salient=False, rule="kg.coref.kin.v1")
    return True
