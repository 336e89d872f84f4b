"""Facts of verb clauses: subject against each argument, reciprocal clauses."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

from kg.lexicon import load_list, load_mapping, load_words
from kg.ontology import PropertyInfo
from kg.relations.charges import charge_phrase
from kg.relations.clauses import (
    _Frame,
)
from kg.relations.nodes import (
    _as_occupation,
    _choose,
    _Context,
    _emit,
    _fits,
    _Node,
    _node,
    _prep_paths,
    _role_lemma,
)
from kg.relations.nouns import (
    _noun_facts,
)
from kg.relations.parse import (
    _PREP_DEPS,
    _Arg,
)
from kg.relations.polarity import clause_modality
from kg.types import (
    Entity,
    Triple,
)

__all__: list[str] = []

#: The most people a list relates pairwise ("A, B and C met": 3 pairs).
_MAX_LISTED = 12


def _scope_facts(
    ctx: _Context, frame: _Frame, subject: _Node
) -> Iterator[Triple | Entity]:
    """Names anywhere in the clause the subject governs: weak, generic facts."""
    if not subject.named or frame.rule in {"verb:advcl"}:
        return
    verb = frame.verb
    if verb is None:
        return
    skip = {t.i for t in frame.subject.head.subtree}
    seen = {subject.key}
    for tok in verb.subtree:
        if tok.i in skip or tok.ent_iob_ != "B" or tok.i not in ctx.by_token:
            continue
        other = _node(ctx, tok)
        if other is None or not other.named or other.key in seen:
            continue
        seen.add(other.key)
        yield from _emit(
            ctx,
            subject,
            other,
            None,
            lemma=frame.lemma,
            confidence=frame.confidence * 0.35,
            rule="clause-scope",
            sent=frame.sent,
            modality=frame.modality,
        )


def _arg_trigger(
    ctx: _Context, frame: _Frame, arg: _Arg, subject: _Node, obj: _Node
) -> tuple[_Node, _Node, str, str | None]:
    """Return subject, object, trigger and preposition of a verb's argument.

    A passive's "by" agent is the subject, unless a trigger names "by"
    ("released by a label", "employed by Y"); a relative "where" reads as
    "at" or "in" ("the firm where he worked").
    """
    onto = ctx.onto
    prep = arg.prep.lower_ if arg.role in _PREP_DEPS and arg.prep is not None else None
    s, o = subject, obj
    if (
        frame.passive
        and arg.role == "agent"
        and not _choose(onto, "verb", f"{frame.lemma} by", s, o, lenient=True)
    ):
        s, o, trigger = obj, subject, frame.lemma
    else:
        trigger = f"{frame.lemma} {prep}" if prep else frame.lemma
    if arg.role == "where":
        trigger = next(
            (
                f"{frame.lemma} {p}"
                for p in load_list("relation-where-prepositions")
                if _choose(onto, "verb", f"{frame.lemma} {p}", s, o, lenient=True)
            ),
            f"{frame.lemma} in",
        )
        prep = trigger.rsplit(" ", 1)[1]
    return s, o, trigger, prep


def _passive_reading(frame: _Frame) -> bool:
    """Tell whether a clause's subject undergoes its verb: a passive.

    "X was found in Y" (a passive auxiliary) or a past participle modifying
    its noun ("X, found in Y"), where the noun is what the verb acts on.
    """
    verb = frame.verb
    return frame.passive or (
        verb is not None
        and verb.dep_ == "acl"
        and verb.tag_ == "VBN"
        and frame.rule == "verb:acl"
    )


def _passive_trigger(
    ctx: _Context, frame: _Frame, trigger: str, s: _Node, o: _Node, *, lenient: bool
) -> tuple[PropertyInfo | None, str]:
    """Choose a passive-only trigger: "be find in", "be award", "be take to".

    A clause's lemma is its main verb's ("was found" gives "find"); the
    passive is recorded in the frame. The ontology writes a trigger that
    holds only of the passive with "be" before the lemma, so "X was found
    in Y" reads ``be find in`` while "police found X in Y" does not. Not
    for a "by" agent read as the active subject (the caller swaps it).
    """
    if not _passive_reading(frame):
        return None, trigger
    passive = f"be {trigger}"
    info = _choose(ctx.onto, "verb", passive, s, o, lenient=lenient)
    return (info, passive) if info is not None else (None, trigger)


def _passive_patient_as_agent(
    ctx: _Context, frame: _Frame, arg: _Arg, info: PropertyInfo | None, trigger: str
) -> bool:
    """Tell whether a passive clause's fact would make its patient the agent.

    "X was shot near the house where..." must not give "X shot at the house":
    a passive's subject undergoes the verb, so a property the bare verb
    triggers in the active ("A shot B": ``attacked``) cannot take it as the
    subject of a prepositional argument. A "by" agent swaps the roles
    already, and properties that read the passive subject ("born in",
    "elected to") list no bare verb.
    """
    if info is None or not frame.passive or arg.role == "agent":
        return False
    if trigger.startswith("be ") and frame.lemma != "be":
        return False  # a passive-only trigger ("be find in") reads the patient
    return any(
        p.name == info.name for p in ctx.onto.properties_for("verb", frame.lemma)
    )


def _arg_property(
    ctx: _Context, frame: _Frame, arg: _Arg, subject: _Node, obj: _Node
) -> tuple[_Node, _Node, PropertyInfo | None, str, str | None]:
    """Choose the property of a verb's argument: subject, object, property, words."""
    onto = ctx.onto
    s, o, trigger, prep = _arg_trigger(ctx, frame, arg, subject, obj)
    info = None
    if s is subject:
        info, trigger = _passive_trigger(
            ctx, frame, trigger, s, o, lenient=prep is not None
        )
    info = info or _choose(onto, "verb", trigger, s, o, lenient=prep is not None)
    if info is None and prep is not None:
        # "filed a lawsuit against Y": the object noun is part of the trigger
        for other in frame.args:
            if other.role == "dobj" and other.head.pos_ == "NOUN":
                light = f"{frame.lemma} {other.head.lemma_.lower()} {prep}"
                info = _choose(onto, "verb", light, s, o, lenient=True)
                if info is not None:
                    trigger = light
                    break
    if info is None and frame.lemma == "be" and prep is not None:
        info = _choose(onto, "prep", prep, s, o, lenient=False)
    role = _as_occupation(onto, frame.verb) if frame.verb is not None else None
    if role is not None and arg.role not in {"attr", "acomp"}:
        # "joined Y as a vice president", "hired by Y as an engineer"
        for a, b in ((s, o), (o, s)):
            work = _choose(onto, "structure", "occupation", a, b, lenient=False)
            if work is not None:
                return a, b, work, f"{trigger} as {role}", prep
    return s, o, info, trigger, prep


