"""Partner bodies: extraction from the partner cells, typing and corpus-wide resolution.

The partner cells are free prose written by each organisation, so extraction is rule-based
(rules in ``data/partners/*.json``): lists split by 、・／ and line breaks, 【role】 brackets,
``A：description`` lines, 「quoted」 names, and names found inside sentences by their endings
(社会福祉協議会, 小学校, 課 …). Names are then completed from the case's context
(区社会福祉協議会 in a 葛飾区 case is 葛飾区社会福祉協議会), typed, and resolved to one reference
per real body.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache, partial
from typing import Any

from graph.parallel import fork_map
from graph.reader.record import PARTNER_KEYS
from graph.resources import partner_rules_dir
from graph.text.normalize import key, nfkc, prose_lines, squash
from graph.text.places import Place, gazetteer
from graph.text.vocab import load_json

DEFAULT_CATEGORY = "NPO・市民団体"

_OPEN, _CLOSE = "(「『【[〔", ")」』】]〕"
_PLACEHOLDER = "〓"  # stands for a quoted name already taken, so prose scans stop at it
# Hiragana particles and punctuation that end a name when reading leftwards through prose.
# の is not one: it sits inside many names (白鳥の会, 志木のまも愛内人の会).
_STOP = set("はがをにでともへや、。,:;「」『』()【】[]〔〕 /・" + _PLACEHOLDER)
# What may follow a body name inside a sentence.
_TAILS_STRONG = (
    "等", "など", "ほか", "他", "と", "や", "及び", "および", "並びに", "が", "に", "を", "で",
    "は", "も", "へ", "の", "から", "より", "による", "(",
)
_TAILS_LOOSE = ("等", "など", "ほか", "と", "や", "及び", "および", "並びに", "が", "も", "による",
                "から", "(", "の協力", "の支援", "の参加", "の皆", "の方", "の紹介")
# Verb endings that close a relative clause in front of a name (…している〇〇).
_VERB_ENDINGS = ("ている", "ていた", "ておる", "する", "した", "される", "された", "にある",
                 "である", "できる", "行う", "行った", "通う", "住む", "暮らす",
                 "働く")  # fmt: skip
_TRAILING_ETC = re.compile(r"(?:等|など|ほか|他)+$")
# Cほか計12団体, B等 5か所: the count that closes a list
_TRAILING_COUNT = re.compile(
    r"(?:等|など|ほか|他)(?:の)?(?:計|合計|約|全)?\d+\D{0,4}?(?:程度|以上|ほど)?$"
)
# A と連携し, B の協力: a collaboration verb after a name says it is a body
_COLLAB = re.compile(
    r"^(?:等|など|ほか)?(?:と|の|に|から|との)(?:連携|協力|協働|共催|支援|参加|協賛|後援|共同)"
)
# Words that make a fragment a sentence rather than a name.
_PROSE = re.compile(
    r"した|して|する|され|いる|いた|ます|です|った|ない|れた|おり|行い|ため|により|において"
    r"|について|では|には|として|を|ように|られ|いただ|ください"
)
_DEPARTMENT = re.compile(r"(?:課|局|部|室|係|教育委員会)$")
# a body followed by what it did: ハローワーク等と連携し
_ACTION = re.compile(
    r"等|など|ほか|(?:と|が|に|を|で|から|より)(?:連携|協力|参加|共有|協働|提供|紹介|相談)"
)
_SHARED_NOUN = re.compile(
    r"^(.+?[都道府県市区町村])(?:及び|および|と|や)(.+?[都道府県市区町村])の(.+)$"
)
_EACH_NOUN = re.compile(r"^(.+?[都道府県市区町村])の各(.+)$")
_KIND_LEAD = re.compile(r"^([区市町村都道府県])の?(.+)$")


def _bound(name: str) -> bool:
    """社会福祉協議会, 健康政策課: a name that only means something with its place in front."""
    rules = load_rules()
    if not name.endswith(rules.place_bound):
        return False
    rule = _suffix_rule(name) if name not in rules.place_bound else None
    return name in rules.place_bound or (rule is not None and rule[1] in {"行政", "社会福祉協議会"})


def _is_department(name: str) -> bool:
    """健康政策課, 子ども家庭部: a department of some government (not 医学部 of a university)."""
    rule = _suffix_rule(name)
    return bool(_DEPARTMENT.search(name)) and rule is not None and rule[1] == "行政"
_QUOTE = re.compile(r"「([^「」]{2,30})」")
_QUOTE_TAIL = ("との", "と", "には", "に", "が", "は", "の", "や", "を", "、", "・", "等", "など")
_BRACKET_ROLE = re.compile(r"【([^】]+)】")
_SCENE_LINE = re.compile(r"^【([^】]+)】(.+)$")
_HEAD = re.compile(r"^([^:。]{1,40}?):(.+)$")
_KIND_CHARS = "区市町村都道府県"
_KANJI_WORD = re.compile(r"[\u4e00-\u9fff々]{1,8}")
_ENUMERATOR = re.compile(r"^(?:\(\d+\)|\d+[.)]|[●◆◇■□▪-])\s*")
_COUNT = re.compile(r"^(?:約|計)?\d+\D{0,4}$")


@dataclass(frozen=True)
class Rules:
    """The curated resolution rules of ``data/partners``."""

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
    )


# ---------------------------------------------------------------------------------------------
# Small text helpers


def _split_top(text: str, seps: str) -> list[str]:
    """Split at separators outside brackets and quotes."""
    parts: list[str] = []
    buf: list[str] = []
    depth = 0
    for ch in text:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf))
    return [p.strip() for p in parts if p.strip()]


def _without_parens(text: str) -> str:
    return re.sub(r"\([^()]*\)|「[^「」]*」", "", text)


def _is_prose(text: str) -> bool:
    return bool(_PROSE.search(_without_parens(text)))


def _split_paren(item: str) -> tuple[str, str | None]:
    """``name(paren)`` → (name, paren)."""
    if item.endswith(")") and "(" in item:
        start = item.index("(")
        if start > 0:
            return item[:start].strip(), item[start + 1 : -1].strip()
    return item, None


@lru_cache(maxsize=1 << 16)  # pure in name; names repeat across cases
def strip_legal_form(name: str) -> tuple[str, str | None]:
    """Remove a legal-form prefix or suffix (株式会社ミヤケン → ミヤケン); return it too."""
    rules = load_rules()
    for form, _ in rules.legal_forms:
        if name.startswith(form) and len(name) > len(form):
            return name[len(form) :].strip(), form
    for form, category in rules.legal_forms:  # ミヤケン株式会社; not 〇〇漁業協同組合
        if name.endswith(form) and len(name) > len(form) and category == "企業・店舗":
            if "組合" not in form:
                return name[: -len(form)].strip(), form
    return name, None


def _strip_noise(name: str) -> str:
    for noise in load_rules().leading_noise:
        if name.startswith(noise) and len(name) > len(noise) + 1:
            return name[len(noise) :]
    return name


# ---------------------------------------------------------------------------------------------
# Case context and places


@dataclass
class _Context:
    case_id: str
    prefectures: list[str]
    region: list[Place]  # municipalities of 取組地域
    places: list[Place]  # region and address municipalities
    self_keys: set[str]


def _context(record: dict[str, Any]) -> _Context:
    gz = gazetteer()
    prefs = [p for p in record.get("region_prefectures") or [] if p]
    if record.get("address_prefecture") and record["address_prefecture"] not in prefs:
        prefs.append(record["address_prefecture"])
    region: list[Place] = []
    for name in record.get("region_municipalities") or []:
        place = next((p for p in (gz.municipality(name, pr) for pr in prefs) if p), None)
        place = place or gz.municipality(name)
        if place is not None:
            region.append(place)
    places = list(region)
    addr = record.get("address_municipality")
    if addr:
        place = gz.municipality(addr, record.get("address_prefecture")) or gz.municipality(addr)
        if place is not None and place not in places:
            places.append(place)
    self_keys = set()
    for name in [record.get("org_name") or "", *(record.get("org_aliases") or [])]:
        if name:
            self_keys.add(key(strip_legal_form(name)[0]))
    return _Context(record.get("case_id") or "", prefs, region, places, self_keys)


def _ward_in_context(name: str, ctx: _Context) -> Place | None:
    """A ward the case means by a bare ward name: 北区 in a 大阪市北区 or 横浜市 case."""
    gz = gazetteer()
    for place in ctx.places:  # 港北区 in a case based in 横浜市港北区
        if place.kind == "ward" and place.name.endswith(name):
            return place
    for place in ctx.places:  # a ward of a designated city of the case
        found = gz.municipality((place.city or place.name) + name, place.prefecture)
        if found is not None and found.kind == "ward":
            return found
    return None


def _resolve_place(name: str, ctx: _Context) -> Place | None:
    """The prefecture or municipality exactly named, using the case's places to disambiguate."""
    gz = gazetteer()
    if len(name) < 2 or name[-1] not in _KIND_CHARS:
        return None
    pref = gz.prefecture(name)
    if pref is not None:
        return pref
    for prefecture in ctx.prefectures:
        place = gz.municipality(name, prefecture)
        if place is not None:
            return place
    # The case's own wards before the rest of Japan: 北区 in an 大阪市 case is not Tokyo's.
    return _ward_in_context(name, ctx) or gz.municipality(name)


