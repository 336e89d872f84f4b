"""Page furniture is no prose: no mention comes from a caption, credit or byline.

A photo credit ("Photo: Ada Byrne/Varn News"), a byline ("By Ada Byrne"),
a dateline, a category or "see also" line name people and bodies as labels,
not as entities the story speaks of; read as prose they become junk nodes
("Byrne Image"). :func:`kg.nlp.non_prose_spans` finds them; this pass,
run last, drops every mention that reaches into one.
"""

from __future__ import annotations

from kg.mentions.base import Candidate, Context, register_pass

__all__ = ["drop_non_prose"]

LAYOUT = "kg.mentions.layout.v1"


@register_pass(LAYOUT)
def drop_non_prose(ctx: Context, found: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    r"""Drop the mentions that reach into captions, credits and other furniture.

    Examples
    --------
    >>> doc = nlp("By Ada Byrne\n\nAda Byrne left Tarnby.")
    >>> names = tuple(Candidate(doc[a:b], "PERSON", "x") for a, b in [(1, 3), (4, 6)])
    >>> [c.span.start for c in drop_non_prose(Context(doc), names)]
    [4]
    """
    furniture = ctx.non_prose
    if not furniture:
        return found
    return tuple(
        c
        for c in found
        if not any(i in furniture for i in range(c.span.start, c.span.end))
    )
