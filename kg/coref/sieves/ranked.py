"""The learned pronoun sieve: the best-scoring candidate of the mention ranker.

:mod:`kg.coref.ranker` scores every cluster in reach that agrees with the
pronoun and that binding allows with a linear model learned from annotated
text; the sieve links the pronoun to the best one when its probability
reaches the model's threshold, and otherwise hands the pronoun on.

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

from kg.coref.ranker import candidate_pairs, load_model, rank
from kg.coref.sieves.pronouns import join_pronoun
from kg.coref.sieves.registry import sieve
from kg.coref.state import Discourse

__all__ = ["PRONOUN_RANKER", "pronoun_ranker"]

PRONOUN_RANKER = "kg.coref.pronoun_ranker.v1"


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