def _place_prefix(name: str, ctx: _Context) -> tuple[Place, str] | None:
    """The place a name starts with (志木市生涯学習課 → 志木市, 生涯学習課)."""
    gz = gazetteer()
    found: tuple[Place, int] | None = None
    for prefecture in ctx.prefectures:
        found = gz.match_at(name, prefecture)
        if found is not None:
            break
    if found is None:
        for end in range(min(len(name), 6), 1, -1):  # 港北区社会福祉協議会 in a 横浜市 case
            if name[end - 1] in "区":
                ward = _ward_in_context(name[:end], ctx)
                if ward is not None:
                    return ward, name[end:]
        found = gz.match_at(name)
    if found is None:
        return None
    place, length = found
    rest = name[length:]
    # 中野町内会 is not 中野町 + 内会
    if not rest.startswith("内") or rest.startswith(("内の", "内農")) or len(rest) <= 1:
        return place, rest
    return None


def _office_place(name: str, ctx: _Context) -> Place | None:
    """豊島区役所, 匝瑳市役所 → the government itself."""
    for office in load_rules().offices:
        if name.endswith(office) and len(name) > len(office):
            place = _resolve_place(name[: -len(office)], ctx)
            if place is None and office[0] in _KIND_CHARS:
                place = _resolve_place(name[: -len(office) + 1], ctx)
            if place is not None:
                return place
    return None


