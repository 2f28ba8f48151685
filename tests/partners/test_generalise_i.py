"""Mechanisms added by partners11i, one test each, every input written for the test (other
places, other names, other phrasing), none copied from a gold set."""

from __future__ import annotations

from typing import Any

from tests.partners.cases import named_in as _named
from tests.partners.cases import partners_of as _partners


def test_a_common_noun_and_a_kana_word_after_the_no_of_a_legal_name_end_it():
    # NPO法人A|の森かわさき: の, a one-character noun and a kana place or name are the name's
    assert _named("NPO法人ひだまりの家まつもとと協力した。", "長野県", "松本市") == [
        "ひだまりの家まつもと"]
    assert _named("会場は一般社団法人みどりの風まつもとにお借りした。", "長野県", "松本市") == [
        "みどりの風まつもと"]
    assert _named("NPO法人あおぞらの丘ちくまと共同で開いた。", "長野県", "松本市") == [
        "あおぞらの丘ちくま"]


def test_what_follows_the_no_of_a_legal_name_is_no_name_when_it_is_help_or_people():
    for text in ("NPO法人ひだまりの支援を受けた。", "NPO法人ひだまりの皆さんと協力した。",
                 "NPO法人ひだまりの会員さんと協力した。"):
        assert _named(text, "長野県", "松本市") == ["ひだまり"]


def test_a_body_named_with_the_kana_of_a_wards_city_is_in_that_city():
    got = {p["canonical"]: p["municipality"] for p in _partners(
        "NPO法人こもれびの森せんだい、NPO法人せんだい日本語クラブ", "宮城県", "仙台市青葉区")}
    assert got == {"こもれびの森せんだい": "仙台市", "せんだい日本語クラブ": "仙台市"}
    got = {p["canonical"]: p["municipality"] for p in _partners(
        "NPO法人はままつ外国人サポート", "静岡県", "浜松市中央区")}
    assert got == {"はままつ外国人サポート": "浜松市"}


def test_a_body_named_with_its_city_and_its_prefecture_reaches_wider():
    got = {p["canonical"]: p["municipality"] for p in _partners(
        "NPO法人せんだい・みやぎ子ども支援センター", "宮城県", "仙台市青葉区")}
    assert got == {"せんだい・みやぎ子ども支援センター": None}


def test_the_hall_of_a_neighbourhood_association_is_the_association():
    assert _named("会場は本町自治会の会館をお借りした。", "山形県", "大蔵村") == ["本町自治会"]
    assert _named("会場：緑町町内会の会館、大蔵村社会福祉協議会", "山形県", "大蔵村") == [
        "緑町町内会", "大蔵村社会福祉協議会"]


def test_a_kana_between_kana_that_is_no_particle_ends_no_name():
    # JAおか|やま: the analyser reads やま as a noun, not や + ま
    text = "野菜はJAひだやまの店舗から提供いただいた。"
    assert _named(text, "岐阜県", "高山市") == ["JAひだやま"]
    assert _named("野菜はJAおかやまの直売所と株式会社美作ストアから届いた。", "岡山県",
                  "真庭市") == ["JAおかやま", "美作ストア"]


def test_the_no_of_a_place_word_in_kana_is_no_particle():
    # 株式会社むさしの|農園 is one company (武蔵野 in kana), not むさし's farm
    assert _named("株式会社むさしの農園、株式会社ひかりの工房：就労体験", "東京都",
                  "武蔵野市") == ["むさしの農園", "ひかりの工房"]
    assert _named("・有限会社よしの工房（木工体験）", "奈良県", "吉野町") == ["よしの工房"]


def test_a_kana_ya_after_a_legal_form_is_a_shops_ya():
    assert _named("【物品】有限会社ことぶきや酒店、株式会社まるや本舗", "長野県", "上田市") == [
        "ことぶきや酒店", "まるや本舗"]
    got = _partners("食材は有限会社ふくや商店や市内の農家から届いた。", "長野県", "上田市")
    assert [(p["canonical"], p["generic"]) for p in got] == [
        ("ふくや商店", False), ("農家", True)]


def test_one_kanji_after_the_no_of_a_legal_name_ends_it_before_a_comma():
    text = "フリースクールを運営するNPO法人あさひの森、株式会社ぎふ通信にも協力いただいた。"
    assert _named(text, "長野県", "松本市")[-2:] == ["あさひの森", "ぎふ通信"]
    text = "子ども食堂を運営する一般社団法人こだまの郷、株式会社ぎふ通信にも協力いただいた。"
    assert _named(text, "長野県", "松本市") == ["こだまの郷", "ぎふ通信"]


def _rows(text: str, prefecture: str, municipality: str) -> list[tuple[Any, ...]]:
    return [(p["mention"], p["canonical"], p["category"], p["municipality"])
            for p in _partners(text, prefecture, municipality)]


