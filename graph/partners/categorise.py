"""Typing a name: legal forms, kinds of body (generic), suffixes and prefixes → category."""

from __future__ import annotations

import re
from functools import cache, lru_cache

from graph.partners.analyse import dictionary, proper_prefix, tokens
from graph.partners.grammar import DEPARTMENT, KANJI_WORD, STOP, is_prose
from graph.partners.rules import DEFAULT_CATEGORY, Rules
from graph.text.normalize import key


def bound(rules: Rules, name: str) -> bool:
    """社会福祉協議会, 健康政策課: a name that only means something with its place in front."""
    if not name.endswith(rules.place_bound):
        return False
    if name.endswith(rules.regional_offices):
        return False  # 上川総合振興局: a prefectural office named after its region
    for suffix in rules.place_bound:  # 京山地区社会福祉協議会 names its own area
        if name.endswith(suffix) and name[: -len(suffix)].endswith(rules.area_words):
            return False
    rule = suffix_rule(rules, name) if name not in rules.place_bound else None
    return name in rules.place_bound or (rule is not None and rule[1] in {"行政", "社会福祉協議会"})


def is_department(rules: Rules, name: str) -> bool:
    """健康政策課, 子ども家庭部: a department of some government (not 医学部 of a university)."""
    rule = suffix_rule(rules, name)
    return bool(DEPARTMENT.search(name)) and rule is not None and rule[1] == "行政"


@lru_cache(maxsize=1 << 16)  # pure in name; names repeat across cases
def strip_legal_form(rules: Rules, name: str) -> tuple[str, str | None]:
    """Remove a legal-form prefix or suffix (株式会社ミヤケン → ミヤケン); return it too."""
    for form, _ in rules.legal_forms:
        if name.startswith(form) and len(name) > len(form):
            return name[len(form) :].strip(), form
    for form, category in rules.legal_forms:  # 損害保険ジャパン(株)広島支店: a short form inside
        if form.startswith("(") and form in name[1:-len(form)]:
            return name.replace(form, "", 1).strip(), form
        if category != "企業・店舗" or "組合" in form:
            continue
        at = name.find(form, 1)  # ヤマト運輸株式会社金沢支店: a company, then its office
        if at > 0 and name.endswith(rules.office_words) and len(name) > at + len(form) + 1:
            return (name[:at] + name[at + len(form) :]).strip(), form
    for form, category in rules.legal_forms:  # ミヤケン株式会社; not 〇〇漁業協同組合
        if name.endswith(form) and len(name) > len(form) and category == "企業・店舗":
            if "組合" not in form:
                return name[: -len(form)].strip(), form
    return name, None


def strip_noise(rules: Rules, name: str) -> str:
    for noise in rules.leading_noise:
        if name.startswith(noise) and len(name) > len(noise) + 1:
            return name[len(noise) :]
    return name


_COUNT_TAIL = re.compile(
    r"\d+(?:校|店舗|店|軒|団体|か所|カ所|ヶ所|箇所|社|園|施設|事業所|法人|者|人|名)$")


_PLACE_SCOPE = re.compile(r"^[^の]{1,8}?(?:[都道府県市区町村]|管)内の")  # 十勝管内の農協