# ---------------------------------------------------------------------------------------------
# Typing


@lru_cache(maxsize=1 << 16)  # pure in name; names repeat across cases
def generic_match(name: str) -> str | None:
    """The category when ``name`` is a kind of body, not one body (民生委員, 地域の企業)."""
    rules = load_rules()
    name = _strip_noise(name)
    if name in rules.generic_terms:
        return rules.generic_terms[name]
    for term in rules.generic_terms_by_length:
        if name.endswith(term) and len(name) > len(term):
            prefix = name[: -len(term)]
            if prefix in rules.modifiers or prefix.endswith(("の", "内", "内の")):
                return rules.generic_terms[term]
            if term in rules.head_nouns and _KANJI_WORD.fullmatch(prefix):
                # 外国人支援団体, 協力企業: a common noun before 団体 / 企業, not a proper name
                if gazetteer().match_prefix(prefix) is None:
                    return rules.generic_terms[term]
            break
    for modifier in rules.modifiers_by_length:  # 地域の自治会, 県内の市町村社会福祉協議会
        rest = name[len(modifier) :]
        rule = _suffix_rule(rest) if name.startswith(modifier) and len(rest) >= 2 else None
        if rule is not None and gazetteer().match_prefix(name) is None:  # 各務原市… is a place
            return rule[1]
    return None


@lru_cache(maxsize=1 << 16)  # pure in name; names repeat across cases
def _suffix_rule(name: str, strong: bool | None = None) -> tuple[str, str, bool] | None:
    for rule in load_rules().suffixes:
        suffix, _, is_strong = rule
        if name.endswith(suffix) and len(name) > len(suffix):
            if strong is None or is_strong == strong:
                return rule
    return None


@lru_cache(maxsize=1 << 16)
def _is_non_body(name: str) -> bool:
    return any(name.endswith(word) for word in load_rules().non_bodies)


def _is_self(name: str, ctx: _Context) -> bool:
    rules = load_rules()
    bare = strip_legal_form(name)[0]
    return name in rules.self_words or key(bare) in ctx.self_keys


def categorise(
    name: str, legal: str | None = None, desc: str | None = None, hint: str | None = None
) -> str:
    """The partner category of a (canonical) name, from the rules."""
    rules = load_rules()
    known = rules.known.get(key(name))
    if known:
        return known[1]
    generic = generic_match(name)
    if generic:
        return generic
    strong = _suffix_rule(name, strong=True)
    if strong:
        return strong[1]
    prefixed = _name_prefix(name)
    if prefixed:
        return prefixed
    if legal:
        return dict(rules.legal_forms)[legal]
    weak = _suffix_rule(name, strong=False)
    if weak:
        return weak[1]
    for text in (desc, name):
        for word, category in rules.keywords:
            if text and word in text:
                return category
    return hint or DEFAULT_CATEGORY


def _strength(name: str, ctx: _Context) -> str | None:
    """How surely a fragment names a body: known, legal, place, strong, generic, weak or None."""
    rules = load_rules()
    if not name or _is_self(name, ctx):
        return None
    bare, legal = strip_legal_form(name)
    bare = _expand_abbreviation(bare)
    if key(bare) in rules.known or key(bare) in rules.aliases:
        return "known"
    if legal:
        return "legal" if len(bare) >= 2 else None  # NPO法人こ|もれび: a particle cut the name
    if _resolve_place(bare, ctx) is not None:
        return "place"
    if _is_non_body(bare):
        return None
    if _office_place(bare, ctx) is not None:
        return "strong"
    if generic_match(bare):
        return "generic"
    if bare in rules.place_bound or (bare[:1] in _KIND_CHARS and bare[1:] in rules.place_bound):
        return "strong"  # 社会福祉協議会, 区社会福祉協議会: completed from the case
    if _suffix_rule(bare, strong=True):
        return "strong"
    if _name_prefix(bare):
        return "strong"
    if _suffix_rule(bare, strong=False):
        return "weak"
    return None


# What may follow a shop word without making a shop's name (カフェスペース, 喫茶店主).
_NOT_A_NAME = re.compile(
    r"^(?:店|屋|スペース|コーナー|スタッフ|オーナー|経営|運営|営業|利用|巡り|形式|風|的)"
    r"|(?:者|主|長|員|さん|様|たち|等|など)$"
)


