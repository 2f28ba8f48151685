"""Morphological analysis of partner mentions with SudachiPy (``sudachidict-core``, mode C).

The list grammar finds where an item starts and ends; the analyser says what is inside it:
an attributive verb phrase in front of a name (学園祭で知り合った|東北福祉大学), a conjunction
between two bodies (南山大学|及び|中京大学), an honorific after a name (ゆるてぃ|様), a
fragment that ends in a verb or an adjective (委託で連携し, みんな大好き!), a proper noun in
front of a kind of body (久枝|子ども食堂 is one body, 地域の子ども食堂 a kind).

Mode C keeps compound proper nouns whole (社会福祉協議会, 東北福祉大学). The dictionary ships
inside ``sudachidict-core``; nothing is downloaded. Analyses are cached by text, and the
tokenizer is made once per process (Sudachi tokenizers are not shared between threads; the
partner stage forks processes, never threads).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any, NamedTuple


class Token(NamedTuple):
    surface: str
    pos: str  # 名詞, 動詞, 助詞 …
    sub: str  # 固有名詞, 普通名詞, 格助詞 …
    detail: str  # 地名, 人名, 一般 …
    form: str  # conjugation form: 連体形-一般 …


@cache
def dictionary() -> Any:
    """The one loaded ``sudachidict-core`` of this process (the view's romaji reads it too)."""
    from sudachipy import Dictionary

    return Dictionary(dict="core")


@cache
def _tokenizer() -> Any:
    from sudachipy import SplitMode

    return dictionary().tokenizer(SplitMode.C)


@lru_cache(maxsize=1 << 16)
def tokens(text: str) -> tuple[Token, ...]:
    """The morphemes of ``text`` (already NFKC-normalised), cached by text."""
    if not text:
        return ()
    out = []
    for m in _tokenizer().tokenize(text):
        pos = m.part_of_speech()
        out.append(Token(m.surface(), pos[0], pos[1], pos[2], pos[5]))
    return tuple(out)


_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANA_NAME = re.compile(r"[\u3041-\u309f\u30a0-\u30ff・ー]+")
_LETTER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9\u3041-\u309f\u30a0-\u30ff・ー]+")  # FMりべーる
_NOUNISH = {"名詞", "接尾辞", "接頭辞", "補助記号", "記号"}
_CONJUNCTIONS = {"及び", "および", "並びに", "ならびに"}


def _offsets(toks: tuple[Token, ...]) -> list[int]:
    starts, pos = [], 0
    for t in toks:
        starts.append(pos)
        pos += len(t.surface)
    return starts


def without_honorific(text: str) -> str:
    """``フードバンクゆるてぃ様`` → ``フードバンクゆるてぃ``: an honorific suffix after a name."""
    if not text.endswith(("様", "さま", "殿", "さん")):
        return text  # fast path: the analyser is only asked when it can matter
    toks = tokens(text)
    if len(toks) >= 2 and toks[-1].surface in {"様", "さま", "殿", "さん"} and \
            toks[-1].pos == "接尾辞":
        return text[: -len(toks[-1].surface)]
    return text


def ends_as_noun(text: str) -> bool:
    """Whether ``text`` ends in a noun phrase, not in a verb, adjective or particle.

    委託で連携し, みんな大好き! end otherwise: they are sentence fragments or titles, not bodies.
    """
    if text and not _HIRAGANA.match(text[-1]) and text[-1] not in "!?!?":
        return True  # ends in kanji, katakana or Latin: a noun (verbs and particles end in kana)
    toks = [t for t in tokens(text) if t.pos not in {"補助記号", "空白"}]
    if not toks:
        return False
    last = toks[-1]
    if last.pos in _NOUNISH:
        return True
    if _KANA_NAME.fullmatch(text) or _LETTER_NAME.fullmatch(text):
        return True  # こみっと, わいわいみ・な・み, FMりべーる: names the analyser reads as words
    # a name written in kana or Latin letters is often read as something else (こみっと)
    return last.pos not in {"動詞", "助動詞", "形容詞", "形状詞", "助詞", "接続詞", "副詞"} or \
        not any(t.pos in {"名詞", "接尾辞"} for t in toks)