def _inner_name_facts(
    ctx: _Context, frame: _Frame, arg: _Arg, subject: _Node, obj: _Node, trigger: str
) -> Iterator[Triple | Entity]:
    """Read other names inside an argument: "led the Canadian team", "a film by Y"."""
    linked = {obj.key}
    for tok in arg.tokens:
        if tok.i == arg.head.i or tok.i not in ctx.by_token or tok.ent_iob_ != "B":
            continue
        inner = _node(ctx, tok)
        if inner is None or not inner.named or inner.key in linked:
            continue
        linked.add(inner.key)
        # "showed interest in the fans of Y": a trigger of verb, noun and the
        # preposition the name hangs under
        info, lemma = None, trigger
        under = next((a for a in tok.ancestors if a.head.i == arg.head.i), tok)
        if under.dep_ == "prep" and not obj.named:
            lemma = f"{trigger} {arg.head.lemma_.lower()} {under.lower_}"
            info = _choose(ctx.onto, "verb", lemma, subject, inner, lenient=True)
            if info is None:
                lemma = trigger
        yield from _emit(
            ctx,
            subject,
            inner,
            info,
            lemma=lemma,
            confidence=frame.confidence * 0.5,
            rule="verb-inner",
            sent=frame.sent,
            modality=frame.modality,
        )