@lru_cache(maxsize=1 << 16)  # pure in name; names repeat across cases
def generic_match(rules: Rules, name: str) -> str | None:
    """The category when ``name`` is a kind of body, not one body (民生委員, 地域の企業)."""
    name = strip_noise(rules, name)
    counted = _COUNT_TAIL.search(name)  # 区内の小学校5校, 市内の飲食店8店舗: a count of a kind
    if counted and counted.start() >= 2:
        name = name[: counted.start()]
        rule = suffix_rule(rules, name)
        if rule is not None and KANJI_WORD.fullmatch(name) and \
                rules.places.match_prefix(name) is None and not proper_prefix(name, rule[0]):
            return rule[1]  # 鮮魚店2店舗: several bodies of a kind (a common noun and a suffix)
    scoped = _PLACE_SCOPE.match(name)  # 佐賀市内のコンビニエンスストア: a kind within a place
    if scoped and (rules.places.match_prefix(name) is not None or name[scoped.end() - 3] == "管"):
        name = name[scoped.end() - 3 :]  # read as 市内の…, a scope of the modifiers
    if name in rules.generic_terms:
        return rules.generic_terms[name]
    bare = bare_kind(rules, name)
    if bare is not None:
        return bare  # 美容院, 区政協力委員会: a kind word of the lexicon with no name before it
    strong = suffix_rule(rules, name, strong=True)
    if strong is not None and rules.places.match_prefix(name) is None:
        scope = name[: -len(strong[0])]  # 区内のいきいき支援センター: only a scope before a kind
        # a scope word (区内の, 地域の) — not any owner before の (朝市の実行委員会 is the
        # market's one committee)
        if (scope in rules.modifiers or scope.endswith(("内の", "内"))) and \
                bare_kind(rules, strong[0]) is not None:
            return strong[1]
    if name.endswith(_SHOP_WORDS) and _common_shop(rules, name):
        return "企業・店舗"  # パン店, 青果店: a shop of what it sells, no name of its own
    for term in rules.generic_terms_by_length:
        if name.endswith(term) and len(name) > len(term):
            prefix = name[: -len(term)]
            if prefix in rules.modifiers or prefix.endswith(("の", "内", "内の")):
                return rules.generic_terms[term]
            if term in rules.head_nouns and KANJI_WORD.fullmatch(prefix):
                # 外国人支援団体, 協力企業: a common noun before 団体 / 企業, not a proper name;
                # 久枝子ども食堂: a proper noun names one of them
                if rules.places.match_prefix(prefix) is None and not proper_prefix(name, term):
                    return rules.generic_terms[term]
            if _served_kind(rules, prefix):
                return rules.generic_terms[term]  # 精神科クリニック, ブラジル人学校
            if _many_in_area(rules, term) and _placed(rules, prefix):
                # 本市の民生委員 → 名古屋市民生委員, 横浜市中区商店街: the ones of that place
                return rules.generic_terms[term]
            break
    for modifier in rules.modifiers_by_length:  # 地域の自治会, 県内の市町村社会福祉協議会
        if not modifier.endswith(("の", "内", "な", "各", "他")):
            continue  # 地域振興課: a bare 地域 is part of a department's name
        if name.startswith(modifier) and _kind_at_start(rules, name, len(modifier)):
            continue  # 町内会長会: 町内会 is a kind word, 町内 no scope of 会長会
        rest = name[len(modifier) :]
        rule = suffix_rule(rules, rest) if name.startswith(modifier) and len(rest) >= 2 else None
        if rule is not None and rules.places.match_prefix(name) is None and \
                not proper_name(rules, rest):  # 各務原市… is a place; 近くの円明寺 is one body
            return rule[1]
        inner = generic_match(rules, rest) if name.startswith(modifier) and len(rest) >= 2 \
            else None
        if inner is not None and rules.places.match_prefix(name) is None:
            return inner  # 市内の果樹農家, 区内のいきいき支援センター: a scope before a kind
        shop = _prefix_words(rules).get(rest) if name.startswith(modifier) else None
        if shop is not None and rules.places.match_prefix(name) is None:
            return shop  # 市内のパン屋: a shop word alone after a scope is a kind of shop
    for word in _FEDERATIONS:  # 自治会連合会: a federation of a kind, no name of its own
        kind = name[: -len(word)]
        if name.endswith(word) and kind in rules.generic_terms:
            return rules.generic_terms[kind]
    return None


_SHOP_WORDS = ("店", "屋")


def _kind_at_start(rules: Rules, name: str, after: int) -> bool:
    """Whether a strong kind word longer than ``after`` characters starts ``name`` (町内会…)."""
    table, sizes = _suffix_table(rules)
    return any(size > after and (rule := table.get(name[:size])) is not None and rule[2]
               for size in sizes if size <= len(name))


def _common_shop(rules: Rules, name: str) -> bool:
    """Whether ``name`` is common nouns and a shop word of its own (パン|店, 青果|店), written
    without kana (ひまわり薬局, さくら屋 are names) and with no proper noun or place."""
    if len(name) > 6 or not _NO_KANA.fullmatch(name) or rules.places.match_prefix(name):
        return False
    toks = tokens(name)
    if len(toks) == 1:  # 鮮魚店, 花屋: one common noun of a shop kind
        return toks[0].pos == "名詞" and toks[0].sub == "普通名詞"
    return toks[-1].surface in _SHOP_WORDS and \
        all(t.pos == "名詞" and t.sub == "普通名詞" for t in toks[:-1])


_NO_KANA = re.compile(r"[\u4e00-\u9fff々\u30a0-\u30ffー]+")


