"""Refining candidate mentions with the analyser: one candidate may be no body, or two.

Each step is general Japanese grammar, not a list of names: an honorific after a name is
dropped, a person attached to a body (の学生) leaves the body, two bodies joined by a
conjunction (A及びB, AやB, AとB) become two, an attributive clause or a topic in front of a name
(〜で知り合ったX大学, 〜の配布は市内の小中学校) is cut off, a predicate after it (〜に加盟) too,
a fragment that ends in a verb or adjective is no body, 両市の〜 is one body per place, and
bodies named in the bracket after a name (its operator, secretariat, members) are added.
"""

from __future__ import annotations

import re
from dataclasses import replace

from graph.partners.analyse import (
    attributive_start,
    conjunction_spans,
    ends_as_noun,
    particle_at,
    particle_start,
    tokens,
    trailing_predicate,
    without_honorific,
)
from graph.partners.categorise import (
    categorise,
    generic_match,
    proper_name,
    strip_legal_form,
    suffix_rule,
)
from graph.partners.context import (
    Context,
    form_kana_lead,
    home,
    kana_place_lead,
    place_prefix,
    placed_legal,
    shorthand,
    strength,
    without_attached,
)
from graph.partners.grammar import COUNTED_KIND, is_prose, split_paren, split_top
from graph.partners.mentions import ADMIN_SCOPE, Cand, is_kind, people_only, shop_ya
from graph.partners.rules import DEFAULT_CATEGORY

_SURE = {"known", "legal", "strong", "place"}


def _clean(name: str, ctx: Context) -> str:
    return without_attached(without_honorific(name), ctx)


def _legal_start(name: str, ctx: Context) -> str:
    """``家具製造(株)ユーロ工房`` → ``(株)ユーロ工房``: a legal form after a description starts
    the name (not after a proper name: 損害保険ジャパン(株)広島支店 is one body)."""
    if any(name.startswith(form) for form, _ in ctx.rules.legal_forms):
        return name  # 生活協同組合おおさかパルコープ: the name starts with its form already
    for form, _ in ctx.rules.legal_forms:
        pos = name.find(form, 1)
        # 広島県生活|協同組合連合会: a form inside a longer form (生活協同組合) starts no name
        if pos > 0 and any(name[: pos + len(form)].endswith(longer) and len(longer) > len(form)
                           for longer, _ in ctx.rules.legal_forms):
            continue
        if pos > 0 and len(name) > pos + len(form) + 1:
            toks = tokens(name[:pos])
            # 家具製造|(株)ユーロ工房: an activity noun (サ変可能) describes the business
            if toks and toks[-1].detail == "サ変可能" and strength(name[:pos], ctx) is None:
                return name[pos:]
    return name


def _legal_owner(name: str, ctx: Context) -> str:
    """``社会福祉法人こころの家族のデイサービスセンター`` → ``社会福祉法人こころの家族``: the legal
    form marks the corporation, so a facility of a kind after its の is the corporation's."""
    if "の" not in name or not any(name.startswith(form) for form, _ in ctx.rules.legal_forms):
        return name
    owner, _, facility = name.rpartition("の")
    bare = strip_legal_form(ctx.rules, owner)[0]
    if not particle_at(name, len(owner)) or \
            kana_place_lead(name[len(owner) - len(bare) :], ctx) > len(bare):
        # 株式会社あづみの農園, むさしの工房: the の of a place word (安曇野, 武蔵野 in kana)
        return name
    if facility and strength(owner, ctx) == "legal" and \
            strength(facility, ctx) in {"generic", "weak"} and not proper_name(ctx.rules, facility):
        rule = suffix_rule(ctx.rules, facility)
        if strength(facility, ctx) == "weak" and rule is not None and rule[1] == DEFAULT_CATEGORY:
            return name  # 一般社団法人ふくいのこども応援団: a group's word (団, 会), not a facility
        return owner
    return name


def _is_office_only(name: str, ctx: Context) -> bool:
    """本店, 市内8支店: an office of the body the line is about, not a body."""
    parts = [p for p in re.split("及び|および|・|と|や", re.sub(r"\d+", "", name)) if p]
    for scope in ("市内", "県内", "町内", "村内", "区内", "管内", "各"):
        parts = [p.removeprefix(scope) for p in parts]
    return bool(parts) and all(p in ctx.rules.office_words for p in parts)


