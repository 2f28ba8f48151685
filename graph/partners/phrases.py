"""Refining candidate mentions with the analyser: one candidate may be no body, or two.

Each step is general Japanese grammar, not a list of names: an honorific after a name is
dropped, a person attached to a body (の学生) leaves the body, two bodies joined by a
conjunction (A及びB, AやB, AとB) become two, an attributive clause in front of a name
(〜で知り合ったX大学) is cut off, and a fragment that ends in a verb or adjective is no body.
"""

from __future__ import annotations

from dataclasses import replace

from graph.partners.analyse import (
    attributive_start,
    conjunction_spans,
    ends_as_noun,
    without_honorific,
)
from graph.partners.context import Context, strength
from graph.partners.mentions import Cand

_SURE = {"known", "legal", "strong", "place"}


def _person_tail(name: str, ctx: Context) -> str:
    """``中京大学の学生`` → ``中京大学``: a person or group of people attached to a body."""
    head, sep, tail = name.rpartition("の")
    if sep and head and tail.endswith(ctx.rules.person_words) and strength(head, ctx) in _SURE:
        return head
    return name


def _clean(name: str, ctx: Context) -> str:
    return _person_tail(without_honorific(name), ctx)


def _split_conjunctions(name: str, ctx: Context) -> list[str]:
    """``大桑村社会福祉協議会及び大桑村公民館`` → both, when every part names a body."""
    spans = conjunction_spans(name)
    if not spans or strength(name, ctx) == "known":
        return [name]
    parts, last = [], 0
    for start, end in spans:
        parts.append(name[last:start])
        last = end
    parts.append(name[last:])
    parts = [_clean(p, ctx) for p in parts]
    if all(p and strength(p, ctx) is not None for p in parts):
        return parts
    return [name]


def refine(cand: Cand, ctx: Context) -> list[Cand]:
    """The candidates ``cand`` stands for: none, itself, or its parts."""
    name = _clean(cand.mention, ctx)
    cut = attributive_start(name)
    if cut:
        rest = _clean(name[cut:], ctx)
        if strength(rest, ctx) is not None:
            name = rest  # 学園祭で知り合った東北福祉大学 → 東北福祉大学
    if not ends_as_noun(name) and strength(name, ctx) not in {"known", "legal"}:
        return []  # 委託で連携し: a fragment of a sentence
    return [replace(cand, mention=_unscoped(part, ctx))
            for part in _split_conjunctions(name, ctx)]


def _unscoped(name: str, ctx: Context) -> str:
    """``地域の民生委員`` → ``民生委員``: a vague scope is no part of a kind's mention
    (an administrative one is: 市内の農家)."""
    for scope in ctx.rules.vague_scopes:
        rest = name[len(scope) :]
        if name.startswith(scope) and rest and strength(rest, ctx) == "generic":
            return rest
    return name
