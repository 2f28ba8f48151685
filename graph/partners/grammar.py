"""The list grammar of partner cells: separators, brackets, enumerations, prose markers."""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN, _CLOSE = "(「『【[〔", ")」』】]〕"


PLACEHOLDER = "〓"  # stands for a quoted name already taken, so prose scans stop at it


# Hiragana particles and punctuation that end a name when reading leftwards through prose.
# の is not one: it sits inside many names (白鳥の会, 志木のまも愛内人の会).
STOP = set("はがをにでともへや、。,:;「」『』()【】[]〔〕 /・" + PLACEHOLDER)


# What may follow a body name inside a sentence.
TAILS_STRONG = (
    "等", "など", "ほか", "他", "と", "や", "及び", "および", "並びに", "が", "に", "を", "で",
    "は", "も", "へ", "の", "から", "より", "による", "(",
)


TAILS_LOOSE = ("等", "など", "ほか", "と", "や", "及び", "および", "並びに", "が", "も", "による",
               "には", "にも", "とは", "からは", "からも",  # 報恩寺には…を開放いただいた
                "から", "(", "の協力", "の支援", "の参加", "の皆", "の方", "の紹介",
                "のほか",  # 区内の農家のほか、…: besides it, others
                "をはじめ")  # A組合をはじめとする市内の団体: A is one of them


# Verb endings that close a relative clause in front of a name (…している〇〇).
VERB_ENDINGS = ("ている", "ていた", "ておる", "する", "した", "される", "された", "にある",
                 "である", "できる", "行う", "行った", "通う", "住む", "暮らす",
                 "働く")  # fmt: skip


TRAILING_ETC = re.compile(r"(?:のほか|等|など|ほか|他)+$")  # A、Bのほか


# Cほか計12団体, B等 5か所: the count that closes a list
TRAILING_COUNT = re.compile(
    r"(?:等|など|ほか|他)(?:の)?(?:計|合計|約|全)?\d+\D{0,4}?(?:程度|以上|ほど)?$"
)


# A と連携し, B の協力: a collaboration verb after a name says it is a body
COLLAB = re.compile(
    r"^(?:等|など|ほか)?(?:と|の|に|から|との)(?:連携|協力|協働|共催|支援|参加|協賛|後援|共同"
    r"|委託|受託|助成|補助|紹介|派遣|依頼|相談|提供|寄付|寄贈|呼びかけ|呼び掛け|働きかけ|声かけ)"
)


# 実行委員会を組織し, 〜をつくった: what the text says was formed is an outcome, not a partner
CREATED = re.compile(r"^を(?:組織|結成|設立|立ち上げ|立上げ|つく|作|創|発足)")


# Words that make a fragment a sentence rather than a name.
_PROSE = re.compile(
    r"した|して|する|され|いる|いた|ます|です|った|ない|れた|おり|行い|ため|により|において"
    r"|について|では|には|として|を|ように|られ|いただ|ください"
)


DEPARTMENT = re.compile(r"(?:課|局|部|室|係|教育委員会)$")


# a body followed by what it did: ハローワーク等と連携し
ACTION = re.compile(
    r"等|など|ほか|(?:と|が|に|を|で|から|より)(?:連携|協力|参加|共有|協働|提供|紹介|相談)"
)


SHARED_NOUN = re.compile(
    r"^(.+?[都道府県市区町村])(?:及び|および|と|や)(.+?[都道府県市区町村])の(.+)$"
)


EACH_NOUN = re.compile(r"^(.+?(?:[都道府県市区町村]|役所|役場|庁))の各(.+)$")


KIND_LEAD = re.compile(r"^([区市町村都道府県])の?(.+)$")


QUOTE = re.compile(r"「([^「」]{2,30})」")


QUOTE_TAIL = ("との", "と", "には", "に", "が", "は", "の", "や", "を", "、", "・", "等", "など")


BRACKET_ROLE = re.compile(r"【([^】]+)】")


SCENE_LINE = re.compile(r"^【([^】]+)】(.+)$")


_HEAD = re.compile(r"^([^:。]{1,40}?):(.+)$")


@dataclass(frozen=True)
class Head:
    """A ``name：description`` line split at its first colon outside brackets."""

    head: str
    desc: str

    def group(self, n: int) -> str:
        return self.head if n == 1 else self.desc


class _Head:
    @staticmethod
    def match(text: str) -> Head | None:
        """The head and description of ``text`` (A(事務局：B)：role → A(事務局：B), role)."""
        masked, depth = [], 0
        for ch in text:
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE and depth:
                depth -= 1
            masked.append("\x01" if ch == ":" and depth else ch)
        m = _HEAD.match("".join(masked))
        if m is None:
            return None
        return Head(text[: m.end(1)], text[m.end(1) + 1 :])


HEAD = _Head()


