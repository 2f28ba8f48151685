"""The curated rules of ``data/partners``, checked against their schema and loaded into one
``Rules`` object that every function of the stage receives.

Each table of the three files is described in :data:`SCHEMA` (what it means, the fields of its
rows); :func:`load_rules` checks every file against it and raises :class:`InputError` naming
the file, table and row. Two lists have one source elsewhere and are derived here: the partner
categories are the concepts of the ontology's ``scheme:partner-categories``, and the legal
forms the vocabulary knows (``data/vocab/legal_forms.json``) are written there once; the
partner rules add only their category, their short forms (``(株)``) and forms the vocabulary
does not list (有限会社, 宗教法人 …).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graph.errors import InputError
from graph.resources import ontology_file, partner_rules_dir, vocab_dir
from graph.text.normalize import key, nfkc
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
    local_name_endings: tuple[str, ...]  # ひまわり保育園, 中央公民館: one per municipality
    placed_categories: frozenset[str]
    generic_terms: dict[str, str]
    generic_terms_by_length: tuple[str, ...]
    middot_terms: tuple[tuple[str, str], ...]  # 民生委員・児童委員 → (民生委員, 児童委員)
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
    ward_councils: dict[str, str]  # 仙台市 → office, 広島市 → city
    branch_suffixes: tuple[str, ...]  # ファミリーマート各店 → ファミリーマート
    member_groups: tuple[str, ...]  # 金沢大学の学生サークル: a kind, of the body's category
    regional_offices: tuple[str, ...]  # 上川総合振興局: a prefectural office, no municipality
    vague_scopes: tuple[str, ...]  # 地域の民生委員: left out of a generic mention
    people_words: frozenset[str]  # 住民, 保護者: never a partner
    brand_forms: tuple[tuple[str, str], ...]  # (JA, 農業協同組合): JA豊橋 is 豊橋農業協同組合
    local_suffixes: tuple[str, ...]  # 〇〇商店街, 〇〇郵便局: in the case's municipality
    station_suffixes: tuple[str, ...]  # 札幌東警察署: a station named with its ward serves it


def _longest_first(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(items, key=lambda s: (-len(s), s)))


# --- schema ----------------------------------------------------------------------------------

CATEGORY = "category"  # a field whose value must be one of the partner categories


@dataclass(frozen=True)
class Table:
    """One table of a rule file: its meaning and, for tables of rows, their fields."""

    meaning: str
    fields: dict[str, Any] | None = None  # field → str, bool, list, dict or CATEGORY; None: words
    key: str | None = None  # the field that identifies a row (unique)
    optional: tuple[str, ...] = ()


SCHEMA: dict[str, dict[str, Table]] = {
    "categories.json": {
        "suffixes": Table(
            "A name ending in `suffix` is a body of `category`. A `strong` suffix (小学校, "
            "社会福祉協議会, 信用金庫) names a body wherever it stands in prose; a weak one "
            "(会, センター) only as a list item or before a collaboration verb (〜と連携).",
            {"suffix": str, "category": CATEGORY, "strong": bool}, "suffix"),
        "vocab_legal_forms": Table(
            "The category of each legal form of data/vocab/legal_forms.json (by `id`), with the "
            "short forms that write it (`(株)`); `prefix_categories` where one written form of "
            "the same legal form means another category (生活協同組合 → 企業・店舗).",
            {"id": str, "category": CATEGORY, "short_forms": list, "prefix_categories": dict},
            "id", ("prefix_categories",)),
        "legal_forms": Table(
            "Legal forms the vocabulary does not list (有限会社, 宗教法人), with category and "
            "short forms; stripped from names like the vocabulary's.",
            {"form": str, "category": CATEGORY, "short_forms": list}, "form"),
        "description_keywords": Table(
            "A word in a body's description or name that types a body no suffix typed.",
            {"keyword": str, "category": CATEGORY}, "keyword"),
        "name_prefixes": Table(
            "A kind word written before a proper name (ハローワーク小倉, フードバンクX, "
            "喫茶 白樺).",
            {"prefix": str, "category": CATEGORY}, "prefix"),
        "local_categories": Table(
            "Categories of local bodies: the same name in two municipalities is two bodies "
            "(城町内会), and the case's one municipality is theirs when the text names none."),
        "local_name_endings": Table(
            "Endings of local facilities whose names repeat from town to town, whatever their "
            "category (ひまわり保育園, 中央公民館, 駅前商店街): the same name in two "
            "municipalities is two bodies."),
        "placed_categories": Table(
            "Categories whose bodies the case places in its own municipality when the text names "
            "no place (a 公民館, a hospital, a 地区社協); companies, universities and bodies of "
            "wider reach are placed only by the text."),
    },
    "generic.json": {
        "terms": Table("Kinds of body, not one body (民生委員, 薬局); the category of the kind.",
                       {"term": str, "category": CATEGORY}, "term"),
        "modifiers": Table("Words before a kind that keep it a kind (地域の, 市内の, 複数の)."),
        "head_nouns": Table("Kinds that stay kinds after a common noun (外国人支援団体, "
                            "協力企業)."),
        "name_words": Table("Words whose kana would otherwise end a name when reading leftwards "
                            "(子ども, こども)."),
        "leading_noise": Table("Words in front of a list item that are not part of it "
                               "(また, その他の)."),
        "non_bodies": Table("Endings of items that are events or things, not bodies (イベント)."),
        "self_words": Table("How an organisation names itself (当団体, 弊社): never a partner."),
        "people_words": Table("People, or a word too vague to name any body (住民, 保護者, "
                              "団体): never a partner by themselves."),
        "vague_scopes": Table("Scopes left out of a kind's mention (地域の民生委員 → 民生委員); an "
                              "administrative scope (市内の) is kept."),
    },
    "names.json": {
        "abbreviations": Table("Short forms of a body kind written after a place (区社協, 市教委).",
                               {"short": str, "full": str}, "short"),
        "aliases": Table("Another name of the same body (公共職業安定所 → ハローワーク).",
                         {"alias": str, "canonical": str}, "alias"),
        "known_bodies": Table("Bodies known by a name no rule types (JICA, YMCA).",
                              {"name": str, "category": CATEGORY}, "name"),
        "short_kinds": Table("Short kinds expanded after a proper name (昭和女子大 → "
                             "昭和女子大学); a bare short kind (高校) stays a kind.",
                             {"short": str, "full": str}, "short"),
        "place_bound_suffixes": Table("Bodies that mean something only with their place in front "
                                      "(社会福祉協議会, 役所): completed from the case."),
        "government_offices": Table("The offices of a government (区役所, 役場): the government."),
        "head_titles": Table("Titles after a place that make it a body's head (知事, 長)."),
        "scene_labels": Table("【labels】 of section (3) whose lines list partners (会場, 連携)."),
        "head_labels": Table("Heads announcing a list of partners (主な連携先：…)."),
        "role_labels": Table("Heads that are the role of the bodies listed after them (後援：…)."),
        "list_intros": Table("Sentence openings that announce the list that follows (以下の)."),
        "attached_words": Table("People or premises attached to a body (の学生, の店舗): the body "
                                "is the partner."),
        "office_words": Table("Offices of a body written after its name (〜社会福祉協議会〇〇区"
                              "事務所, 〜銀行〇〇支店): typed like the body."),
        "regional_offices": Table("Offices of the prefecture or the state named after a region "
                                  "(上川総合振興局, 横浜保護観察所): never completed with the "
                                  "case's place, and placed in no municipality."),
        "member_groups": Table("Groups of a body's members (の学生サークル, のゼミ): a kind of "
                               "body of the body's category, not the body itself."),
        "branch_suffixes": Table("Branches written after a chain's name (ファミリーマート各店): "
                                 "the chain is the partner."),
        "ward_councils": Table(
            "Designated cities whose social welfare council has no ward councils: `office` "
            "(the ward's unit is an office of the city council: "
            "仙台市社会福祉協議会宮城野区事務所) "
            "or `city` (merged into the city council: 広島市, 2022). Source: the dev set's "
            "README (shared/devsets), from the councils' own pages.",
            {"city": str, "form": str}, "city"),
        "area_words": Table("Words that end a sub-area's name (地区, 学区): a body named with "
                            "its own area is not completed with the case's place."),
        "local_suffixes": Table(
            "Bodies of a neighbourhood by their kind (商店街, 商店会, 郵便局), whatever their "
            "category: placed in the case's own municipality when the text names no other."),
        "station_suffixes": Table(
            "Stations of a designated city's services (警察署, 消防署): one named with the "
            "case's ward (札幌東警察署 in a 札幌市東区 case) serves that ward, not the city."),
        "brand_forms": Table(
            "A brand written before a body's area (JA豊橋, ハローワーク松山) and the official "
            "kind written after it (豊橋農業協同組合, 松山公共職業安定所): both spellings get "
            "one resolution key, so the body is one node whichever a casebook writes.",
            {"brand": str, "official": str}, "brand"),
    },
}

_TYPES = {str: "a string", bool: "true or false", list: "a list of strings", dict: "an object"}


def _check(path: Path, data: Any, tables: dict[str, Table], categories: set[str]) -> None:
    """Raise InputError at the first row of ``data`` that breaks ``tables``."""
    where = path.name
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected an object of tables")
    unknown = sorted(set(data) - set(tables))
    missing = sorted(set(tables) - set(data))
    if unknown or missing:
        raise InputError(f"{where}: unknown tables {unknown}, missing tables {missing}")
    for name, table in tables.items():
        rows = data[name]
        if not isinstance(rows, list):
            raise InputError(f"{where}: {name}: expected a list")
        seen: set[Any] = set()
        for i, row in enumerate(rows):
            at = f"{where}: {name}[{i}]"
            if table.fields is None:
                if not isinstance(row, str) or not row or nfkc(row) != row:
                    raise InputError(f"{at}: expected a non-empty NFKC string, got {row!r}")
                if name.endswith("_categories") and row not in categories:
                    raise InputError(f"{at}: {row} is not a partner category")
                ident: Any = row
            else:
                if not isinstance(row, dict):
                    raise InputError(f"{at}: expected an object")
                extra = sorted(set(row) - set(table.fields))
                absent = sorted(set(table.fields) - set(row) - set(table.optional))
                if extra or absent:
                    raise InputError(f"{at}: unknown fields {extra}, missing fields {absent}")
                for field, kind in table.fields.items():
                    if field not in row:
                        continue
                    value = row[field]
                    if kind == CATEGORY:
                        if value not in categories:
                            raise InputError(f"{at}: {field} {value!r} is not a partner category")
                    elif not isinstance(value, kind):
                        raise InputError(f"{at}: {field} must be {_TYPES[kind]}")
                    elif isinstance(value, str) and nfkc(value) != value:
                        raise InputError(f"{at}: {field} {value!r} is not NFKC")
                ident = row[table.key] if table.key else i
            if ident in seen:
                raise InputError(f"{at}: duplicate {ident!r}")
            seen.add(ident)


def partner_categories(path: Path | None = None) -> tuple[str, ...]:
    """The partner categories: the Japanese labels of the ontology's partner-category scheme."""
    text = (path or ontology_file()).read_text(encoding="utf-8")
    labels = []
    for block in text.split("\n\n"):
        if "ts:PartnerCategory" in block and "skos:inScheme scheme:partner-categories" in block:
            m = re.search(r'skos:prefLabel\s+"([^"]+)"@ja', block)
            if m:
                labels.append(m.group(1))
    if not labels:
        raise InputError(f"{path or ontology_file()}: no partner categories found")
    return tuple(labels)