@lru_cache(maxsize=1 << 16)
def _name_prefix(name: str) -> str | None:
    """The category of ``name`` when it is a shop or brand word and then a proper name.

    ハローワーク小倉, JAあいち, and shop words written before the shop's own name (ベーカリー
    ガワセハウス, 喫茶 白樺, 薬局 サリュファーム), from ``name_prefixes`` in the rules.
    """
    for prefix, category in load_rules().name_prefixes:
        rest = name[len(prefix) :]
        if not name.startswith(prefix) or len(rest) < 2 or _NOT_A_NAME.search(rest):
            continue
        if rest[0] in _STOP or _is_prose(rest) or generic_match(rest) or _is_non_body(rest):
            continue
        rules = load_rules()
        kinds = (rules.generic_terms, dict(rules.keywords), dict(rules.name_prefixes))
        if any(rest in words for words in kinds):
            continue  # カフェバー, カフェ食堂: kinds of shop, no name
        return category
    return None


def _expand_abbreviation(name: str) -> str:
    for short, full in load_rules().abbreviations:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


# ---------------------------------------------------------------------------------------------
# Candidates: fragments of text that name a body


@dataclass
class _Cand:
    mention: str
    role: str | None = None
    paren: str | None = None
    desc: str | None = None
    hint: str | None = None
    inherit: Place | None = None  # place of the previous department in the same list
    head_place: Place | None = None  # the place a ``place：description`` line is about


def _nounish(text: str) -> bool:
    return 1 < len(text) <= 40 and not _is_prose(text) and not re.fullmatch(r"[\d\W]+", text)


def _list_cands(text: str, role: str | None, ctx: _Context, hint: str | None = None) -> list[_Cand]:
    """Every item of a list line (志木第三小学校、行屋稲荷講、…)."""
    out: list[_Cand] = []
    inherit: Place | None = None
    for raw in _distribute(_split_top(text, "、・/,"), ctx):
        if raw.startswith(("等", "など", "ほか")):
            continue  # 等 7 か所程度
        name, paren = _split_paren(_ENUMERATOR.sub("", raw))
        name = _TRAILING_ETC.sub("", _TRAILING_COUNT.sub("", name)).strip().strip("「」『』\"")
        if _COUNT.match(name):
            continue  # 計12団体
        name = _strip_noise(name)
        if paren and _COUNT.match(paren):
            paren = None  # 子ども食堂(5団体): a count, not a role
        if not _nounish(name) or _is_self(name, ctx):
            continue
        if _is_non_body(name) and _strength(name, ctx) not in {"known", "legal"}:
            continue
        item_role = role
        if paren and not _strength(paren, ctx) and paren[-1] not in "会団":
            item_role = paren if role is None else role
            paren = None
        cand = _Cand(name, item_role, paren=paren, hint=hint, inherit=inherit)
        out.append(cand)
        prefix = _place_prefix(name, ctx)
        if prefix is not None and (not prefix[1] or _is_department(prefix[1])):
            inherit = prefix[0]
        elif _resolve_place(name, ctx) is not None:
            inherit = _resolve_place(name, ctx)
        elif not _is_department(name):
            inherit = None
    return out


def _distribute(items: list[str], ctx: _Context) -> list[str]:
    """水戸市及びひたちなか市の社会福祉協議会 → one item per place."""
    out: list[str] = []
    for item in items:
        m = _SHARED_NOUN.match(item)
        places = [m.group(1), m.group(2)] if m else []
        each = _EACH_NOUN.match(item)
        if m and all(_resolve_place(p, ctx) is not None for p in places):
            out.extend(place + m.group(3) for place in places)
        elif each and _resolve_place(each.group(1), ctx) is not None:
            # 志木市、朝霞市の各社会福祉協議会: the places before share the noun too
            run = len(out)
            while run > 0 and _resolve_place(out[run - 1], ctx) is not None:
                run -= 1
            out[run:] = [place + each.group(2) for place in [*out[run:], each.group(1)]]
        else:
            out.append(item)
    return out


def _left_name(head: str) -> tuple[str, int]:
    """The name that ends ``head``: back to the nearest particle, punctuation or verb ending."""
    words = load_rules().name_words
    start = len(head)
    while start > 0:
        ch = head[start - 1]
        if ch in _STOP and not any(ch in w and _covers(head, start - 1, w) for w in words):
            break
        # 居場所を提供している志木市社協: a name starts after the verb that qualifies it
        if start < len(head) and head[:start].endswith(_VERB_ENDINGS):
            break
        start -= 1
    # みやま市, ときがわ町: a place name that holds a particle is read whole
    for begin in range(max(0, start - 4), start):
        match = gazetteer().match_at(head[begin:])
        if match is not None and match[1] > start - begin and not _covered_stop(head, begin, start):
            return head[begin:], begin
    return head[start:], start


def _covered_stop(head: str, begin: int, start: int) -> bool:
    """Whether punctuation (not a kana particle) lies between ``begin`` and ``start``."""
    return any(not ("\u3040" <= ch <= "\u309f") for ch in head[begin:start] if ch in _STOP)