def ends_in_predicate(text: str) -> bool:
    """Whether ``text`` is a sentence: it ends in a verb or auxiliary after a particle
    (〜と共催し、〜が相談に応じた), not in a name (a list line ends in a noun)."""
    text = text.rstrip("。.、 ")
    if not text or not _HIRAGANA.search(text[-3:]):
        return False
    toks = [t for t in tokens(text) if t.pos not in {"補助記号", "空白"}]
    if len(toks) < 3 or toks[-1].pos not in {"動詞", "助動詞"}:
        return False
    return any(t.pos == "助詞" and t.sub in {"格助詞", "接続助詞"} for t in toks[:-1])


def trailing_predicate(text: str) -> int | None:
    """Where ``〜に加盟``, ``〜と連携`` begins: a case particle and a verbal noun (サ変) that
    end the text are a predicate, not part of a name."""
    if not _HIRAGANA.search(text):
        return None
    toks = tokens(text)
    if len(toks) < 3 or toks[-1].detail != "サ変可能" or toks[-2].pos != "助詞" or \
            toks[-2].surface not in {"に", "を", "と", "で", "へ", "が"}:
        return None
    return len(text) - len(toks[-1].surface) - len(toks[-2].surface)


_CLAUSE_PARTICLES = {"は", "が", "を", "で", "に", "へ", "も", "から", "より"}


def particle_start(text: str) -> int | None:
    """Where the noun phrase after the last case or topic particle begins: ``チラシの配布は
    盛岡市内の小中学校`` → the offset of 盛岡市内の小中学校 (only nouns and の follow it)."""
    if not _HIRAGANA.search(text):
        return None
    toks = tokens(text)
    starts = _offsets(toks)
    for i in range(len(toks) - 2, 0, -1):
        t = toks[i]
        before = toks[i - 1]
        if t.pos == "助詞" and t.surface in _CLAUSE_PARTICLES and \
                t.sub in {"係助詞", "格助詞", "副助詞"} and before.pos in {"名詞", "接尾辞"} and \
                len(before.surface) >= 2 and not _KANA_NAME.fullmatch(before.surface) and \
                not (t.surface == "に" and before.surface in {"並び", "ならび"}):  # 並びに joins
            # after a content word (配布|は), not inside a kana name (え|が|お, ま|も)
            rest = toks[i + 1 :]
            if all(r.pos in _NOUNISH or (r.pos == "助詞" and r.surface == "の") for r in rest):
                return starts[i + 1]
            return None
        if t.pos not in _NOUNISH and not (t.pos == "助詞" and t.surface == "の"):
            return None
    return None


def ends_attributive(text: str) -> bool:
    """Whether ``text`` ends in a verb or auxiliary in attributive form (〜している, 〜した), or
    in a verb's て-form (区社協を通じて): a clause that leads to the noun after it."""
    if not text or not _HIRAGANA.match(text[-1]):
        return False
    toks = tokens(text)
    if len(toks) >= 2 and toks[-1].sub == "接続助詞" and toks[-1].surface in {"て", "で"} and \
            toks[-2].pos in {"動詞", "助動詞"}:
        return True
    # the analyser reads いる/た before a noun as 終止形 too: the two forms are written alike
    return bool(toks) and toks[-1].pos in {"動詞", "助動詞"} and \
        toks[-1].form.startswith(("連体形", "終止形"))