def bare_kind(rules: Rules, name: str) -> str | None:
    """The category when ``name`` is a kind word of the lexicon and nothing else: a strong
    suffix (美容院, 区政協力委員会, 地域福祉推進協議会) or a shop word (美容室, 理容室) with no
    name before it names no one body. Not the kinds completed from the case (社会福祉協議会,
    教育委員会: ``place_bound``), bodies known by such a name (青年会議所), nor the words of
    categories whose bare word is the one body of its area or a name (県庁, 保護観察所, 商工会,
    弁護士会, 共同募金会; 天満宮, 八幡宮 name the local shrine)."""
    if len(name) < 2 or name in rules.place_bound or key(name) in rules.known:
        return None
    table, _ = _suffix_table(rules)
    rule = table.get(name)
    if rule is not None and rule[2]:
        if rule[1] in _NAMED_WHEN_BARE or name.endswith(_CHAIRS):
            return None  # 区長会 alone: the heads' association of the case's area, one body
        return rule[1]
    return _prefix_words(rules).get(name)


_NAMED_WHEN_BARE = {"行政", "寺社", "その他", "専門家"}


@cache
def _prefix_words(rules: Rules) -> dict[str, str]:
    return dict(rules.name_prefixes)


@cache
def _keyword_words(rules: Rules) -> dict[str, str]:
    return dict(rules.keywords)


def _served_kind(rules: Rules, prefix: str) -> bool:
    """Whether the words before a kind of body say whom or what it serves, by their ending: a
    medical department (精神科|クリニック, 小児科|医院) or a people (ブラジル人|学校, 外国人|学校).
    Such a phrase is a kind; other common nouns before a kind (聖霊|病院, 協立|病院) are often
    a name."""
    if not prefix or not prefix.endswith(_SERVED) or prefix.endswith(_NOT_SERVED) or \
            rules.places.match_prefix(prefix) is not None:
        return False
    toks = tokens(prefix)
    if not toks or not all(t.pos in {"名詞", "接尾辞"} for t in toks):
        return False
    # a proper noun only as the people's place (ブラジル|人); none naming the body (西光寺|…)
    proper = [i for i, t in enumerate(toks) if t.sub == "固有名詞"]
    return all(toks[i].detail == "地名" and i + 1 < len(toks) and toks[i + 1].surface == "人"
               for i in proper)


_SERVED = ("科", "人")
_NOT_SERVED = ("法人", "個人", "知人", "友人", "本人")


def _many_in_area(rules: Rules, term: str) -> bool:
    """民生委員, 行政書士, 商店街, 農家: a generic term naming people of a role or private
    businesses, of which a place has many (a place's 保健所, 社会福祉協議会 is one body)."""
    category = rules.generic_terms[term]
    return category in {"企業・店舗", "専門家"} or (
        category == "その他" and term.endswith(_PERSON_ENDINGS))


_PERSON_ENDINGS = ("委員", "士", "師", "司")


def _placed(rules: Rules, prefix: str) -> bool:
    """Whether ``prefix`` is only a place: a local government (名古屋市) or a district
    (鳴子学区, 桃見台地区), with or without の."""
    prefix = prefix.removesuffix("の")
    place = rules.places.match_prefix(prefix)
    if place is not None and place.name == prefix:
        return True
    return prefix.endswith(rules.area_words) and not any(c in prefix for c in STOP)


def proper_name(rules: Rules, name: str) -> bool:
    """円明寺, 御幸通商店街: a name that starts with a proper noun (not a place of the
    gazetteer) names one body; 自治会, 小学校 are kinds."""
    if rules.places.match_prefix(name) is not None:
        return False
    toks = tokens(name)
    return bool(toks) and toks[0].sub == "固有名詞"


@cache
def _suffix_table(rules: Rules) -> tuple[dict[str, tuple[str, str, bool]], tuple[int, ...]]:
    table = {rule[0]: rule for rule in rules.suffixes}
    return table, tuple(sorted({len(s) for s in table}, reverse=True))


@lru_cache(maxsize=1 << 16)  # pure in name; names repeat across cases
def suffix_rule(
    rules: Rules, name: str, strong: bool | None = None
) -> tuple[str, str, bool] | None:
    """The longest suffix rule ``name`` ends in (and is longer than), of that strength."""
    table, sizes = _suffix_table(rules)
    for size in sizes:
        if size < len(name):
            rule = table.get(name[-size:])
            if rule is not None and (strong is None or rule[2] == strong):
                return rule
    return None


@lru_cache(maxsize=1 << 16)
def is_non_body(rules: Rules, name: str) -> bool:
    return any(name.endswith(word) for word in rules.non_bodies)