def _covers(text: str, pos: int, word: str) -> bool:
    """Whether an occurrence of ``word`` in ``text`` covers position ``pos``."""
    for offset in range(len(word)):
        begin = pos - offset
        if begin >= 0 and text[begin : begin + len(word)] == word:
            return True
    return False


def _scan_item(item: str, ctx: _Context, mode: str) -> list[tuple[str, bool]]:
    """The bodies named in a prose fragment: (name, stands-as-a-list-item).

    ``mode`` is ``prose`` (a sentence of the cell), ``desc`` (the description of an
    ``A：description`` line: it mostly describes A) or ``label`` (the text after a category
    label such as ``寺社：`` or ``連携先：``, which names the bodies themselves).
    """
    rules = load_rules()
    ends = [len(item)] + [
        e for e in range(1, len(item))
        if item[e:].startswith(_TAILS_STRONG) or item[e:].startswith(rules.head_titles)
    ]
    whole = _TRAILING_ETC.sub("", _TRAILING_COUNT.sub("", item))
    if (
        not _is_prose(item)
        and not _ACTION.search(whole)
        and not any(ending in whole for ending in _VERB_ENDINGS)  # 蓮田にある薬局 describes
        and _strength(whole, ctx) in {"known", "legal", "strong"}
    ):
        return [(whole, True)]  # フードバンクふじのくに: the whole fragment is one name
    found: list[tuple[str, bool]] = []
    floor = last_start = -1  # a later name starts after the previous one
    for end in sorted(set(ends)):
        tail = item[end:]
        name, start = _left_name(item[:end])
        if mode == "label" and 0 < start and _COLLAB.match(tail) and not _is_prose(item[:end]):
            if not _covered_stop(item, 0, start):  # ネットワーク：えがお居場所ネットワークと連携し
                name, start = item[:end], 0
        if start < floor and not (found and start == last_start and _extends(name, ctx)):
            continue
        name = _strip_noise(name)
        strength = _strength(name, ctx)
        # a list item: the fragment starts with it, or a list connector (や, 及び) precedes it
        led = start == 0 or item[:start].endswith(("や", "及び", "および", "並びに"))
        clean = led and (not tail or tail.startswith(_TAILS_LOOSE))
        collab = clean and bool(_COLLAB.match(tail))  # Bと連携し: B is a body
        ok = False
        if strength in {"known", "legal", "strong"}:
            ok = not tail or tail.startswith(_TAILS_STRONG)
        elif strength == "place" and (mode != "desc" or collab):
            ok = tail.startswith(rules.head_titles) or clean
        elif strength in {"generic", "weak"}:
            ok = clean and (mode != "desc" or collab)
        elif strength is None and mode == "label" and collab and start == 0:
            ok = _plain_name(name, ctx)  # NPO：ナゼワロベースと連携し
        if ok:
            if found and start == last_start:
                found.pop()  # ホチエリュの会, not ホチエリュ
            found.append((name, clean))
            floor, last_start = end, start
    return found


def _extends(name: str, ctx: _Context) -> bool:
    """ホチエリュの会 after ホチエリュ: the longer name ends in a body suffix of its own."""
    bare = strip_legal_form(name)[0]
    return _suffix_rule(bare) is not None and _strength(name, ctx) is not None


def _plain_name(name: str, ctx: _Context) -> bool:
    """A short noun that can be a body's own name (it has no body suffix to show it)."""
    if any(ch in _STOP for ch in name) or not _nounish(name) or len(name) > 25:
        return False
    rules = load_rules()
    if "の" in name or generic_match(name) or name in rules.generic_terms:
        return False  # 地域の方々
    if name in rules.leading_noise or name.startswith(rules.list_intros):
        return False  # また、…
    return not _is_non_body(name) and not _is_self(name, ctx)


def _prose_cands(
    sentence: str, role: str | None, ctx: _Context, mode: str, hint: str | None = None
) -> list[_Cand]:
    """Bodies named inside a sentence."""
    out: list[_Cand] = []
    text = sentence
    if mode != "desc":
        for m in _QUOTE.finditer(sentence):
            name = m.group(1).strip()
            after = sentence[m.end() :]
            if (after == "" or after.startswith(_QUOTE_TAIL)) and _nounish(name):
                if not _is_self(name, ctx) and not _is_non_body(name):
                    out.append(_Cand(name, role, hint=hint))
        text = _QUOTE.sub(_PLACEHOLDER, sentence)
    items = _split_top(text, "、・/,")
    scans = [_scan_item(item, ctx, mode) for item in items]
    found = [hits[-1] if hits else None for hits in scans]
    for i, hits in enumerate(scans):
        if not hits and mode != "desc":
            neighbour = _list_neighbour(items, found, i, ctx)
            hits = [neighbour] if neighbour else []
        out.extend(_Cand(name, role, hint=hint) for name, _ in hits)
    return out


