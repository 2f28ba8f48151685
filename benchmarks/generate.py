"""Synthetic casebooks in the embedded text format, at any size, deterministic from a seed.

    python -m benchmarks.generate --cases 1000 --seed 1 --out /tmp/synthetic-1000.txt

The text mimics ``data/casebooks/kanto-2024-part1.txt``: tab-separated cells, ★/☆ tables in
the real layouts (including the split-word rows), spaced labels, full/half-width colons and
digits, HTML fragments in cells and the 団体概要 profile table. Places come from the official
list (``graph.places.gazetteer``), activities and targets from ``data/vocab``. Partner bodies
are reused across cases with a heavy tail: local bodies (社会福祉協議会, 役所 departments,
schools, 町内会, temples) through a Zipf-weighted choice of municipality, others (NPOs,
companies, universities, shops) through preferential attachment.

``generate(cases, seed)`` returns the text together with what each case is meant to read as,
so tests can compare the reader's records with the intention. Only ``random.Random(seed)`` is
used, and nothing iterates over a set, so the same seed gives a byte-identical file.
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.text.places import Gazetteer, Place, gazetteer
from graph.text.vocab import Term, activity_groups, activity_types, target_groups

# ---------------------------------------------------------------------------- word lists

_KATAKANA = (
    "ア イ ウ エ オ カ キ ク ケ コ サ シ ス セ ソ タ チ ツ テ ト ナ ニ ヌ ネ ノ ハ ヒ フ ヘ ホ "
    "マ ミ ム メ モ ヤ ユ ヨ ラ リ ル レ ロ ワ ガ ギ グ ゲ ゴ ザ ジ ズ ゼ ゾ ダ デ ド バ ビ ブ ベ "
    "ボ パ ピ プ ペ ポ シャ シュ ショ チャ チュ ニャ リュ キョ ティ フィ ヴィ"
).split()
_KANA_TAILS = (
    "", "", "", "ハウス", "ラボ", "ネット", "ベース", "テラス", "ひろば", "の家", "の会", "クラブ",
    "プロジェクト", "サポート", "ステーション", "ファーム", "キッチン", "ルーム",
)  # fmt: skip
_WORDS = (
    "希望", "結", "絆", "陽だまり", "虹", "若葉", "ひだまり", "さくら", "つばさ", "みらい",
    "こころ", "ほっと", "えがお", "なかま", "わかば", "あおぞら", "ともしび", "ふれあい",
    "くすのき", "どんぐり", "たんぽぽ", "ひまわり", "こもれび", "まんまる", "よりみち",
    "おむすび", "あかり",
)  # fmt: skip
_THEMES = (
    "こども食堂", "子育て支援", "福祉", "地域", "まちづくり", "多文化共生", "若者支援", "見守り",
    "居場所", "フードバンク", "学習支援", "ひきこもり支援", "シニア", "障害者支援", "寺子屋",
)  # fmt: skip
_ORG_WORDS = (
    "ネットワーク", "の会", "センター", "協議会", "連絡会", "ホーム", "広場", "会議", "クラブ",
    "サポートセンター", "ネット", "応援団", "舎", "研究所", "工房",
)  # fmt: skip
_ASCII_WORDS = (
    "Arts", "Alive", "Home", "Link", "Bridge", "Hub", "Next", "Smile", "Open", "Table", "Farm",
    "Kids", "Youth", "Social", "Good", "Neighbors", "Circle", "Base", "Light", "Field", "Tree",
    "Harbor", "Step", "Hands", "Voice", "Village", "Commons", "Lab", "Studio", "Garden",
)  # fmt: skip
_SURNAMES = (
    "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田",
    "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "山崎", "森", "池田", "橋本",
    "阿部", "石川", "山下", "中島", "石井", "小川", "前田", "岡田", "長谷川", "藤田", "後藤",
    "近藤", "村上", "遠藤", "青木", "坂本", "増田", "寺井", "荒井", "國本", "渡部", "市原", "玄",
)  # fmt: skip
_GIVEN = (
    "太郎", "花子", "健一", "美香", "裕子", "智香子", "三枝子", "元一", "峰夫", "秀盛", "由美子",
    "容子", "佑介", "康浩", "岳", "直樹", "恵", "翔太", "陽子", "誠", "和也", "真理子", "浩二",
    "聡", "久美子", "大輔", "彩子", "修", "千尋", "涼子",
)  # fmt: skip
_TITLES = ("理事長", "代表理事", "代表", "会長", "共同代表", "施設長", "代表取締役", "所長")
_TOWNS = (
    "本町", "中町", "栄町", "緑町", "駅前", "東町", "西町", "南町", "柏町", "若葉町", "旭町",
    "新町", "元町", "桜町", "大手町", "上町", "下町", "宮前", "寿町", "幸町", "錦町", "末広町",
    "富士見町", "春日町", "松が丘", "青葉台", "日の出町", "城町", "中野町", "大倉山",
)  # fmt: skip
_DEPARTMENTS = (
    "生涯学習課", "健康政策課", "長寿応援課", "福祉政策課", "子育て支援課", "地域振興課",
    "高齢福祉課", "障害福祉課", "市民協働推進課", "教育委員会", "保健センター", "生活福祉課",
    "社会福祉課", "こども家庭課", "多文化共生推進課",
)  # fmt: skip
_TEMPLES = (
    "宝幢寺", "勝林寺", "常光寺", "正福寺", "円通寺", "長福寺", "西光寺", "大蔵院", "観音寺",
    "永福寺", "善養寺", "行屋稲荷講", "八幡神社", "天満宮", "氷川神社", "稲荷神社",
)  # fmt: skip
_KANJI_NUM = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十")
_SHOP_KINDS = (
    "カフェ", "食堂", "書店", "ベーカリー", "青果店", "コーヒースタンド", "レンタルスペース",
    "銭湯", "商店", "薬局", "古民家スペース", "喫茶",
)  # fmt: skip
_ROLES = (
    "会場提供", "情報共有", "指導者連携", "広報協力", "食材提供", "講師派遣", "相談対応",
    "見学受入", "チラシ配布", "活動拠点", "送迎協力",
)  # fmt: skip
_GENERIC_PARTNERS = (
    "民生委員", "地域包括支援センター", "居宅介護支援事業所", "老人保健施設", "ハローワーク",
    "ガールスカウト", "ボーイスカウト", "UR 都市機構", "児童相談所", "保健所", "警察署",
)  # fmt: skip
_SPLIT_TARGETS = {
    "中高年者": "中高 年者", "犯罪をした者等": "犯罪を した者等", "子育て世帯": "子育て 世帯",
    "ひとり親世帯": "ひとり親 世帯", "単身世帯": "単身 世帯",
    "不登校の児童生徒": "不登校の 児童生徒",
    "ひきこもりの状態にある人": "ひきこもりの 状態にある人",
    "生活困窮状態の人": "生活困窮 状態の人", "薬物依存等を有する人": "薬物依存等 を有する人",
    "支援者支援": "支援者 支援",
}  # fmt: skip
_SPACED_VOCAB = {
    "SNS等を活用した相談支援": "SNS 等を活用した相談支援",
    "地域のNPO等への支援": "地域の NPO 等への支援",
    "NPO等の活動支援・連携強化": "NPO 等の活動支援・連携強化",
}
_REGION_NOTES = ("及び近隣町村", "(※ケースにより近隣県まで対応)", "ほか近隣地域")
_UL = '<ul style="list-style-type: none">'
_HEADS = {"council": "社協", "office": "行政", "school": "学校", "temple": "寺社",
          "neighbourhood": "地域", "npo": "NPO", "company": "企業", "university": "大学",
          "shop": "店舗", "network": "ネットワーク", "generic": "関係機関"}  # fmt: skip

# Prose fragments. {t}: a target group, {a}: an activity, {p}: a place, {b}: a partner body.
_PURPOSE = (
    "{p}において孤独を感じている{t}が社会の一員であることを認識できるプログラムの開発を目的とする。",
    "{t}が安心して過ごせる場をつくり、{a}を通じて地域とのつながりを取り戻すことを目指す。",
    "各団体個別の活動となっている支援を{a}によって結び、{t}の孤独・孤立防止の推進に取り組む。",
    "地域の大人にも{t}を受け入れられるように変化を促すことを目的としている。",
    "官民を問わず、{t}への支援の連携を図り、問題意識の共有と展開を進める。",
)
_AUDIENCE: tuple[str, ...] = (
    "{p}に住む{t}とその家族",
    "世代や障害の有無を問わず、地域住民全体",
    "{t}、及び{t}を支援している団体、関係する支援機関",
    "地域の活動になかなか参加できない{t}を対象にした。",
)
_AUDIENCE = tuple(a if a.endswith("。") else a + "。" for a in _AUDIENCE)
_CONTENT = (
    "{t}を対象に、放課後や土日に{a}の場を提供した。",
    "毎週水曜日に「一緒に作って一緒に食べよう」をモットーに{a}を開催した。",
    "{b}と連携し、{t}の参加を呼びかけるイベントを企画し実施した。",
    "行政施設や専門機関との連携体制を模索し、{p}の相談窓口を担う体制の構築に取り組んだ。",
    "参加者同士の『顔の見える関係性』が生まれるよう、少人数のプログラムを繰り返し実施した。",
    "{a}の試行期間中、参加者が主体となって運営するイベントを休日に開催した。",
)
_OUTREACH = (
    "連携先へのチラシやポスターの配布や、ホームページ等を通じた周知を実施した。",
    "地域のイベント等に顔を出す等、「常に地域の現場にいたい」を大切にした。",
    "LINE のオープンチャットで参加を呼びかけ、{t}へ直接声かけをして参加を促した。",
    "{b}を通じて{t}に情報を届け、申込みへ誘導せず緩やかに呼びかけるようにした。",
    "一度相談対応を行った後も、定期的な連絡等を通じて、つながり続けるための工夫をしている。",
)
_QUALITATIVE = (
    "{t}が{a}に参加し、小さな成功体験を積み重ね、自己肯定感が高まった。",
    "様々な機関との連携により顔の見える関係を築くことができた。",
    "参加者同士の会話が広がり新たな交流が生まれていた。",
    "{b}との連携により、{p}での支援の選択肢が広がった。",
    "「知らなかったことを知ることができた」「また参加したい」といった声が多く上がった。",
)
_MESSAGE = (
    "地域の中で関係性ができると、場所を借りるお願いがしやすくなります。一緒に頑張りましょう！",
    "異業種との連携は相互理解に時間がかかることもありますが、大きな学びでした。",
    "困りごとや悩みごとがあればぜひご連絡いただきたい。",
    "この小さく丁寧な活動の中で起きる“循環”が、全国に広がりますように。",
    "今後も積極的に活動していきます。",
)
_TITLE_A = (
    "地域密着型サードプレイスによる", "こどもの居場所を活用した", "食で結ぶ", "街全体で行う",
    "アートを通じた対話による", "多世代交流による", "ICTを活用した", "空き家を活用した",
    "誰もが気軽に集う", "地域ボランティアとの連携による",
)  # fmt: skip
_TITLE_B = (
    "{t}の孤独・孤立防止事業", "{t}の居場所づくり", "{t}への一体的支援事業",
    "{t}の見守り強化", "孤独・孤立対策プラットフォームの構築", "{t}の相談支援事業",
    "{t}と地域をつなぐプロジェクト",
)  # fmt: skip
_METRICS = (
    ("実施回数", "回"), ("参加人数", "人"), ("延べ参加者数", "人"), ("相談件数", "件"),
    ("連携団体数", "団体"), ("新規参加家庭数", "家庭"), ("開催回数", "回"),
    ("ボランティア登録者数", "人"), ("担い手", "人"), ("配布数", "部"), ("支援世帯数", "世帯"),
)  # fmt: skip


# ---------------------------------------------------------------------------- data model


@dataclass
class Body:
    """A partner body as written in partner cells."""

    name: str
    kind: str  # council | office | school | temple | neighbourhood | npo | company | ...


@dataclass
class SyntheticCase:
    """One generated case: its text and the values the reader is meant to find."""

    text: str
    intended: dict[str, Any]


@dataclass
class Synthetic:
    """A generated casebook."""

    cases: list[SyntheticCase] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The casebook file's text."""
        return "\n\n" + "\n".join(c.text for c in self.cases)

    @property
    def intended(self) -> list[dict[str, Any]]:
        """The intended values of every case, in file order."""
        return [c.intended for c in self.cases]