def _split_conjunctions(name: str, ctx: Context) -> list[str]:
    """``大桑村社会福祉協議会及び大桑村公民館`` → both, when every part names a body."""
    spans = [(a, b) for a, b in conjunction_spans(name)
             if not (name[a:b] == "や" and shop_ya(ctx.rules, name, a))]
    if not spans or strength(name, ctx) == "known":
        return [name]
    parts, last = [], 0
    for start, end in spans:
        parts.append(name[last:start])
        last = end
    parts.append(name[last:])
    # 区社協から紹介を受けた民生委員や…: the clause in front belongs to the first part only
    parts = [_trim(_clean(p, ctx), ctx) if i == 0 else _clean(p, ctx)
             for i, p in enumerate(parts)]
    # 金沢大学の教員や学生: the people after the conjunction belong to the body before it
    parts = [p for i, p in enumerate(parts) if i == 0 or p not in ctx.rules.attached_words]
    if all(p and strength(p, ctx) is not None for p in parts):
        return parts
    return [name]


def _shared_government(name: str, ctx: Context) -> list[tuple[str, str | None]] | None:
    """``岡崎市額田支所及び六ツ美支所`` → (the first, None), (``六ツ美支所``, ``岡崎市六ツ美支所``):
    after a body of a government joined by 及び/や/と, an office or department written without
    its government is the same government's (each part ends in the same kind of word)."""
    spans = conjunction_spans(name)
    if not spans:
        return None
    parts, last = [], 0
    for start, end in spans:
        parts.append(name[last:start])
        last = end
    parts.append(name[last:])
    prefix = place_prefix(parts[0], ctx)
    if prefix is None or prefix[1].startswith("の"):
        return None
    place = prefix[0].name
    out: list[tuple[str, str | None]] = [(parts[0], None)]
    for part in parts[1:]:
        ending = _office_ending(part, ctx)
        if len(part) < 3 or place_prefix(part, ctx) is not None or ending is None or \
                shorthand(part, ctx) != part or part.startswith(("同", "当", "本")) or \
                not parts[0].endswith(ending) or (strength(place + part, ctx) is None
                                                  and ending not in ctx.rules.office_words):
            return None
        out.append((part, place + part))
    return out


def _office_ending(name: str, ctx: Context) -> str | None:
    """The office or department word ``name`` ends with (支所, 出張所, 課, 公民館)."""
    for word in (*ctx.rules.office_words, "公民館", "図書館", "市民センター", "保健センター",
                 "課", "室", "係"):
        if name.endswith(word):
            return word
    return None


_FREQUENCY = re.compile(r"^(?:(?:月|年|週|日|毎月|毎週|毎年|年間)\d+(?:回|度)"
                        r"|毎(?:月|週|年|日|朝|晩))の")
_BOTH = re.compile(r"^両([市町村区県])(?:の)?(.+)$")


def _both(cand: Cand, ctx: Context) -> list[Cand] | None:
    """``両市の社会福祉協議会`` in a 甲府市・甲州市 case: one mention, a body in each place."""
    m = _BOTH.match(cand.mention)
    if m is None:
        return None
    kind, rest = m.group(1), m.group(2)
    places = [p for p in ctx.region if p.name.endswith(kind)]
    if kind == "県":
        places = [p for p in (ctx.rules.places.prefecture(n) for n in ctx.prefectures) if p]
    if len(places) != 2:
        return None
    return [replace(cand, full=p.name + rest) for p in places]


def _after_people(name: str, ctx: Context) -> str:
    """``避難している方々の同郷会`` → ``同郷会``, ``保護者の会`` stays: people before の are who
    the body after it gathers, not part of its name (unless the rest is a bare 会)."""
    head, of, rest = name.partition("の")
    people = (*ctx.rules.people_words, *ctx.rules.attached_words)
    if of and head.endswith(people) and len(rest) >= 2 and strength(rest, ctx) is not None:
        return rest
    return name


def _trim(name: str, ctx: Context) -> str:
    """The name without the clause in front of it: 学園祭で知り合った|東北福祉大学 (an
    attributive clause), チラシの配布は|市内の小中学校 (a topic or case particle)."""
    lead = form_kana_lead(name, ctx)  # たかまつ|子ども食堂: a place in kana, no clause
    for start in (attributive_start(name), particle_start(name)):
        rest = _clean(name[start:], ctx) if start and start > lead else ""
        if any(rest == form for form, _ in ctx.rules.legal_forms):
            continue  # とりせん|株式会社: the name before its legal form, no clause
        if rest and strength(rest, ctx) is not None:
            name = rest
    return name


_LEADING = ("及び", "および", "並びに", "ならびに")


_TAIL_QUOTE = re.compile(r"^(.+?)[「『]([^「」『』]{2,30})[」』]$")
_GROUP_ENDS = ("会", "団", "部", "クラブ", "サークル", "ゼミ", "チーム")


