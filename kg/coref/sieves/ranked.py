"""The learned sieves: the best-scoring candidate of a mention ranker.

:mod:`kg.coref.ranker` scores every cluster in reach that agrees with the
pronoun and that binding allows with a linear model learned from annotated
text; the pronoun sieve links the pronoun to the best one when its
probability reaches the model's threshold, and otherwise hands the pronoun
on. :mod:`kg.coref.description_ranker` does the same for singular definite
descriptions ("the company") and the named clusters they may describe.

Examples
--------
>>> from kg.coref import make_sieve_resolver
>>> from kg.mentions import extract_mentions
>>> resolve = make_sieve_resolver(["kg.coref.pronoun_ranker.v1"])
>>> doc = nlp("Ada Byrne bought a farm. She sold it later.")
>>> ents = resolve(doc, list(extract_mentions(doc)))
>>> [[(m.text, m.link) for m in e.mentions] for e in ents]
[[('Ada Byrne', ''), ('She', 'kg.coref.pronoun_ranker.v1')]]
"""

from __future__ import annotations

from kg.coref.description_ranker import (
    candidate_pairs as description_pairs,
)
from kg.coref.description_ranker import (
    is_ranked_description,
    load_description_model,
)
from kg.coref.ranker import Pair, candidate_pairs, load_model, rank
from kg.coref.sieves.descriptions import new_nominal_cluster
from kg.coref.sieves.pronouns import join_pronoun
from kg.coref.sieves.registry import sieve
from kg.coref.state import Discourse

__all__ = [
    "DESCRIPTION_RANKER",
    "PRONOUN_RANKER",
    "description_ranker",
    "pronoun_ranker",
]

PRONOUN_RANKER = "kg.coref.pronoun_ranker.v1"
DESCRIPTION_RANKER = "kg.coref.description_ranker.v1"


@sieve(PRONOUN_RANKER, "pronoun")
def pronoun_ranker(state: Discourse, index: int) -> bool:
    """Link a pronoun to the best-scoring agreeing candidate above the threshold."""
    span = state.spans[index]
    if span is None:
        return False
    token = span.root
    sent = state.mentions[index].sent_index
    model = load_model()
    best = rank(candidate_pairs(state, token, sent), model)
    if best is None or best[1] < model.threshold:
        return False
    join_pronoun(state, index, best[0].cluster, PRONOUN_RANKER)
    return True


def _rule_pick(pairs: list[Pair]) -> Pair | None:
    """Return the candidate the rule description sieves would link, if any."""
    for key in ("rule_description", "rule_head_noun"):
        for pair in pairs:
            if pair.features.get(key):
                return pair
    return None


@sieve(DESCRIPTION_RANKER, "nominal")
def description_ranker(state: Discourse, index: int) -> bool:
    """Link a definite description the ranker is sure of; veto a doubtful rule link.

    The best-scoring named cluster is linked when its probability reaches the
    model's threshold. Else, when the rule sieves after this one would link
    the description to a cluster the model gives less than its ``veto``
    probability, the description starts an entity of its own (the "new
    entity" decision); otherwise it goes on to the rule sieves.
    """
    span = state.spans[index]
    if span is None or not is_ranked_description(span):
        return False
    model = load_description_model()
    pairs = description_pairs(state, index)
    best = rank(pairs, model)
    if best is None:
        return False
    if best[1] >= model.threshold:
        state.attach_nominal(best[0].cluster, index, rule=DESCRIPTION_RANKER)
        return True
    pick = _rule_pick(pairs)
    if pick is not None and model.score(pick.features) < model.veto:
        new_nominal_cluster(state, index)
        return True
    return False