def _nominal_property(
    ctx: _Context,
    frame: _Frame,
    arg: _Arg,
    nprep: Token,
    subject: _Node,
    target: _Node,
) -> tuple[PropertyInfo | None, str]:
    """Read an event noun as its verb: "made an arrest of Y", "with a win over Y".

    The noun (``relation-nominalisations``) is the object of a light verb or
    the object of "with"/"after" in its clause; its agent is then the
    clause's subject. "of" is the verb's object ("an arrest of Y": arrest
    Y); another preposition stays with the verb ("a win over Y": win over).
    """
    verb = load_mapping("relation-nominalisations").get(arg.head.lemma_.lower())
    light = frame.lemma in load_words("light-verbs") and arg.prep is None
    adjunct = (
        arg.prep is not None
        and arg.prep.lower_ in load_words("relation-nominal-prepositions")
        and charge_phrase(arg.prep.head, arg.prep) is None  # "charged with"
    )
    if verb is None or not (light or adjunct):
        return None, ""
    cand = verb if nprep.lower_ == "of" else f"{verb} {nprep.lower_}"
    return _choose(ctx.onto, "verb", cand, subject, target, lenient=True), cand


def _noun_path_facts(
    ctx: _Context, frame: _Frame, arg: _Arg, subject: _Node, prep: str | None
) -> Iterator[Triple | Entity]:
    """Read a name behind the object noun: "wrote a letter to Y", "won a medal at Y".

    The noun may be part of the trigger ("showed interest in Y", "took part
    in Y"), or the last preposition ("plotted a murder for hire against Y").
    """
    noun = arg.head.lemma_.lower()
    for nprep, last, nobj in _prep_paths(arg.head):
        target = _node(ctx, nobj)
        if target is None or not target.named:
            continue
        info, trig = None, f"{frame.lemma} {nprep.lower_}"
        rule = "verb-noun-prep"
        for cand in dict.fromkeys(
            (
                f"{frame.lemma} {noun} {nprep.lower_}",
                trig,
                f"{frame.lemma} {last.lower_}",
            )
        ):
            info = _choose(ctx.onto, "verb", cand, subject, target, lenient=True)
            if info is not None:
                trig = cand
                break
        if info is None and nprep.head.i == arg.head.i:
            info, cand = _nominal_property(ctx, frame, arg, nprep, subject, target)
            if info is not None:
                trig, rule = cand, "nominalisation"
        words = (frame.lemma, prep, noun, nprep.lower_)
        yield from _emit(
            ctx,
            subject,
            target,
            info,
            lemma=trig if info is not None else " ".join(filter(None, words)),
            confidence=frame.confidence * 0.8,
            rule=rule,
            sent=frame.sent,
            modality=frame.modality,
        )


def _verb_facts(ctx: _Context, frame: _Frame) -> Iterator[Triple | Entity]:
    """Triples of one verb frame: subject against each argument."""
    if not frame.rule.startswith("verb") or (frame.negated and ctx.legacy):
        return
    subject = _node(ctx, frame.subject.head)
    if subject is None:
        return
    if ctx.legacy:
        # names anywhere in the clause: no relation stated, so kg.clauses.v1 only
        yield from _scope_facts(ctx, frame, subject)
    for arg in frame.args:
        if arg.role in {"ccomp", "time"}:
            continue
        if frame.lemma == "be" and arg.role in {"attr", "acomp"}:
            if _node(ctx, arg.head) is None or arg.head.pos_ == "NOUN":
                yield from _noun_facts(
                    ctx,
                    subject,
                    arg.head,
                    frame.sent,
                    base=frame.confidence,
                    modality=frame.modality,
                )
            continue
        obj = _node(ctx, arg.head)
        if obj is None:
            continue
        s, o, info, trigger, prep = _arg_property(ctx, frame, arg, subject, obj)
        if _passive_patient_as_agent(ctx, frame, arg, info, trigger):
            continue
        if info is not None or obj.named or prep is None:
            # an unnamed thing behind a preposition ("in efforts") is no fact
            yield from _emit(
                ctx,
                s,
                o,
                info,
                lemma=trigger,
                confidence=frame.confidence,
                rule=frame.rule,
                sent=frame.sent,
                modality=frame.modality,
            )
        yield from _inner_name_facts(ctx, frame, arg, subject, obj, trigger)
        if not obj.named:
            yield from _noun_path_facts(ctx, frame, arg, subject, prep)