# ---------------------------------------------------------------------------- places


def _readable(gaz: Gazetteer, place: Place) -> bool:
    """Only names the reader maps back to the same place (today: all 1,916 of the list).

    Kept as a guard: a place the gazetteer cannot read back would make the generator's
    intended values wrong, so it is left out rather than warned about.
    """
    found = gaz.match_at(place.name, place.prefecture)
    return found is not None and found[0] == place and found[1] == len(place.name)


def _stem(name: str) -> str:
    """志木市 → 志木; 横浜市港北区 → 港北."""
    base = name[name.index("市") + 1 :] if "市" in name[:-1] and name.endswith("区") else name
    return base[:-1] if len(base) > 2 and base[-1] in "市区町村" else base


@dataclass
class _Places:
    gaz: Gazetteer
    munis: list[Place]  # municipalities (not wards), in Zipf rank order
    weights: list[float]
    by_pref: dict[str, list[Place]]
    wards: dict[str, list[Place]]  # designated city → its wards

    @classmethod
    def build(cls, rng: random.Random) -> _Places:
        gaz = gazetteer()
        places = [p for ps in gaz.by_name.values() for p in ps if _readable(gaz, p)]
        munis = [p for p in places if p.kind == "municipality"]
        # Cities and Tokyo's wards first, so that most cases sit in towns of some size; the
        # shuffle inside each band keeps the ranking arbitrary but seed-determined.
        cities = [p for p in munis if p.name[-1] in "市区"]
        others = [p for p in munis if p.name[-1] not in "市区"]
        rng.shuffle(cities)
        rng.shuffle(others)
        ranked = cities + others
        weights = [1.0 / (rank + 1) ** 0.8 for rank in range(len(ranked))]
        by_pref: dict[str, list[Place]] = {}
        for p in ranked:
            by_pref.setdefault(p.prefecture, []).append(p)
        wards: dict[str, list[Place]] = {}
        for p in places:
            if p.kind == "ward" and p.city:
                wards.setdefault(p.city, []).append(p)
        return cls(gaz, ranked, weights, by_pref, wards)

    def unique(self, place: Place) -> bool:
        """The name alone identifies the place (needed for addresses without prefecture)."""
        return self.gaz.municipality(place.name) == place