def kind_quote(name: str, ctx: Context) -> tuple[str, str | None]:
    """``駅前の青果店「やまもと青果」`` → ``やまもと青果`` (and the kind, to type it): a kind of
    body (after any scope) and a quoted name say what the named body is, the quote is the body;
    ``浜松市子ども若者支援センター「ほっとぷらざ」`` → the centre: a body named in full and its
    quoted nickname are one body, the full name is its name. A group and its own name stay
    whole (落語研究会「楽笑」)."""
    m = _TAIL_QUOTE.match(name)
    if m is None:
        return name, None
    before, quoted = m.group(1), m.group(2)
    kind = before.rpartition("の")[2] or before
    if is_kind(kind, ctx):
        return quoted, kind
    if before.endswith(_GROUP_ENDS) or before.endswith(ctx.rules.member_groups):
        return name, None
    how = strength(before, ctx)
    if how in {"known", "legal", "strong"} or (how == "weak" and place_prefix(before, ctx)):
        return before, None
    return name, None


def _after_copula(name: str, ctx: Context) -> str:
    """``協力雇用主である(有)A`` → ``(有)A``: a noun phrase and である before a body named
    surely describe it (as in prose: 連合町内会の事務局である北区役所)."""
    _, copula, rest = name.rpartition("である")
    if copula and len(rest) >= 2 and strength(rest, ctx) in {"known", "legal", "strong"}:
        return rest
    return name


def _area_before(name: str, ctx: Context) -> str:
    """``元町の函館聖ヨハネ教会`` → the church: a short area name (no body, no place the
    gazetteer knows, no vague scope, no 地区/学区: an area's own body) before の and a body
    named surely says where the body is, it is not part of its name."""
    area, of, body = name.partition("の")
    if not of or not 2 <= len(area) <= 5 or f"{area}の" in ctx.rules.vague_scopes or \
            area.endswith(ctx.rules.area_words) or \
            strength(body, ctx) not in {"known", "legal", "strong"} or \
            strength(area, ctx) is not None or place_prefix(name, ctx) is not None or \
            shorthand(name, ctx) != name or not all(t.pos == "名詞" for t in tokens(area)):
        return name
    return body


def _quote_place(written: str, ctx: Context) -> str | None:
    """``門前の八百屋「まるやま青果」``: a named area of the case before the kind places the shop
    in the case's municipality (a place names its own; a vague scope, 地元の, none)."""
    scope, of, _ = written.partition("の")
    if not of or "「" in scope or len(scope) < 2 or f"{scope}の" in ctx.rules.vague_scopes:
        return None
    prefix = place_prefix(written, ctx)
    if prefix is not None:
        return prefix[0].name if prefix[1].startswith("の") else None
    own = home(ctx)
    if own is None or strength(scope, ctx) is not None or is_prose(scope):
        return None
    return own.name


def refine(cand: Cand, ctx: Context) -> list[Cand]:
    """The candidates ``cand`` stands for: none, itself, or its parts."""
    for conj in _LEADING:  # A(以下、B)及びC: the bracket ended A, the conjunction starts C
        if cand.mention.startswith(conj) and len(cand.mention) > len(conj) + 1:
            cand = replace(cand, mention=cand.mention[len(conj) :])
            break
    both = _both(cand, ctx)
    if both is not None:
        return both
    if cand.mention in ctx.rules.role_labels or people_only(cand.mention, ctx.rules.attached_words):
        return []  # 事務局, 学生, 学生ボランティア: what a body does or who belongs to it
    if _FREQUENCY.match(cand.mention):
        return []  # 月1回の学習会, 毎週の見守り: how often something is held, an event
    name = _legal_owner(_legal_start(_clean(cand.mention, ctx), ctx), ctx)
    written = name
    name, kind = kind_quote(name, ctx)
    if kind is not None:
        # the kind types the named body (a shop named after 青果店 is a shop)
        cand = replace(cand, hint=cand.hint or categorise(ctx.rules, kind), vouched=True)
    name, placed = placed_legal(name, ctx)
    if kind is not None and placed is None:
        placed = _quote_place(written, ctx)
    name = _area_before(name, ctx)
    for branch in ctx.rules.branch_suffixes:  # 区内のファミリーマート各店 → ファミリーマート
        if name.endswith(branch) and len(name) > len(branch) + 1:
            name = name[: -len(branch)]
            for scope in (*ctx.rules.vague_scopes, *ctx.rules.modifiers_by_length):
                if scope.endswith(("の", "内")) and name.startswith(scope) and \
                        len(name) > len(scope) + 1 and \
                        ctx.rules.places.match_prefix(name) is None:
                    name = name[len(scope) :]  # a chain's branches: the chain, not a kind
                    break
            break
    if _is_office_only(name, ctx):
        return []
    if cand.vouched and ends_as_noun(name) and ("を" in name or cand.full):
        return [cand]  # 〜を考える会, 居場所に関する専門家: named by its clause, whole
    name = _after_people(name, ctx)
    name = _after_copula(name, ctx)
    name = _trim(name, ctx)
    cut = trailing_predicate(name)
    if cut and strength(split_paren(name[:cut])[0], ctx) is not None:
        name = split_paren(name[:cut])[0]  # 〜ネットワーク(事務局:…)に加盟: the name before it
    if not ends_as_noun(name) and strength(name, ctx) not in {"known", "legal", "strong"} and \
            not cand.vouched:  # (a counted list's names may end in any word: 〜Caféわくわく)
        return []  # 委託で連携し: a fragment of a sentence
    shared = _shared_government(name, ctx)
    if shared is not None:  # 豊田市足助支所及び旭支所: the second office is the same city's
        return [replace(cand, mention=part, full=full) for part, full in shared]
    out = [_scoped(cand, _trim(part, ctx), ctx) for part in _split_conjunctions(name, ctx)]
    out = [c for c in out if c.mention not in ctx.rules.people_words]  # 多くの住民
    out = [replace(c, paren=c.paren or placed) for c in out] if placed else out
    return out + _paren_bodies(cand, ctx)