def _list_neighbour(
    items: list[str], found: list[tuple[str, bool] | None], i: int, ctx: _Context
) -> tuple[str, bool] | None:
    """A plain noun between two list items that are bodies is a body too (…・ガールスカウト・…)."""
    left = found[i - 1] if i > 0 else None
    right = found[i + 1] if i + 1 < len(items) else None
    item = items[i]
    m = re.match(r"^(.+?)(?:等|など|ほか)(?:と|が|の|に|を|で|も|、|$)", item)
    name = m.group(1) if m else item
    closes = m is not None and (i == len(items) - 1 or bool(_COLLAB.match(item[len(name) :])))
    if not ((right and right[1]) or closes):
        return None
    if not (left and left[1]):
        # the first item of a list whose next item is a body: ゼハプテラス・城町町内会等と
        return (name, True) if i == 0 and right and right[1] and _plain_name(name, ctx) else None
    # kana inside a list item are part of the name (えがお居場所ネットワーク), punctuation is not
    if _covered_stop(name, 0, len(name)) or not _nounish(name) or len(name) > 25:
        return None
    if _is_non_body(name) or _is_self(name, ctx):
        return None
    return name, True


def _line_cands(line: str, ctx: _Context) -> list[_Cand]:
    """Candidates of one line of the partner cell."""
    out: list[_Cand] = []
    parts = _BRACKET_ROLE.split(line)
    segments = [(None, parts[0])] + [
        (parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)
    ]
    for role, segment in segments:
        for sentence in _split_top(segment, "。"):
            out.extend(_sentence_cands(sentence, role, ctx))
    return out


def _sentence_cands(
    sentence: str, role: str | None, ctx: _Context, prose_mode: str = "prose"
) -> list[_Cand]:
    rules = load_rules()
    if _announces_list(sentence):
        # 以下の団体・店舗の協力を受けた: the bodies are in the list that follows (or after ：)
        rest = sentence.split(":", 1)[1] if ":" in sentence else ""
        return _sentence_cands(rest, role, ctx, "label") if rest.strip() else []
    m = _HEAD.match(sentence)
    if m and _nounish(_without_parens(m.group(1))):
        head, desc = m.group(1).strip(), m.group(2).strip().rstrip("。")
        head_bare = _split_paren(head)[0]
        if _COUNT.match(desc) or head_bare.endswith(("数", "件数")):
            return []  # 連携団体数：15団体
        hint = generic_match(head_bare)
        # 蓮田にある薬局: a noun phrase describing the head, not a sentence of what it did
        described = not _is_prose(desc) and any(ending in desc for ending in _VERB_ENDINGS)
        kind = hint or _expand_abbreviation(head_bare) in rules.place_bound  # 社協：…
        is_role = head_bare in rules.role_labels or (
            _strength(head_bare, ctx) is None and not described and _lists_bodies(desc, ctx)
        )  # 後援：横浜市、川崎市 / 情報共有：豊島区社協、北区社協
        if head_bare.endswith(rules.head_labels) or is_role:  # 連携先：A、B
            return _sentence_cands(desc, head_bare if is_role else role, ctx, "label")
        if kind and not described:  # 行政：横浜市、川崎市 / 寺社：宝幢寺と連携し
            if _is_prose(desc):
                inner = _prose_cands(desc, role, ctx, "label", hint=hint)
                if inner and not desc.startswith(inner[0].mention):
                    inner = []  # 小学校：…小学校からの連絡をきっかけに、…: the head is the body
            else:
                inner = _list_cands(desc, role, ctx, hint=hint)
            if inner:
                return inner
            # else a kind of body with what it did: 民生委員：見守りに協力いただいた
        cands = [
            replace(c, role=c.role if c.role != role else desc, desc=desc)
            for c in _list_cands(head, role, ctx)
        ]
        place = _resolve_place(head_bare, ctx)
        inner = [replace(c, head_place=place) for c in _prose_cands(desc, None, ctx, "desc")]
        return cands + inner
    if _is_prose(sentence):
        return _prose_cands(sentence, role, ctx, prose_mode)
    return _list_cands(sentence, role, ctx)


def _announces_list(sentence: str) -> bool:
    """以下の団体と連携した, 主な連携先は以下の通り: a sentence that announces a list."""
    for intro in load_rules().list_intros:
        if sentence.startswith(intro) or (intro.endswith(("通り", "とおり")) and intro in sentence):
            return True
    return False


def _lists_bodies(text: str, ctx: _Context) -> bool:
    """Whether ``text`` is a list whose items all name bodies (not one place: that is where)."""
    if _is_prose(text):
        return False
    items = [_split_paren(i)[0] for i in _split_top(text, "、・/,")]
    strengths = [_strength(_TRAILING_ETC.sub("", i), ctx) for i in items]
    if not items or not all(strengths) or strengths == ["place"]:
        return False
    return True


def _scene_cands(scenes_text: str, ctx: _Context) -> list[_Cand]:
    """Bodies under 【会場】 / 【連携】 in section (3)."""
    out: list[_Cand] = []
    labels = load_rules().scene_labels
    for line in scenes_text.split("\n"):
        m = _SCENE_LINE.match(line.strip())
        if m and m.group(1).strip() in labels:
            out.extend(_list_cands(m.group(2), m.group(1).strip(), ctx))
    return out


