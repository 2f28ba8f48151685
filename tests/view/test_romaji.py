"""Romanised search keys and English place names (graph/view/romaji.py)."""

from __future__ import annotations

import pytest

from graph.view.romaji import kana_to_hepburn, place_name_en, romanise


@pytest.mark.parametrize(("kana", "roman"), [
    ("サンカクシャ", "sankakusha"),
    ("しょくどう", "shokudou"),  # hiragana too; long vowels as spelt
    ("ニッポン", "nippon"),  # small tsu doubles the next consonant
    ("マッチ", "matchi"),  # … and ch becomes tch
    ("コーヒー", "koohii"),  # ー repeats the vowel before it
    ("ティーンズ", "tiinzu"),
    ("ヴァイオリン", "vaiorin"),
    ("ジョウホク", "jouhoku"),
    ("・ー", ""),  # nothing to read
])
def test_kana_to_hepburn(kana: str, roman: str) -> None:
    assert kana_to_hepburn(kana) == roman


def test_romanise_reads_kanji_by_morpheme_and_keeps_latin() -> None:
    # long units as the dictionary has them, each read whole
    assert romanise("志木市社会福祉協議会") == "shikishi shakaifukushikyougikai"
    assert romanise("クラブしっきーず") == "kurabushikkiizu"  # one kana run, not a verb
    assert romanise("ＮＰＯ法人ひだまり") == "npo houjin hidamari"  # NFKC first, NPO as written
    assert romanise("") == ""


@pytest.mark.parametrize(("name", "english"), [
    ("志木市", "Shiki-shi"),
    ("横浜市港北区", "Yokohama-shi Kouhoku-ku"),  # 港北 read as a word, not 港 + 北
    ("浜松市中央区", "Hamamatsu-shi Chuuou-ku"),
    ("豊島区", "Toshima-ku"),
])
def test_place_name_en(name: str, english: str) -> None:
    assert place_name_en(name) == english
