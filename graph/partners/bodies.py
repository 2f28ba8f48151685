"""From candidate mentions to the partner bodies of one case."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from graph.partners.analyse import drop_honorifics
from graph.partners.categorise import (
    bound,
    categorise,
    expand_abbreviation,
    expand_short_kind,
    generic_match,
    is_department,
    strip_legal_form,
    strip_noise,
    suffix_rule,
)
from graph.partners.context import (
    Context,
    context,
    context_place,
    founded_by,
    home,
    municipality_of,
    named_place,
    office_place,
    place_prefix,
    resolve_place,
    shorthand,
    ward_in_name,
    ward_stem_body,
)
from graph.partners.grammar import (
    COUNT_LEAD,
    COUNTED_KIND,
    DEFINITION,
    HEAD,
    KIND_LEAD,
    is_abbreviation,
    split_enumerations,
)
from graph.partners.mentions import Cand, line_cands, scene_cands, split_before_legal_forms
from graph.partners.phrases import refine
from graph.partners.rules import DEFAULT_CATEGORY, Rules, load_rules
from graph.reader.record import PARTNER_KEYS
from graph.text.normalize import key, prose_lines, squash
from graph.text.places import Place


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


_STEM_NAMED = ("保健所", "福祉事務所")  # offices named after the city they serve


def _owned_office(rules: Rules, name: str) -> bool:
    """明治学院大学|ボランティアセンター, 常葉大学|学生支援課: a centre or section of a body named
    before it that is no government or council (a university, a company) is that body's, not
    the case's place's."""
    for end in range(len(name) - 2, 1, -1):
        rule = suffix_rule(rules, name[:end], strong=True)
        if rule is not None:
            return rule[1] not in {"行政", "社会福祉協議会"} and not bound(rules, name[:end])
    return False


def _build(cand: Cand, ctx: Context) -> _Body | None:
    rules = ctx.rules
    mention = squash(cand.mention)
    unscoped = shorthand(mention, ctx)
    if len(unscoped) < len(mention) and mention.endswith(unscoped):
        mention = unscoped  # 当区の金岡校区自治連合協議会: a named body's mention has no scope
    bare, legal = strip_legal_form(rules, squash(cand.full or cand.mention))
    kind = _scoped_kind(bare, ctx) if not legal else None
    scoped, scope_place = bare, None
    if kind is not None:  # 市内の飲食店8店舗, 本市の民生委員: a kind, placed by its scope
        bare, scope, scope_place = kind
        cand = replace(cand, scope=scope or cand.scope)
    bare = expand_abbreviation(rules, ward_stem_body(founded_by(shorthand(bare, ctx), ctx), ctx))
    bare = _SECT.sub("", bare)  # 曹洞宗 常真寺: the temple, not its sect
    canonical = rules.aliases.get(key(bare), bare)
    canonical, sub_area = _area_owned(rules, canonical)
    generic = kind is not None or cand.some or generic_match(rules, canonical) is not None
    members_of, of, group = canonical.rpartition("の")
    members = bool(of and members_of and group.endswith(rules.member_groups))
    if members:
        generic = True  # 金沢大学の学生サークル: a kind of body, typed like the body below
    elif of and members_of and not generic and generic_match(rules, members_of) is not None:
        generic = True  # 小学校のPTA: the PTA of some school, a kind too (typed as a PTA)
    for suffix in rules.place_bound:  # 地区社会福祉協議会: some district's council, a kind
        if canonical.endswith(suffix) and canonical[: -len(suffix)] in rules.area_words and \
                not (cand.inherit is not None and is_department(rules, canonical)):
            generic = True  # (住吉区役所保健福祉課・地域課: a department of the government before)
    if not generic:
        canonical = expand_short_kind(rules, canonical)
    place = resolve_place(canonical, ctx)
    parent: Place | None = None
    located: Place | None = None
    if place is not None:
        canonical, located = place.name, place
    else:
        prefix = place_prefix(canonical, ctx)
        lead = KIND_LEAD.match(canonical)
        kind_char, body = None, canonical
        if prefix is None and lead and (
            bound(rules, lead.group(2)) or lead.group(2) in rules.offices
        ):
            kind_char, body = lead.group(1), lead.group(2)  # 区社会福祉協議会, 市の子育て支援課
        in_list = (cand.inherit or cand.head_place) is not None
        # 長岡保健所, 松江保健所: a bound office named with a city's stem is that city's, as
        # written (a prefecture's office named after the city it serves)
        stem_named = named_place(canonical, ctx) if prefix is None and kind_char is None and \
            canonical.endswith(_STEM_NAMED) else None
        if stem_named is not None and stem_named.kind != "ward":
            prefix = (stem_named, "")
        needs_place = prefix is None and (
            kind_char is not None
            or (not generic and (bound(rules, body) or (in_list and is_department(rules, body)))
                and not _owned_office(rules, body))
        )
        if stem_named is not None and prefix is not None and prefix[1] == "":
            located = prefix[0]
        elif prefix is not None:
            located = prefix[0]
            if prefix[1].startswith("の") and not generic:  # さいたま市の子育て支援課
                canonical = located.name + prefix[1][1:]
            elif located.kind == "ward" and not canonical.startswith(located.name):
                canonical = located.name + prefix[1]  # 北区社協 in an 大阪市北区 case
        elif needs_place:
            found = context_place([cand.head_place, cand.inherit], ctx, kind_char)
            if found is None:
                generic = True  # which body is meant is unknown: never merge it across cases
            else:
                canonical, located, generic = found.name + body, found, False
        office = office_place(canonical, ctx)
        if office is not None:
            place, located = office, office
        if located is not None and located.city and canonical == located.name + _COUNCIL:
            canonical, located = _ward_council(located, ctx)
    category = (
        "行政" if place is not None
        else categorise(rules, canonical, legal, cand.desc, cand.hint)
    )
    if (kind is not None or cand.written) and category == DEFAULT_CATEGORY:
        # typed as written (区内6つのコミュニティ協議会, 学区の地域福祉推進協議会), then
        category = categorise(rules, cand.written or scoped, legal, cand.desc, cand.hint)
    if members:  # 東北福祉大学の学生サークル: a kind of the body's category
        owner_rule = suffix_rule(rules, canonical.rpartition("の")[0], strong=True)
        category = owner_rule[1] if owner_rule is not None else category
    if place is None and located is not None and category == "行政":
        parent = located
    if located is not None and located.kind == "municipality":
        located = ward_in_name(located, canonical[len(located.name):], ctx) or located
    if place is None and located is not None and (  # and a 市立 facility (市立岸町公民館)
            category == "学校" or canonical.startswith(located.name + "立")):
        located = _school_place(canonical, located, ctx)
    municipality = municipality_of(located)
    if category == "大学・専門学校" and not generic:
        municipality = None  # a university serves a region, even one a city runs (市立大学)
    elif located is None and canonical.endswith(rules.regional_offices):
        pass  # 上川総合振興局, 横浜保護観察所: the prefecture's or the state's, no municipality
    elif located is None and not generic:
        municipality = _described_municipality(cand, ctx, category, canonical)
    if municipality is not None and canonical.endswith(rules.station_suffixes):
        municipality = _station_ward(canonical, municipality, ctx)
    if municipality is None and scope_place is not None and category != "大学・専門学校":
        municipality = municipality_of(scope_place)  # 鳥取市内の子ども食堂12か所
    if municipality is None and generic and sub_area:
        municipality = municipality_of(home(ctx))  # 永源寺地区の茶農家: farms of the case's area
    if municipality is None and located is None and cand.scope and category != "大学・専門学校":
        found = _scope_place(cand.scope, ctx)  # 区内の小学校, 市内の子ども食堂12団体
        municipality = found.name if found is not None else None
    return _Body(
        mention=strip_noise(rules, mention), canonical=canonical, category=category,
        municipality=municipality, generic=generic, role=cand.role, place=place, parent=parent,
    )


_COUNCIL = "社会福祉協議会"
# a sect (and its branch) written before a temple's or church's own name: 曹洞宗 常真寺,
# 臨済宗妙心寺派 龍雲寺, 真宗大谷派 X寺 (not 宗隣寺: a temple named with 宗)
_SECT = re.compile(r"^[^\s宗]{1,6}宗(?:[^\s宗派]{1,6}派)?(?=[^\s宗]{2,10}(?:寺|院|教会)$)")


_AREA_OWNER = re.compile(r"^(.{1,10}?)の(.+)$")


def _area_owned(rules: Rules, name: str) -> tuple[str, bool]:
    """``粟野地区の自治会長会`` → ``粟野地区自治会長会`` (the area's own body), ``永源寺地区の
    茶農家`` → ``茶農家`` (a kind of body in the area); also whether a sub-area was named."""
    m = _AREA_OWNER.match(name)
    if m is None or not m.group(1).endswith(rules.area_words) or \
            len(m.group(1)) <= max(len(w) for w in rules.area_words if m.group(1).endswith(w)):
        return name, False  # 地域の民生委員: a vague scope, no area of its own
    owner, rest = m.group(1), m.group(2)
    if is_department(rules, rest) or strip_legal_form(rules, rest)[1] is not None:
        return name, False
    if suffix_rule(rules, rest, strong=True) is not None:  # 〇〇地区の自治会連合会: the one
        return owner + rest, True
    if generic_match(rules, rest) is not None:  # (東北地域の大学: a region, not the case's area)
        return rest, not owner.endswith("地域")
    if suffix_rule(rules, rest) is not None:
        return owner + rest, True
    return name, False
# 区内の, 市内6つの, 本市の, 当町の: the case's own government as the scope of a kind
_KIND_SCOPE = re.compile(r"^(?:([区市町村県道府都])内(?:の|\d+(?:つ|か所|カ所)の?)?"
                         r"|(?:同|当|本|我が)([区市町村])の)(.+)$")


def _scoped_kind(name: str, ctx: Context
                 ) -> tuple[str, str | None, Place | None] | None:
    """``市内の飲食店8店舗`` → (飲食店, 市, None), ``本市の民生委員`` → (民生委員, 市, None),
    ``自動車部品メーカー3社`` → (自動車部品メーカー, None, None), ``鳥取市内の子ども食堂12か所``
    → (子ども食堂, None, 鳥取市): the kind a scoped or counted mention stands for, the kind of
    government its scope names or the place it names. None for a named body (当町の商工会 is the
    town's one 商工会)."""
    m = _KIND_SCOPE.match(name)
    char, rest = (m.group(1) or m.group(2), m.group(3)) if m else (None, name)
    lead = name[: m.start(3)] if m else ""  # the scope written before the kind
    place = None
    prefix = place_prefix(name, ctx) if m is None else None
    if prefix is not None and (prefix[1].startswith("内") or (
            prefix[1].startswith("の") and prefix[0].kind != "prefecture")):
        # 鳥取市|内の…, 熊本市|の農家: read as a scope
        written = "内" + prefix[1] if prefix[1].startswith("の") else prefix[1]
        scoped = _KIND_SCOPE.match("市" + written)
        if scoped is not None:  # (神奈川県内農家: a prefecture's, no municipality)
            place = prefix[0] if prefix[0].kind != "prefecture" else None
            rest = scoped.group(3)
            lead = prefix[1][: len(prefix[1]) - len(rest)]
    counted = COUNTED_KIND.search(rest) or COUNT_LEAD.match(rest)
    if counted is not None:
        rest = rest[: counted.start()] if counted.end() == len(rest) else rest[counted.end() :]
    several = counted is not None or any(c.isdigit() for c in lead)
    if len(rest) < 2 or (not lead and not several):
        return None
    if several or generic_match(ctx.rules, rest) is not None or \
            generic_match(ctx.rules, name) is not None:  # (神奈川県内民間ホテル: a kind written)
        return rest, char, place
    return None


def _ward_council(ward: Place, ctx: Context) -> tuple[str, Place]:
    """The council a ward's 社会福祉協議会 is in cities without ward councils (ward_councils)."""
    city = ward.city or ""
    form = ctx.rules.ward_councils.get(city)
    if form == "office":
        return city + _COUNCIL + ward.name[len(city):] + "事務所", ward
    if form == "city":
        found = ctx.rules.places.municipality(city, ward.prefecture)
        if found is not None:
            return city + _COUNCIL, found
    return ward.name + _COUNCIL, ward


def _described_municipality(
    cand: Cand, ctx: Context, category: str, canonical: str
) -> str | None:
    """Where the text says the body is: its description, a place its name carries, or (for
    local kinds of body) the case's own municipality."""
    rules = ctx.rules
    for text in (cand.paren, cand.desc):
        if text:
            prefix = place_prefix(text, ctx)
            if prefix is not None:
                return municipality_of(prefix[0])
    if category not in {"大学・専門学校", "企業・店舗"}:
        named = named_place(canonical, ctx, office=category == "行政")
        if named is not None:
            return named.name
    own = home(ctx)
    if own is not None and (category in rules.local_categories
                            or category in rules.placed_categories
                            or canonical.endswith(rules.local_suffixes)  # 〇〇商店街, 〇〇郵便局
                            or _sub_area_body(rules, canonical)):
        return own.name
    return None


def _station_ward(name: str, municipality: str, ctx: Context) -> str:
    """札幌東警察署, 大阪市消防局生野消防署 in a 札幌市東区 / 大阪市生野区 case: a station named
    with the ward's own name (東, 生野) right before its station word serves that ward."""
    own = home(ctx)
    if own is None or own.kind != "ward" or own.city != municipality:
        return municipality
    stem = own.name[len(own.city) : -1]
    for suffix in ctx.rules.station_suffixes:
        if name.endswith(stem + suffix) and stem:
            return own.name
    return municipality


def _scope_place(kind_char: str, ctx: Context) -> Place | None:
    """The case's government a ``区内の`` or ``市内の`` scope means: its own ward, town or city,
    or the city of its ward."""
    own = home(ctx)
    if own is None:
        return None
    if own.name.endswith(kind_char):
        return own
    if own.kind == "ward" and own.city and kind_char == "市":
        return ctx.rules.places.municipality(own.city, own.prefecture)
    return None


def _sub_area_body(rules: Rules, name: str) -> bool:
    """冷泉校区民生委員児童委員協議会, 京山学区愛育委員会: a body named with its own sub-area of
    the case's municipality (the area word inside the name, a body word after it)."""
    for word in rules.area_words:
        at = name.find(word, 2)
        if at > 0 and len(name) - at - len(word) >= 2:
            return True
    return False


def _school_place(name: str, located: Place, ctx: Context) -> Place:
    """A school run by the city or the prefecture stands in the case's ward or town: 〇〇市立
    △△小学校 in a 〇〇市□□区 case is in □□区, 〇〇県立△△高校 in the case's municipality."""
    own = home(ctx)
    if own is None:
        return located
    if located.kind == "prefecture" and own.prefecture == located.name:
        return own
    if located.kind == "municipality" and own.kind == "ward" and own.city == located.name and \
            name.startswith(located.name + "立"):
        return own
    return located


# ``A：role B・C：role`` on one line: a space before the next ``name：`` starts an entry
# (not the space after a ・ bullet or a tag, which starts an item anyway).
# The next head may hold a bracket (A(以下、市社協)：) or a list of bodies (A、B：).
_NEXT_ENTRY = re.compile(r"(?<![・>\s])\s+(?=(?:[^\s:。、<>()]|、(?!\s)|\([^()\s:]*\)){2,80}:)")
_TAG = re.compile(r"(<[^>]*>)")
_SECRETARIAT = re.compile(r"\((?:事務局|運営|運営団体|受託|委託先)[:は]([^()]{2,40})\)")


def _entries(text: str) -> str:
    """One ``name：description`` entry per line: a layout space before the next ``name：``
    on a line that starts with one is where the next entry starts."""
    lines = []
    for line in text.split("\n"):
        parts = _TAG.split(line)
        for i in range(0, len(parts), 2):  # text between tags
            item = parts[i]
            if item.count(":") >= 2 and HEAD.match(item.strip().lstrip("・").strip()):
                parts[i] = _split_entries(item)
        lines.append("".join(parts))
    return "\n".join(lines)


def _split_entries(item: str) -> str:
    """Break ``item`` before each next ``name：``, but only after the current entry's own colon:
    a space inside the head (``十津川村役場 住民課・保健福祉課：``) is layout, not a new entry."""
    out, last = [], 0
    for m in _NEXT_ENTRY.finditer(item):
        if ":" in item[last : m.start()]:
            out += [item[last : m.start()], "\n"]
            last = m.end()
    return "".join([*out, item[last:]])


def bodies(rules: Rules, record: dict[str, Any]) -> list[_Body]:
    ctx = context(rules, record)
    cands: list[Cand] = []
    raw = split_enumerations(split_before_legal_forms(rules, record.get("partners_text") or ""))
    lines = [drop_honorifics(line) for line in prose_lines(_entries(raw))]
    for line in lines:
        cands.extend(line_cands(line, ctx))
        # A(事務局：B), A(運営：B): the secretariat or operator is a second body
        cands.extend(Cand(m.group(1).strip()) for m in _SECRETARIAT.finditer(line))
    if record.get("scenes_text"):
        cands.extend(scene_cands(record["scenes_text"], ctx))
    bodies: list[_Body] = []
    seen: dict[tuple[str, bool, str | None], _Body] = {}
    defined = _definitions("\n".join(lines))
    for cand in (part for found in cands for part in refine(found, ctx)):
        body = _build(cand, ctx)
        if body is None or key(body.canonical) in ctx.self_keys:
            continue
        # a kind in two places is two bodies (熊本市と菊陽町の農家: each town's farmers)
        # (and two kinds described apart are two: 居場所に関する専門家, 行政との…専門家)
        ident = (key(body.place.code if body.place else body.canonical), body.generic,
                 f"{body.municipality}/{key(body.mention)}" if body.generic else None)
        if ident in seen:
            if seen[ident].role is None:
                seen[ident].role = body.role
            continue
        seen[ident] = body
        bodies.append(body)
    return _same_as_before(_defined_people(
        _short_branches(_merge_defined(bodies, defined), defined, ctx), defined, ctx))


def _same_as_before(bodies: list[_Body]) -> list[_Body]:
    """``同センター``, ``同大学``: 同 and a kind word (not a place kind: 同区役所 is shorthand for
    the case's ward) is the last body named before it that ends with that word, not a new one."""
    out: list[_Body] = []
    for body in bodies:
        rest = body.mention[1:]
        if body.mention.startswith("同") and len(rest) >= 2 and rest[0] not in "区市町村県" \
                and body.canonical == body.mention:
            same = [b for b in out if not b.generic and b.canonical.endswith(rest)
                    and len(b.canonical) > len(rest)]
            if same:
                if same[-1].role is None:
                    same[-1].role = body.role
                continue
        out.append(body)
    return out


def _definitions(text: str) -> list[tuple[str, str, bool]]:
    """(text before, short name, written with 以下) of every abbreviation defined in ``text``."""
    return [(text[: m.start()].rstrip("」』"), m.group(2), bool(m.group(1)))
            for m in DEFINITION.finditer(text)]  # 「A」(以下、B): A is defined


_ATTACHED_OF_DEFINED = ("事務局", "職員", "会員", "スタッフ", "担当者")


def _merge_defined(bodies: list[_Body], defined: list[tuple[str, str, bool]]) -> list[_Body]:
    """A short name defined in the text (以下、市社協) and used again is the same body."""
    if not defined:
        return bodies
    alias: dict[str, _Body] = {}
    for before, short, explicit in defined:
        owners = [b for b in bodies if before.endswith(b.mention)]
        if not owners:
            continue
        owner = max(owners, key=lambda b: len(b.mention))
        if explicit or is_abbreviation(short, owner.mention):
            alias[key(short)] = owner
    out = []
    for body in bodies:
        found = alias.get(key(body.mention))
        head, of, tail = body.mention.rpartition("の")
        if found is None and of and tail in _ATTACHED_OF_DEFINED:
            found = alias.get(key(head))  # ネットワークの事務局: the defined body's own office
        if found is not None and found is not body:
            found.role = found.role or body.role
            continue
        out.append(body)
    return out


def _defined_aliases(bodies: list[_Body], defined: list[tuple[str, str, bool]]) -> dict[str, _Body]:
    """key(short name) → the body it was defined for (as ``_merge_defined`` reads them)."""
    alias: dict[str, _Body] = {}
    for before, short, explicit in defined:
        owners = [b for b in bodies if before.endswith(b.mention)]
        if owners:
            owner = max(owners, key=lambda b: len(b.mention))
            if explicit or is_abbreviation(short, owner.mention):
                alias[key(short)] = owner
    return alias


def _short_branches(bodies: list[_Body], defined: list[tuple[str, str, bool]],
                    ctx: Context) -> list[_Body]:
    """``市社協 粟野支所``: an office of a body named by its short name (one defined in the text,
    or a shorthand such as 区社協) is the body's office (鹿沼市社会福祉協議会粟野支所)."""
    rules = ctx.rules
    alias = _defined_aliases(bodies, defined)
    shorts = tuple(short for short, _ in rules.abbreviations)
    for body in bodies:
        word = next((w for w in rules.office_words if body.mention.endswith(w)), None)
        if word is None or body.generic:
            continue
        for at in range(len(body.mention) - len(word) - 1, 1, -1):  # a place before 支所
            head, branch = body.mention[:at], body.mention[at:]
            owner = alias.get(key(head))
            if owner is None and head.endswith(shorts) and len(head) <= 4:
                owner = _build(Cand(head), ctx)  # 区社協 北支所, no definition written
            if owner is not None and not owner.generic and owner is not body:
                body.canonical, body.category = owner.canonical + branch, owner.category
                body.municipality = body.municipality or owner.municipality
                body.parent = body.parent or owner.parent or owner.place
                break
    return bodies


def _defined_people(bodies: list[_Body], defined: list[tuple[str, str, bool]],
                    ctx: Context) -> list[_Body]:
    """``センターの保健師`` after ``〇〇支援センター（以下、センター）``: the people of a body named
    by its defined short name are that body, not a kind of their own."""
    alias = _defined_aliases(bodies, defined)
    out = []
    for body in bodies:
        head, of, tail = body.mention.rpartition("の")
        people = of and head and tail.endswith(ctx.rules.attached_words)
        owner = alias.get(key(head)) if people else None
        if owner is not None and owner is not body and body.mention != owner.mention:
            owner.role = owner.role or body.role
            continue
        out.append(body)
    return out


def extract_partners(record: dict[str, Any], rules: Rules | None = None) -> list[dict[str, Any]]:
    """The partner bodies of one case, each {mention, canonical, category, municipality,
    generic, role}."""
    return [body.public() for body in bodies(rules or load_rules(), record)]