# ---------------------------------------------------------------------------------------------
# From candidates to partner bodies


@dataclass
class _Body:
    mention: str
    canonical: str
    category: str
    municipality: str | None
    generic: bool
    role: str | None
    place: Place | None = None  # the body is this local government
    parent: Place | None = None  # the body is a department or office of this government
    extra: dict[str, Any] = field(default_factory=dict)

    def public(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in PARTNER_KEYS}


def _context_place(cand: _Cand, ctx: _Context, kind_char: str | None) -> Place | None:
    """The government a place-less name (社会福祉協議会, 健康政策課) belongs to, from the case."""
    candidates = [p for p in (cand.head_place, cand.inherit) if p is not None]
    if kind_char:
        pool = candidates + ctx.region + ctx.places
        found = [p for p in pool if p.name.endswith(kind_char)]
        return found[0] if found else None
    if candidates:
        return candidates[0]
    if len(ctx.region) == 1:
        return ctx.region[0]
    if not ctx.region and len(ctx.prefectures) == 1 and not ctx.places:
        return gazetteer().prefecture(ctx.prefectures[0])
    return None


def _municipality_of(place: Place | None) -> str | None:
    return place.name if place is not None and place.kind != "prefecture" else None


def _build(cand: _Cand, ctx: _Context) -> _Body | None:
    rules = load_rules()
    mention = squash(cand.mention)
    bare, legal = strip_legal_form(mention)
    bare = _expand_abbreviation(bare)
    canonical = rules.aliases.get(key(bare), bare)
    generic = generic_match(canonical) is not None
    place = _resolve_place(canonical, ctx)
    parent: Place | None = None
    located: Place | None = None
    if place is not None:
        canonical, located = place.name, place
    else:
        prefix = _place_prefix(canonical, ctx)
        lead = _KIND_LEAD.match(canonical)
        kind_char, body = None, canonical
        if prefix is None and lead and (_bound(lead.group(2)) or lead.group(2) in rules.offices):
            kind_char, body = lead.group(1), lead.group(2)  # 区社会福祉協議会, 市の子育て支援課
        in_list = (cand.inherit or cand.head_place) is not None
        needs_place = prefix is None and (
            kind_char is not None
            or (not generic and (_bound(body) or (in_list and _is_department(body))))
        )
        if prefix is not None:
            located = prefix[0]
            if prefix[1].startswith("の") and not generic:  # さいたま市の子育て支援課
                canonical = located.name + prefix[1][1:]
            elif located.kind == "ward" and not canonical.startswith(located.name):
                canonical = located.name + prefix[1]  # 北区社協 in an 大阪市北区 case
        elif needs_place:
            found = _context_place(cand, ctx, kind_char)
            if found is None:
                generic = True  # which body is meant is unknown: never merge it across cases
            else:
                canonical, located, generic = found.name + body, found, False
        office = _office_place(canonical, ctx)
        if office is not None:
            place, located = office, office
    category = "行政" if place is not None else categorise(canonical, legal, cand.desc, cand.hint)
    if place is None and located is not None and category == "行政":
        parent = located
    municipality = _municipality_of(located)
    if municipality is None and not generic:
        municipality = _described_municipality(cand, ctx, category)
    return _Body(
        mention=_strip_noise(mention), canonical=canonical, category=category,
        municipality=municipality, generic=generic, role=cand.role, place=place, parent=parent,
    )


def _described_municipality(cand: _Cand, ctx: _Context, category: str) -> str | None:
    """Where the text says the body is: its own description, or the case's one municipality."""
    for text in (cand.paren, cand.desc):
        if text:
            prefix = _place_prefix(text, ctx)
            if prefix is not None:
                return _municipality_of(prefix[0])
    if category in load_rules().local_categories and len(ctx.region) == 1:
        return ctx.region[0].name
    return None


def _split_before_legal_forms(raw: str) -> str:
    """``…協議会 株式会社ミヤケン`` → ``…協議会、株式会社ミヤケン``.

    A layout space cannot be told from a list separator, except before a legal form that
    follows a complete body name.
    """
    forms = tuple(form for form, _ in load_rules().legal_forms)
    # "・ " glued to a word is a layout space inside a list, not a bullet (会場提供・ 情報共有)
    text = re.sub(r"(?<=[^\s>。])・\s+", "・", nfkc(raw))
    text = re.sub(r"【[^】]*】", lambda m: re.sub(r"\s+", "", m.group(0)), text)
    parts = re.split(r"( +)", text)
    for i in range(1, len(parts) - 1, 2):
        left = re.split(r"[、・,\s>】。]", parts[i - 1])[-1]
        if parts[i + 1].startswith(forms) and _suffix_rule(left) is not None:
            parts[i] = "、"
    return "".join(parts)


_ENUM_INLINE = re.compile(r"\((\d{1,2})\)|(?<![\d.,])(\d{1,2})[.)](?![\d.])")