KIND_CHARS = "区市町村都道府県"


KANJI_WORD = re.compile(r"[\u4e00-\u9fff々]{1,8}")


ENUMERATOR = re.compile(r"^(?:\(\d+\)|\d+[.)]|[●◆◇■□▪-])\s*")


COUNT = re.compile(r"^(?:約|計)?\d+\D{0,4}$")
# 自動車部品メーカー3社, 飲食店8店舗, 6つのコミュニティ協議会: a count makes a kind of several
COUNTED_KIND = re.compile(r"\d+(?:社|店舗|店|軒|団体|か所|カ所|施設|校|機関|事業所)$")
COUNT_LEAD = re.compile(r"^\d+(?:つ|か所|カ所)の")


def split_top(text: str, seps: str) -> list[str]:
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


def without_parens(text: str) -> str:
    return re.sub(r"\([^()]*\)|「[^「」]*」", "", text)


PROSE_MARKS = _PROSE  # what makes a text prose (verb endings, particles of a clause)


def is_prose(text: str) -> bool:
    return bool(_PROSE.search(without_parens(text)))


# X(以下、市社協), X(以下「HICE」), X(市社協): a short name defined for the body before it
DEFINITION = re.compile(r"\((以下[、,]?)?「?([^()「」、,。]{1,12}?)」?(?:という|と略す)?\)")


def is_abbreviation(short: str, name: str) -> bool:
    """Whether ``short`` is written with characters of ``name`` in order (市社協 of 富山市社会福祉
    協議会): a bracket that abbreviates the name, not a role or a note."""
    if not 2 <= len(short) < len(name):
        return False
    rest = iter(name)
    if not all(ch in rest for ch in short):
        return False
    # it spans the name (市…協 of 富山市社会福祉協議会), not one word of it (支援 of 〜支援センター)
    return name.index(short[0]) < len(name) / 2 and name.rindex(short[-1]) + 1 > len(name) * 0.6


# Short legal forms written in brackets after or before a name; they belong to the name.
LEGAL_SHORT_FORMS = frozenset({"(株)", "(有)", "(同)", "(一社)", "(一財)", "(公社)", "(公財)",
                               "(特非)", "(社福)", "(福)", "(医)", "(学)", "(合)", "(資)"})


def split_paren(item: str) -> tuple[str, str | None]:
    """``name(paren)`` → (name, paren): the bracket that closes the item, nested ones kept."""
    if not item.endswith(")"):
        return item, None
    depth = 0
    for pos in range(len(item) - 1, -1, -1):
        if item[pos] == ")":
            depth += 1
        elif item[pos] == "(":
            depth -= 1
            if depth == 0:
                if pos == 0 or item[pos:] in LEGAL_SHORT_FORMS:
                    return item, None  # 日東ベスト(株): a legal form, no note
                return item[:pos].strip(), item[pos + 1 : -1].strip()
    return item, None


def covered_stop(head: str, begin: int, start: int) -> bool:
    """Whether punctuation (not a kana particle) lies between ``begin`` and ``start``."""
    return any(not ("\u3040" <= ch <= "\u309f") for ch in head[begin:start] if ch in STOP)


def covers(text: str, pos: int, word: str) -> bool:
    """Whether an occurrence of ``word`` in ``text`` covers position ``pos``."""
    for offset in range(len(word)):
        begin = pos - offset
        if begin >= 0 and text[begin : begin + len(word)] == word:
            return True
    return False


_ENUM_INLINE = re.compile(r"\((\d{1,2})\)|(?<![\d.,])(\d{1,2})[.)](?![\d.])")


def split_enumerations(text: str) -> str:
    """``1. A 2. B`` or ``(1)A(2)B`` on one line → one item per line.

    Only a run numbered 1, 2, 3 … from the start counts, so a stray ``(3)`` or ``2.`` stays.
    Each line is a run of its own: two rows (連携した団体 / 協力いただいた団体) each number
    from ①, or the second goes on from the first (``1)…3)`` then ``4)…5)``).
    """
    out, done = [], 0
    for line in text.split("\n"):
        split, last = _split_run(line, done)
        out.append(split)
        done = last or done
    return "\n".join(out)


def _split_run(text: str, done: int) -> tuple[str, int]:
    """``text`` split at its run of numbers (from 1 or from ``done`` + 1), and the run's last."""
    marks = list(_ENUM_INLINE.finditer(text))
    numbers = [int(m.group(1) or m.group(2)) for m in marks]
    if len(marks) < 2 or numbers not in (list(range(1, len(marks) + 1)),
                                         list(range(done + 1, done + len(marks) + 1))):
        return text, 0
    out, last = [], 0
    for m in marks:
        out += [text[last : m.start()], "\n"]
        last = m.end()
    return "".join([*out, text[last:]]), numbers[-1]
