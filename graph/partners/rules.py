"""The curated rules of ``data/partners``, loaded into one ``Rules`` object."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from graph.resources import partner_rules_dir
from graph.text.normalize import key
from graph.text.places import Gazetteer, gazetteer
from graph.text.vocab import load_json

DEFAULT_CATEGORY = "NPO・市民団体"


@dataclass(frozen=True, eq=False)  # hashed by identity: the caches are keyed by the rules
class Rules:
    """The curated rules of ``data/partners``, with the gazetteer they use."""

    places: Gazetteer
    categories: tuple[str, ...]
    suffixes: tuple[tuple[str, str, bool], ...]  # (suffix, category, strong), longest first
    legal_forms: tuple[tuple[str, str], ...]  # (form, category), longest first
    keywords: tuple[tuple[str, str], ...]  # description keyword → category
    name_prefixes: tuple[tuple[str, str], ...]  # ハローワーク小倉 → 行政
    local_categories: frozenset[str]
    generic_terms: dict[str, str]
    generic_terms_by_length: tuple[str, ...]
    modifiers: frozenset[str]
    modifiers_by_length: tuple[str, ...]
    head_nouns: frozenset[str]
    name_words: tuple[str, ...]  # words whose kana would otherwise end a name (子ども)
    leading_noise: tuple[str, ...]
    non_bodies: tuple[str, ...]
    self_words: frozenset[str]
    aliases: dict[str, str]  # key(alias) → canonical
    abbreviations: tuple[tuple[str, str], ...]
    known: dict[str, tuple[str, str]]  # key(name) → (name, category)
    place_bound: tuple[str, ...]
    offices: tuple[str, ...]
    head_titles: tuple[str, ...]
    scene_labels: frozenset[str]
    head_labels: tuple[str, ...]
    role_labels: frozenset[str]  # 後援：A、B: the head is the role of the listed bodies
    list_intros: tuple[str, ...]  # 以下の団体…: a sentence announcing the list that follows
    attached_words: tuple[str, ...]  # 中京大学の学生, フジの店舗: people or premises of a body
    short_kinds: tuple[tuple[str, str], ...]  # 昭和女子大 → 昭和女子大学 (after a name only)
    office_words: tuple[str, ...]  # 〜社会福祉協議会宮城野区事務所: an office of the body before
    area_words: tuple[str, ...]  # 京山地区社会福祉協議会: the name carries its own area
    vague_scopes: tuple[str, ...]  # 地域の民生委員: left out of a generic mention


def _longest_first(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(items, key=lambda s: (-len(s), s)))


@cache
def load_rules() -> Rules:
    """Read the rule files once."""
    cats = load_json(partner_rules_dir() / "categories.json")
    gen = load_json(partner_rules_dir() / "generic.json")
    names = load_json(partner_rules_dir() / "names.json")
    terms = {r["term"]: r["category"] for r in gen["terms"]}
    return Rules(
        places=gazetteer(),
        categories=tuple(cats["categories"]),
        suffixes=tuple(
            (r["suffix"], r["category"], r["strong"])
            for r in sorted(cats["suffixes"], key=lambda r: (-len(r["suffix"]), r["suffix"]))
        ),
        legal_forms=tuple(
            (r["form"], r["category"])
            for r in sorted(cats["legal_forms"], key=lambda r: (-len(r["form"]), r["form"]))
        ),
        keywords=tuple((r["keyword"], r["category"]) for r in cats["description_keywords"]),
        name_prefixes=tuple(
            (r["prefix"], r["category"])
            for r in sorted(cats["name_prefixes"], key=lambda r: -len(r["prefix"]))
        ),
        local_categories=frozenset(cats["local_categories"]),
        generic_terms=terms,
        generic_terms_by_length=_longest_first(terms),
        modifiers=frozenset(gen["modifiers"]),
        modifiers_by_length=_longest_first(gen["modifiers"]),
        head_nouns=frozenset(gen["head_nouns"]),
        name_words=_longest_first(gen["name_words"]),
        leading_noise=_longest_first(gen["leading_noise"]),
        non_bodies=_longest_first(gen["non_bodies"]),
        self_words=frozenset(gen["self_words"]),
        aliases={key(r["alias"]): r["canonical"] for r in names["aliases"]},
        abbreviations=tuple(
            (r["short"], r["full"])
            for r in sorted(names["abbreviations"], key=lambda r: -len(r["short"]))
        ),
        known={key(r["name"]): (r["name"], r["category"]) for r in names["known_bodies"]},
        place_bound=_longest_first(names["place_bound_suffixes"]),
        offices=_longest_first(names["government_offices"]),
        head_titles=tuple(names["head_titles"]),
        scene_labels=frozenset(names["scene_labels"]),
        head_labels=_longest_first(names["head_labels"]),
        role_labels=frozenset(names["role_labels"]),
        list_intros=tuple(names["list_intros"]),
        attached_words=_longest_first(names["attached_words"]),
        short_kinds=tuple(
            (r["short"], r["full"])
            for r in sorted(names["short_kinds"], key=lambda r: (-len(r["short"]), r["short"]))
        ),
        office_words=_longest_first(names["office_words"]),
        area_words=_longest_first(names["area_words"]),
        vague_scopes=_longest_first(gen["vague_scopes"]),
    )