def test_a_kind_before_a_quoted_name_says_what_the_named_body_is():
    # in a list: the quote is the body, typed by the kind, placed by a named area of the case
    assert _rows("・ 駅前の青果店「やまもと青果」（食材の提供）", "静岡県", "浜松市中央区") == [
        ("やまもと青果", "やまもと青果", "企業・店舗", "浜松市中央区")]
    assert _rows("・ ペルー食材店「ティエンダ・ソル」：食材", "静岡県", "浜松市中央区") == [
        ("ティエンダ・ソル", "ティエンダ・ソル", "企業・店舗", None)]
    # a vague scope places nothing; a place names its own municipality
    assert _rows("・ 地元の喫茶店「こもれび」（会場）", "静岡県", "浜松市中央区")[0][3] is None
    got = _rows("・ 磐田市の青果店「やまもと青果」（食材）", "静岡県", "浜松市中央区")
    assert got[0][3] == "磐田市"


def test_a_kind_before_a_quoted_name_in_prose():
    text = "生活協同組合ユーコープ、区内のスーパー「はままつマート」からは食材の寄付をいただいた。"
    got = _rows(text, "静岡県", "浜松市中央区")
    assert ("はままつマート", "はままつマート", "企業・店舗", "浜松市中央区") in got
    assert not any(row[1] == "スーパー" for row in got)
    assert _rows("会場は駅前の喫茶店「こもれび」にお借りした。", "静岡県", "浜松市中央区") == [
        ("こもれび", "こもれび", "企業・店舗", "浜松市中央区")]


def test_a_quoted_nickname_after_a_body_named_in_full_is_that_body():
    assert _named("・ 浜松市子ども若者支援センター「ほっとぷらざ」（相談）", "静岡県",
                  "浜松市中央区") == ["浜松市子ども若者支援センター"]
    text = "福井市若者サポートセンター「ふくいステップ」と情報を共有した。"
    assert _named(text, "福井県", "福井市") == ["福井市若者サポートセンター"]
    # a group's own name in quotes stays part of the group's name
    assert _named("・ 静岡大学落語研究会「楽笑」（出演）", "静岡県", "浜松市中央区") == [
        "静岡大学落語研究会「楽笑」"]


def test_the_same_kind_word_after_do_is_the_body_named_before():
    text = "福井市若者サポートセンターとは情報を共有し、同センターの相談員にも加わっていただいた。"
    assert _named(text, "福井県", "福井市") == ["福井市若者サポートセンター"]
    text = "鯖江市民病院と連携し、同病院の医療ソーシャルワーカーから紹介を受けた。"
    assert _named(text, "福井県", "鯖江市") == ["鯖江市民病院"]


def test_a_short_area_before_a_body_named_surely_is_no_part_of_its_name():
    assert _rows("・ 元町の函館聖ヨハネ教会（会場提供）", "北海道", "函館市") == [
        ("函館聖ヨハネ教会", "函館聖ヨハネ教会", "寺社", "函館市")]
    assert _named("また、末広町の函館ハリストス正教会、弥生町会とともに活動した。", "北海道",
                  "函館市") == ["函館ハリストス正教会", "弥生町会"]
    # the case's shorthand is no area: 当町の保健福祉課 is the town's department
    assert _named("当町の保健福祉課と連携した。", "和歌山県", "紀美野町") == ["紀美野町保健福祉課"]


def test_a_list_of_names_is_no_prose_for_kana_that_look_like_a_verb():
    # JAおおいた: おお|いた reads as a verb to the prose test; each item is a body named surely
    text = "(1)食材の提供：生活協同組合コープさが、JAおおいた (2)助成：公益財団法人肥後財団"
    got = _partners(text, "佐賀県", "佐賀市")
    assert [(p["canonical"], p["role"]) for p in got] == [
        ("コープさが", "食材の提供"), ("JAおおいた", "食材の提供"), ("肥後財団", "助成")]
    got = _partners("(1)野菜の提供：JAおおいた、株式会社豊後青果 (2)会場：別府市社会福祉協議会",
                    "大分県", "別府市")
    assert [p["canonical"] for p in got] == ["JAおおいた", "豊後青果", "別府市社会福祉協議会"]


def test_a_scoped_kind_heading_named_bodies_of_that_kind_is_their_role():
    text = ("(1)拠点の子ども食堂：ひまわり食堂（熊本市）、あおぞらキッチン（八代市） "
            "(2)食材の提供：株式会社肥後フーズ")
    got = [(p["canonical"], p["municipality"], p["role"]) for p in _partners(text, "熊本県",
                                                                           "熊本市")]
    assert got == [("ひまわり食堂", "熊本市", "拠点の子ども食堂"),
                   ("あおぞらキッチン", "八代市", "拠点の子ども食堂"),
                   ("肥後フーズ", None, "食材の提供")]
    # a scoped kind with what it did stays one generic body
    got = [(p["canonical"], p["generic"]) for p in _partners("・区内の薬局：チラシの設置",
                                                             "熊本県", "熊本市")]
    assert got == [("薬局", True)]


