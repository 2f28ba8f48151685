"""From a partner cell to candidate mentions: lists, ``A：role`` heads, prose."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, partial

from graph.partners.analyse import (
    attributive_start,
    ends_as_noun,
    ends_attributive,
    ends_in_predicate,
    tokens,
)
from graph.partners.categorise import (
    bound,
    expand_abbreviation,
    generic_match,
    is_department,
    is_non_body,
    proper_name,
    strip_legal_form,
    strip_noise,
    suffix_rule,
)
from graph.partners.context import (
    Context,
    form_kana_lead,
    is_self,
    kana_place_lead,
    office_place,
    place_prefix,
    placed_legal,
    resolve_place,
    strength,
    without_attached,
)
from graph.partners.grammar import (
    ACTION,
    BRACKET_ROLE,
    COLLAB,
    COUNT,
    CREATED,
    DEFINITION,
    EACH_NOUN,
    ENUMERATOR,
    HEAD,
    KIND_CHARS,
    PLACEHOLDER,
    PROSE_MARKS,
    QUOTE,
    QUOTE_TAIL,
    SCENE_LINE,
    SHARED_NOUN,
    STOP,
    TAILS_LOOSE,
    TAILS_STRONG,
    TRAILING_COUNT,
    TRAILING_ETC,
    VERB_ENDINGS,
    covered_stop,
    covers,
    is_abbreviation,
    is_prose,
    split_paren,
    split_top,
    without_parens,
)
from graph.partners.rules import Rules
from graph.text.normalize import nfkc
from graph.text.places import Place


@dataclass
class Cand:
    mention: str
    role: str | None = None
    paren: str | None = None
    desc: str | None = None
    hint: str | None = None
    inherit: Place | None = None  # place of the previous department in the same list
    head_place: Place | None = None  # the place a ``place：description`` line is about
    full: str | None = None  # the name completed from the list (京山学区の町内会・愛育委員会)
    scope: str | None = None  # 区内の御幸通商店街: the scope's kind (区), dropped from the name
    some: bool = False  # 学区の地域福祉推進協議会: some area's body of that kind (a kind)
    written: str | None = None  # the kind's mention as written, scope and all (for typing)
    vouched: bool = False  # the list grammar vouches for the whole name (a count, a clause name)


def _nounish(text: str, prose: bool = True) -> bool:
    return 1 < len(text) <= 40 and not (prose and is_prose(text)) and \
        not re.fullmatch(r"[\d\W]+", text)


def _list_cands(text: str, role: str | None, ctx: Context, hint: str | None = None) -> list[Cand]:
    """Every item of a list line (志木第三小学校、行屋稲荷講、…)."""
    rules = ctx.rules
    out: list[Cand] = []
    inherit: Place | None = None
    office = ""  # the office word after the inherited place (区役所)
    pieces = split_top(text, "、/,")
    shared = _shared_notes(pieces, ctx) if role is None else {}
    items = _besides(_distribute(_joined_middots(pieces, ctx), ctx), ctx)
    line_note = _line_note(pieces, ctx) if role is None else None
    completed = _shared_prefix(items, ctx)
    for raw in items:
        if raw.startswith(("等", "など", "ほか")):
            continue  # 等 7 か所程度
        body = ENUMERATOR.sub("", raw)
        body = _COLLAB_END.sub("", body) or body  # ・A(…で構成)と連携: the item is A
        name, paren = split_paren(body)
        name = _DEFINED_TAIL.sub("", name) if paren else name  # A(以下、市社協)(配食の調整)
        members = _members(paren, ctx) if paren else []
        if paren and _COMPOSED.search(paren):
            paren = None  # A(地域団体や区内の福祉機関など8団体で構成): its members, no role
        name = _unquoted(TRAILING_ETC.sub("", TRAILING_COUNT.sub("", name)).strip())
        for conj in ("及び", "および", "と", "や"):  # A と、B: the conjunction before the comma
            particle = len(conj) > 1 or (tokens(name)[-1:] and tokens(name)[-1].pos == "助詞")
            if name.endswith(conj) and particle and strength(name[: -len(conj)], ctx) is not None:
                name = name[: -len(conj)]
                break
        if COUNT.match(name):
            continue  # 計12団体
        name = strip_noise(rules, name)
        if paren and COUNT.match(paren):
            paren = None  # 子ども食堂(5団体): a count, not a role
        if not (_nounish(name) or (_nounish(name, prose=False) and _kana_name_prose(name, ctx))) \
                or is_self(name, ctx):
            continue  # (JAおおいた: kana that look like a verb to is_prose)
        if is_non_body(rules, name) and strength(name, ctx) not in {"known", "legal", "strong"}:
            continue
        item_role = role
        defined = DEFINITION.fullmatch(f"({paren})") if paren else None
        if defined and (defined.group(1) or is_abbreviation(defined.group(2), name)):
            paren = None  # 〇〇社会福祉協議会(以下、区社協): a short name, not a role
        if paren and _ACRONYM.fullmatch(paren):
            paren = None  # 神戸市国際交流協会(KIC): the body's acronym, no role
        if paren and _role_note(paren, ctx):
            item_role = paren if role is None else role
            paren = None
        elif paren is None and line_note is not None:
            item_role = line_note  # A、B(学生ボランティア): the note that closes the line
        full = completed.get(raw)
        if full is None and inherit is not None and office and is_department(rules, name) and \
                place_prefix(name, ctx) is None:
            full = inherit.name + office + name  # 住吉区役所保健福祉課・地域課: the office's too
        cand = Cand(name, item_role or shared.get(raw), paren=paren, hint=hint, inherit=inherit,
                    full=full)
        out.append(cand)
        out.extend(Cand(m, item_role) for m in members)
        prefix = place_prefix(name, ctx)
        office = ""
        if prefix is not None and (not prefix[1] or is_department(rules, prefix[1])):
            inherit = prefix[0]
            office = next((o for o in ("役所", "役場") if prefix[1].startswith(o)), "")
        elif resolve_place(name, ctx) is not None:
            inherit = resolve_place(name, ctx)
        elif not is_department(rules, name):
            inherit = None
    return out


# a short name defined right before the item's closing note: A(以下、市社協)(配食の調整)
_DEFINED_TAIL = re.compile(r"\(以下[、,]?[^()]{1,12}\)$")
_QUOTES = (("「", "」"), ("『", "』"))
_COLLAB_END = re.compile(r"(?:と|との)(?:連携|協力|協働)(?:して|した|し)?$")
# 地域団体や区内の福祉関係機関など8団体で構成: the bodies a network or council is made of
_COMPOSED_BY = r"(?:で|により|から)構成(?:される|する|された|されている)?$"
_MEMBERS = re.compile(r"^(.+?)(?:など|等)?(?:計)?(?:\d+)?(?:つの)?(?:団体|機関|者)?" + _COMPOSED_BY)
_MEMBER_JOINS = re.compile(r"や|、|・|及び|および|並びに|と")
_COMPOSED = re.compile(_COMPOSED_BY)


def _members(paren: str, ctx: Context) -> list[str]:
    """The members a bracket says a body is made of, when each of them names a body or a kind
    of body."""
    m = _MEMBERS.match(paren)
    if m is None:
        return []
    parts = [TRAILING_ETC.sub("", p).strip() for p in _MEMBER_JOINS.split(m.group(1))]
    if not parts or not all(_nounish(p) and (strength(ADMIN_SCOPE.sub("", p), ctx) is not None
                                             or _is_bare_kind(p, ctx)) for p in parts):
        return []
    return parts


def _unquoted(name: str) -> str:
    """``「にしっ子食堂」`` → ``にしっ子食堂``: quotes around a whole item go, a quoted part of a
    name stays (落語研究会「楽笑」: the circle's own name, written inside the name)."""
    name = name.strip('"')
    for left, right in _QUOTES:
        if name.startswith(left) and name.endswith(right) and name.count(left) == 1:
            name = name[1:-1]
        elif name.count(left) != name.count(right):  # a stray quote the list cut off
            name = name.strip(left + right)
    return name


_OWNER = re.compile(r"^(.{2,12}?)の(.+)$")
_BESIDES_JOIN = re.compile(r"(?:のほか|ほか)(?=.)")


def _besides(items: list[str], ctx: Context) -> list[str]:
    """``NPO法人A ほか市内の日本語教室4団体``: ほか (besides) joins a body named surely to more
    bodies or a kind of them, two items (not the ほか of a name: ほかほか弁当)."""
    out: list[str] = []
    for item in items:
        m = _BESIDES_JOIN.search(item)
        left, right = (item[: m.start()], item[m.end() :]) if m else ("", "")
        right_bare = TRAILING_COUNT.sub("", right)
        if m and strength(left, ctx) in {"known", "legal", "strong"} and \
                strength(right_bare, ctx) is not None:
            out += [left, right]
        else:
            out.append(item)
    return out


def _is_bare_kind(name: str, ctx: Context) -> bool:
    """町内会, 愛育委員会, 社会福祉協議会: a kind word and nothing else."""
    rules = ctx.rules
    return name in rules.generic_terms or name in rules.place_bound or any(
        name == suffix for suffix, _, _ in rules.suffixes)


def _shared_prefix(items: list[str], ctx: Context) -> dict[str, str]:
    """``京山学区の町内会・愛育委員会・社会福祉協議会``: the owner before の is shared by the bare
    kinds that follow (京山学区町内会, 京山学区愛育委員会, 京山学区社会福祉協議会)."""
    out: dict[str, str] = {}
    owner: str | None = None
    for item in items:
        name = split_paren(item)[0]
        m = _OWNER.match(name)
        if m and _is_bare_kind(m.group(2), ctx) and m.group(1).endswith(
                (*ctx.rules.area_words, *KIND_CHARS)):
            owner = m.group(1)
            continue  # completed below once a second kind follows
        if owner is not None and _is_bare_kind(name, ctx):
            out[item] = owner + name
        else:
            owner = None
    if out:  # the first item too: 京山学区の町内会 → 京山学区町内会
        for item in items:
            m = _OWNER.match(split_paren(item)[0])
            if m and any(full.startswith(m.group(1)) for full in out.values()):
                out.setdefault(item, m.group(1) + m.group(2))
    return out


def _facility(text: str, ctx: Context) -> bool:
    """特別養護老人ホームやすらぎ: a kind of facility and its name, the body's facility (the same
    body, not a role)."""
    for end in range(len(text) - 1, 1, -1):
        if suffix_rule(ctx.rules, text[:end], strong=True) is not None:
            rest = text[end:]
            return 1 <= len(rest) <= 12 and not is_prose(rest) and not any(
                c in rest for c in "をにでがは、")
    return False


def _unplaced(name: str, ctx: Context) -> str:
    """高知県子ども → 子ども: the name after the place it starts with."""
    prefix = place_prefix(name, ctx)
    if prefix is not None and prefix[1]:
        return prefix[1]
    return name[kana_place_lead(name, ctx) :]  # こうち|孤独: a place written in kana


_ACRONYM = re.compile(r"[A-Z][A-Za-z&]{1,7}")


def _note_role(item: str, name: str, ctx: Context) -> str | None:
    """The role note in the bracket right after ``name`` in a prose item (東北学院大学(ボラン
    ティアの派遣)等と連携した), as the list grammar reads one: not an abbreviation, acronym,
    count, body or facility."""
    at = item.find(name + "(")
    if at < 0:
        return None
    note = split_paren(item[: at + len(name) + 1 + item[at + len(name) + 1 :].find(")") + 1])[1]
    if not note or _ACRONYM.fullmatch(note) or COUNT.match(note) or note[-1] in "会団":
        return None
    defined = DEFINITION.fullmatch(f"({note})")
    if defined and (defined.group(1) or is_abbreviation(defined.group(2), name)):
        return None
    if strength(note, ctx) or _facility(note, ctx) or _some_body(note, ctx) or \
            _PAREN_LEAD.match(note):
        return None
    return note


_PAREN_LEAD = re.compile(r"^(?:事務局|運営|受託|委託先|※|注)")  # A(事務局:B), notes


_QUOTED_END = re.compile(r"[「『][^「」『』]{1,30}[」』]$")


def _named_facility(note: str) -> bool:
    """支援施設「ひなた」, 居場所「こもれび」: a bracket naming the body's own facility (the same
    body, no role)."""
    return _QUOTED_END.search(note) is not None and not is_prose(note)


def _role_note(note: str, ctx: Context) -> bool:
    """Whether a bracket after a name is its role: no body, facility or group, or only the
    body's people (学生ボランティア: what the body sends)."""
    if people_only(note, ctx.rules.attached_words):
        return True
    if _named_facility(note):
        return False
    how = strength(note, ctx)
    if how is None and _activity(note) and not _some_body(note, ctx):
        return True  # 放課後の居場所のチラシ配布: what the body did (a place word inside it)
    topic, of, kind = note.rpartition("の")
    if of and how == "generic" and strength(kind, ctx) == "generic" and \
            strength(topic, ctx) is None and not ADMIN_SCOPE.match(note) and \
            place_prefix(note, ctx) is None and f"{topic}の" not in ctx.rules.vague_scopes:
        return True  # ICT講座の講師: the body's people as what it provides
    return not how and note[-1] not in "会団" and \
        not _facility(note, ctx) and not _some_body(note, ctx)


def _line_note(pieces: list[str], ctx: Context) -> str | None:
    """``帯広畜産大学、帯広大谷短期大学(学生ボランティア)``: a role note that closes a short list
    line, none of whose other items has a note, is the role of each item."""
    if not 2 <= len(pieces) <= 3 or not pieces[-1].rstrip().endswith(")"):
        return None
    if any(split_paren(p)[1] for p in pieces[:-1]):
        return None
    name, note = split_paren(pieces[-1])
    if not note or COUNT.match(note) or _ACRONYM.fullmatch(note) or \
            place_prefix(note, ctx) is not None:
        return None
    defined = DEFINITION.fullmatch(f"({note})")
    if defined and (defined.group(1) or is_abbreviation(defined.group(2), name)):
        return None  # A、B(以下、B社): a short name of the last
    return note if _role_note(note, ctx) else None


@cache
def _word_set(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(words)


@cache
def _word_ends(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w[-1] for w in words if w)


def people_only(name: str, words: tuple[str, ...]) -> bool:
    """Whether ``name`` is written wholly with words for a body's people (学生|ボランティア)."""
    if not name:
        return False
    known = _word_set(words)
    ends = {0}
    for end in range(1, len(name) + 1):
        if any(name[start:end] in known for start in ends if start < end):
            ends.add(end)
    return len(name) in ends


def _shared_notes(pieces: list[str], ctx: Context) -> dict[str, str]:
    """``A・B・C(配布拠点)``: a role note after the last of a ・ group is the role of each."""
    out: dict[str, str] = {}
    for piece in pieces:
        items = _joined_middots([piece], ctx)
        note = split_paren(items[-1])[1] if len(items) > 1 else None
        defined = DEFINITION.fullmatch(f"({note})") if note else None
        if defined and (defined.group(1) or is_abbreviation(defined.group(2),
                                                            split_paren(items[-1])[0])):
            continue
        if note and not strength(note, ctx) and not COUNT.match(note) and note[-1] not in "会団" \
                and not _COMPOSED.search(note) and not _named_facility(note) \
                and not any(split_paren(i)[1] for i in items[:-1]):
            # (A(note)・B・C(note): each has its own; A・B(C、Dで構成): B's members)
            out.update((item, note) for item in items[:-1])
    return out


def _joined_middots(items: list[str], ctx: Context, prose: bool = False) -> list[str]:
    """Split each item at ・ unless the ・ is inside one name: ESD・市民協働推進センター (a short
    part before that names nothing alone), 民生委員・児童委員 (one kind), わいわいみ・な・み."""
    out: list[str] = []
    for item in items:
        parts = split_top(item, "・")
        merged: list[str] = []
        for part in parts:
            # in prose, the name that ends the text before ・ (〜が運営する|岡山市ESD・…)
            before = _left_name(ctx.rules, merged[-1])[0] if merged and (
                prose or is_prose(merged[-1])) else merged[-1] if merged else ""
            if merged and before and _one_name(before, part, ctx):
                merged[-1] = merged[-1] + "・" + part
                continue
            merged.append(part)
        out.extend(merged)
    return out


def _one_name(before: str, part: str, ctx: Context) -> bool:
    """Whether ``before・part`` is one name (the list's and the prose scan's one test)."""
    whole = before + "・" + part
    if strength(strip_legal_form(ctx.rules, split_paren(whole)[0])[0], ctx) == "known":
        return True  # 全国こども食堂支援センター・むすびえ: a body the rules know by name
    # NPO法人ちくご・ひとり親サポートの会: the legal form vouches for the whole name
    left, form = strip_legal_form(ctx.rules, split_paren(before)[0])
    if form and form.startswith("(") and strength(part, ctx) in {"known", "legal", "strong"}:
        # (株)藤崎・みやぎ生協: a short form closes a name, then another body (a written-out
        # form vouches for what follows: NPO法人 せんだい・みやぎ…)
        return False
    if form and not form.startswith("(") and _ends_in_common_noun(left) and \
            strength(split_paren(part)[0], ctx) in {"known", "legal", "strong"} and \
            (_place_stem_lead(part, ctx) or strip_legal_form(ctx.rules, part)[1]) and \
            not _inner_middot(left, part, whole, ctx) and whole not in ctx.rules.generic_terms:
        return False  # 株式会社御池織物・京都生活協同組合: a company's name, then another body
    return whole in ctx.rules.generic_terms or len(part) <= 1 or len(left) <= 1 or \
        _inner_middot(left, part, whole, ctx) or (
            len(_unplaced(left, ctx)) <= 4 and strength(_unplaced(left, ctx), ctx) is None
            and strength(split_paren(whole)[0], ctx) is not None
            and place_prefix(part, ctx) is None
            and strip_legal_form(ctx.rules, part)[1] is None  # ・NPO法人B: a new body
        )


def _place_stem_lead(name: str, ctx: Context) -> bool:
    """京都|信用金庫, 岡山|生協: a name that starts with a place (a prefecture or a place of
    the case, with or without its 都府県市町村)."""
    if ctx.rules.places.match_prefix(name) is not None:
        return True
    stems = {p[:-1] for p in ctx.rules.places.prefectures if len(p) >= 3} | \
        {p.name[:-1] for p in ctx.places if len(p.name) >= 3}
    return any(name.startswith(stem) and len(name) > len(stem) + 1 for stem in stems)


def _ends_in_common_noun(name: str) -> bool:
    """御池|織物, 四条|織物: a name that ends in a common noun of two characters or more (not a
    place: せんだい・みやぎ…, not a kana word)."""
    toks = tokens(name)
    return len(toks) >= 2 and toks[-1].sub == "普通名詞" and len(toks[-1].surface) >= 2 and \
        _KANJI_RUN.fullmatch(toks[-1].surface) is not None


_KANJI_RUN = re.compile(r"[\u4e00-\u9fff々]+")
_KATAKANA = re.compile(r"[\u30a0-\u30ffー]{2,}")


def _inner_middot(left: str, part: str, whole: str, ctx: Context) -> bool:
    """男女参画・こども局, 子ども・子育て支援課, 民生委員・児童委員協議会: a ・ between two common
    nouns inside one name. The part before names no body (no body suffix, a common noun at
    its end, not a proper name such as 藤崎) and the part after is a unit that needs a parent
    (こども局, 子育て支援課), not a body of its own (つなぐ子ども未来・村雲小学校)."""
    rules = ctx.rules
    if any(left.endswith(a) and part.startswith(b) for a, b in rules.middot_terms):
        return True  # 民生委員・児童委員: a kind written with ・
    if _KATAKANA.fullmatch(left) and _KATAKANA.fullmatch(split_paren(part)[0]) and \
            strength(left, ctx) is None and strength(split_paren(part)[0], ctx) is None:
        return True  # グッドネイバーズ・ジャパン: the ・ between the words of a foreign name
    bare = _unplaced(left, ctx)
    if strength(left, ctx) is None and _coordinated_noun(bare, split_paren(part)[0], ctx):
        return True  # こうち孤独・孤立対策…プラットフォーム: 孤独・孤立 are one modifier
    if not bound(rules, split_paren(part)[0]) or suffix_rule(rules, bare) is not None:
        return False  # (asked first: the analyser is slower)
    toks = tokens(bare)
    return bool(toks) and toks[-1].sub == "普通名詞" and strength(bare, ctx) is None \
        and place_prefix(part, ctx) is None and strip_legal_form(rules, part)[1] is None


def _coordinated_noun(left: str, part: str, ctx: Context) -> bool:
    """``孤独・孤立対策ネットワーク``: a lone common noun (or a short compound of them) before ・,
    no body nor the name of one, coordinated with the common noun that starts a longer name
    after it."""
    if not 2 <= len(left) <= 6 or len(part) <= len(left) or strength(left, ctx) is not None \
            or re.search(r"[\u30a1-\u30fa]", left):  # ノースパン・…: a shop's own name
        return False
    toks, after = tokens(left), tokens(part)
    # (a compound of common nouns too: 障害者就業・生活支援センター)
    return 1 <= len(toks) <= 3 and all(t.pos == "名詞" and t.sub == "普通名詞" for t in toks) and \
        len(after) >= 2 and after[0].pos == "名詞" and after[0].sub == "普通名詞" and \
        place_prefix(part, ctx) is None and strip_legal_form(ctx.rules, part)[1] is None


def _government(name: str, ctx: Context) -> Place | None:
    """The government a place name or its office names (白山市, 白山市役所)."""
    return resolve_place(name, ctx) or office_place(name, ctx)


def _distribute(items: list[str], ctx: Context) -> list[str]:
    """水戸市及びひたちなか市の社会福祉協議会 → one item per place."""
    out: list[str] = []
    for item in items:
        m = SHARED_NOUN.match(item)
        places = [m.group(1), m.group(2)] if m else []
        each = EACH_NOUN.match(item)
        if m and all(resolve_place(p, ctx) is not None for p in places):
            out.extend(place + m.group(3).removeprefix("各") for place in places)
        elif each and _government(each.group(1), ctx) is not None:
            # 志木市、朝霞市の各社会福祉協議会 / 〜市役所、〜市役所の各子育て支援課: the places
            # before share the noun too
            run = len(out)
            while run > 0 and _government(out[run - 1], ctx) is not None:
                run -= 1
            out[run:] = [g.name + each.group(2) for g in
                         (_government(p, ctx) for p in [*out[run:], each.group(1)]) if g]
        else:
            out.append(item)
    return out


def _particles(text: str) -> frozenset[int]:
    """The offsets of the characters of ``text`` the analyser reads as particles."""
    out: set[int] = set()
    pos = 0
    for t in tokens(text):
        if t.pos == "助詞":
            out.update(range(pos, pos + len(t.surface)))
        pos += len(t.surface)
    return frozenset(out)


def _left_name(
    rules: Rules, head: str, particles: Callable[[], frozenset[int]] | None = None
) -> tuple[str, int]:
    """The name that ends ``head``: back to the nearest particle, punctuation or verb ending.

    With ``particles`` (the offsets in ``head`` the analyser reads as particles, asked only for
    a kana next to kana), a kana of the stop set that is no particle there is part of a name
    (かしは|ら子ども食堂: the は of a name).
    """
    words = rules.name_words
    start = len(head)
    while start > 0:
        ch = head[start - 1]
        if ch in STOP and not any(ch in w and covers(head, start - 1, w) for w in words) and (
            particles is None or not _KANA_ONLY.match(ch)
            or not (_KANA_ONLY.match(head[max(0, start - 2) : start - 1])
                    or _KANA_ONLY.match(head[start : start + 1]))
            or start - 1 in particles()
        ) and not (ch == "や" and shop_ya(rules, head, start - 1)):
            break
        # 居場所を提供している志木市社協: a name starts after the verb that qualifies it
        if start < len(head) and head[:start].endswith(VERB_ENDINGS):
            break
        start -= 1
    # みやま市, ときがわ町: a place name that holds a particle is read whole
    for begin in range(max(0, start - 4), start):
        match = rules.places.match_at(head[begin:])
        if match is not None and match[1] > start - begin and not covered_stop(head, begin, start):
            return head[begin:], begin
    for form, _ in rules.legal_forms:  # (株)フジ: a bracketed short form belongs to the name
        if form.startswith("(") and head[:start].endswith(form) and start < len(head):
            return head[start - len(form) :], start - len(form)
    return head[start:], start


def shop_ya(rules: Rules, text: str, at: int) -> bool:
    """``有限会社ふじや工務店``, ``株式会社ことぶきや酒店``: the や at ``at``, right after a legal
    form and a few kana and before a kanji word, is a shop name's 屋 written in kana, no
    conjunction."""
    if re.match(r"[\u4e00-\u9fff]", text[at + 1 : at + 2]) is None:
        return False
    kana = re.search(r"[\u3041-\u309f]{1,4}$", text[:at])
    if kana is None or (kana.start() > 0 and _KANA_ONLY.match(text[kana.start() - 1])):
        return False
    return any(text[: kana.start()].endswith(form) for form, _ in rules.legal_forms)


def _scan_item(item: str, ctx: Context, mode: str) -> list[tuple[str, bool]]:
    """The bodies named in a prose fragment: (name, stands-as-a-list-item).

    ``mode`` is ``prose`` (a sentence of the cell), ``desc`` (the description of an
    ``A：description`` line: it mostly describes A) or ``label`` (the text after a category
    label such as ``寺社：`` or ``連携先：``, which names the bodies themselves).
    """
    rules = ctx.rules
    ends = [len(item)] + [
        e for e in range(1, len(item))
        if (item[e:].startswith(TAILS_STRONG) or item[e:].startswith(rules.head_titles))
        # 子ど|も: a kana of a name word is no particle (いわて子ども・若者支援センター)
        and not (item[e] in _word_ends(rules.name_words)
                 and any(item[: e + 1].endswith(w) for w in rules.name_words))
    ]
    whole = TRAILING_ETC.sub("", TRAILING_COUNT.sub("", item))
    if (
        not is_prose(item)
        and not ACTION.search(whole)
        and not any(ending in whole for ending in VERB_ENDINGS)  # 蓮田にある薬局 describes
        and strength(whole, ctx) in {"known", "legal", "strong"}
        and ends_as_noun(whole)  # 食材は(株)A や B からの寄付に加え: a clause, not one name
    ):
        return [(whole, True)]  # フードバンクふじのくに: the whole fragment is one name
    found: list[tuple[str, bool]] = []
    floor = last_start = -1  # a later name starts after the previous one
    particles = cache(partial(_particles, item))  # the analyser only when a kana needs it
    # JAわか|やま, こうの|とり: a kana between kana that the analyser reads as no particle ends
    # no name (the analyser only for a kana end inside a kana run)
    ends = [e for e in ends if e == len(item) or not (
        _KANA_ONLY.match(item[e]) and _KANA_ONLY.match(item[e - 1])
        and _KANA_ONLY.match(item[e + 1 : e + 2])) or e in particles()]
    ends = [e for e in ends if item[e : e + 1] != "や" or not shop_ya(rules, item, e)]
    for end in sorted(set(ends)):
        tail = item[end:]
        name, start = _left_name(rules, item[:end], particles)
        kana_before = start > 0 and _KANA_ONLY.match(item[start - 1]) is not None
        for back in range(1, min(start, 5) + 1 if kana_before else 0):
            begin = start - back  # は|ままつ子ども食堂: a kana place read whole
            if (begin == 0 or not _KANA_ONLY.match(item[begin - 1])) and \
                    kana_place_lead(item[begin:end], ctx) > back:
                name, start = item[begin:end], begin
                break
        while start > 1 and item[start - 1] == "・":  # 千代校区民生委員・児童委員協議会
            left, begin = _left_name(rules, item[: start - 1], particles)
            joined = bool(left) and _one_name(left, name, ctx)
            if not (left and joined):  # (NPO法人いわて子ども・若者…: the form vouches)
                break
            name, start = f"{left}・{name}", begin
        # 食材を届けてくれる|株式会社北雄ラッキー (the analyser only where a verb may end)
        clause = attributive_start(name) if _CLAUSE_END.search(name) else None
        if clause and clause > form_kana_lead(name, ctx) and \
                strength(name[clause:], ctx) is not None:
            name, start = name[clause:], start + clause
        for conj in ("及び", "および"):  # 長崎大学及び|活水女子大: a conjunction starts a name
            at = name.rfind(conj)
            if at >= 0 and start + at + len(conj) >= floor:
                name, start = name[at + len(conj) :], start + at + len(conj)
                break
        group = _member_group(rules, tail) if tail.startswith("の") else None
        after = tail[len(group) + 1 :] if group else ""
        owner = strength(strip_noise(rules, name), ctx) if group else None
        if group and (not after or after.startswith(TAILS_LOOSE)) and \
                owner in {"known", "legal", "strong"}:
            # 東北福祉大学の学生サークル: the members' group, a kind of the body's category
            name, tail = f"{name}の{group}", after
            end += len(group) + 1
        else:
            owner = None
            word = _kana_name_tail(name, tail, ctx)
            if word:  # NPO法人ひだまり|のいえ: the kana word after の ends the legal name
                name, tail = f"{name}の{word}", tail[len(word) + 1 :]
                end += len(word) + 1
        if mode == "label" and 0 < start and COLLAB.match(tail) and not is_prose(item[:end]):
            if not covered_stop(item, 0, start):  # ネットワーク：えがお居場所ネットワークと連携し
                name, start = item[:end], 0
        if start < floor and not (found and start == last_start and _extends(name, ctx)):
            continue
        name = strip_noise(rules, name)
        how = owner or strength(name, ctx)
        if how is None and placed_legal(name, ctx)[1] is not None:
            how = "legal"  # 五條市のNPO法人A: the place says where A is (refine splits them)
        counted = _SCOPE_COUNT.match(name) if how is None else None
        if counted and strength(name[counted.end() :], ctx) == "generic":
            how = "generic"  # 市内4つの観光団体: several of a kind in the case's city
        # a list item: the fragment starts with it, or a list connector (や, 及び) precedes it
        led = start == 0 or item[:start].endswith(("や", "及び", "および", "並びに"))
        # 連合町内会の事務局である|北区役所: a noun phrase and である before a name describe it
        led = led or (item[:start].endswith("である") and start > 3)
        # 青年会議所が|県内の食品会社に呼びかけて: the body another found one approached
        led = led or (found != [] and item[:start].endswith("が") and floor == start - 1
                      and bool(COLLAB.match(tail))
                      and not any(t.pos in {"動詞", "助動詞"} for t in tokens(name)))
        # 北区社協をはじめとする|区内5つの地区社協: the kind the body before belongs to
        led = led or (found != [] and
                      item[:start].endswith(("をはじめとする", "をはじめ", "を含む")))
        # 区社協が運営する|ふれあいサロン: a body found right before runs the one named here
        run_by = _RUN_BY.search(item[:start])
        between = item[floor : run_by.start()] if run_by is not None and found else "-"
        # (a bracket may close the body's name: 国際交流協会(以下、SIA)が運営する)
        runs = between == "" or (between.startswith("(") and between.endswith(")")
                                 and between.count("(") == 1)
        led = led or runs
        # 区社協と地域の民生委員に: と right after a body found joins the next one to it
        led = led or (found != [] and item[:start].endswith("と") and floor == start - 1)
        # チラシの配布は|市内の小中学校と: a topic after a content word ends the clause before
        led = led or (item[:start].endswith("は") and start >= 3 and
                      not _KANA_ONLY.fullmatch(item[start - 3 : start - 1]))
        attached = tail.startswith("の") and tail[1:].startswith(rules.attached_words)
        # カフェ北を運営する|社会福祉法人A: what the body after the verb runs is named too
        run_object = _RUNS.match(tail) is not None and how != "generic"  # not 居場所を運営する
        # 円明寺で開かれている「えがお食堂」: the body that hosts what is held there
        venue = _VENUE.match(tail) is not None and how == "weak" and "の" not in name  # (not
        # 北区の中心部で開かれている: a part of a place)
        clean = led and (not tail or tail.startswith(TAILS_LOOSE) or attached or run_object
                         or venue or bool(COLLAB.match(tail)))  # 民生委員に協力いただいた
        collab = clean and bool(COLLAB.match(tail))  # Bと連携し: B is a body
        ok = False
        if how in {"known", "legal", "strong"}:
            ok = not tail or tail.startswith(TAILS_STRONG)
        elif how == "place" and (mode != "desc" or collab):
            # 輪島市・珠洲市から避難している: places as places, not partners
            ok = tail.startswith(rules.head_titles) or (clean and (
                collab or not tail or tail.startswith(("、", "等", "など", "ほか", "及び", "や"))
                or not tail.startswith(_AS_PLACE)))
            ok = ok and not _joined_place_as_place(tail, ctx)
        elif how in {"generic", "weak"}:
            ok = clean and (mode != "desc" or collab)
            # 先行して活動している久枝子ども食堂に: a named body right after the clause that
            # qualifies it, then a case particle
            ok = ok or (mode != "desc" and ends_attributive(item[:start]) and (
                (how == "weak" and tail.startswith(("に", "と", "から", "が", "を", "で", "へ")))
                # 区社協から紹介を受けた民生委員: a past event, not a kind (居場所に関する専門家)
                or (how == "generic" and not tail and item[:start].endswith(("た", "だ")))))
        elif how is None and clean and (runs or run_object) and mode != "desc":
            # (a coined or proper name: ふれあいサロンきた, Share金沢; not 相談窓口)
            ok = _plain_name(name, ctx) and not _ends_in_activity(name) and (
                _COINED.search(name) is not None or proper_name(rules, name))
        elif how is None and mode == "label" and collab and start == 0:
            ok = _plain_name(name, ctx)  # NPO：ナゼワロベースと連携し
        elif how is None and clean and found and start > 0 and mode != "desc" and any(
                item[:start].endswith(j) and floor == start - len(j) for j in _JOINED_BY):
            # 徳島市役所と|ふれあい健康館には, A及び|大阪YMCAからは: joined to a body (not
            # 〜と|官民学連携が: an activity)
            ok = _plain_name(name, ctx) and not _ends_in_activity(name)
        if ok and CREATED.match(tail):
            ok = False  # 実行委員会をつくった: formed by the partners, not one of them
        if ok:
            if found and start == last_start:
                found.pop()  # ホチエリュの会, not ホチエリュ
            found.append((name, clean))
            floor, last_start = end, start
    return found


_KANA_ONLY = re.compile(r"[\u3041-\u309f]+")
_SCOPE_COUNT = re.compile(r"^(?:[区市町村]内の?)?\d+(?:つ|か所|カ所)の")
_RUN_VERBS = r"(?:受託|委託)?(?:運営|経営|設置|開設|管理|運用|構成)(?:する|している|した)"
_COINED = re.compile(r"[\u3041-\u309f\u30a1-\u30faーA-Za-z]")
_RUN_BY = re.compile(r"(?:が|の)" + _RUN_VERBS + "$")  # 区社協が運営する|センター
_RUNS = re.compile(r"^を" + _RUN_VERBS)  # カフェ北|を運営する法人A
_VENUE = re.compile(r"^で(?:開かれ|開催|行われ|毎月開かれ|毎週開かれ)")  # 円明寺|で開かれている
_FORMAL_NOUNS = {"こと", "もの"}  # 形式名詞 the analyser reads as common nouns
_KANA_CHAR = re.compile(r"[\u3041-\u309f\u30a1-\u30faー]+")
_HIRA = re.compile(r"[\u3041-\u309f]+")
_NO_NAME_KANJI = set("方人者員長側分")  # NPO法人Aの方、: people and parts, no name's word
_KANJI = re.compile(r"[\u4e00-\u9fff々]+")


def _kana_name_tail(name: str, tail: str, ctx: Context) -> str | None:
    """``NPO法人ひだまり|のいえと連携``: after a name with its legal form written, ``の`` and a
    kana word that is no formal noun (ため, ほか), person (みなさん) or group of the body, then a
    particle, are the rest of the name (〇〇のいえ, 〇〇のさと, 〇〇のおうち)."""
    if not tail.startswith("の") or not (_KANA_CHAR.match(tail, 1) or _KANJI.match(tail, 1)) or \
            not strip_legal_form(ctx.rules, name)[1]:
        return None
    toks = tokens(tail[1:])
    word = ""
    # NPO法人ふたご|の森かわさき: a one- or two-character common noun then a kana word (a
    # place or a name, 森|かわさき, 丘|ちくま) is the rest of the name too
    lead = len(toks) > 1 and toks[0].pos == "名詞" and toks[0].detail == "一般" and \
        len(toks[0].surface) <= 2 and _KANJI.fullmatch(toks[0].surface) is not None and \
        _HIRA.fullmatch(toks[1].surface) is not None and toks[1].pos == "名詞" and \
        len(toks[1].surface) >= 2
    # NPO法人みのり|の森、: one kanji, a common noun and no person, then a comma or the end
    single = not lead and len(toks) >= 1 and toks[0].pos == "名詞" and \
        toks[0].detail in {"一般", "人名", "地名"} and len(toks[0].surface) == 1 and \
        _KANJI.fullmatch(toks[0].surface) is not None and toks[0].surface not in _NO_NAME_KANJI \
        and tail[2:3] in {"", "、"}
    if single:
        return toks[0].surface
    if lead:
        word, toks = toks[0].surface, toks[1:]
    for t in toks:
        if t.pos in {"助詞", "助動詞"} or not _KANA_CHAR.fullmatch(t.surface):
            break
        word += t.surface
    after = tail[1 + len(word) :]
    if not 2 <= len(word) <= 8 or (after and not after.startswith(TAILS_STRONG)) or \
            after.startswith("の"):
        return None
    if lead:
        return word
    if toks[0].detail in {"副詞可能", "助数詞可能"} or toks[0].pos not in {"名詞", "感動詞"} or \
            word in ctx.rules.attached_words or word in _FORMAL_NOUNS or \
            word.startswith(("みな", "皆")):
        return None
    return word
# 留学生サークル, 地域貢献ゼミ: a members' group word with a word in front of it (no kana)
_GROUP_LEAD = re.compile(r"[\u4e00-\u9fff々\u30a0-\u30ffーA-Za-z]{0,6}")


def _member_group(rules: Rules, tail: str) -> str | None:
    """The members' group that ``tail`` (``の…``) starts with: a group word of the rules,
    maybe with a word in front (の留学生サークル)."""
    lead = _GROUP_LEAD.match(tail, 1)
    end = lead.end() if lead else 1
    found = [(at, g) for g in rules.member_groups
             if 1 <= (at := tail.find(g, 1, end + len(g))) <= end]
    if not found:
        return None
    at, g = min(found, key=lambda f: (f[0], -len(f[1])))  # the earliest, then the longest
    return tail[1:at] + g
_JOINED_BY = ("と", "や", "及び", "および")
# a kana that may end a verb or auxiliary (した, くれる, 通じて) before a non-kana character
_CLAUSE_END = re.compile(r"[たるてでいうくすつむぶぐぬだ](?=[^\u3041-\u309f])")


def _extends(name: str, ctx: Context) -> bool:
    """ホチエリュの会 after ホチエリュ: the longer name ends in a body suffix of its own."""
    rules = ctx.rules
    bare = strip_legal_form(rules, name)[0]
    return suffix_rule(rules, bare) is not None and strength(name, ctx) is not None


def _plain_name(name: str, ctx: Context) -> bool:
    """A short noun that can be a body's own name (it has no body suffix to show it)."""
    rules = ctx.rules
    if any(ch in STOP and not _KANA_ONLY.match(ch) for ch in name) or not _nounish(name) \
            or len(name) > 25:
        return False
    if any(t.pos == "助詞" for t in tokens(name)):
        return False  # a particle the analyser sees (not the kana of かながわ)
    if "の" in name or generic_match(rules, name) or name in rules.generic_terms:
        return False  # 地域の方々
    if name in rules.leading_noise or name.startswith(rules.list_intros):
        return False  # また、…
    return not is_non_body(rules, name) and not is_self(name, ctx)


# 「A」をはじめ…, 「A」を通じて: A is one of the bodies or the one the help came through
_THROUGH = ("をはじめ", "を通じて", "を通して", "を介して", "を経由して")
_OF_EVENT = ("の会場", "の開催", "の実施", "の運営", "の企画", "の参加者")


def _prose_cands(
    sentence: str, role: str | None, ctx: Context, mode: str, hint: str | None = None
) -> list[Cand]:
    """Bodies named inside a sentence."""
    rules = ctx.rules
    out: list[Cand] = []
    text = sentence
    glued: list[tuple[int, str]] = []  # (offset in text, quote) of quotes inside a name
    if mode != "desc":
        pieces_of_text: list[str] = []
        last = 0
        kinds: list[int] = []
        for m in QUOTE.finditer(sentence):
            head = _kind_before(sentence[last : m.start()], ctx)
            if head is not None:
                # 区内のスーパー「A」から: the kind says what A is; refine keeps A (kind_quote)
                pieces_of_text.append(sentence[last : m.start() - len(head)] + PLACEHOLDER)
                kinds.append(m.start())
                out.append(Cand(head + m.group(0), role, hint=hint, vouched=True))
                last = m.end()
                continue
            pieces_of_text.append(sentence[last : m.start()])
            last = m.end()
            if _glued_quote(sentence[: m.start()], ctx):
                # 信州大学の学生サークル「ひだまり」と: the circle's own name, part of its name
                glued.append((sum(map(len, pieces_of_text)), m.group(0)))
                continue
            pieces_of_text.append(PLACEHOLDER)
        pieces_of_text.append(sentence[last:])
        for m in QUOTE.finditer(sentence):
            if m.start() in kinds or _glued_quote(sentence[: m.start()], ctx):
                continue
            name = m.group(1).strip()
            after = sentence[m.end() :]
            # 「いくの多文化共生ネットワーク」(以下、ネットワーク): a short name is defined for it
            defined = DEFINITION.match(after) is not None and strength(name, ctx) is not None
            if (after == "" or after.startswith(QUOTE_TAIL) or defined) and _nounish(name):
                # 「けんぐん夕涼み市」を共催した: what was held or run (an object), unless the
                # name says it is a body
                # 「じゅうそう食堂」の会場は: the venue or running of it, an event too
                held = ((after.startswith("を") and not after.startswith(_THROUGH))
                        or after.startswith(_OF_EVENT)) and \
                    strength(name, ctx) not in {"known", "legal", "strong"}
                if not is_self(name, ctx) and not is_non_body(rules, name) and not held:
                    out.append(Cand(name, role, hint=hint))
        text = "".join(pieces_of_text)
        counted, text = _count_bracket(text, role, ctx, hint)
        out.extend(counted)
        named, text = _clause_named(text, role, ctx)
        out.extend(named)
    # 並びに holds に, a particle that would end the name before it: read it as 及び
    text = re.sub("並びに|ならびに", "及び", text)
    pieces = split_top(text, "、/,")
    items = _joined_middots(pieces, ctx, prose=True)
    # A・B(会場の提供): a note after a ・ group is the role of each (as in a list)
    closed = [p[: p.rfind(")") + 1] if ")" in p else p
              for p in pieces]  # the sentence after the note is no part of the group
    shared = _shared_notes(closed, ctx) if role is None and mode != "desc" else {}
    scans = [_join_placed(item, _scan_item(item, ctx, mode), ctx) for item in items]
    found = [hits[-1] if hits else None for hits in scans]
    for i, hits in enumerate(scans):
        if not hits and mode != "desc":
            neighbour = _list_neighbour(items, found, i, ctx)
            hits = [neighbour] if neighbour else []
        for name, _ in hits:
            noted = _note_role(items[i], name, ctx) if role is None and mode != "desc" else None
            out.append(Cand(name, role or noted or shared.get(items[i]), hint=hint,
                            scope=_clause_scope(items[i], name)))
    out.extend(_counted_list(items, out, role, ctx) if mode != "desc" else [])
    # 輪島市・珠洲市から避難している: a place listed before a place used as a place is one too
    # (the next item's leading place is no body: 当別町から移住した方々の同郷会)
    for i, hits in enumerate(scans[:-1]):
        if hits and resolve_place(hits[-1][0], ctx) is not None and \
                items[i].endswith(hits[-1][0]) and \
                place_prefix(items[i + 1], ctx) is not None and \
                not any(items[i + 1].startswith(name) for name, _ in scans[i + 1]):
            out = [c for c in out if c.mention != hits[-1][0]]
    out = _shared_noun(out, text, ctx)
    for at, quote in glued:  # the quote back after the name it belongs to
        out = [replace(c, mention=c.mention + quote) if text[:at].endswith(c.mention) else c
               for c in out]
    completed = _shared_prefix([c.mention for c in out], ctx)
    out = [replace(c, full=completed[c.mention]) if c.mention in completed else c for c in out]
    return _shared_scope(out, text, ctx)


def _join_placed(item: str, hits: list[tuple[str, bool]], ctx: Context) -> list[tuple[str, bool]]:
    """``新丸子東口商店街の(株)A``: a street or place found before ``の`` and a legal form says
    where the next body is; one candidate (refine places it), not two bodies."""
    out: list[tuple[str, bool]] = []
    for hit in hits:
        if out and f"{out[-1][0]}の{hit[0]}" in item and \
                placed_legal(f"{out[-1][0]}の{hit[0]}", ctx)[1] is not None:
            out[-1] = (f"{out[-1][0]}の{hit[0]}", out[-1][1])
            continue
        out.append(hit)
    return out


def _shared_noun(cands: list[Cand], text: str, ctx: Context) -> list[Cand]:
    """``益城町や西原村の社会福祉協議会`` in prose: the place before the conjunction shares the
    body noun of the place after it (as ``_distribute`` does in a list)."""
    out = list(cands)
    for i in range(len(out) - 1):
        place, nxt = out[i].mention, out[i + 1].mention
        prefix = place_prefix(nxt, ctx)
        if resolve_place(place, ctx) is None or prefix is None or not prefix[1].startswith("の"):
            continue
        noun = prefix[1][1:]
        if strength(noun, ctx) is not None and \
                any(place + join + nxt in text for join in _PLACE_JOINS):
            of = "の" if strength(noun, ctx) == "generic" else ""  # 熊本市の農家: still a kind
            out[i] = replace(out[i], mention=place + of + noun)
    return out


_AS_PLACE = ("から", "の", "で", "に", "へ", "より")  # a place as a place: 〜から転居, 〜の中心
_PLACE_JOINS = ("や", "と", "及び", "および", "・")


def _joined_place_as_place(tail: str, ctx: Context) -> bool:
    """``益城町|や西原村から転居してきた``: a place joined to a place used as a place is one too."""
    for join in _PLACE_JOINS:
        if tail.startswith(join):
            prefix = place_prefix(tail[len(join) :], ctx)
            rest = prefix[1] if prefix is not None else ""
            noun = re.split(r"と|や|に|から|が|を|で|は|も|、|。|\(", rest[1:], maxsplit=1)[0]
            if rest.startswith("の") and strength(noun, ctx) is not None:
                return False  # 益城町や西原村の社会福祉協議会: the noun is shared (below)
            if prefix is not None and rest.startswith(_AS_PLACE) and \
                    not COLLAB.match(rest) and resolve_place(
                        tail[len(join) : len(tail) - len(prefix[1])], ctx) is not None:
                return True
    return False


_CLAUSE_NAME_NEXT = {"と", "や", "及び", "および", "に", "が", "から", "も", "は", "の"}


def _clause_named(text: str, role: str | None, ctx: Context) -> tuple[list[Cand], str]:
    """``ひきこもりと家族の将来を考える旭川父母の会``, ``子どもの未来を守る会``: an association
    named by a clause — a list item that starts with an object, を and a verb in the present
    (考える, 守る, 応援する), then a noun phrase ending in 会 that is no bare kind (not
    地域を見守る町内会). The text is returned with each such name taken out."""
    if not (("を" in text and "会" in text) or any(w in text for w in _ABOUT_WORDS)):
        return [], text  # fast path: the analyser only where the pattern can be
    out: list[tuple[int, int, str, str | None]] = []
    start = 0
    for piece in text.split("、"):
        found = _clause_name_at(piece, ctx) if "を" in piece else None
        about = _ABOUT.match(piece.split("と連携")[0].split("とそれぞれ")[0])
        if found:
            out.append((start, start + len(found), found, None))
        elif about and generic_match(ctx.rules, about.group(2)) and \
                strength(about.group(2), ctx) == "generic":
            # 居場所に関する専門家: a kind described by what it knows, the kind
            out.append((start, start + len(about.group(0)), about.group(0), about.group(2)))
        start += len(piece) + 1
    for begin, end, _, _ in reversed(out):
        text = text[:begin] + PLACEHOLDER + text[end:]
    return [Cand(name, role, vouched=True, full=kind) for _, _, name, kind in out], text


_ABOUT_WORDS = ("に関する", "についての", "に詳しい")
_ABOUT = re.compile(r"^([^、。]{1,20}?)(?:に関する|についての|に詳しい)([^、。をにがはで]{2,10}?)"
                    r"(?=$|と|や|、)")


def _clause_name_at(piece: str, ctx: Context) -> str | None:
    toks = tokens(piece)
    at = 0
    i = 0
    for i, t in enumerate(toks):  # noqa: B007 (i is where を is, used below)
        if t.surface == "を" and t.pos == "助詞":
            break
        if not (t.pos == "名詞" or (t.pos == "助詞" and t.surface in {"の", "と"})):
            return None  # only the object's nouns before を (not 地域で…: an adverbial clause)
        at += len(t.surface)
    else:
        return None
    if i < 1 or i + 2 >= len(toks):
        return None
    j = i + 1
    if toks[j].pos == "名詞" and toks[j].detail == "サ変可能" and j + 1 < len(toks):
        j += 1  # 応援|する
    verb = toks[j]
    if verb.pos != "動詞" or not verb.form.startswith("連体形") or verb.surface.endswith("た"):
        return None
    name_end = offset = sum(len(t.surface) for t in toks[: j + 1])
    for t in toks[j + 1 :]:
        if (t.pos == "助詞" and t.surface != "の") or t.pos not in {"名詞", "助詞", "接尾辞"}:
            break
        offset += len(t.surface)
        if t.surface.endswith("会"):
            name_end = offset
    after = piece[name_end:]
    noun = piece[sum(len(t.surface) for t in toks[: j + 1]) : name_end]
    if noun == "会" and after.startswith(("に", "で")):
        return None  # 意見を交換する会に参加した: a meeting, not a group
    if name_end == sum(len(t.surface) for t in toks[: j + 1]) or \
            (after and not after.startswith(tuple(_CLAUSE_NAME_NEXT))) or \
            (noun != "会" and (strength(noun, ctx) not in {None, "weak"}
                               or _is_bare_kind(noun, ctx))):
        return None  # (守る会: the clause is the whole name; 居場所を運営する|北区社協: a body)
    return piece[:name_end]


def is_kind(name: str, ctx: Context) -> bool:
    """青果店, スーパー, ブラジル食品店: a kind of body, maybe after a common or a country word."""
    if strength(name, ctx) == "generic":
        return True
    return any(strength(name[i:], ctx) == "generic" and
               all(t.pos == "名詞" for t in tokens(name[:i]))
               for i in range(1, min(len(name) - 1, 6)))


def _kind_before(before: str, ctx: Context) -> str | None:
    """The kind of body (with a short scope before its の: 区内のスーパー, 駅前の喫茶店) that
    ends ``before`` right before a quote, when it is one."""
    if not before or before[-1] in STOP:
        return None
    name = _left_name(ctx.rules, before)[0]
    scope, of, kind = name.rpartition("の")
    if len(kind) < 2 or is_prose(name) or not is_kind(kind, ctx) or \
            (of and not 2 <= len(scope) <= 6):
        return None
    return name


def _glued_quote(before: str, ctx: Context) -> bool:
    """Whether a quote right after ``before`` names part of the body that ends it: a group or
    a body written right before it, no particle or verb between (落語研究会「楽笑」)."""
    if not before or before[-1] in STOP:
        return False
    name = _left_name(ctx.rules, before)[0]
    return len(name) >= 2 and not is_prose(name) and (
        name.endswith(ctx.rules.member_groups)
        or strength(name, ctx) in {"known", "strong", "weak"})


# 5団体(A、B、C、D、E), 3つの子ども食堂(A、B、C): a count, then the bodies it counts
_COUNT_BRACKET = re.compile(r"(\d+)(?:つ|か所|カ所)?の?([^\d()、。]{0,12}?)\(([^()]+)\)")
_IN_CLAUSE = re.compile(r"([区市町村])内(?:に|で|の)")


def _count_bracket(text: str, role: str | None, ctx: Context,
                   hint: str | None) -> tuple[list[Cand], str]:
    """The bodies listed in the bracket after a count of them, when the count matches (the
    count itself names no body: ``市内で…を運営する5団体(A、B、…)と``); the text with the
    count and its bracket taken out. A ``市内で`` clause before the count places them."""
    out: list[Cand] = []
    for m in list(_COUNT_BRACKET.finditer(text))[::-1]:
        items = [_unquoted(i.strip()) for i in split_top(m.group(3), "、,")]
        if len(items) != int(m.group(1)) or len(items) < 2 or \
                not all(_nounish(i) and not is_self(i, ctx) for i in items):
            continue
        scope = _IN_CLAUSE.search(text[: m.start()])
        kind = generic_match(ctx.rules, m.group(2)) if m.group(2) else None
        out[:0] = [Cand(i, role, hint=kind or hint, scope=scope.group(1) if scope else None,
                        vouched=True) for i in items]
        text = text[: m.start()] + PLACEHOLDER + text[m.end() :]
    return out, text


# 区内の, 市内の: a scope of the case's own government (not 県内の: a prefecture is no municipality)
ADMIN_SCOPE = re.compile(r"^([区市町村])内の?")


_IN_SCOPE = re.compile(r"([区市町村])内(?:に|で|の)[^、。]*$")


def _clause_scope(item: str, name: str) -> str | None:
    """``区内に事務所を置く|NPO法人A``: a clause that places the body in the case's ward or city,
    right before its name (the analyser only when the clause is there)."""
    at = item.find(name)
    before = item[:at] if at > 0 else ""
    m = _IN_SCOPE.search(before)
    return m.group(1) if m and ends_attributive(before) else None


def _shared_scope(cands: list[Cand], text: str, ctx: Context) -> list[Cand]:
    """``区内の小学校や中学校``: a government's scope before a kind joined by や/と/及び to a bare
    kind is the scope of both."""
    for i in range(len(cands) - 1):
        scope = ADMIN_SCOPE.match(cands[i].mention)
        right = cands[i + 1].mention
        if scope is None or cands[i + 1].scope or \
                strength(without_attached(right, ctx), ctx) != "generic" or \
                ADMIN_SCOPE.match(right) or strength(cands[i].mention, ctx) != "generic":
            continue
        if any(cands[i].mention + j + right in text for j in ("や", "と", "及び", "および")):
            cands[i + 1] = replace(cands[i + 1], scope=scope.group(1))
    return cands


# A、B及びC(以下、3団体): the text counts the bodies it has just listed
_COUNTED = re.compile(r"^(.+?)\(以下[、,]?「?(\d+)(?:団体|者|機関|社)」?\)")
_JOINS = re.compile(r"及び|および|並びに|ならびに")  # not や/と: kana names hold them


def _counted_list(items: list[str], found: list[Cand], role: str | None,
                  ctx: Context) -> list[Cand]:
    """The names of a list the text counts (``(以下、3団体)``), when the count matches."""
    for i, item in enumerate(items):
        m = _COUNTED.match(item)
        if m is None:
            continue
        names = [*items[:i], m.group(1)]
        parts = [p for name in names for p in _JOINS.split(name) if p]
        start = len(parts) - int(m.group(2))
        if start < 0:
            continue
        listed = parts[start:]
        if start > 0:  # the first counted part may carry the sentence before it
            listed[0] = _left_name(ctx.rules, listed[0])[0]
        # the count vouches for the names, even one holding a particle (徳島を良くし隊)
        if all(1 < len(p) <= 40 and ends_as_noun(p) and not is_self(p, ctx) for p in listed):
            have = {c.mention for c in found}
            return [Cand(p, role) for p in listed if p not in have]
    return []


def _list_neighbour(
    items: list[str], found: list[tuple[str, bool] | None], i: int, ctx: Context
) -> tuple[str, bool] | None:
    """A plain noun between two list items that are bodies is a body too (…・ガールスカウト・…)."""
    rules = ctx.rules
    left = found[i - 1] if i > 0 else None
    right = found[i + 1] if i + 1 < len(items) else None
    item = items[i]
    m = re.match(r"^(.+?)(?:等|など|ほか)(?:と|が|の|に|を|で|も|、|$)", item)
    name = m.group(1) if m else item
    closes = m is not None and (i == len(items) - 1 or bool(COLLAB.match(item[len(name) :])))
    if not ((right and right[1]) or closes):
        return None
    if not (left and left[1]):
        # the first item of a list whose next item is a body: ゼハプテラス・城町町内会等と
        # (or after a lead-in that ends in a particle: 他にも、A、横浜市、…)
        first = i == 0 or (found[i - 1] is None and
                           items[i - 1].endswith(("も", "は", "には", "では", "として")))
        return (name, True) if first and right and right[1] and _plain_name(name, ctx) else None
    # kana inside a list item are part of the name (えがお居場所ネットワーク), punctuation is not
    if covered_stop(name, 0, len(name)) or not _nounish(name) or len(name) > 25:
        return None
    if is_non_body(rules, name) or is_self(name, ctx):
        return None
    return name, True


def line_cands(line: str, ctx: Context) -> list[Cand]:
    """Candidates of one line of the partner cell."""
    out: list[Cand] = []
    parts = BRACKET_ROLE.split(line)
    segments = [(None, parts[0])] + [
        (parts[i].strip(), parts[i + 1]) for i in range(1, len(parts) - 1, 2)
    ]
    for role, segment in segments:
        for sentence in split_top(segment, "。"):
            out.extend(_sentence_cands(sentence, role, ctx))
    return out


def _sentence_cands(
    sentence: str, role: str | None, ctx: Context, prose_mode: str = "prose"
) -> list[Cand]:
    rules = ctx.rules
    if _announces_list(rules, sentence):
        # 以下の団体・店舗の協力を受けた: the bodies are in the list that follows (or after ：)
        rest = sentence.split(":", 1)[1] if ":" in sentence else ""
        return _sentence_cands(rest, role, ctx, "label") if rest.strip() else []
    m = HEAD.match(sentence)
    if m and not _nounish(without_parens(m.group(1))) and ")" not in m.group(1):
        # 配達に対応している|地元の商店・薬局:チラシの設置: the clause describes the bodies
        cut = attributive_start(m.group(1))
        if cut and _nounish(m.group(1)[cut:]) and strength(
                _unplaced(split_top(m.group(1)[cut:], "・")[-1], ctx), ctx) is not None:
            m = HEAD.match(m.group(1)[cut:] + ":" + m.group(2))
    if m and _nounish(without_parens(m.group(1))):
        head, desc = m.group(1).strip(), m.group(2).strip().rstrip("。")
        head_bare = without_attached(split_paren(head)[0], ctx)  # 岡山大学の学生：学習支援
        if COUNT.match(desc) or head_bare.endswith(("数", "件数")):
            return []  # 連携団体数：15団体
        hint = generic_match(rules, head_bare)
        # 蓮田にある薬局: a noun phrase describing the head, not a sentence of what it did
        described = not is_prose(desc) and any(ending in desc for ending in VERB_ENDINGS)
        # 寺社：A、B is a kind heading its bodies; 区内の薬局：チラシの設置 is one scoped kind
        scoped = "の" in head_bare or "内" in head_bare[:5]
        kind = (hint and not scoped) or expand_abbreviation(rules, head_bare) in rules.place_bound
        is_role = head_bare in rules.role_labels or (
            strength(head_bare, ctx) is None and not described and (
                _lists_bodies(desc, ctx) or (_activity(head_bare) and _some_body(desc, ctx))
                # (names whose kana look like a verb to is_prose: JAおお|いた)
                or (_activity(head_bare) and _lists_sure_bodies(desc, ctx)))
        )  # 後援：横浜市、川崎市 / 情報共有：豊島区社協、北区社協 / 食材の提供：A、B、C
        # (1)拠点の子ども食堂：A(久留米市)、B(佐賀市): a scoped kind heading the named bodies
        # of that kind is their role (a kind with one activity after it is one body)
        is_role = is_role or (hint is not None and scoped and _names_of_kind(desc, ctx))
        if head_bare.endswith(rules.head_labels) or is_role:  # 連携先：A、B
            # 地域：A、B: a label that says the bodies are listed, no role of theirs
            labelled = is_role and not head_bare.endswith(rules.head_labels)
            return _sentence_cands(desc, head_bare if labelled else role, ctx, "label")
        if kind and not described:  # 行政：横浜市、川崎市 / 寺社：宝幢寺と連携し
            if is_prose(desc):
                inner = _prose_cands(desc, role, ctx, "label", hint=hint)
                if inner and not desc.startswith(inner[0].mention):
                    inner = []  # 小学校：…小学校からの連絡をきっかけに、…: the head is the body
            else:
                inner = _list_cands(desc, role, ctx, hint=hint)
            if all(strength(c.mention, ctx) is None and _activity(c.mention) for c in inner):
                inner = []  # 弁護士：月1回の無料法律相談: what the kind did, not bodies
            if inner:
                return inner
            # else a kind of body with what it did: 民生委員：見守りに協力いただいた
        cands = [
            replace(c, role=c.role if c.role != role else desc, desc=desc)
            for c in _list_cands(head, role, ctx)
        ]
        place = resolve_place(head_bare, ctx)
        # a kind in the role text is the head's own people (北九州市立大学：学生ボランティアの派遣)
        inner = [replace(c, head_place=place) for c in _prose_cands(desc, None, ctx, "desc")
                 if strength(c.mention, ctx) != "generic"]
        return cands + inner
    if _prose_beside_names(sentence, ctx) or (ends_in_predicate(sentence) and not
                                              _kana_name_prose(split_top(sentence, "、")[-1], ctx)):
        return _prose_cands(sentence, role, ctx, prose_mode)
    return _list_cands(sentence, role, ctx)


_SURE = {"known", "legal", "strong"}


def _prose_beside_names(text: str, ctx: Context) -> bool:
    """Whether ``text`` is prose outside the names it lists: the kana of a name that looks like
    a verb (JAおお|いた, 大分 in kana) makes no prose of a list of names."""
    if not is_prose(text):
        return False
    items = split_top(text, "、/,")
    return len(items) < 2 or any(is_prose(i) and not _kana_name_prose(i, ctx) for i in items)


_NAME_KANA_PROSE = re.compile(r"いた|いる|ない|おり")


def _kana_name_prose(item: str, ctx: Context) -> bool:
    """``JAおおいた``: a body named surely whose only prose marker is a kana pair at the end of
    its kana (a place's reading, not a verb)."""
    bare = split_paren(item)[0]
    if strength(TRAILING_ETC.sub("", bare), ctx) not in _SURE:
        return False
    marks = list(PROSE_MARKS.finditer(without_parens(bare)))
    return bool(marks) and all(_NAME_KANA_PROSE.fullmatch(m.group(0)) for m in marks) and \
        not any(t.pos == "助詞" for t in tokens(bare))  # (…からも提供いただいた: a clause)


_BESIDES = ("ほか", "他", "以外")


def _announces_list(rules: Rules, sentence: str) -> bool:
    """以下の団体と連携した, 主な連携先は以下の通り: a sentence that announces a list."""
    for intro in rules.list_intros:
        if sentence.startswith(intro) and sentence[len(intro) :].startswith(_BESIDES):
            return False  # 上記のほか、自治会や企業から: bodies besides those above follow
        if sentence.startswith(intro) or (intro.endswith(("通り", "とおり")) and intro in sentence):
            return True
    return False


# 受入れ, 受け取り, 見守り, 貸出し: a noun made from a verb's 連用形 (kanji with kana okurigana of
# the い/え row at its end) names an action, like a サ変 noun
_DEVERBAL = re.compile(r"[\u4e00-\u9fff々](?:[\u3041-\u309f][\u4e00-\u9fff々]+)?"
                       r"[いきぎしじちにびみりえけげせぜてでねべめれ]$")


def _activity(text: str) -> bool:
    """食材の提供, 相談支援, 就労体験の受入れ: a head that ends in an activity noun (サ変, or a
    noun made from a verb) is a role, not a body."""
    toks = tokens(text)
    if not toks:
        return False
    last = toks[-1]
    return last.detail == "サ変可能" or (
        last.pos == "名詞" and last.sub == "普通名詞" and bool(_DEVERBAL.search(last.surface)))


def _ends_in_activity(text: str) -> bool:
    """官民連携, 情報共有: the head of a compound (its last word) is an activity noun. Mode C
    reads some compounds as one word, so the last two characters are read on their own too."""
    toks = tokens(text)
    if not toks:
        return False
    last = toks[-1].surface
    head = tokens(last[-2:]) if len(last) > 2 else ()
    return toks[-1].detail == "サ変可能" or (bool(head) and head[-1].detail == "サ変可能")


def _some_body(text: str, ctx: Context) -> bool:
    """Whether ``text`` is a list (no sentence) with at least one item that surely names a body
    (the kana of a name that looks like a verb, JAおお|いた, makes no sentence of it)."""
    if _prose_beside_names(text, ctx):
        return False
    items = [split_paren(i)[0] for i in _joined_middots(split_top(text, "、/,"), ctx)]
    # 子ども食堂マップの作成: a phrase headed by an act names what was done, not a body
    return any(strength(TRAILING_ETC.sub("", i), ctx) in {"known", "legal", "strong"}
               and not ("の" in i and _activity(i)) for i in items)


def _lists_bodies(text: str, ctx: Context) -> bool:
    """Whether ``text`` is a list whose items all name bodies (not one place: that is where)."""
    if is_prose(text):
        return False
    items = [split_paren(i)[0] for i in _joined_middots(split_top(text, "、/,"), ctx)]
    strengths = [strength(TRAILING_ETC.sub("", i), ctx) for i in items]
    if not items or not all(strengths) or strengths == ["place"]:
        return False
    return True


def _names_of_kind(text: str, ctx: Context) -> bool:
    """``A(久留米市)、B(佐賀市)``: two names at least, each a body or a coined name, no
    activity, brackets only places."""
    if _prose_beside_names(text, ctx):
        return False
    items = [split_paren(i) for i in split_top(text, "、/,")]
    return len(items) >= 2 and all(
        _nounish(name) and not _activity(name)
        and (strength(name, ctx) is not None or _COINED.search(name) is not None)
        and (paren is None or resolve_place(paren, ctx) is not None)
        for name, paren in items)


def _lists_sure_bodies(text: str, ctx: Context) -> bool:
    """Whether every item of ``text`` (a ``、`` list) is a body, one at least named surely."""
    items = [split_paren(i)[0] for i in split_top(text, "、/,")]
    strengths = [strength(TRAILING_ETC.sub("", i), ctx) for i in items]
    return bool(items) and all(strengths) and any(s in _SURE for s in strengths)


def scene_cands(scenes_text: str, ctx: Context) -> list[Cand]:
    """Bodies under 【会場】 / 【連携】 in section (3)."""
    rules = ctx.rules
    out: list[Cand] = []
    labels = rules.scene_labels
    for line in scenes_text.split("\n"):
        m = SCENE_LINE.match(line.strip())
        if m and m.group(1).strip() in labels:
            out.extend(_list_cands(m.group(2), m.group(1).strip(), ctx))
    return out


def split_before_legal_forms(rules: Rules, raw: str) -> str:
    """``…協議会 株式会社ミヤケン`` → ``…協議会、株式会社ミヤケン``.

    A layout space cannot be told from a list separator, except before a legal form that
    follows a complete body name.
    """
    forms = tuple(form for form, _ in rules.legal_forms)
    # "・ " glued to a word is a layout space inside a list, not a bullet (会場提供・ 情報共有)
    text = re.sub(r"(?<=[^\s>。])・\s+", "・", nfkc(raw))
    text = re.sub(r"【[^】]*】", lambda m: re.sub(r"\s+", "", m.group(0)), text)
    parts = re.split(r"( +)", text)
    for i in range(1, len(parts) - 1, 2):
        left = re.split(r"[、・,\s>】。]", parts[i - 1])[-1]
        if parts[i + 1].startswith(forms) and suffix_rule(rules, left) is not None:
            parts[i] = "、"
    return "".join(parts)