def categorise(rules: Rules,
    name: str, legal: str | None = None, desc: str | None = None, hint: str | None = None
) -> str:
    """The partner category of a (canonical) name, from the rules."""
    known = rules.known.get(key(name))
    if known:
        return known[1]
    generic = generic_match(rules, name)
    if generic:
        return generic
    alone = _suffix_table(rules)[0].get(name)
    if alone is not None and alone[2]:
        return alone[1]  # 保護観察所, 商工会, コミュニティセンター: a kind word alone
    office = office_parent(rules, name)
    if office is not None:
        return office
    if _GOVERNMENT_UNIT.search(name):
        return "行政"  # 中原区役所地域みまもり支援センター: a unit of a government office
    if _department_unit(rules, name):
        return "行政"
    network = network_of(rules, name) or liaison_of(rules, name)
    if network is not None and not (legal and network == "その他"):
        return network  # a network incorporated (認定NPO法人…支援ネット) is of its legal form
    chairs = _chairs_of(rules, name)
    if chairs is not None:
        return chairs
    strong = suffix_rule(rules, name, strong=True)
    if strong:
        return federation_of(rules, name, strong[0]) or strong[1]
    if legal:  # NPO法人デイサービス〇〇: the legal form says more than a kind word in the name
        return dict(rules.legal_forms)[legal]
    prefixed = name_prefix(rules, name)
    if prefixed:
        return prefixed
    if _brand_circle(name):
        return "企業・店舗"
    weak = suffix_rule(rules, name, strong=False)
    if weak:
        if _public_facility(rules, name, weak[0]):
            return "行政"
        return _intermediary(rules, name) or weak[1]
    if _hamlet(rules, name):
        return "町内会・自治会"
    for text in (desc, name):
        for word, category in rules.keywords:
            if text and _has_word(text, word):
                return category
    if hint:
        return hint
    return "企業・店舗" if _trade_name(name) or dictionary_brand(name) else DEFAULT_CATEGORY


# Trades that end a company's own name (やまなみ青果, 伊達運輸, ツルハドラッグ). Kept here, not as
# weak suffixes of the data: a weak suffix also makes a mention a body for the mention finder,
# which then cuts kana names before them (きたかみ食品); only the typing reads these.
_TRADES = ("青果", "食品", "フーズ", "製麺", "製菓", "酒造", "醸造", "物産", "不動産", "建設",
           "運輸", "電鉄", "汽船", "自動車", "電機", "電器", "デンキ", "ドラッグ", "薬品", "印刷",
           "ベーカリー")


def _trade_name(name: str) -> bool:
    """Whether a trade word ends ``name`` as a word of its own after a name (not 食品 alone)."""
    trade = next((t for t in _TRADES if name.endswith(t)), None)
    if trade is None or len(name) < len(trade) + 2:
        return False
    if _HIRAGANA_WORD.fullmatch(name[: -len(trade)]):
        return True  # きたかみ食品: a kana name (the analyser reads き|た as a verb)
    toks = tokens(name)  # nouns only: no sentence (食品を届けた)
    return len(toks) >= 2 and toks[-1].surface == trade and \
        all(t.pos in {"名詞", "接尾辞", "接頭辞"} for t in toks)


_KATAKANA = re.compile(r"[\u30a1-\u30faー]")


def _has_word(text: str, word: str) -> bool:
    """Whether ``word`` occurs in ``text`` as a word: a katakana keyword inside a longer katakana
    word is none (バー in グッドネイバーズ, カフェ in カフェイン is)."""
    start = text.find(word)
    while start >= 0:
        end = start + len(word)
        if not _KATAKANA.match(word[0]) or not (
                (start > 0 and _KATAKANA.match(text[start - 1])) or
                (end < len(text) and _KATAKANA.match(text[end]))):
            return True
        start = text.find(word, start + 1)
    return False


def _intermediary(rules: Rules, name: str) -> str | None:
    """みやぎ子ども食堂支援センター, 〇〇NPO支援センター: a support centre for bodies of a
    citizens' kind is an intermediary of them (NPO・市民団体), not a welfare body."""
    word = next((w for w in _SUPPORT_CENTRES if name.endswith(w)), None)
    if word is None:
        return None
    head = name[: -len(word)]
    for term in rules.generic_terms_by_length:
        if head.endswith(term) and rules.generic_terms[term] == _CITIZENS and \
                _member_term(rules, term):
            return _CITIZENS
    rule = suffix_rule(rules, head, strong=True) or _suffix_table(rules)[0].get(head)
    return _CITIZENS if rule is not None and rule[1] == _CITIZENS and rule[2] else None


