"""The case around a cell: its places, the wards of designated cities, self-references."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, wraps
from typing import Any, TypeVar

from graph.partners.analyse import tokens
from graph.partners.categorise import (
    bound,
    expand_abbreviation,
    expand_short_kind,
    generic_match,
    is_department,
    is_non_body,
    name_prefix,
    office_parent,
    strip_legal_form,
    suffix_rule,
)
from graph.partners.grammar import KIND_CHARS
from graph.partners.rules import Rules
from graph.text.normalize import key
from graph.text.places import Place


@dataclass
class Context:
    rules: Rules
    case_id: str
    prefectures: list[str]
    region: list[Place]  # municipalities of 取組地域
    places: list[Place]  # region and address municipalities
    self_keys: set[str]
    memo: dict[tuple[str, str], Any] = field(default_factory=dict)  # answers, by (what, name)


def _memo(func: Callable[[str, Context], T]) -> Callable[[str, Context], T]:
    """Remember ``func(name, ctx)`` per case: the same fragments are asked about many times."""
    what = func.__name__

    @wraps(func)
    def remembered(name: str, ctx: Context) -> T:
        found = ctx.memo.get((what, name), _UNSET)
        if found is _UNSET:
            found = ctx.memo[(what, name)] = func(name, ctx)
        return found  # type: ignore[no-any-return]

    return remembered


_UNSET = object()
T = TypeVar("T")


def context(rules: Rules, record: dict[str, Any]) -> Context:
    gz = rules.places
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
            self_keys.add(key(strip_legal_form(rules, name)[0]))
    return Context(rules, record.get("case_id") or "", prefs, region, places, self_keys)


def _ward_in_context(name: str, ctx: Context) -> Place | None:
    """A ward the case means by a bare ward name: 北区 in a 大阪市北区 or 横浜市 case."""
    rules = ctx.rules
    gz = rules.places
    for place in ctx.places:  # 港北区 in a case based in 横浜市港北区
        if place.kind == "ward" and place.name.endswith(name):
            return place
    for place in ctx.places:  # a ward of a designated city of the case
        found = gz.municipality((place.city or place.name) + name, place.prefecture)
        if found is not None and found.kind == "ward":
            return found
    return None


@_memo
def resolve_place(name: str, ctx: Context) -> Place | None:
    """The prefecture or municipality exactly named, using the case's places to disambiguate."""
    rules = ctx.rules
    gz = rules.places
    if len(name) < 2 or name[-1] not in KIND_CHARS:
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


@_memo
def place_prefix(name: str, ctx: Context) -> tuple[Place, str] | None:
    """The place a name starts with (志木市生涯学習課 → 志木市, 生涯学習課)."""
    rules = ctx.rules
    gz = rules.places
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
    # 中野町内会 is not 中野町 + 内会 (but 神奈川県内民間ホテル is the prefecture + 内: a scope)
    if not rest.startswith("内会"):
        return place, rest
    return None


def office_place(name: str, ctx: Context) -> Place | None:
    """豊島区役所, 匝瑳市役所 → the government itself."""
    rules = ctx.rules
    for office in rules.offices:
        if name.endswith(office) and len(name) > len(office):
            place = resolve_place(name[: -len(office)], ctx)
            if place is None and office[0] in KIND_CHARS:
                place = resolve_place(name[: -len(office) + 1], ctx)
            if place is not None:
                return place
    return None


def is_self(name: str, ctx: Context) -> bool:
    rules = ctx.rules
    bare = strip_legal_form(rules, name)[0]
    return name in rules.self_words or key(bare) in ctx.self_keys


@_memo
def strength(name: str, ctx: Context) -> str | None:
    """How surely a fragment names a body: known, legal, place, strong, generic, weak or None."""
    rules = ctx.rules
    if not name or is_self(name, ctx):
        return None
    bare, legal = strip_legal_form(rules, name)
    bare = expand_short_kind(rules, expand_abbreviation(rules, bare))  # 活水女子大
    if key(bare) in rules.known or key(bare) in rules.aliases:
        return "known"
    if legal:
        return "legal" if len(bare) >= 2 else None  # NPO法人こ|もれび: a particle cut the name
    if resolve_place(bare, ctx) is not None:
        return "place"
    if is_non_body(rules, bare) and not _body_over_event(rules, bare):
        return None
    if office_place(bare, ctx) is not None:
        return "strong"
    if generic_match(rules, bare):
        return "generic"
    if bare in rules.place_bound or (bare[:1] in KIND_CHARS and bare[1:] in rules.place_bound):
        return "strong"  # 社会福祉協議会, 区社会福祉協議会: completed from the case
    if suffix_rule(rules, bare, strong=True):
        return "strong"
    if name_prefix(rules, bare):
        return "strong"
    if office_parent(rules, bare):
        return "strong"  # 北海道教育大学札幌校: an office or campus of a body
    if suffix_rule(rules, bare, strong=False):
        return None if _meeting(bare) else "weak"
    return None