# ESD推進センター(NPO法人岡山NPOセンターが受託運営), A(事務局:B): a second body in brackets
_PAREN_BODY = re.compile(r"^(?:事務局|運営|受託|委託先|運営団体|事務局団体)[:は]\s*(.+)$")


def _paren_bodies(cand: Cand, ctx: Context) -> list[Cand]:
    """The body named inside the bracket after a name: its operator or secretariat."""
    if not cand.paren:
        return []
    items = split_top(cand.paren, "、・,")
    if len(items) > 1:  # 県内の大学(金沢大学、金沢工業大学): the bodies the kind stands for
        sure = {"known", "legal", "strong"}
        return [Cand(i, cand.role) for i in items if strength(i, ctx) in sure]
    text = cand.paren
    m = _PAREN_BODY.match(text)
    if m:
        text = m.group(1)
    else:
        toks = tokens(text)
        cut = 0
        for t in toks:
            if t.pos == "助詞" and t.surface in {"が", "の", "に", "と"}:
                break
            cut += len(t.surface)
        else:
            return []  # the whole bracket is an alias or a note of the same body
        text = text[:cut]
    if strength(text, ctx) in {"known", "legal", "strong"}:
        return [Cand(text, None)]
    return []




def _scoped(cand: Cand, part: str, ctx: Context) -> Cand:
    """``cand`` as ``part`` without its vague scope, remembering a government's scope
    (区内の御幸通商店街: the body is in the case's ward)."""
    name = _unscoped(part, ctx)
    scope = ADMIN_SCOPE.match(part)
    # 地元の子供会: the whole was a kind, and the scope said nothing about which one
    some = name != part and generic_match(ctx.rules, part) is not None and \
        not proper_name(ctx.rules, name)
    for word in ctx.rules.area_words:  # 学区の|地域福祉推進協議会: which 学区's is not said
        rest = name[len(word) + 1 :]
        if name.startswith(word + "の") and len(rest) >= 2 and not proper_name(ctx.rules, rest) \
                and strength(rest, ctx) in {"generic", "strong", "weak"}:
            name, some = rest, True
            break
    return replace(cand, mention=name, scope=scope.group(1) if scope else cand.scope,
                   some=some or cand.some, written=part if some else cand.written)


def _unscoped(name: str, ctx: Context) -> str:
    """``地域の民生委員`` → ``民生委員``: a vague scope is no part of a kind's mention
    (an administrative one is: 市内の農家). A place is no scope: 各務原市… keeps its 各."""
    if ctx.rules.places.match_prefix(name) is not None:
        return name
    if COUNTED_KIND.search(name) or re.search(r"内\d+(?:つ|か所|カ所)の?", name):
        return name  # 市内の自動車部品メーカー3社, 区内6つの…: the scope of several of a kind
    for scope in ctx.rules.vague_scopes:
        rest = name[len(scope) :]
        if name.startswith(scope) and rest and (strength(rest, ctx) == "generic" or (
                strength(rest, ctx) == "weak" and generic_match(ctx.rules, name) is not None
                and not proper_name(ctx.rules, rest))):  # 地元の子供会: the kind is the whole
            return rest
    for scope in (*ctx.rules.vague_scopes, *ctx.rules.modifiers_by_length):
        if not scope.endswith(("の", "内")):
            continue  # 地域振興課: 地域 is part of the name, 地域の is a scope
        rest = name[len(scope) :]
        if rest.startswith("の"):
            continue  # 区内|の…: the longer scope (区内の) is the one written
        if name.startswith(scope) and rest and strength(rest, ctx) in {"known", "legal", "strong"}:
            return rest  # 地元の金沢東高校, 区内のファミリーマート: a named body has no scope
        if name.startswith(scope) and rest and strength(rest, ctx) == "weak" and \
                generic_match(ctx.rules, name) is None:
            return rest  # 近くの円明寺: a body named by a proper noun and a weak suffix
    return name