_SUPPORT_CENTRES = ("支援センター", "応援センター")
_CITIZENS = "NPO・市民団体"


def _hamlet(rules: Rules, name: str) -> bool:
    """上湯川区, 大河原区: a proper (place or family) name and 区 that is no ward of the gazetteer
    is a hamlet (an administrative 区 of a town or village), its residents' own body like a
    自治会. 地区, 学区, 選挙区 are words of their own for the analyser, not a name and 区."""
    if not name.endswith(_HAMLET) or not 3 <= len(name) <= 10 or any(c in STOP for c in name):
        return False
    place = rules.places.match_prefix(name)
    if (place is not None and place.name == name) or name[: -len(_HAMLET)] in _ward_stems(rules):
        return False  # 北区 (東京都), 稲毛区 (千葉市): a ward of a city
    toks = tokens(name)
    return len(toks) >= 2 and toks[-1].surface == _HAMLET and toks[-2].sub == "固有名詞" and \
        all(t.pos == "名詞" for t in toks[:-1])


_HAMLET = "区"


@cache
def _ward_stems(rules: Rules) -> frozenset[str]:
    """The names of the designated cities' wards without 区 (稲毛, 若葉, 中原)."""
    return frozenset(p.name[len(p.city) : -len(_HAMLET)] for p in rules.places.by_code.values()
                     if p.kind == "ward" and p.city)


_FACILITY = "センター"


def _public_facility(rules: Rules, name: str, suffix: str) -> bool:
    """浜松市外国人学習支援センター, 愛媛県心と体の健康センター: a centre whose kind alone does
    not decide who runs it (the plain センター, a weak 相談支援センター of the welfare kinds) named
    with its government (the full name of a prefecture or municipality, 市立/県立 included) is
    the government's facility. 北海道 is also the region's name, which private bodies take
    (北海道こども食堂支援センター): it names no government here."""
    if not suffix.endswith(_FACILITY) or \
            _suffix_table(rules)[0][suffix][1] != _suffix_table(rules)[0][_FACILITY][1]:
        return False
    place = rules.places.match_prefix(name)
    return place is not None and name.startswith(place.name) and \
        place.name.endswith(_GOVERNMENT_ENDINGS) and len(name) > len(place.name) + len(_FACILITY)


_GOVERNMENT_ENDINGS = ("都", "府", "県", "市", "区", "町", "村")


@lru_cache(maxsize=1 << 16)
def dictionary_brand(name: str) -> bool:
    """ファミリーマート, イオンリテール, 小田急電鉄: a name the dictionary has as one proper noun
    (not only as a person's or a place's), with no kind word of the lexicon, is a company or
    its brand (NPOs' names are mostly made of common words: カタリバ, セカンドハーベスト).

    The dictionary's entries are looked up, not only the analysis: ローソン, カインズ, ヤマダ are
    also persons' names, which the analysis prefers alone. A katakana word whose entry spells an
    acronym (ユネスコ → UNESCO, ジャイカ → JICA) is an acronym read out; those name international
    and public bodies, not brands."""
    if len(name) < 2 or not _BRAND_SCRIPT.fullmatch(name):
        return False
    toks = tokens(name)
    if len(toks) != 1 or toks[0].sub != "固有名詞":
        return False
    entries = [m for m in dictionary().lookup(name) if m.part_of_speech()[:3] == _PROPER]
    if not entries:
        return False
    return _LATIN.search(name) is not None or not any(
        _ACRONYM.fullmatch(m.normalized_form()) for m in entries)


def _brand_circle(name: str) -> bool:
    """広島東急会, 名古屋トヨタ会: a place, a brand of the dictionary and 会 is the circle of a
    company group's firms in that place (a place is required: 徳洲会 names a hospital group)."""
    if not name.endswith(_CIRCLE):
        return False
    toks = tokens(name)
    return len(toks) >= 3 and toks[-1].surface == _CIRCLE and \
        all(t.sub == "固有名詞" and t.detail == "地名" for t in toks[:-2]) and \
        dictionary_brand(toks[-2].surface)


_CIRCLE = "会"
_BRAND_SCRIPT = re.compile(r"[\u30a1-\u30faーA-Za-z0-9&\u4e00-\u9fff々]+")
_PROPER = ("名詞", "固有名詞", "一般")
_LATIN = re.compile(r"[A-Za-z]")
_ACRONYM = re.compile(r"[A-Z]{2,}")


