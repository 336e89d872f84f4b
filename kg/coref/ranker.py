"""A learned mention-ranking model for third-person pronouns.

After Durrett and Klein (2013): simple, general features of a pair (pronoun,
candidate antecedent cluster) and a linear model learned from annotated text
beat hand-set weights. The candidates are the clusters in reach that agree with
the pronoun and that binding allows (the same ones the salience sieve scores);
each gets a feature vector (:func:`pair_features`): sentence and token
distance, the grammatical role of both, agreement cues (a person or not, a
gender clash, a collective "they"), decayed salience, mention count, quotation,
name or description. Every feature also appears conjoined with the pronoun's
class (he/she, it, they), so one model learns each its own weights.

The weights are a small JSON data file in the package
(``kg/coref/data/pronoun-ranker.json``): feature names, weights, intercept and
the link threshold, written by ``python -m kg.coref.train_ranker``. Scoring
is a dot product in pure Python; scikit-learn is needed only to train.

Examples
--------
>>> model = load_model()
>>> "sent_dist_0" in model.weights and model.threshold > 0
True
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from spacy.tokens import Token

from kg.coref.agreement import agrees, gender_clash
from kg.coref.grammar import (
    PEOPLE_LABELS,
    describes,
    emphatic_possessive,
    is_possessive,
    role_weight,
)
from kg.coref.sieves.pronouns import (
    PRONOUN_WINDOW,
    clause_subjects,
    collective_reading,
    conjunct_owner,
    excluded_clusters,
    is_collective,
    owned_thing,
)
from kg.coref.state import DECAY, Cluster, Discourse
from kg.coref.words import FEM, MASC, NEUT, PLUR
from kg.errors import ConfigError

__all__ = [
    "MODEL_RESOURCE",
    "Pair",
    "RankerModel",
    "candidate_pairs",
    "load_model",
    "pronoun_class",
    "rank",
]

#: The packaged weights file, relative to ``kg/coref``.
MODEL_RESOURCE = "data/pronoun-ranker.json"

Features = dict[str, float]


def pronoun_class(word: str) -> str:
    """Return the class of a pronoun: ``he`` (he/she), ``it``, ``they`` or ``other``.

    Examples
    --------
    >>> [pronoun_class(w) for w in ("her", "its", "them", "one")]
    ['he', 'it', 'they', 'other']
    """
    if word in MASC | FEM:
        return "he"
    if word in NEUT:
        return "it"
    if word in PLUR:
        return "they"
    return "other"


@dataclass(frozen=True, slots=True)
class _Context:
    """The pronoun being resolved and what every candidate is compared with."""

    token: Token
    word: str
    sent: int
    role: str
    quoted: bool
    local: frozenset[int]
    partner: int | None
    nearest: int | None  # the cluster nearest before it in its sentence


@dataclass(frozen=True, slots=True)
class Pair:
    """A candidate antecedent cluster of a pronoun, with its features."""

    cluster: Cluster
    token: int  # the candidate's last mention token before the pronoun
    features: Mapping[str, float]


def _history(
    ctx: _Context, ref: Cluster
) -> tuple[float, int, tuple[int, int, float, str, bool] | None]:
    """Return decayed salience, event count and last event before the pronoun."""
    score = 0.0
    count = 0
    last: tuple[int, int, float, str, bool] | None = None
    for h in ref.history:
        if h[1] >= ctx.token.i or h[0] > ctx.sent:
            continue
        count += 1
        score += h[2] * DECAY ** (ctx.sent - h[0])
        if last is None or h[1] > last[1]:
            last = h
    return score, count, last


def _base_features(
    state: Discourse,
    ctx: _Context,
    ref: Cluster,
    last: tuple[int, int, float, str, bool],
    collective: bool,
) -> Features:
    """Return the features of one pair before conjunction with the class."""
    dist = ctx.sent - last[0]
    person = ref.is_person()
    gender = ref.gender
    own = "m" if ctx.word in MASC else "f" if ctx.word in FEM else None
    f: Features = {
        f"sent_dist_{min(dist, 3)}": 1.0,
        "token_dist": math.log1p(max(ctx.token.i - last[1], 0)) / 5.0,
        "cand_role_" + last[3]: 1.0,
        "parallel_role": float(last[3] == ctx.role),
        "clause_subject": float(ref.id in ctx.local),
        "nearest_in_sentence": float(ref.id == ctx.nearest),
        "named": float(ref.named),
        "kind_" + ref.kind: 1.0,
        "person_yes": float(person is True),
        "person_no": float(person is False),
        "gender_match": float(own is not None and gender == own),
        "gender_clash": float(gender_clash(ref, ctx.word)),
        "collective": float(collective),
        "cand_quoted": float(last[4]),
        "quote_mismatch": float(last[4] != ctx.quoted),
        "owned_thing": float(
            ctx.word in NEUT and owned_thing(state, ref, ctx.word, ctx.sent)
        ),
        "conjunct_owner": float(ref.id == ctx.partner),
        "emphatic_local": float(emphatic_possessive(ctx.token) and ref.id in ctx.local),
        "people_plural": float(
            bool(set(ref.label_votes) & PEOPLE_LABELS)
            and any(key.endswith("s") for key in ref.keys)
        ),
        "plural": float(ref.plural),
    }
    return f


def _conjoined(base: Features, ctx: _Context, salience: float, count: int) -> Features:
    """Add salience and counts, then every feature again conjoined with the class."""
    base = dict(base)
    base["salience"] = math.log1p(salience) / 6.0
    base["mentions"] = math.log1p(count) / 3.0
    base["pron_role_" + ctx.role] = 1.0
    base["pron_possessive"] = float(is_possessive(ctx.token))
    base["pron_quoted"] = float(ctx.quoted)
    cls = pronoun_class(ctx.word)
    out = {"bias|" + cls: 1.0}
    for name, value in base.items():
        if value:
            out[name] = value
            out[f"{name}|{cls}"] = value
    return out


def _nearest(
    state: Discourse, token: Token, sent: int, refs: Sequence[Cluster]
) -> int | None:
    """Return the cluster mentioned nearest before the pronoun in its sentence.

    A predicate nominal or a name modifying a noun describes something else
    and is passed over (as by the salience sieve).
    """
    best: tuple[int, int] | None = None
    for ref in refs:
        for h in ref.history:
            if (
                h[0] == sent
                and h[1] < token.i
                and (best is None or h[1] > best[0])
                and not describes(state.doc, h[1])
            ):
                best = (h[1], ref.id)
    return best[1] if best is not None else None


def candidate_pairs(state: Discourse, token: Token, sent: int) -> list[Pair]:
    """Return the clusters in reach a pronoun may stand for, with their features.

    The candidates agree with the pronoun in number, gender and animacy
    (:func:`~kg.coref.agreement.agrees`; an organisation for "they" when
    nothing plural agrees), are no co-argument or containing phrase of the
    pronoun, and were mentioned in the last :data:`PRONOUN_WINDOW` sentences.
    """
    word = token.lower_
    excluded = excluded_clusters(state, token)
    reach = [
        ref
        for ref in state.recent(sent, PRONOUN_WINDOW)
        if ref.id not in excluded and ref.history
    ]
    collectives = word in PLUR and collective_reading(state, token, reach, sent)
    agreeing: list[tuple[Cluster, bool]] = []
    for ref in reach:
        if agrees(state, ref, word, since=sent - PRONOUN_WINDOW):
            agreeing.append((ref, False))
        elif collectives and is_collective(ref):
            agreeing.append((ref, True))
    _weight, role = role_weight(token)
    ctx = _Context(
        token=token,
        word=word,
        sent=sent,
        role=role,
        quoted=token.i in state.quote_of,
        local=frozenset(clause_subjects(state, token)),
        partner=conjunct_owner(state, token),
        nearest=_nearest(state, token, sent, [r for r, _c in agreeing]),
    )
    pairs: list[Pair] = []
    for ref, collective in agreeing:
        salience, count, last = _history(ctx, ref)
        if last is None or last[0] < sent - PRONOUN_WINDOW:
            continue
        base = _base_features(state, ctx, ref, last, collective)
        pairs.append(Pair(ref, last[1], _conjoined(base, ctx, salience, count)))
    return pairs


@dataclass(frozen=True, slots=True)
class RankerModel:
    """A linear pair model: weights by feature name, intercept, link threshold.

    ``veto`` (description ranker only): a rule sieve's pick the model gives
    less than this probability is not linked.
    """

    weights: Mapping[str, float]
    intercept: float
    threshold: float
    veto: float = 0.0

    def score(self, features: Mapping[str, float]) -> float:
        """Return the probability that the pair corefers (logistic of w·x + b)."""
        z = self.intercept + sum(
            self.weights.get(name, 0.0) * value for name, value in features.items()
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 50.0), -50.0)))


def read_model(path: Path | str) -> RankerModel:
    """Read a weights file written by ``python -m kg.coref.train_ranker``.

    Raises
    ------
    ConfigError
        The file is missing or not a ranker weights file.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        names = [str(n) for n in data["features"]]
        weights = [float(w) for w in data["weights"]]
        if len(names) != len(weights):
            raise ValueError("features and weights differ in length")
        return RankerModel(
            dict(zip(names, weights, strict=True)),
            float(data["intercept"]),
            float(data["threshold"]),
            float(data.get("veto", 0.0)),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"{str(path)!r} is no pronoun-ranker or description-ranker weights "
            f"file ({exc}); write one with python -m kg.coref.train_ranker GOLD "
            "--out FILE"
        ) from exc


@functools.cache
def load_model() -> RankerModel:
    """Load the packaged weights (once per process)."""
    ref = resources.files("kg.coref").joinpath(MODEL_RESOURCE)
    with resources.as_file(ref) as path:
        return read_model(path)


def rank(pairs: Sequence[Pair], model: RankerModel) -> tuple[Pair, float] | None:
    """Return the best-scoring candidate and its probability (None if none)."""
    best: tuple[Pair, float] | None = None
    for pair in pairs:
        p = model.score(pair.features)
        if best is None or p > best[1]:
            best = (pair, p)
    return best