def _meeting(name: str) -> bool:
    """連絡会, 検討会, 推進会: one activity noun and 会, nothing that names it, is a meeting (a
    body has a name before its 連絡会: 〇〇子ども支援連絡会)."""
    if len(name) > 4 or not name.endswith("会") or len(name) < 3:
        return False  # (asked first: most names are longer)
    toks = tokens(name[:-1])
    return len(toks) == 1 and toks[0].detail == "サ変可能"


def _body_over_event(rules: Rules, name: str) -> bool:
    """地域見守りネットワーク会議 is a body though 会議 is a meeting: a longer body suffix wins."""
    rule = suffix_rule(rules, name, strong=True)
    event = max((w for w in rules.non_bodies if name.endswith(w)), key=len, default="")
    return rule is not None and len(rule[0]) > len(event)


def context_place(near: list[Place | None], ctx: Context, kind_char: str | None) -> Place | None:
    """The government a place-less name (社会福祉協議会, 健康政策課) belongs to, from the case.

    ``near`` are the places the text gives next to the name (a ``place：`` head, the previous
    department of the list), nearest first.
    """
    rules = ctx.rules
    candidates = [p for p in near if p is not None]
    if kind_char:
        pool = candidates + ctx.region + ctx.places
        found = [p for p in pool if p.name.endswith(kind_char)]
        if not found and kind_char in "都道府県" and len(ctx.prefectures) == 1:
            return rules.places.prefecture(ctx.prefectures[0])  # 県の子ども政策課
        return found[0] if found else None
    if candidates:
        return candidates[0]
    if len(ctx.region) == 1:
        return ctx.region[0]
    if not ctx.region and len(ctx.prefectures) == 1 and not ctx.places:
        return rules.places.prefecture(ctx.prefectures[0])
    return None


# 同区役所, 当町の商工会, 本市: the case's own ward, town or city
# (本町, 本村 are place names: 本 is shorthand with 市 only)
_SHORTHAND = re.compile(r"^(?:(?:同|当|我が)([区市町村])|本(市))(?:の)?(.*)$")


def shorthand(name: str, ctx: Context) -> str:
    """``同区役所福祉課`` in a 名古屋市昭和区 case → ``名古屋市昭和区役所福祉課``;
    ``当町の商工会`` → ``藤里町商工会``. Unchanged when the case has no place of that kind."""
    m = _SHORTHAND.match(name)
    if m is None:
        return name
    kind, rest = m.group(1) or m.group(2), m.group(3)
    of = name[len(name) - len(rest) - 1 : len(name) - len(rest)] == "の"
    if of and len(rest) >= 4 and suffix_rule(ctx.rules, rest, strong=True) is not None and \
            not bound(ctx.rules, rest) and not is_department(ctx.rules, rest) and \
            not rest.endswith(ctx.rules.offices) and place_prefix(rest, ctx) is None and \
            generic_match(ctx.rules, rest) is None:  # (当区の民生委員・児童委員協議会: a kind)
        return rest  # 当区の金岡校区自治連合協議会: a body with a name of its own, no scope
    for place in ctx.region + ctx.places:
        if kind == "区" and place.kind == "ward":
            return place.name + rest
        city = place.city or place.name
        if kind != "区" and city.endswith(kind):
            return city + rest
    return name


_FOUNDED = re.compile(r"^([都道府県市区町村])立(.{2,})$")