# What may follow a shop word without making a shop's name (カフェスペース, 喫茶店主).
_NOT_A_NAME = re.compile(
    r"^(?:\d|店|屋|スペース|コーナー|スタッフ|オーナー|経営|運営|営業|利用|巡り|形式|風|的)"
    r"|(?:者|主|長|員|さん|様|たち|等|など)$"
)


@lru_cache(maxsize=1 << 16)
def name_prefix(rules: Rules, name: str) -> str | None:
    """The category of ``name`` when it is a shop or brand word and then a proper name.

    ハローワーク小倉, JAあいち, and shop words written before the shop's own name (ベーカリー
    ガワセハウス, 喫茶 白樺, 薬局 サリュファーム), from ``name_prefixes`` in the rules.
    """
    for prefix, category in rules.name_prefixes:
        rest = name[len(prefix) :]
        if not name.startswith(prefix) or len(rest) < 2 or _NOT_A_NAME.search(rest):
            continue
        if rest[0] in STOP and _particle_after(name, prefix):
            continue  # カフェや食堂: a particle after the shop word (not ゲストハウスやまびこ)
        if rest.startswith("の") or generic_match(rules, rest):
            continue
        if is_prose(rest) and not _HIRAGANA_WORD.fullmatch(rest):
            continue  # カフェで話した; JAおおいた is a kana name (いた is no verb there)
        if is_non_body(rules, rest):
            continue
        kinds = (rules.generic_terms, _keyword_words(rules), _prefix_words(rules),
                 _suffix_table(rules)[0])
        if any(rest in words for words in kinds):
            continue  # カフェバー, カフェ食堂, デイサービスセンター: kinds, no name
        return category
    return None


_HIRAGANA_WORD = re.compile(r"[\u3041-\u3096ー]{2,8}")


def _particle_after(name: str, prefix: str) -> bool:
    """Whether the analyser reads the character after ``prefix`` as a particle or a symbol."""
    toks, at = tokens(name), 0
    for t in toks:
        if at == len(prefix):
            return t.pos in {"助詞", "補助記号", "記号"}
        at += len(t.surface)
    return True  # the shop word does not end a word of its own


_GOVERNMENT_UNIT = re.compile(r"(?:市|区|町|村)(?:役所|役場)\w*(?:センター|課|室|係|部|局)$")
# 旭川市子育て支援部こども総合相談センター: a centre under a department of a government
_DEPARTMENT_HEAD = re.compile(r"^.+?[部局]")
_DEPARTMENT_UNIT = re.compile(r"^[^・()]{1,6}?[都道府県市区町村][^・()]{1,10}?[部局][^・()]{1,14}"
                              r"(?:センター|室|係)$")


# A federation or council of bodies of one kind is of that kind: 自治会連合会 (町内会・自治会),
# 子ども会連合会 (NPO・市民団体); a longer suffix of the rules (民生委員児童委員協議会) wins first.
_FEDERATIONS = ("連合協議会", "連絡協議会", "連合会", "協議会", "連絡会", "連盟")  # longest first


def _department_unit(rules: Rules, name: str) -> bool:
    """旭川市子育て支援部こども総合相談センター: a government, a department of its own (部 or
    局 a word of its own, not 西部), then the unit."""
    head = _DEPARTMENT_HEAD.match(name)
    if not _DEPARTMENT_UNIT.match(name) or head is None or rules.places.match_prefix(name) is None:
        return False
    toks = tokens(head.group(0))
    return len(toks) >= 2 and toks[-1].surface in {"部", "局"} and toks[0].sub == "固有名詞"


_NETWORK = "ネットワーク"
_NET = "ネット"  # 見守りネット, ともいきネット: the short form, a word of its own
_MEMBERS = {"ボランティア": "NPO・市民団体", "NPO": "NPO・市民団体",
            "フードバンク": "NPO・市民団体"}