# ---------------------------------------------------------------------------- noise


def _ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _split_word(text: str, rng: random.Random, chance: float = 0.5) -> str:
    """Insert one layout space where the reader must drop it (never between ASCII letters)."""
    if len(text) < 3 or rng.random() >= chance:
        return text
    spots = [
        i
        for i in range(1, len(text))
        if not (_ascii_alnum(text[i - 1]) and _ascii_alnum(text[i]))
        and text[i - 1] not in "・<>\"=" and text[i] not in "<>\"=" and text[i - 1] != " "
        and text[i] != " "
    ]  # fmt: skip
    if not spots:
        return text
    i = rng.choice(spots)
    return text[:i] + " " + text[i:]


_FULLWIDTH = str.maketrans("0123456789()", "０１２３４５６７８９（）")


def _wide(text: str, rng: random.Random, chance: float = 0.15) -> str:
    """Full-width digits and brackets, as some PDF extractions give them."""
    return text.translate(_FULLWIDTH) if rng.random() < chance else text


def _spaced_number(value: str, rng: random.Random) -> str:
    """``2002 年 11 月`` style: digits set off by spaces."""
    return f" {value} " if rng.random() < 0.5 else value


def _label(label: str, rng: random.Random) -> str:
    """団 体 名 / 取 組 名: labels with layout spaces."""
    return " ".join(label) if rng.random() < 0.4 else label