def _legal_forms(cats: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """(written form, category) for the vocabulary's forms and the partner-only ones."""
    vocab = {r["id"]: r for r in load_json(vocab_dir() / "legal_forms.json")["forms"]}
    forms: dict[str, str] = {}
    for i, row in enumerate(cats["vocab_legal_forms"]):
        form = vocab.get(row["id"])
        if form is None:
            raise InputError(f"categories.json: vocab_legal_forms[{i}]: no legal form "
                             f"{row['id']!r} in data/vocab/legal_forms.json")
        overrides = row.get("prefix_categories") or {}
        for written in [*form["prefixes"], *row["short_forms"]]:
            forms[nfkc(written)] = overrides.get(written, row["category"])
    missing = sorted(set(vocab) - {r["id"] for r in cats["vocab_legal_forms"]})
    if missing:
        raise InputError(f"categories.json: vocab_legal_forms has no category for {missing}")
    for i, row in enumerate(cats["legal_forms"]):
        for written in [row["form"], *row["short_forms"]]:
            if written in forms:
                raise InputError(f"categories.json: legal_forms[{i}]: {written} is written in "
                                 "the vocabulary already")
            forms[written] = row["category"]
    return tuple(sorted(forms.items(), key=lambda f: (-len(f[0]), f[0])))


def _ward_councils(rows: list[dict[str, str]]) -> dict[str, str]:
    for i, row in enumerate(rows):
        if row["form"] not in {"office", "city"}:
            raise InputError(f"names.json: ward_councils[{i}]: form must be office or city")
    return {row["city"]: row["form"] for row in rows}


def read_rule_files(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The three rule files, each checked against :data:`SCHEMA`."""
    directory = directory or partner_rules_dir()
    categories = set(partner_categories())
    files = {}
    for name, tables in SCHEMA.items():
        path = directory / name
        if not path.is_file():
            raise InputError(f"{path}: no such rule file")
        data = load_json(path)
        _check(path, data, tables, categories)
        files[name] = data
    return files


@cache
def load_rules(directory: Path | None = None) -> Rules:
    """Read and check the rule files (``data/partners`` unless ``directory``), once."""
    files = read_rule_files(directory)
    cats, gen, names = files["categories.json"], files["generic.json"], files["names.json"]
    terms = {r["term"]: r["category"] for r in gen["terms"]}
    return Rules(
        places=gazetteer(),
        categories=partner_categories(),
        suffixes=tuple(
            (r["suffix"], r["category"], r["strong"])
            for r in sorted(cats["suffixes"], key=lambda r: (-len(r["suffix"]), r["suffix"]))
        ),
        legal_forms=_legal_forms(cats),
        keywords=tuple((r["keyword"], r["category"]) for r in cats["description_keywords"]),
        name_prefixes=tuple(
            (r["prefix"], r["category"])
            for r in sorted(cats["name_prefixes"], key=lambda r: -len(r["prefix"]))
        ),
        local_categories=frozenset(cats["local_categories"]),
        local_name_endings=tuple(cats["local_name_endings"]),
        placed_categories=frozenset(cats["placed_categories"]),
        generic_terms=terms,
        generic_terms_by_length=_longest_first(terms),
        middot_terms=tuple(tuple(t.split("・", 1)) for t in sorted(terms) if "・" in t),  # type: ignore[misc]
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
        ward_councils=_ward_councils(names["ward_councils"]),
        branch_suffixes=_longest_first(names["branch_suffixes"]),
        member_groups=_longest_first(names["member_groups"]),
        regional_offices=_longest_first(names["regional_offices"]),
        vague_scopes=_longest_first(gen["vague_scopes"]),
        people_words=frozenset(gen["people_words"]),
        brand_forms=tuple((r["brand"], r["official"]) for r in names["brand_forms"]),
        local_suffixes=_longest_first(names["local_suffixes"]),
        station_suffixes=_longest_first(names["station_suffixes"]),
    )