def attributive_start(text: str) -> int | None:
    """Where the noun phrase after the last attributive clause begins, if one qualifies it.

    ``地域イベント等で関係性があった南区役所`` → the offset of 南区役所. The clause ends in a verb
    or auxiliary in attributive form (連体形) and only nouns (and の) follow it. A name that holds
    a verb stem (徳島を良くし隊: 連用形) is not cut.
    """
    if not _HIRAGANA.search(text):
        return None  # a verb or auxiliary ends in hiragana
    toks = tokens(text)
    starts = _offsets(toks)
    # 株式会社|ふる|まちビル: a kana "verb" right after a noun that takes no verb (not サ変:
    # 支援する) and before kana is a word of a kana name, never the end of a clause
    in_name = [
        0 < i < len(toks) - 1 and t.pos == "動詞" and _KANA_NAME.fullmatch(t.surface) is not None
        and toks[i - 1].pos == "名詞" and toks[i - 1].detail != "サ変可能"
        and _KANA_NAME.match(toks[i + 1].surface) is not None
        for i, t in enumerate(toks)
    ]
    for i in range(len(toks) - 2, -1, -1):
        t = toks[i]
        rest = toks[i + 1 :]
        if in_name[i]:
            continue
        # 区社協を通じて|北区西部…センター: a verb's て-form joins a clause to what follows; a
        # name does not start with it
        connective = t.pos == "助詞" and t.sub == "接続助詞" and t.surface in {"て", "で"} and \
            i > 0 and toks[i - 1].pos in {"動詞", "助動詞"}
        if connective or (t.pos in {"動詞", "助動詞", "形容詞"} and t.form.startswith("連体形")):
            # ふく|やま子ども食堂: a kana word read as a verb at the start, followed by kana, is
            # part of a kana name, not a clause
            if i == 0 and _KANA_NAME.fullmatch(t.surface) and _HIRAGANA.match(rest[0].surface):
                return None

            if all(_in_name(r, j < len(rest) - 1) or in_name[i + 1 + j]
                   for j, r in enumerate(rest)) and rest[0].pos not in {"助詞", "副詞"}:
                return starts[i + 1]
            return None
        if not _in_name(t, True):
            return None
    return None


def _in_name(t: Token, inner: bool) -> bool:
    """A morpheme that may stand inside a name: a noun, の, or a kana adverb before a noun
    (北区西部いきいき支援センター, ほっとステーション)."""
    return t.pos in _NOUNISH or (t.pos == "助詞" and t.surface == "の") or (
        inner and t.pos == "副詞" and bool(_KANA_NAME.fullmatch(t.surface)))


def conjunction_spans(text: str) -> list[tuple[int, int]]:
    """The spans of the conjunctions that may join two bodies: 及び, 並びに, や, と."""
    if not any(c in text for c in "及並やと"):
        return []
    toks = tokens(text)
    out = []
    for i, (start, t) in enumerate(zip(_offsets(toks), toks, strict=True)):
        if t.surface in {"並び", "ならび"} and i + 1 < len(toks) and toks[i + 1].surface == "に":
            out.append((start, start + len(t.surface) + 1))  # センター|並び|に: split after a noun
            continue
        if t.surface == "に" and out and out[-1][1] == start + 1:
            continue
        if t.surface in _CONJUNCTIONS or (
            t.pos == "助詞" and t.surface in {"や", "と"}
            and t.sub in {"副助詞", "格助詞", "並立助詞"}
        ):
            out.append((start, start + len(t.surface)))
    return out


def particle_at(text: str, at: int) -> bool:
    """Whether the analyser reads the character at ``at`` of ``text`` as (the start of) a
    particle: the の of あづみの (安曇野, one place word) is none, the の of ひかり|の|森 is."""
    toks = tokens(text)
    for start, t in zip(_offsets(toks), toks, strict=True):
        if start <= at < start + len(t.surface):
            return t.pos == "助詞" and start == at
    return False


def proper_prefix(text: str, kind: str) -> bool:
    """Whether ``text`` (which ends in the kind of body ``kind``) starts with a proper noun.

    久枝子ども食堂 names one 子ども食堂; 地域子ども食堂 does not.
    """
    head = text[: len(text) - len(kind)]
    toks = tokens(head)
    return bool(toks) and toks[0].sub == "固有名詞" and all(t.pos in _NOUNISH for t in toks)



def drop_honorifics(text: str) -> str:
    """``Aゆるてぃ様、B会様から`` → ``Aゆるてぃ、B会から``: honorific suffixes after names.

    Only the suffix 様 (or 殿) that the analyser reads as 接尾辞 goes; 様々, 様子 stay.
    """
    if "様" not in text and "殿" not in text:
        return text
    return "".join(
        t.surface for t in tokens(text)
        if not (t.surface in {"様", "殿"} and t.pos == "接尾辞")
    )