def _colon(rng: random.Random) -> str:
    return ":" if rng.random() < 0.15 else "："


# ---------------------------------------------------------------------------- the generator


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = _Places.build(self.rng)
        self.groups = activity_groups()
        self.activities = activity_types()
        self.targets = target_groups()
        self.org_names: set[str] = set()  # membership only; never iterated
        self.orgs: list[dict[str, Any]] = []
        self.pool: list[Body] = []  # bodies shared through preferential attachment
        self.draws: list[int] = []  # one entry per use: a uniform pick is a weighted pick
        self.titles: set[tuple[str, str]] = set()  # (org, title): the reader's duplicate key

    # -- names ---------------------------------------------------------------------

    def kana_name(self) -> str:
        rng = self.rng
        core = "".join(rng.choice(_KATAKANA) for _ in range(rng.randint(2, 4)))
        return core + rng.choice(_KANA_TAILS)

    def org_core(self, muni: Place) -> str:
        rng = self.rng
        for _ in range(1000):
            style = rng.random()
            if style < 0.35:
                name = self.kana_name()
            elif style < 0.6:
                stem = _stem(muni.name)
                name = (
                    f"{rng.choice(_THEMES)}{stem}"
                    if rng.random() < 0.3
                    else f"{stem}{rng.choice(_THEMES)}{rng.choice(_ORG_WORDS)}"
                )
            elif style < 0.72:
                name = f"{rng.choice(_WORDS)}{rng.choice(_ORG_WORDS)}"
            elif style < 0.82:
                first, second = rng.sample(_ASCII_WORDS, 2)
                name = f"{first} {second}"
            elif style < 0.92:
                name = f"{_stem(muni.name)}{rng.choice(_WORDS)}{rng.choice(_KANA_TAILS[3:])}"
            else:
                name = f"{rng.choice(_WORDS)}の{rng.choice(_THEMES)}({self.kana_name()})"
            if name not in self.org_names:
                self.org_names.add(name)
                return name
        raise RuntimeError("cannot find a fresh organisation name")

    def person(self) -> tuple[str, str]:
        """(as written, as the reader should give it)."""
        rng = self.rng
        surname, given = rng.choice(_SURNAMES), rng.choice(_GIVEN)
        written = f"{surname} {given}" if rng.random() < 0.8 else f"{surname}{given}"
        style = rng.random()
        title = rng.choice(_TITLES)
        if style < 0.45:
            written = f"{title} {written}"
        elif style < 0.52:
            written = f"{written}（{rng.choice(_TITLES[:4])}）"
        return written, surname + given

    # -- places --------------------------------------------------------------------

    def pick_muni(self) -> Place:
        return self.rng.choices(self.places.munis, self.places.weights)[0]

    def region(self) -> tuple[str, dict[str, Any], Place]:
        """取組地域 as written, the intended fields, and the place the case is based in."""
        rng = self.rng
        muni = self.pick_muni()
        pref = muni.prefecture
        style = rng.random()
        wards = self.places.wards.get(muni.name, [])
        munis = [muni.name]
        note: str | None = None
        home = muni
        sep = " " if rng.random() < 0.85 else ""
        if wards and style < 0.5:
            chosen = rng.sample(wards, min(len(wards), rng.choice((1, 1, 2))))
            munis = [w.name for w in chosen]
            home = chosen[0]
            tail = "、".join([chosen[0].name] + [w.name[len(muni.name) :] for w in chosen[1:]])
            written = f"{pref}{sep}{tail}"
        elif style < 0.12:
            munis, home = [], muni
            if rng.random() < 0.5:
                note = rng.choice((*_REGION_NOTES[1:2], "全域"))
            written = pref + (note or "")
        elif style < 0.25:
            others = [p for p in self.places.by_pref[pref] if p != muni]
            if others:
                second = rng.choice(others[:30])
                munis = [muni.name, second.name]
            written = f"{pref}{sep}{'、'.join(munis)}"
        elif style < 0.32:
            note = rng.choice(_REGION_NOTES[::2])
            written = f"{pref}{sep}{muni.name}{note}"
        else:
            written = f"{pref}{sep}{muni.name}"
        if home.kind == "municipality" and self.places.wards.get(home.name):
            home = rng.choice(self.places.wards[home.name])
        clean = written.replace(" ", "")
        intended = {
            "region_text": clean,
            "region_prefectures": [pref],
            "region_municipalities": munis,
            "region_note": note,
        }
        return _wide(written, rng, 0.1), intended, home

    def address(self, home: Place) -> tuple[str, dict[str, Any]]:
        rng = self.rng
        place = home
        if rng.random() < 0.1:  # head office elsewhere in the prefecture (キッズドア style)
            place = rng.choice(self.places.by_pref[home.prefecture][:20])
            if self.places.wards.get(place.name):
                place = rng.choice(self.places.wards[place.name])
        if rng.random() < 0.04:
            return "非公開", {"address_prefecture": None, "address_municipality": None,
                            "postal_code": None}  # fmt: skip
        n1, n2, n3 = rng.randint(1, 9), rng.randint(1, 40), rng.randint(1, 30)
        street = rng.choice(
            (
                f"{rng.choice(_TOWNS)} {n1}-{n2}-{n3}",
                f"{rng.choice(_TOWNS)} {n1} 丁目 {n2}-{n3}",
                f"{rng.choice(_TOWNS)} {n2} 番地",
                f"{rng.choice(_TOWNS)} {n1} - {n2} - {n3}",
                f"{rng.choice(_TOWNS)}{n1}-{n2}",
            )
        )
        if rng.random() < 0.3:
            street += rng.choice(
                (f" {self.kana_name()}ビル {rng.randint(2, 9)}F", f" {rng.randint(2, 9)} 階",
                 "（法人本部）", f" E{rng.randint(100, 999)}")
            )  # fmt: skip
        with_pref = rng.random() < 0.8 or not self.places.unique(place)
        written = (place.prefecture if with_pref else "") + place.name + street
        postal: str | None = None
        if rng.random() < 0.2:
            postal = f"{rng.randint(100, 999)}-{rng.randint(0, 9999):04d}"
            written = f"〒{postal} {written}"
        return _wide(written, rng, 0.1), {
            "address_prefecture": place.prefecture,
            "address_municipality": place.name,
            "postal_code": postal,
        }

    # -- partners ------------------------------------------------------------------

    def local_body(self, home: Place) -> Body:
        rng = self.rng
        stem = _stem(home.name)
        kind = rng.choices(
            ("council", "office", "school", "temple", "neighbourhood", "generic"),
            (3, 4, 3, 2, 2, 2),
        )[0]
        if kind == "council":
            return Body(f"{home.name}社会福祉協議会", kind)
        if kind == "office":
            dept = rng.choice(_DEPARTMENTS)
            if home.kind == "ward":
                return Body(f"{stem}区役所{dept}", kind)
            if home.name.endswith(("町", "村")):
                return Body(f"{home.name}役場{dept}", kind)
            office = "役所" if rng.random() < 0.3 else ""
            return Body(f"{home.name}{office}{dept}", kind)
        if kind == "school":
            level = rng.choice(("小学校", "小学校", "中学校"))
            return Body(f"{stem}第{rng.choice(_KANJI_NUM[:6])}{level}", kind)
        if kind == "temple":
            return Body(rng.choice(_TEMPLES), kind)
        if kind == "neighbourhood":
            return Body(f"{rng.choice(_TOWNS)}{rng.choice(('町内会', '自治会'))}", kind)
        return Body(rng.choice(_GENERIC_PARTNERS), kind)

    def new_shared_body(self) -> Body:
        rng = self.rng
        kind = rng.choices(("npo", "company", "university", "shop", "network"), (4, 2, 1, 3, 1))[0]
        if kind == "npo":
            form = rng.choice(("NPO法人", "NPO ", "一般社団法人", "認定NPO法人", ""))
            return Body(f"{form}{self.kana_name()}", kind)
        if kind == "company":
            return Body(f"株式会社{self.kana_name()}", kind)
        if kind == "university":
            muni = self.pick_muni()
            school = rng.choice(("大学", "短期大学", "福祉専門学校"))
            return Body(f"{_stem(muni.name)}{school}", kind)
        if kind == "shop":
            return Body(f"{rng.choice(_SHOP_KINDS)} {self.kana_name()}", kind)
        return Body(f"{rng.choice(_WORDS)}{rng.choice(_THEMES)}ネットワーク", kind)

    def shared_body(self) -> Body:
        """Preferential attachment (Yule process): heavy-tailed reuse across cases."""
        if not self.draws or self.rng.random() < 0.4:
            self.pool.append(self.new_shared_body())
            index = len(self.pool) - 1
        else:
            index = self.rng.choice(self.draws)
        self.draws.append(index)
        return self.pool[index]

    def partners(self, home: Place) -> list[Body]:
        rng = self.rng
        bodies: list[Body] = []
        count = rng.choices((0, 1, 2, 3, 4, 5, 6, 8), (1, 3, 4, 4, 3, 2, 2, 1))[0]
        for _ in range(count):
            body = self.local_body(home) if rng.random() < 0.55 else self.shared_body()
            if all(b.name != body.name for b in bodies):
                bodies.append(body)
        return bodies

    def partner_cell(self, bodies: list[Body], home: Place) -> str:
        """One partner cell in one of the real styles."""
        rng = self.rng
        names = [b.name for b in bodies]
        style = rng.randrange(6)
        if style == 0:  # 【role】A、B、C 【role】D
            cut = rng.randint(1, len(names)) if len(names) > 1 else 1
            parts = []
            for group in (names[:cut], names[cut:]):
                if group:
                    role = "・".join(rng.sample(_ROLES, rng.choice((1, 1, 2))))
                    parts.append(f"【{role}】{self._list(group, home)}")
            return " ".join(parts)
        if style == 1:  # A：description lines
            lines = [f"{n}：{_stem(home.name)}にある{rng.choice(_SHOP_KINDS)}。" for n in names]
            return "以下の団体・店舗の協力を受けた。 " + " ".join(lines)
        if style == 2:  # prose with 「quoted」 names
            first, rest = names[0], names[1:]
            text = f"「{first}」との連携がきっかけで本取組がスタートした。"
            if rest:
                text += f"また、{'、'.join(rest)}等と情報共有を行った。"
            return text
        if style == 3:  # <ul> ・ A・B・C等と連携し…
            goal = "地域で悩まなくて済む地域づくりを目指した。"
            return f"{_UL} ・ {'・'.join(names)}等と連携し、{goal}"
        if style == 4:  # <p>kind：…</p>
            return " ".join(
                f"<p>{_HEADS.get(b.kind, '関係機関')}：{b.name}と連携し、情報共有を行った。</p>"
                for b in bodies
            )
        roles = [f"{n}（{rng.choice(_ROLES)}）" for n in names]
        return "、".join(roles) + f"、等 {len(names)} か所程度"

    def _list(self, names: list[str], home: Place) -> str:
        """、-separated; departments of one office share it: 志木市生涯学習課・健康政策課."""
        prefix = f"{home.name}"
        depts = [n for n in names if n.startswith(prefix) and n[len(prefix) :] in _DEPARTMENTS]
        rest = [n for n in names if n not in depts]
        if len(depts) > 1:
            rest.append(depts[0] + "・" + "・".join(d[len(prefix) :] for d in depts[1:]))
        else:
            rest.extend(depts)
        return "、".join(rest)

    # -- tables --------------------------------------------------------------------

    def marks(self, terms: tuple[Term, ...], exclude: tuple[str, ...] = ()) -> dict[str, str]:
        rng = self.rng
        choices = [t.ja for t in terms if t.ja not in exclude]
        picked = rng.sample(choices, rng.choice((1, 2, 2, 3, 4, 5)))
        primary = 2 if rng.random() < 0.05 and len(picked) > 1 else 1
        return {ja: ("★" if n < primary else "☆") for n, ja in enumerate(picked)}

    def activity_table(self, marks: dict[str, str]) -> list[str]:
        rng = self.rng
        four = rng.random() < 0.6  # the 4-column layout, else the 3-column one
        rows = []
        for number, group in enumerate(self.groups, 1):
            rows.append(
                f"{number}. {_SPACED_VOCAB.get(group.ja, group.ja)}" + "\t" * (3 if four else 2)
            )
            items = [t for t in self.activities if t.group == group.id]
            for pair in (items[i : i + 2] for i in range(0, len(items), 2)):
                cells = []
                for n, term in enumerate(pair):
                    mark = marks.get(term.ja, "")
                    label = _SPACED_VOCAB.get(term.ja, term.ja)
                    if four or n == 0:
                        cells += [mark, label]
                    else:
                        cells.append(f"{mark}{rng.choice((chr(9), ' '))}{label}" if mark else label)
                rows.append("\t".join(cells))
        return rows

    def target_table(self, marks: dict[str, str]) -> list[str]:
        rng = self.rng
        split = rng.random() < 0.45
        full = rng.random() < 0.6  # every item with a mark cell, else unmarked items bare
        labels = []
        for term in self.targets:
            label = "" if term.ja == "その他" else term.ja  # blank in the PDF-extracted text
            if term.ja == "こども・若者" and rng.random() < 0.1:
                label = "子ども・若者"
            if split:
                label = _SPLIT_TARGETS.get(label, label)
            labels.append((term.ja, label))
        rows = []
        for half in (labels[:9], labels[9:]):
            cells: list[str] = []
            for ja, label in half:
                mark = marks.get(ja, "")
                if full or mark:
                    cells += [mark, label]
                elif label:
                    cells.append(label)
                else:
                    cells.append("")
            lead = "\t" if not full and rng.random() < 0.3 else ""
            rows.append(lead + "\t".join(cells) + "\t" * rng.choice((0, 0, 1, 2)))
        return rows

    # -- prose ---------------------------------------------------------------------

    def fill(self, template: str, ctx: dict[str, str]) -> str:
        return _split_word(template.format(**ctx), self.rng, 0.3)

    def sentences(self, bank: tuple[str, ...], ctx: dict[str, str], low: int, high: int) -> str:
        picked = self.rng.sample(bank, min(len(bank), self.rng.randint(low, high)))
        return "".join(self.fill(s, ctx) for s in picked)

    def bullets(self, bank: tuple[str, ...], ctx: dict[str, str]) -> str:
        picked = self.rng.sample(bank, min(len(bank), self.rng.randint(2, 4)))
        return f"{_UL} " + " ".join(f"・ {self.fill(s, ctx)}" for s in picked)

    def metrics(self) -> tuple[str, list[int | float]]:
        """Quantities in one of the real styles, and their intended values."""
        rng = self.rng
        picked = rng.sample(_METRICS, rng.randint(1, 5))
        items: list[str] = []
        values: list[int | float] = []
        for label, unit in picked:
            value = rng.choice((rng.randint(1, 99), rng.randint(10, 400), rng.randint(100, 4000)))
            number = f"{value:,}"
            style = rng.randrange(5)
            if style == 0:
                text = f"{label}{_colon(rng)}{number}{unit}"
            elif style == 1:
                text = f"{label} {number} {unit}"
            elif style == 2:
                text = f"{label}{_colon(rng)}{number}{unit}以上"
            elif style == 3:
                text = f"{label}{_colon(rng)}約 {number} {unit}"
            else:
                text = f"{label}延べ {number} {unit}"
            items.append(_wide(text, rng, 0.1))
            values.append(value)
        if rng.random() < 0.5:
            body = f"{_UL} ・ " + "、".join(items)
        else:
            body = "【実施状況】 " + "、".join(items)
        return body, values

    # -- one case ------------------------------------------------------------------

    def new_org(self, home: Place) -> dict[str, Any]:
        rng = self.rng
        form_written, form = rng.choices(
            (
                ("NPO 法人", "NPO法人"), ("特定非営利活動法人", "NPO法人"),
                ("N P O 法人", "NPO法人"),
                ("認定特定非営利活動法人", "認定NPO法人"), ("認定NPO法人", "認定NPO法人"),
                ("一般社団法人", "一般社団法人"), ("社会福祉法人", "社会福祉法人"),
                ("公益社団法人", "公益社団法人"), ("株式会社", "株式会社"), ("", "任意団体"),
            ),
            (5, 6, 1, 1, 1, 4, 2, 1, 1, 3),
        )[0]  # fmt: skip
        core = self.org_core(home)
        if form == "任意団体" and rng.random() < 0.3 and "(" not in core:
            core = f"{_stem(home.name)}の地域活動「{core}」"
            self.org_names.add(core)
        rep_written, rep = self.person()
        founded_written, founded, incorporated = self.founding()
        staff_written, staff = self.staff()
        website_written, website = self.website()
        return {
            "core": core, "form": form, "form_written": form_written,
            "rep_written": rep_written, "rep": rep, "founded_written": founded_written,
            "founded": founded, "incorporated": incorporated, "staff_written": staff_written,
            "staff": staff, "website_written": website_written, "website": website,
            "message": self.sentences(_MESSAGE, {}, 1, 3), "home": home,
        }  # fmt: skip

    def founding(self) -> tuple[str, str, str | None]:
        rng = self.rng
        y, m, d = rng.randint(1975, 2023), rng.randint(1, 12), rng.randint(1, 28)
        y2, m2, d2 = y + rng.randint(1, 5), rng.randint(1, 12), rng.randint(1, 28)
        s = lambda v: _spaced_number(str(v), rng)  # noqa: E731
        style = rng.randrange(8)
        iso = f"{y:04d}-{m:02d}-{d:02d}"
        iso2 = f"{y2:04d}-{m2:02d}-{d2:02d}"
        if style == 0:
            return f"{y}年{m}月{d}日 (NPO法人格取得：{y2}年{m2}月{d2}日)", iso, iso2
        if style == 1:
            return (f"{y} 年 {m} 月任意団体設立、{y2} 年 {m2} 月法人化",
                    f"{y:04d}-{m:02d}", f"{y2:04d}-{m2:02d}")  # fmt: skip
        if style == 2:
            return f"{y} 年 {m} 月", f"{y:04d}-{m:02d}", None
        if style == 3:
            return f"{y} 年 {m} 月 {d} 日 設立", iso, None
        if style == 4:
            return f"{y} 年 {m} 月 {d} 日（法人化：{y2} 年 {m2} 月 {d2} 日）", iso, iso2
        if style == 5 and 1989 <= y <= 2023:
            era, year = ("平成", y - 1988) if y <= 2018 else ("令和", y - 2018)
            return f"{era}{s('元' if year == 1 else year)}年{s(m)}月{s(d)}日", iso, None
        if style == 6:
            return _wide(f"{y}年{m}月{d}日", rng, 1.0), iso, None
        return f"{s(y)}年{s(m)}月{s(d)}日", iso, None

    def staff(self) -> tuple[str, int]:
        rng = self.rng
        n, m = rng.randint(1, 120), rng.randint(1, 200)
        return rng.choice(
            (
                f"{n} 人", f"{n}人+ボランティア{m}人", f"総数 {n} 人 専任 {max(1, n // 3)} 人",
                f"職員 {n} 人（2024 年 12 月時点）", f"{n} 人（非常勤を含む）", f"{n}名",
            )
        ), n  # fmt: skip

    def website(self) -> tuple[str | None, str | None]:
        rng = self.rng
        style = rng.random()
        if style < 0.1:
            return None, None  # no row at all
        if style < 0.15:
            return rng.choice(("制作中", "なし")), None
        slug = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 10)))
        tld = rng.choice(("or.jp", "jp", "org", "com", "net", "tokyo"))
        url = rng.choice(
            (f"https://{slug}.{tld}/", f"http://www.{slug}.{tld}", f"https://{slug}.{tld}")
        )
        return url, url

    def title(self, target: str) -> str:
        rng = self.rng
        return rng.choice(_TITLE_A) + rng.choice(_TITLE_B).format(t=target)

    def case(self, ordinal: int) -> SyntheticCase:
        rng = self.rng
        region_written, region, home = self.region()
        if self.orgs and rng.random() < 0.02:  # one organisation, a second initiative
            org = rng.choice(self.orgs)
        else:
            org = self.new_org(home)
            self.orgs.append(org)
        act = self.marks(self.activities)
        tgt = self.marks(self.targets, exclude=("その他",))
        target_words = [t for t in tgt if t != "多世代"] or ["多世代"]
        ctx = {
            "t": rng.choice(target_words).replace("こども・若者", "若者"),
            "a": rng.choice(list(act)),
            "p": home.name,
        }
        title = self.title(ctx["t"])
        while (org["core"], title) in self.titles:  # same org, same title: a duplicate
            title = "第二期・" + title
        self.titles.add((org["core"], title))
        bodies = self.partners(home)
        ctx["b"] = bodies[0].name if bodies else f"{home.name}社会福祉協議会"
        metrics_text, metric_values = self.metrics()

        header_name = f"{org['form_written']} {org['core']}".strip()
        lines = [
            f"{_label('団体名', rng)}{_colon(rng)}{_split_word(header_name, rng, 0.2)}", "",
            f"{_label('取組地域', rng) if rng.random() < 0.2 else '取組地域'}{_colon(rng)}"
            f"{region_written}", "",
            f"{_label('取組名', rng)}{_colon(rng)}{_split_word(title, rng, 0.3)}", "",
            "取組の種類", "", *self.activity_table(act), "",
            "取組の対象", "", *self.target_table(tgt), "",
        ]  # fmt: skip
        if rng.random() < 0.3:
            lines.append(" ")
        lines += [self.heading(1, "取組の内容"), ""]
        lines.append(f"目的\t{self.sentences(_PURPOSE, ctx, 1, 3)}")
        lines.append(f"対象とした人\t{self.sentences(_AUDIENCE, ctx, 1, 2)}")
        content = (
            self.bullets(_CONTENT, ctx)
            if rng.random() < 0.4
            else self.sentences(_CONTENT, ctx, 2, 5)
        )
        lines += [f"内容\t{content}", "", self.heading(2, "取組の成果"), ""]
        if bodies:
            if len(bodies) > 2 and rng.random() < 0.5:
                cut = len(bodies) // 2
                lines.append(f"連携した団体\t{self.partner_cell(bodies[:cut], home)}")
                lines.append(f"協力いただいた団体\t{self.partner_cell(bodies[cut:], home)}")
            else:
                lines.append(f"連携した団体 協力いただいた団体\t{self.partner_cell(bodies, home)}")
        outreach_label = rng.choice(
            ("対象とした人とつながるために行った工夫", "対象とした人とつながる ために行った工夫",
             "対象とした人につながる ために行った工夫")
        )  # fmt: skip
        outreach = (
            self.bullets(_OUTREACH, ctx)
            if rng.random() < 0.4
            else self.sentences(_OUTREACH, ctx, 1, 3)
        )
        lines.append(f"{outreach_label}\t{outreach}")
        qualitative = self.sentences(_QUALITATIVE, ctx, 1, 3)
        if rng.random() < 0.5:
            lines.append(f"定性的な成果\t{qualitative}")
            lines.append(f"定量的な成果\t{metrics_text}")
        else:
            lines.append(
                f"定性的な成果 定量的な成果\t<p>（定性的成果）</p> {_UL} ・ {qualitative} "
                f"<p>（定量的成果）</p> {metrics_text}"
            )
        lines += ["", self.heading(3, "取組の様子"), ""]
        if rng.random() < 0.4:
            lines += [f"{org['core']} 活動紹介", ""]
            lines += [f"【会場】{b.name}" for b in bodies[:3]]
            lines += [f"{ctx['a']}の様子", ""]
        else:
            lines += ["", ""]
        address_written, address = self.address(org["home"])
        profile_name = f"{org['form_written']} {org['core']}".strip()
        lines += [
            "団体概要", "",
            f"団体名\t{_split_word(profile_name, rng, 0.2)}",
            f"代表者\t{org['rep_written']}",
            f"設立年月日\t{org['founded_written']}",
            f"スタッフ数\t{org['staff_written']}",
            f"団体住所\t{address_written}",
        ]  # fmt: skip
        if org["website_written"] is not None:
            lines.append(f"ウェブサイト\t{org['website_written']}")
        lines += [f"メッセージ\t{org['message']}", ""]
        intended = {
            "ordinal": ordinal,
            "org_name": org["core"],
            "legal_form": org["form"],
            "initiative_title": title,
            **region,
            "activity_primary": self.ordered(act, "★", self.activities),
            "activity_secondary": self.ordered(act, "☆", self.activities),
            "target_primary": self.ordered(tgt, "★", self.targets),
            "target_secondary": self.ordered(tgt, "☆", self.targets),
            "representative": org["rep"],
            "founded": org["founded"],
            "incorporated": org["incorporated"],
            "staff_count": org["staff"],
            "website": org["website"],
            **address,
            "partners": [b.name for b in bodies],
            "metric_values": metric_values,
        }
        return SyntheticCase("\n".join(lines), intended)

    def heading(self, number: int, name: str) -> str:
        style = self.rng.randrange(3)
        if style == 0:
            return f"({number}) {name}"
        if style == 1:
            return f"（{chr(0xFF10 + number)}）{name}"
        return f"（{number}）{name}"

    @staticmethod
    def ordered(marks: dict[str, str], mark: str, terms: tuple[Term, ...]) -> list[str]:
        return [t.ja for t in terms if marks.get(t.ja) == mark]


def generate(cases: int, seed: int) -> Synthetic:
    """A synthetic casebook of ``cases`` cases, with the values each is meant to read as."""
    gen = _Generator(seed)
    return Synthetic([gen.case(n) for n in range(1, cases + 1)])


def generate_casebook(cases: int, seed: int) -> str:
    """The text of a synthetic casebook of ``cases`` cases."""
    return generate(cases, seed).text


def write_casebook(path: Path, cases: int, seed: int) -> Path:
    """Write a synthetic casebook to ``path`` (UTF-8, ``\\n`` line ends)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(generate_casebook(cases, seed), encoding="utf-8", newline="\n")
    return path


def main(argv: list[str] | None = None) -> None:
    """Command line: ``--cases N --seed S --out FILE``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100, help="number of cases")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--out", type=Path, required=True, help="casebook file to write")
    args = parser.parse_args(argv)
    write_casebook(args.out, args.cases, args.seed)
    print(f"wrote {args.cases} cases to {args.out}")


if __name__ == "__main__":
    main()