def network_of(rules: Rules, name: str) -> str | None:
    """A network (and its liaison council) is typed by its members when the words before it
    name a kind of body (子ども食堂ネットワーク, 防災ボランティアネットワーク: NPO・市民団体); one
    named by a theme (見守りネットワーク連絡会, 多文化共生ネットワーク) links bodies of every kind:
    その他."""
    core = name
    for word in _FEDERATIONS:
        if core.endswith(_NETWORK + word):
            core = core[: -len(word)]
            break
    if core.endswith(_NETWORK) and len(core) > len(_NETWORK) + 1:
        head = core[: -len(_NETWORK)]
    elif core.endswith(_NET) and len(core) > len(_NET) + 1 and tokens(core)[-1].surface == _NET:
        head = core[: -len(_NET)]  # not インターネット, one word
    else:
        return None
    for word, category in _MEMBERS.items():  # volunteers (people) join as a citizens' group
        if head.endswith(word):
            return category
    for term in rules.generic_terms_by_length:
        if head.endswith(term) and _member_term(rules, term):
            return rules.generic_terms[term]
    return "その他"


def _chairs_of(rules: Rules, name: str) -> str | None:
    """仙台市連合町内会長会, 郡山市小学校長会: an association of the heads (長) of bodies of one
    kind is of that kind (the name without 長会 ends in the kind)."""
    if not name.endswith(_CHAIRS) or len(name) < len(_CHAIRS) + 2:
        return None
    head = name[: -len(_CHAIRS)]
    rule = suffix_rule(rules, head, strong=True) or _suffix_table(rules)[0].get(head)
    return rule[1] if rule is not None and rule[2] else None  # (町内会長会: the kind alone)


_CHAIRS = "長会"
_HEAD = "長"


def _member_term(rules: Rules, term: str) -> bool:
    """Whether a generic term before ネットワーク / 連絡会 names member bodies (子ども食堂, 団体,
    病院), not a field (福祉, 医療: みやぎ地域福祉ネットワーク is a theme)."""
    return len(term) >= 3 or term in rules.head_nouns or \
        _suffix_table(rules)[0].get(term) is not None


_LIAISON = ("連絡協議会", "連絡会")
# 名古屋市's 学区連絡協議会 (校区 elsewhere): a school district's council of its residents' bodies,
# named by the district alone (a theme or a kind of member before it is typed above and below)
_SCHOOL_DISTRICTS = ("学区", "校区")


def liaison_of(rules: Rules, name: str) -> str | None:
    """A liaison council is typed by its members when the words before it end in a kind of body
    (自治会連絡協議会, 老人クラブ連絡協議会, 子ども食堂連絡会); one named by a theme
    (ひきこもり支援連絡協議会) links bodies of every kind, public and private, like a network:
    その他."""
    word = next((w for w in _LIAISON if name.endswith(w)), None)
    if word is None or len(name) <= len(word) + 1:
        return None
    head = name[: -len(word)]
    for member, category in _MEMBERS.items():
        if head.endswith(member):
            return category
    if head.endswith(_SCHOOL_DISTRICTS) and len(head) > 2:
        return "町内会・自治会"  # 〇〇学区連絡協議会: the federation of a school district's 町内会
    if head.endswith(_HEAD) and len(head) > len(_HEAD) + 1:  # 自治会長連絡協議会: of its heads
        kind = head[: -len(_HEAD)]
        chair = suffix_rule(rules, kind, strong=True) or _suffix_table(rules)[0].get(kind)
        if chair is not None and chair[2]:
            return chair[1]
    rule = suffix_rule(rules, head) if len(head) >= 3 else None
    alone = _suffix_table(rules)[0].get(head)
    if alone is not None:
        return alone[1]  # 自治会連絡協議会
    if rule is not None:
        return rule[1]  # 垂水区自治会連絡協議会, 老人クラブ連絡協議会
    for term in rules.generic_terms_by_length:
        if head.endswith(term) and _member_term(rules, term):
            return rules.generic_terms[term]
    return "その他"


def federation_of(rules: Rules, name: str, suffix: str) -> str | None:
    if suffix not in _FEDERATIONS:
        return None
    # 垂水区自治会連絡協議会: the longest federation word the name ends in (連絡協議会, not 協議会)
    suffix = next(w for w in _FEDERATIONS if name.endswith(w))
    head = name[: -len(suffix)]
    rule = suffix_rule(rules, head, strong=True) if len(head) >= 3 else None
    if rule is not None and rule[0] not in _FEDERATIONS:
        return rule[1]
    for term in rules.generic_terms_by_length:  # 民生委員児童委員連合会, 商店連合会
        if head.endswith(term) and len(head) > len(term) and _member_term(rules, term):
            return rules.generic_terms[term]
    return None


@cache
def _strong_suffixes(rules: Rules) -> tuple[frozenset[str], int]:
    words = frozenset(suffix for suffix, _, strong in rules.suffixes if strong)
    return words, max(map(len, words), default=0)