def _split_enumerations(text: str) -> str:
    """``1. A 2. B`` or ``(1)A(2)B`` on one line → one item per line.

    Only a run numbered 1, 2, 3 … from the start counts, so a stray ``(3)`` or ``2.`` stays.
    """
    marks = list(_ENUM_INLINE.finditer(text))
    numbers = [int(m.group(1) or m.group(2)) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return text
    out, last = [], 0
    for m in marks:
        out += [text[last : m.start()], "\n"]
        last = m.end()
    return "".join([*out, text[last:]])


def _bodies(record: dict[str, Any]) -> list[_Body]:
    ctx = _context(record)
    cands: list[_Cand] = []
    raw = _split_enumerations(_split_before_legal_forms(record.get("partners_text") or ""))
    for line in prose_lines(raw):
        cands.extend(_line_cands(line, ctx))
    if record.get("scenes_text"):
        cands.extend(_scene_cands(record["scenes_text"], ctx))
    bodies: list[_Body] = []
    seen: dict[tuple[str, bool], _Body] = {}
    for cand in cands:
        body = _build(cand, ctx)
        if body is None or key(body.canonical) in ctx.self_keys:
            continue
        ident = (key(body.place.code if body.place else body.canonical), body.generic)
        if ident in seen:
            if seen[ident].role is None:
                seen[ident].role = body.role
            continue
        seen[ident] = body
        bodies.append(body)
    return bodies


def extract_partners(record: dict[str, Any], rules: Any = None) -> list[dict[str, Any]]:
    """The partner bodies of one case, each {mention, canonical, category, municipality,
    generic, role}."""
    return [body.public() for body in _bodies(record)]


# ---------------------------------------------------------------------------------------------
# Corpus-wide resolution


def resolution_key(canonical: str, category: str, municipality: str | None) -> str:
    """The key under which the same real body meets across cases."""
    name = key(canonical)
    if category in load_rules().local_categories and municipality and not name.startswith(
        municipality
    ):
        return municipality + name  # 城町内会 exists in many towns
    return name


def _org_index(records: list[dict[str, Any]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for rec in records:
        org = rec.get("org_name")
        if not org:
            continue
        for name in [org, *(rec.get("org_aliases") or [])]:
            index.setdefault(key(strip_legal_form(name)[0]), org)
    return index


def resolve_partners(records: list[dict[str, Any]]) -> None:
    """Set ``partners`` on every record, each partner with its ``ref`` and ``parent`` (in place)."""
    orgs = _org_index(records)
    # Extraction is per case; only the organisation index spans the corpus.
    found = fork_map(partial(_resolve_case, orgs=orgs), records)
    for rec, partners in zip(records, found, strict=True):
        rec["partners"] = partners


def _resolve_case(rec: dict[str, Any], orgs: dict[str, str]) -> list[dict[str, Any]]:
    """The partners of one case, each with its ``ref`` and ``parent``."""
    partners = []
    for body in _bodies(rec):
        item = body.public()
        org = orgs.get(key(body.canonical))
        if body.place is not None:
            ref = f"place:{body.place.code}"
        elif org is not None and org != rec.get("org_name"):
            ref = f"org:{org}"
        elif body.generic:
            ref = f"body:{rec.get('case_id')}/{key(body.canonical)}"
        else:
            ref = "body:" + resolution_key(body.canonical, body.category, body.municipality)
        item["ref"] = ref
        item["parent"] = f"place:{body.parent.code}" if body.parent is not None else None
        partners.append(item)
    return partners


@dataclass(frozen=True)
class PartnerBody:
    """A resolved partner body and the organisations that name it, with their roles."""

    ref: str
    label: str
    category: str
    generic: bool
    orgs: dict[str, tuple[str, ...]]  # organisation → roles, in record order


def partner_bodies(records: list[dict[str, Any]]) -> list[PartnerBody]:
    """Every body named as a partner, most organisations first, then by label."""
    if any("partners" not in rec for rec in records):
        resolve_partners(records)
    gz = gazetteer()
    found: dict[str, tuple[dict[str, Any], dict[str, set[str]]]] = {}
    for rec in records:
        for partner in rec["partners"]:
            _, orgs = found.setdefault(partner["ref"], (partner, {}))
            roles = orgs.setdefault(rec["org_name"], set())
            if partner["role"]:
                roles.add(partner["role"])
    bodies = []
    for ref, (first, orgs) in found.items():
        if ref.startswith("place:"):
            label = gz.by_code[ref[6:]].name
        elif ref.startswith("org:"):
            label = ref[4:]
        else:
            label = first["canonical"]
        roles_of = {org: tuple(sorted(roles)) for org, roles in orgs.items()}
        bodies.append(PartnerBody(ref, label, first["category"], first["generic"], roles_of))
    return sorted(bodies, key=lambda body: (-len(body.orgs), body.label, body.ref))


def shared_partners(records: list[dict[str, Any]]) -> list[tuple[str, str, list[str]]]:
    """Bodies linked to two or more organisations: (ref, label, org names), most shared first."""
    return [
        (body.ref, body.label, list(body.orgs))
        for body in partner_bodies(records)
        if not body.generic and len(body.orgs) >= 2
    ]
