"""Mechanisms added by partners11k, one test each, every input written for the test (other
places, other names, other phrasing), none copied from a gold set."""

from __future__ import annotations

from tests.partners.cases import named_in as _named
from tests.partners.cases import partners_of as _partners


def test_a_kana_place_after_a_legal_form_starts_the_name_and_is_no_clause():
    # 公益財団法人おお|いた|… : the analyser reads the kana place as a verb + た; after the legal
    # form it is the start of the name, as it is at the start of a name without a form
    assert _named("助成：公益財団法人おおいた地域づくり基金", "大分県", "大分市") == [
        "おおいた地域づくり基金"]
    assert _named("公益財団法人たかまつ市民基金の助成を受けた。", "香川県", "高松市") == [
        "たかまつ市民基金"]


def test_a_role_heading_lists_its_bodies_when_a_kana_name_looks_like_a_verb():
    # (n)activity：A、B、kind — the kana of one name (しおり, おおいた, みない) read as a verb
    # makes no prose of the list: the heading is the role, not a body
    cases = [  # (text, place, the heading, the bodies under it, the other line's body)
        ("(1)会場：川越市中央公民館 (2)野菜の提供：株式会社しおり、サンワフーズ、市内の農家",
         "埼玉県", "川越市", "野菜の提供", ["しおり", "サンワフーズ"], "川越市中央公民館"),
        ("(1)米の提供：JAおおいた、マルイチ青果、地元の農家 (2)相談：別府市福祉政策課",
         "大分県", "別府市", "米の提供", ["JAおおいた", "マルイチ青果"], "別府市福祉政策課"),
        ("(1)物品の寄付：株式会社みないろ、ヤマサキ、町内の商店 (2)会場：松本市中央公民館",
         "長野県", "松本市", "物品の寄付", ["みないろ", "ヤマサキ"], "松本市中央公民館"),
    ]
    for text, prefecture, municipality, heading, listed, other in cases:
        found = _partners(text, prefecture, municipality)
        named = {p["canonical"]: p["role"] for p in found if not p["generic"]}
        assert named.keys() == {*listed, other}, text
        assert all(named[name] == heading for name in listed), text
        kinds = [p["role"] for p in found if p["generic"]]
        assert kinds == [heading], text  # 市内の農家 / 地元の農家 / 町内の商店


def test_one_activity_noun_and_kai_is_a_meeting_not_a_body():
    # 〜が主催する連絡会で知り合った B: the meeting where they met is no partner, B is
    for meeting in ("連絡会", "検討会", "推進会"):
        text = (f"金沢市社会福祉協議会が主催する{meeting}で知り合ったNPO法人かなざわ子ども応援団と"
                "連携した。")
        assert _named(text, "石川県", "金沢市") == ["金沢市社会福祉協議会", "かなざわ子ども応援団"]
    # a body with a name before its 連絡会 stays a body
    assert _named("【連携】甲府市、やまなし子ども支援連絡会", "山梨県", "甲府市") == [
        "甲府市", "やまなし子ども支援連絡会"]


def test_a_legal_form_inside_a_longer_form_starts_no_name():
    # 〜県生活|協同組合連合会: 協同組合 is the end of 生活協同組合, not a form after a description
    assert [p["mention"] for p in _partners(
        "長野県生活協同組合連合会から食材の提供を受けた。", "長野県", "長野市")] == [
        "長野県生活協同組合連合会"]
    assert [p["mention"] for p in _partners(
        "食材は、みやぎ生活協同組合連合会に提供いただいた。", "宮城県", "仙台市青葉区")] == [
        "みやぎ生活協同組合連合会"]
    # a form after a description of the business still starts the name
    assert _named("会場は家具製造(株)ユーロ工房にお借りした。", "静岡県", "静岡市葵区") == [
        "ユーロ工房"]


def test_a_centre_or_section_of_a_university_or_company_takes_no_ward_in_front():
    # 〇〇大学|ボランティアセンター: the university's centre, not the ward's volunteer centre
    got = {p["mention"]: p for p in _partners(
        "【連携】北海学園大学ボランティアセンター、清田区社会福祉協議会ボランティアセンター",
        "北海道", "札幌市清田区")}
    centre = got["北海学園大学ボランティアセンター"]
    assert centre["canonical"] == "北海学園大学ボランティアセンター"
    assert centre["municipality"] is None
    # the ward council's centre is still the ward's
    assert got["清田区社会福祉協議会ボランティアセンター"]["canonical"] == \
        "札幌市清田区社会福祉協議会ボランティアセンター"
    got = {p["mention"]: p for p in _partners(
        "南山大学ボランティアセンターの学生と連携した。", "愛知県", "名古屋市昭和区")}
    assert got["南山大学ボランティアセンター"]["canonical"] == "南山大学ボランティアセンター"
    assert _named("【連携】常葉大学学生支援課、葵区役所", "静岡県", "静岡市葵区") == [
        "常葉大学学生支援課", "静岡市葵区役所"]
    assert _named("【連携】株式会社みどり商事総務課", "愛知県", "名古屋市昭和区") == [
        "みどり商事総務課"]
    # a bare centre or section is still completed with the case's ward
    assert _named("【連携】ボランティアセンター、地域振興課", "愛知県", "名古屋市昭和区") == [
        "名古屋市昭和区ボランティアセンター", "名古屋市昭和区地域振興課"]


def test_sono_ta_heads_a_list_and_is_no_body():
    # その他：A、B (the last group of a grouped cell) lists bodies; その is no body
    assert _named("その他：群馬大学共同教育学部、ぐんまYMCA", "群馬県", "前橋市") == [
        "群馬大学共同教育学部", "ぐんまYMCA"]
    assert _named("<p>行政：前橋市福祉政策課</p> <p>その他：株式会社あかぎ商事、まえばし子ども食堂"
                  "ネットワーク</p>", "群馬県", "前橋市") == [
        "前橋市福祉政策課", "あかぎ商事", "まえばし子ども食堂ネットワーク"]