def test_an_office_joined_to_a_governments_office_is_that_governments():
    text = "① 十日町市川西支所及び中里支所：周知 ② 十日町市社会福祉協議会：共催"
    got = [(p["mention"], p["canonical"], p["municipality"], p["role"])
           for p in _partners(text, "新潟県", "十日町市")][:2]
    assert got == [("十日町市川西支所", "十日町市川西支所", "十日町市", "周知"),
                   ("中里支所", "十日町市中里支所", "十日町市", "周知")]
    text = "・岡崎市福祉総務課及び長寿課（周知）"
    assert _named(text, "愛知県", "岡崎市") == ["岡崎市福祉総務課", "岡崎市長寿課"]
    # another kind of body after the conjunction stays as written
    text = "十日町市社会福祉協議会及び中里支所と連携した。"
    assert "十日町市中里支所" not in _named(text, "新潟県", "十日町市")


def test_a_youth_or_womens_section_of_a_body_is_the_body():
    text = "JA十日町の青年部、JAえちご上越の女性部が除雪作業に参加した。"
    assert _named(text, "新潟県", "十日町市") == ["JA十日町", "JAえちご上越"]


def test_a_middot_after_a_companys_name_joins_another_body_named_with_its_place():
    assert _named("【物品提供】株式会社御池織物・京都生活協同組合", "京都府", "京都市中京区") == [
        "御池織物", "京都生活協同組合"]
    assert _named("・株式会社西陣織物・京都信用金庫（協賛）", "京都府", "京都市中京区") == [
        "西陣織物", "京都信用金庫"]
    # a place in kana after a legal form and ・ is inside one name
    assert _named("・NPO法人せんだい・みやぎNPOセンター", "京都府", "京都市中京区") == [
        "せんだい・みやぎNPOセンター"]


def test_the_cases_shorthand_before_a_kind_keeps_its_scope_in_the_mention():
    # 同区の / 当町の + a kind: the mention as written, the kind placed in the case's place
    got = [(p["mention"], p["municipality"], p["generic"]) for p in _partners(
        "泉区社会福祉協議会と共催し、同区の民生委員・児童委員協議会には案内を依頼した。",
        "宮城県", "仙台市泉区")]
    assert got[-1] == ("同区の民生委員・児童委員協議会", "仙台市泉区", True)
    got = [(p["mention"], p["municipality"]) for p in _partners(
        "当町の民生委員・児童委員協議会と連携した。", "和歌山県", "紀美野町")]
    assert got == [("当町の民生委員・児童委員協議会", "紀美野町")]


def test_a_noun_phrase_and_de_aru_before_a_listed_body_describe_it():
    text = "・ 協力雇用主である（有）宇部鉄工、株式会社宇部マリン（就労の受け入れ）"
    got = [(p["mention"], p["role"]) for p in _partners(text, "山口県", "宇部市")]
    assert got == [("(有)宇部鉄工", "就労の受け入れ"), ("株式会社宇部マリン", "就労の受け入れ")]
    assert _named("・ 地元の老舗である株式会社宇部菓子舗（菓子の提供）", "山口県", "宇部市") == [
        "宇部菓子舗"]


def test_a_health_office_named_after_a_city_is_that_citys_as_written():
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "長岡保健所・見附保健所：家族学習会の共催", "新潟県", "長岡市")]
    assert got[:2] == [("長岡保健所", "長岡市"), ("見附保健所", "見附市")]
    got = [(p["canonical"], p["municipality"]) for p in _partners(
        "・松江保健所（共催）、中央保健所（共催）", "島根県", "松江市")]
    # a stem that names no city still takes the case's city
    assert got == [("松江保健所", "松江市"), ("松江市中央保健所", "松江市")]


def test_a_note_of_what_the_body_did_or_provides_is_its_role():
    text = ("<ul> ・ 酒田市立琢成小学校（放課後の居場所のチラシ配布） "
            "・ 酒田工業高等専門学校（ICT 講座の講師） </ul>")
    got = [(p["canonical"], p["role"]) for p in _partners(text, "山形県", "酒田市")]
    assert got == [("酒田市立琢成小学校", "放課後の居場所のチラシ配布"),
                   ("酒田工業高等専門学校", "ICT講座の講師")]
    text = ("・ 米沢市立興譲小学校（子ども食堂の案内の配布）、"
            "山形大学工学部（プログラミング教室の講師）")
    got = [(p["canonical"], p["role"]) for p in _partners(text, "山形県", "米沢市")]
    assert got == [("米沢市立興譲小学校", "子ども食堂の案内の配布"),
                   ("山形大学工学部", "プログラミング教室の講師")]


def test_a_national_body_known_by_its_short_name_is_one_body():
    # names.json: むすびえ is 全国こども食堂支援センター・むすびえ (the ・ is inside its name)
    got = {p["canonical"] for p in _partners(
        "・ 認定NPO法人全国こども食堂支援センター・むすびえ（助成）", "東京都", "港区")}
    assert got == {"全国こども食堂支援センター・むすびえ"}
    got = [p["canonical"] for p in _partners("むすびえの助成を受けた。", "高知県", "高知市")]
    assert got == ["全国こども食堂支援センター・むすびえ"]