def founded_by(name: str, ctx: Context) -> str:
    """``市立中原図書館`` in a 川崎市中原区 case → ``川崎市立中原図書館``, ``県立八日市高校`` →
    ``滋賀県立八日市高校``: a body founded by "the" city, prefecture, ward or town is the case's
    one. A bare kind (市立小学校, 県立高校) stays: which one is meant is unknown."""
    m = _FOUNDED.match(name)
    if m is None or generic_match(ctx.rules, m.group(2)) is not None:
        return name
    kind = m.group(1)
    if kind in "都道府県":
        if len(ctx.prefectures) == 1 and ctx.prefectures[0].endswith(kind):
            return ctx.prefectures[0] + name[1:]
        return name
    for place in ctx.region + ctx.places:
        if kind == "区" and place.name.endswith("区") and place.kind != "ward":  # Tokyo's
            return place.name + name[1:]
        city = place.city or place.name
        if kind != "区" and city.endswith(kind):
            return city + name[1:]
    return name


def ward_stem_body(name: str, ctx: Context) -> str:
    """``北保健センター`` in a 堺市北区 case → ``堺市北保健センター``: a government facility named
    with the case's ward without its 区 is the city's facility for that ward. Stations
    (警察署, 消防署) are named otherwise (北堺警察署) and stay."""
    own = home(ctx)
    if own is None or own.kind != "ward" or not own.city:
        return name
    stem = own.name[len(own.city) : -1]
    rest = name[len(stem) :]
    if not stem or not name.startswith(stem) or rest.startswith("区") or \
            rest.endswith(ctx.rules.station_suffixes):
        return name
    lead = tokens(rest)[:1]  # 西野公民館, 北山田図書館: the stem begins a longer proper name
    if not lead or lead[0].sub != "普通名詞" or len(lead[0].surface) < 2:
        return name
    rule = suffix_rule(ctx.rules, rest, strong=True)  # 港北福祉保健センター: a 行政 kind too
    facility = generic_match(ctx.rules, rest) == "行政" or (
        rule is not None and rule[1] == "行政" and not is_department(ctx.rules, rest))
    return own.city + name if facility else name


_STREETS = ("商店街",)  # a street named as where a shop is (not 商店会: an association)


def placed_legal(name: str, ctx: Context) -> tuple[str, str | None]:
    """``五條市のNPO法人ごじょう送迎サポート`` → (``NPO法人ごじょう送迎サポート``, ``五條市``):
    a place and の before a legal form say where the body is; the name starts at its form. A
    named street or area of the case (``新丸子東口商店街の(株)A``, ``花見川団地の株式会社B``)
    places the body in the case's municipality."""
    head, of, rest = name.partition("の")
    if not of or not any(rest.startswith(form) for form, _ in ctx.rules.legal_forms) or \
            strength(rest, ctx) != "legal":
        return name, None
    prefix = place_prefix(name, ctx)
    if prefix is not None and prefix[1].startswith("の"):
        return rest, prefix[0].name
    own = home(ctx)
    words = (*_STREETS, *ctx.rules.area_words)
    if own is not None and any(head.endswith(w) and len(head) > len(w) + 1 for w in words):
        return rest, own.name
    return name, None


def home(ctx: Context) -> Place | None:
    """The case's own municipality: its one 取組地域 municipality, or its address among several."""
    if len(ctx.region) == 1:
        return ctx.region[0]
    return None


def named_place(name: str, ctx: Context, office: bool = True) -> Place | None:
    """The municipality a name carries without its 市/町/村/区 (みらいねっと弘前, ハローワーク米子,
    松山青年会議所, なごや…ネットワーク昭和 in a 名古屋市昭和区 case); the case's places first,
    then the municipalities of its prefectures (the longest stem wins). A stem the prefecture
    shares (広島, 大阪YMCA, フードバンク奈良) names no city, except in an ``office``'s name
    (ハローワーク秋田: offices are named after their city)."""
    shared = set() if office else {p[:-1] for p in ctx.prefectures}
    for stem, place in _case_stems(ctx.rules, tuple(ctx.places)):
        if len(name) > len(stem) and (name.startswith(stem) or name.endswith(stem)):
            if stem in shared:
                break
            return place
    if _HIRAGANA_LEAD.match(name) or _HIRAGANA_LEAD.match(name[-1:]):
        cities = tuple(c for c in (ctx.rules.places.municipality(p.city, p.prefecture)
                                   for p in ctx.region if p.city) if c is not None)
        for stem, place in (*_kana_stems(ctx.rules, tuple(ctx.region)),
                            *_kana_stems(ctx.rules, cities)):
            # いくの多文化共生ネットワーク, あだち見守り…: the reading of the case's own ward or
            # town, then a word of another script; さかい日本語…, ふたごの森かわさき in a ward
            # case: the reading of its city, first or last (after a word of another script)
            if len(name) > len(stem) and (
                    (name.startswith(stem) and not _HIRAGANA_LEAD.match(name[len(stem)]))
                    or (name.endswith(stem) and not _HIRAGANA_LEAD.match(name[-len(stem) - 1]))):
                return None if _names_prefecture(name, place, ctx) else place
    for prefecture in ctx.prefectures:
        stems = _prefecture_stems(ctx.rules, prefecture)
        for size in range(min(len(name) - 1, 6), 1, -1):
            found = stems.get(name[:size]) or stems.get(name[-size:])
            if found is not None:
                return None if found.name[:-1] in shared else found
    return None