def _listed_subjects(subject: Token) -> list[Token]:
    """Return a subject and the names listed with it ("A, B and C met").

    The parser often reads "A, B, C and D" as A with the apposition "B, C
    and D"; a listed apposition (one with conjuncts) counts as the list.
    """
    members = [subject, *subject.conjuncts]
    for child in subject.children:
        if child.dep_ == "appos" and child.conjuncts:
            members += [child, *child.conjuncts]
    return members[: _MAX_LISTED * 4]


def _reciprocal_reading(
    ctx: _Context, verb: Token
) -> tuple[str, list[PropertyInfo]] | None:
    """Return the words and properties of a reciprocal clause, if it is one."""
    onto = ctx.onto
    if verb.lemma_ == "be":
        attr = next(
            (c for c in verb.children if c.dep_ == "attr" and c.tag_ == "NNS"), None
        )
        if attr is None:
            return None
        lemma = _role_lemma(attr)
        infos = [
            p
            for word in dict.fromkeys((lemma, attr.lemma_.lower()))
            for p in onto.properties_for("noun", word)
            if p.symmetric
        ]
        return f"be {lemma}", infos
    if any(c.dep_ in {"dobj", "attr"} for c in verb.children):
        return None
    lemma = verb.lemma_.lower()
    return lemma, list(onto.properties_for("structure", f"reciprocal {lemma}"))


def _listed_nodes(ctx: _Context, verb: Token) -> list[_Node]:
    """Return the named people (or pronouns) a verb's listed subject names."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    nodes: dict[str, _Node] = {}
    for tok in _listed_subjects(subject) if subject is not None else []:
        node = _node(ctx, tok)
        if node is not None and (node.named or node.pronoun):
            nodes.setdefault(node.key, node)
    # pairwise facts: a long list ("A, B, ... and Z met") is bounded
    return list(nodes.values())[:_MAX_LISTED]


def _reciprocal_facts(ctx: _Context, sent: Span) -> Iterator[Triple | Entity]:
    """Facts between the conjoined subjects of a reciprocal clause.

    "A and B clashed", "A and B met in Paris": a verb the ontology lists with
    a ``reciprocal <verb>`` structure trigger, used without a direct object,
    relates its conjoined subjects to each other. "A and B are friends": a
    plural predicate noun that triggers a symmetric property does the same.
    """
    for verb in sent:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        people = _listed_nodes(ctx, verb)
        reading = _reciprocal_reading(ctx, verb) if len(people) >= 2 else None
        if reading is None or not reading[1]:
            continue
        lemma, infos = reading
        modality = clause_modality(verb)
        if modality == "negated" and ctx.legacy:
            continue
        for k, a in enumerate(people):
            for b in people[k + 1 :]:
                info = next(
                    (p for p in infos if _fits(ctx.onto, p, a, b, lenient=True)), None
                )
                if info is None and verb.lemma_ == "be":
                    continue
                generic = info is None or info.name == "relatedTo"
                symmetric = info is not None and info.symmetric
                for s, o in [(a, b)] if symmetric else [(a, b), (b, a)]:
                    yield from _emit(
                        ctx,
                        s,
                        o,
                        None if generic else info,
                        lemma=lemma,
                        confidence=0.75,
                        rule="reciprocal",
                        sent=sent,
                        modality=modality,
                    )