def _strong_end_near(rules: Rules, name: str) -> bool:
    """Whether a strong suffix ends ``name`` 1–4 characters before its end (set look-ups)."""
    words, longest = _strong_suffixes(rules)
    for cut in range(1, 5):
        head = name[:-cut]
        for size in range(1, min(longest, len(head)) + 1):
            if head[-size:] in words:
                return True
    return False


_CAMPUS = ("キャンパス", "校")
_UNIT = re.compile(r"(?:機構|センター|研究所|研究室|推進室|本部)$")


def office_parent(rules: Rules, name: str) -> str | None:
    """The category of the body an office belongs to: 〇〇社会福祉協議会宮城野区事務所,
    〇〇銀行△△支店 (the office word follows the body's own name), 〇〇大学札幌校 and 〇〇大学
    香川キャンパス (a place name between a university and its campus)."""
    for word in _CAMPUS:
        if name.endswith(word) and "大" in name:  # a university's campus only
            toks = tokens(name[: -len(word)])
            if len(toks) >= 2 and toks[-1].sub == "固有名詞":
                body = name[: -len(word) - len(toks[-1].surface)]
                rule = suffix_rule(rules, body, strong=True)
                if rule is not None and rule[1] == "大学・専門学校":
                    return rule[1]
    if len(name) > 4 and suffix_rule(rules, name) is None and _strong_end_near(rules, name):
        # 〇〇市地域包括支援センター東光: a strong kind, then the proper name of its area (the
        # analyser only when a strong kind ends the name a few characters before its end)
        toks = tokens(name)
        area = len(toks) >= 2 and (  # あんしんケアセンター若葉: 若葉 is a ward's name (若葉区)
            toks[-1].sub == "固有名詞" or (len(toks[-1].surface) >= 2 and
                                           toks[-1].surface in _ward_stems(rules)))
        if area and toks[-2].sub != "固有名詞":
            head = name[: -len(toks[-1].surface)]  # (地域包括支援センター泉: the kind alone)
            rule = suffix_rule(rules, head, strong=True) or _suffix_table(rules)[0].get(head)
            if rule is not None and rule[2]:
                return rule[1]
    unit = _UNIT.search(name)
    if unit is not None and "大学" in name[: unit.start()]:
        # 〇〇大学地域連携推進機構, 〇〇大学…センター: a university's unit is the university's
        head = name[: unit.start()]
        for end in range(len(head), 3, -1):
            rule = suffix_rule(rules, head[:end], strong=True)
            if rule is not None:
                if rule[1] == "大学・専門学校" and rule[0].endswith("大学"):
                    return rule[1]
                break
    for word in rules.office_words:
        if name.endswith(word):
            head = name[: -len(word)]
            for end in range(len(head), 1, -1):
                known = rules.known.get(key(head[:end]))
                if known is not None:
                    return known[1]  # 日本赤十字社宮城県支部: an office of a body known by name
                rule = suffix_rule(rules, head[:end], strong=True)
                if rule is not None and rule[0] not in rules.office_words:
                    return rule[1]
            if word in _BRANCHES and _government_area(rules, head):
                return "行政"  # 松本市四賀支所: a government's branch named by its area
    return None


# A government's branch offices, named by the area they serve (often a merged town's name)
_BRANCHES = ("支所", "出張所")
_AREA_NAME = re.compile(r"[\u4e00-\u9fff々ヶケ]{1,5}")


def _government_area(rules: Rules, head: str) -> bool:
    """松本市四賀, 上越市安塚: a municipality (not a prefecture) and a short kanji area name."""
    found = rules.places.match_at(head)
    if found is None or found[0].kind == "prefecture":
        return False
    return _AREA_NAME.fullmatch(head[found[1]:]) is not None


def expand_short_kind(rules: Rules, name: str) -> str:
    """昭和女子大 → 昭和女子大学, 山形城北高校 → 山形城北高等学校 (a bare 高校 is a kind)."""
    for short, full in rules.short_kinds:
        if name.endswith(short) and len(name) > len(short):
            toks = tokens(name)
            if len(short) == 1 and not (len(toks) >= 2 and toks[-1].surface == short and
                                        toks[-1].pos == "接尾辞"):
                continue  # 旭川大, 北星大 (大 a suffix of its own), not 拡大 or 最大
            return name[: -len(short)] + full
    return name


def expand_abbreviation(rules: Rules, name: str) -> str:
    for short, full in rules.abbreviations:
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name