def _names_prefecture(name: str, place: Place, ctx: Context) -> bool:
    """``せんだい・みやぎNPOセンター``: a name that also names the place's prefecture (its
    kana or its name without 県) reaches wider than the city."""
    prefecture = ctx.rules.places.prefecture(place.prefecture)
    if prefecture is None:
        return False
    reading = prefecture.kana.split()[-1] if prefecture.kana else ""
    ending = _PREFECTURE_READINGS.get(prefecture.name[-1], "")
    stems = {prefecture.name[:-1], reading.removesuffix(ending) if ending else reading}
    return any(len(stem) >= 2 and stem in name for stem in stems)


_HIRAGANA_LEAD = re.compile(r"[\u3041-\u309f]")
# the reading of a place's kind at the end of its kana: 区 く, 市 し, 町 ちょう/まち, 村 むら/そん
_KIND_READINGS = {"区": ("く",), "市": ("し",), "町": ("ちょう", "まち"), "村": ("むら", "そん")}
_PREFECTURE_READINGS = {"県": "けん", "都": "と", "府": "ふ"}


@lru_cache(maxsize=4096)
def _kana_stems(rules: Rules, places: tuple[Place, ...]) -> tuple[tuple[str, Place], ...]:
    """The hiragana readings of the case's own places without their kind (いくの for 生野区,
    ふくやま for 福山市), three kana at least; a ward's city is not one of them, nor a reading
    its prefecture shares (わかやま: 和歌山市 or 和歌山県)."""
    out: list[tuple[str, Place]] = []
    for place in places:
        reading = place.kana.split()[-1] if place.kana else ""
        prefecture = rules.places.prefecture(place.prefecture)
        shared = prefecture.kana.removesuffix(_PREFECTURE_READINGS.get(prefecture.name[-1], "")) \
            if prefecture is not None and prefecture.kana else ""
        for ending in _KIND_READINGS.get(place.name[-1], ()):
            stem = reading[: -len(ending)]
            if reading.endswith(ending) and len(stem) >= 3 and stem != shared:
                out.append((stem, place))
                break
    return tuple(out)


def kana_place_lead(name: str, ctx: Context) -> int:
    """The length of the hiragana reading of a case's place that ``name`` starts with, before
    a word of another script (たかまつ|子ども食堂ネットワーク, こうち|孤独・孤立…, はままつ|…): a
    place written in kana, never a clause or a particle (the analyser reads たか|まつ as 待つ)."""
    if not name or not _HIRAGANA_LEAD.match(name):
        return 0  # (asked first: most names start with no kana)
    return _kana_place_lead(name, ctx)


@lru_cache(maxsize=8)
def _form_leads(rules: Rules) -> frozenset[str]:
    return frozenset(form[0] for form, _ in rules.legal_forms)


def form_kana_lead(name: str, ctx: Context) -> int:
    """Where a place written in kana at the start of ``name`` ends, after its legal form if it
    has one (公益財団法人おおいた|地域づくり基金: the analyser reads おお|いた as a verb)."""
    if not name or name[0] not in _form_leads(ctx.rules):
        return kana_place_lead(name, ctx)  # (asked first: most names start with no form)
    for form, _ in ctx.rules.legal_forms:
        if name.startswith(form):
            lead = kana_place_lead(name[len(form) :], ctx)
            return len(form) + lead if lead else 0
    return kana_place_lead(name, ctx)


@_memo
def _kana_place_lead(name: str, ctx: Context) -> int:
    for stem in _lead_stems(ctx.rules, tuple(ctx.places), tuple(ctx.prefectures)):
        if name.startswith(stem) and len(name) > len(stem) and \
                not _HIRAGANA_LEAD.match(name[len(stem)]):
            return len(stem)
    return 0


