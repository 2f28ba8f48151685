"""Romanised names (Hepburn), computed at build time so the page stays offline.

Used twice: as a search key (``Sankakusha`` finds サンカクシャ) and as the English name of a
municipality that has none (志木市 → Shiki-shi). Readings come from SudachiPy's dictionary
(``sudachidict-core``, the partner stage's analyser), read morpheme by morpheme; the katakana
reading is written in Hepburn by the table below. A rare name may be read wrongly; the Japanese
name is always shown beside it. Long vowels are written as the kana spell them (``ou``,
``uu``), ``ー`` repeats the vowel before it.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from graph.partners.analyse import dictionary

# a municipality name is one or more units each ending in one of these (横浜市港北区)
_UNIT = re.compile(r"(.+?)(市|区|町|村|郡)")
_UNIT_EN = {"市": "shi", "区": "ku", "町": "machi", "村": "mura", "郡": "gun"}

_BASE = dict(zip(
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヰヱヲン"
    "ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポヴァィゥェォャュョヮ",
    "a i u e o ka ki ku ke ko sa shi su se so ta chi tsu te to na ni nu ne no ha hi fu he ho "
    "ma mi mu me mo ya yu yo ra ri ru re ro wa i e o n ga gi gu ge go za ji zu ze zo da ji zu "
    "de do ba bi bu be bo pa pi pu pe po vu a i u e o ya yu yo wa".split(), strict=True))
# a kana and the small kana after it read as one syllable
_PAIRS = {
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "シャ": "sha", "シュ": "shu", "ショ": "sho",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo",
    "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo", "ミャ": "mya", "ミュ": "myu", "ミョ": "myo",
    "リャ": "rya", "リュ": "ryu", "リョ": "ryo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ヂャ": "ja", "ヂュ": "ju", "ヂョ": "jo",
    "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo",
    "シェ": "she", "ジェ": "je", "チェ": "che", "ティ": "ti", "ディ": "di", "トゥ": "tu",
    "ドゥ": "du", "デュ": "dyu", "テュ": "tyu", "ファ": "fa", "フィ": "fi", "フェ": "fe",
    "フォ": "fo", "フュ": "fyu", "ウィ": "wi", "ウェ": "we", "ウォ": "wo", "ヴァ": "va",
    "ヴィ": "vi", "ヴェ": "ve", "ヴォ": "vo", "ツァ": "tsa", "ツィ": "tsi", "ツェ": "tse",
    "ツォ": "tso", "クァ": "kwa", "グァ": "gwa", "イェ": "ye",
}
_LATIN = re.compile(r"[0-9a-z]+")
_KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30faー]+")


@cache
def _tokenizer(mode: str) -> Any:
    from sudachipy import SplitMode

    return dictionary().tokenizer(getattr(SplitMode, mode))


@lru_cache(maxsize=1 << 16)
def kana_to_hepburn(kana: str) -> str:
    """Katakana (or hiragana) in Hepburn romaji; characters that are not kana are dropped."""
    text = "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in kana)
    out: list[str] = []
    i = 0
    double = False
    while i < len(text):
        pair = text[i:i + 2]
        if pair in _PAIRS:
            syllable, i = _PAIRS[pair], i + 2
        elif text[i] in _BASE:
            syllable, i = _BASE[text[i]], i + 1
        else:
            c = text[i]
            i += 1
            if c == "ッ":
                double = True
            elif c == "ー" and out:
                out.append(out[-1][-1] if out[-1][-1] in "aeiou" else "")
            continue
        if double:
            syllable = ("t" + syllable) if syllable.startswith("ch") else syllable[0] + syllable
            double = False
        out.append(syllable)
    return "".join(out)


def _words(text: str, mode: str) -> list[tuple[int, int, str]]:
    """(begin, end, romaji) of each word of ``text``: kana as written (a run of kana morphemes
    is one word: しっきーず is a name, not a verb), Latin letters and digits as written, every
    other morpheme by its dictionary reading; symbols and spaces are left out."""
    out: list[tuple[int, int, str]] = []
    kana = ""  # the kana run being read, converted as one (しっ + き → shikki)
    kana_begin = 0
    for m in _tokenizer(mode).tokenize(text):
        surface = m.surface()
        if _KANA.fullmatch(surface):
            if not kana:
                kana_begin = m.begin()
            kana += surface
            kana_end = m.end()
            continue
        if kana:
            out.append((kana_begin, kana_end, kana_to_hepburn(kana)))
            kana = ""
        if m.part_of_speech()[0] in ("補助記号", "空白"):
            continue
        if _LATIN.fullmatch(surface.casefold()):
            out.append((m.begin(), m.end(), surface.casefold()))  # NPO, 2024: as written
        elif mode != "A" and _LATIN.search(surface.casefold()):
            # NPO法人 is one long unit read エヌピーオー…: read its short units instead
            out += [(m.begin() + b, m.begin() + e, w) for b, e, w in _words(surface, "A")]
        else:
            out.append((m.begin(), m.end(), kana_to_hepburn(m.reading_form())))
    if kana:
        out.append((kana_begin, kana_end, kana_to_hepburn(kana)))
    return [w for w in out if w[2]]


@lru_cache(maxsize=1 << 16)
def romanise(text: str) -> str:
    """``text`` in Hepburn romaji, lower case, words separated by spaces."""
    return " ".join(w for _, _, w in _words(unicodedata.normalize("NFKC", text), "C"))


@cache
def place_name_en(text: str) -> str:
    """A municipality's English name from its Japanese one: 横浜市港北区 → Yokohama-shi Kouhoku-ku.

    The name is read whole (小平市 is Kodaira, its stem alone would read Shouhei) in short
    units, then each unit's stem is written before its suffix; 町 is written -machi although
    some towns read it -chō."""
    units = _UNIT.findall(text)
    if not units or "".join(a + b for a, b in units) != text:
        return " ".join(w.capitalize() for w in romanise(text).split()) or text
    words = _words(text, "A")
    parts = []
    begin = 0
    for stem, unit in units:
        end = begin + len(stem)
        inside = [w for b, e, w in words if begin <= b and e <= end]
        crossing = any(b < end < e or b < begin < e for b, e, _ in words)
        roman = "".join(inside) if inside and not crossing else romanise(stem).replace(" ", "")
        parts.append(roman.capitalize() + "-" + _UNIT_EN[unit])
        begin = end + len(unit)
    return " ".join(parts)