@lru_cache(maxsize=4096)
def _lead_stems(rules: Rules, places: tuple[Place, ...], prefectures: tuple[str, ...]
                ) -> tuple[str, ...]:
    """Kana readings without their kind of the case's places, their cities and prefectures
    (three kana at least), longest first."""
    found: list[Place] = []
    for place in places:
        found.append(place)
        city = rules.places.municipality(place.city, place.prefecture) if place.city else None
        if city is not None:
            found.append(city)
    found += [p for p in (rules.places.prefecture(n) for n in prefectures) if p is not None]
    stems: set[str] = set()
    for place in found:
        reading = place.kana.split()[-1] if place.kana else ""
        endings = _KIND_READINGS.get(place.name[-1], ()) if place.kind != "prefecture" else \
            (_PREFECTURE_READINGS.get(place.name[-1], ""),) if place.name[-1] != "道" else ("",)
        for ending in endings:
            stem = reading[: len(reading) - len(ending)]
            if reading.endswith(ending) and len(stem) >= 3 and not place.name.startswith(stem):
                stems.add(stem)
                break
    return tuple(sorted(stems, key=lambda s: (-len(s), s)))


@lru_cache(maxsize=4096)
def _case_stems(rules: Rules, places: tuple[Place, ...]) -> tuple[tuple[str, Place], ...]:
    """Stems of the case's own places, wards and their cities included, longest first."""
    out: list[tuple[str, Place]] = []
    for place in places:
        own = place.name[len(place.city):] if place.city else place.name
        if len(own) >= 3:
            out.append((own[:-1], place))
        city = rules.places.municipality(place.city, place.prefecture) if place.city else None
        if city is not None and len(city.name) >= 3:
            out.append((city.name[:-1], city))
    return tuple(sorted(out, key=lambda s: -len(s[0])))


@lru_cache(maxsize=64)
def _prefecture_stems(rules: Rules, prefecture: str) -> dict[str, Place]:
    """Stem → municipality for the prefecture's cities, towns and villages (弘前 → 弘前市)."""
    stems: dict[str, Place] = {}
    for place in sorted(rules.places.by_code.values()):
        if place.prefecture == prefecture and place.kind == "municipality" and \
                len(place.name) >= 3 and place.name[-1] in "市町村":
            stems.setdefault(place.name[:-1], place)
    return stems


def ward_in_name(place: Place, rest: str, ctx: Context) -> Place | None:
    """仙台市社会福祉協議会宮城野区事務所: the ward a city body's office is in."""
    if place.name not in ctx.rules.places.cities_with_wards:
        return None
    for end in range(len(rest), 1, -1):
        if rest[end - 1] == "区":
            for begin in range(max(0, end - 6), end - 1):
                ward = ctx.rules.places.municipality(place.name + rest[begin:end],
                                                     place.prefecture)
                if ward is not None and ward.kind == "ward":
                    return ward
    own = home(ctx)  # 堺市北保健センター in a 堺市北区 case: the ward's facility, named by stem
    return own if own is not None and own.city == place.name and \
        ward_stem_body(rest, ctx) != rest else None


def without_attached(name: str, ctx: Context) -> str:
    """``中京大学の学生`` → ``中京大学``, ``(株)フジの店舗`` → ``(株)フジ``: people or premises
    attached to a body are not a body of their own."""
    head, sep, tail = name.rpartition("の")
    # 霧島市役所保健福祉部の保健師: a department (a weak suffix) has people too
    if sep and head and tail.endswith(ctx.rules.attached_words) and strength(head, ctx) in {
        "known", "legal", "strong", "place", "weak"
    }:
        return _without_post(head, ctx)
    return _without_post(name, ctx)


def _without_post(name: str, ctx: Context) -> str:
    """``中学校の日本語指導担当`` → ``中学校``: a post (担当) of a body or of a kind of body is its
    people (not a place's: 市の子育て支援担当 is a unit of the city)."""
    if not name.endswith(_POSTS):
        return name
    head, of, _ = name.rpartition("の")
    if of and head and strength(head, ctx) in {"known", "legal", "strong", "weak", "generic"}:
        return head
    return name


_POSTS = ("担当",)


def municipality_of(place: Place | None) -> str | None:
    return place.name if place is not None and place.kind != "prefecture" else None
