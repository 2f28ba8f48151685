"""The mechanisms added for the dev set's even half (partners11e), one test each.

Every input is written for the test (other names, places and phrasing than any gold set);
each failed before its change.
"""

from __future__ import annotations

from typing import Any

from graph.partners.analyse import attributive_start
from graph.partners.extract import resolve_partners
from tests.partners.cases import case_record, partners_of


def _partners(text: str, municipality: str = "札幌市北区",
              prefecture: str = "北海道") -> list[dict[str, Any]]:
    return partners_of(text, prefecture, municipality)


def _named(text: str, *place: str) -> list[str]:
    return [p["canonical"] for p in _partners(text, *place) if not p["generic"]]


def _mentions(text: str, *place: str) -> list[str]:
    return [p["mention"] for p in _partners(text, *place)]


def test_a_quoted_part_inside_a_name_keeps_both_quotes():
    got = _named("【出演】北区ハーモニカ愛好会・北海道大学落語研究会「楽笑」・札幌北高校の有志生徒")
    assert "北海道大学落語研究会「楽笑」" in got
    assert _named("劇団「かもめ座」、北区役所") == ["劇団「かもめ座」", "札幌市北区役所"]
    # quotes around a whole item still go
    assert _named("「えがお食堂」、北区役所") == ["えがお食堂", "札幌市北区役所"]


def test_a_place_written_in_kana_starts_a_name_and_is_no_clause():
    # the analyser reads はままつ as は|ま|まつ (a particle and a verb), きたかみ as き|た|かみ
    hamamatsu = ("浜松市中央区", "静岡県")
    got = _named("・はままつ子ども食堂ネットワーク(情報交換) ・浜松市社会福祉協議会", *hamamatsu)
    assert got[0] == "はままつ子ども食堂ネットワーク"
    assert _named("はままつフードバンクと連携し、情報交換を行った。", *hamamatsu) == [
        "はままつフードバンク"]
    assert _named("きたかみ子ども食堂ネットワーク(情報交換)、北上市", "北上市", "岩手県")[0] == \
        "きたかみ子ども食堂ネットワーク"


def test_a_middot_after_a_kana_place_and_a_common_noun_is_inside_one_name():
    got = _named("【官民連携】しずおか孤独・孤立対策ネットワーク、浜松市福祉総務課",
                 "浜松市中央区", "静岡県")
    assert got == ["しずおか孤独・孤立対策ネットワーク", "浜松市福祉総務課"]


def test_a_kana_word_after_the_no_of_a_legal_name_is_part_of_it():
    assert _named("NPO法人ひだまりのいえと連携した。") == ["ひだまりのいえ"]
    assert _named("社会福祉法人みどりのさとには会場をお借りした。") == ["みどりのさと"]
    # a formal noun, a person or a body's people after の are not
    assert _named("NPO法人ひだまりのために、北区役所と連携した。") == ["ひだまり", "札幌市北区役所"]
    assert _named("NPO法人ひだまりのスタッフと連携した。") == ["ひだまり"]


def test_the_bodies_in_the_bracket_after_a_count_of_them():
    got = _partners("区内で居場所を運営する4団体(あおぞら食堂、NPO法人ひだまりのいえ、"
                    "きたっこカフェ、"
                    "みんなの家つむぎ)と連絡会を開いた。")
    assert [p["canonical"] for p in got] == ["あおぞら食堂", "ひだまりのいえ", "きたっこカフェ",
                                             "みんなの家つむぎ"]
    assert {p["municipality"] for p in got} == {"札幌市北区"}  # 区内で…: placed by the clause
    got = _partners("市内の3つの子ども食堂(あおぞら食堂、きたっこカフェ、ほっとひろば)と連携した。")
    assert [p["canonical"] for p in got] == ["あおぞら食堂", "きたっこカフェ", "ほっとひろば"]
    assert {p["municipality"] for p in got} == {"札幌市"}


def test_a_student_council_or_secretariat_after_the_no_of_a_body_is_the_body():
    assert _named("札幌北高等学校の生徒会とコープさっぽろの社員が参加した。") == [
        "札幌北高等学校", "コープさっぽろ"]
    got = _named("北区連合町内会の事務局である北区役所(会場確保)にも協力いただいた。")
    assert got == ["札幌市北区連合町内会", "札幌市北区役所"]


def test_a_place_after_a_noun_phrase_and_de_aru_is_the_body_it_describes():
    got = _partners("北区連合町内会の事務局である札幌市(会場確保)にも協力いただいた。")
    assert [(p["canonical"], p["role"]) for p in got][-1] == ("札幌市", "会場確保")
    assert "当別町" in _named("実行委員会の構成団体である当別町と連携した。")


def test_people_before_the_no_of_a_group_are_who_it_gathers():
    got = _mentions("江別市・当別町から通う利用者の家族会とも連携した。")
    assert got == ["家族会"]  # and neither 江別市 nor 当別町: places used as places
    assert _mentions("保護者の会と連携した。") == ["保護者の会"]  # a bare 会 keeps its people
    assert _named("石狩市・当別町と連携した。") == ["石狩市", "当別町"]


def test_an_activity_after_a_kind_heading_is_its_role_not_a_body():
    got = _partners("1. 北区役所：会場提供 2. 弁護士：月1回の無料法律相談 "
                    "3. 司法書士：毎週の債務相談")
    assert [(p["mention"], p["role"]) for p in got] == [
        ("北区役所", "会場提供"), ("弁護士", "月1回の無料法律相談"), ("司法書士", "毎週の債務相談")]
    # a kind heading its bodies still lists them
    assert _named("寺社：宝幢寺、円明寺") == ["宝幢寺", "円明寺"]


def test_what_a_body_runs_is_named_as_a_body_too():
    assert _named("北区社会福祉協議会が運営するふれあいサロンきたに協力いただいた。") == [
        "札幌市北区社会福祉協議会", "ふれあいサロンきた"]
    got = _named("札幌市国際交流協会(以下、SIA)が運営する札幌市多文化共生センター及び"
                 "札幌市国際プラザと"
                 "連携した。")
    assert got == ["札幌市国際交流協会", "札幌市多文化共生センター", "札幌市国際プラザ"]
    assert _named("ほっとカフェ北を運営する社会福祉法人北光会には会場をお借りした。") == [
        "ほっとカフェ北", "北光会"]
    # a kind of place it runs is no body
    assert [p["mention"] for p in _partners("居場所を運営する北区社会福祉協議会と連携した。")] == [
        "北区社会福祉協議会"]


def test_a_lone_common_noun_before_a_middot_is_coordinated_inside_one_name():
    got = _named("【連携】子育て・教育支援プラットフォーム、ほっと未来・わいわい広場、当別町")
    assert got == ["子育て・教育支援プラットフォーム", "ほっと未来", "わいわい広場", "当別町"]
    got = _named("【官民連携】こうち孤独・孤立対策官民連携プラットフォーム、南国市",
                 "南国市", "高知県")
    assert got == ["こうち孤独・孤立対策官民連携プラットフォーム", "南国市"]
    # a body before ・ stays a body of its own
    assert _named("みやぎ生協・JA仙台", "仙台市青葉区", "宮城県") == ["みやぎ生協", "JA仙台"]


def test_the_members_a_bracket_says_a_body_is_made_of():
    got = _partners("<ul> ・ 北区見守りネット(町内会や区内の福祉関係機関など6団体で構成)と連携 "
                    "・ 北区役所:会場提供 </ul>")
    assert [(p["mention"], p["generic"], p["role"]) for p in got] == [
        ("北区見守りネット", False, None), ("町内会", True, None),
        ("区内の福祉関係機関", True, None), ("北区役所", False, "会場提供")]
    got = _partners("・札幌市社会福祉協議会と連携 ・北区見守り協議会(民生委員、"
                    "地域包括支援センター及び"
                    "町内会で構成)")
    assert [p["role"] for p in got] == [None] * 5  # the members are no shared role


def test_a_scoped_or_counted_kind_is_the_kind_placed_by_its_scope():
    got = _partners("【職場での周知】市内の自動車部品メーカー3社、区内の飲食店5店舗")
    assert [(p["mention"], p["canonical"], p["generic"], p["municipality"]) for p in got] == [
        ("市内の自動車部品メーカー3社", "自動車部品メーカー", True, "札幌市"),
        ("区内の飲食店5店舗", "飲食店", True, "札幌市北区")]
    got = _partners("本市の民生委員、区内6つのまちづくり協議会、当町の商工会", "当別町")
    assert [(p["mention"], p["canonical"], p["generic"], p["municipality"]) for p in got] == [
        ("本市の民生委員", "民生委員", True, None),  # a town case: 本市 names no government
        ("区内6つのまちづくり協議会", "まちづくり協議会", True, None),
        ("当町の商工会", "当別町商工会", False, "当別町")]  # one body per town, not a kind
    got = _partners("本市の民生委員、区内6つのまちづくり協議会")
    assert [(p["canonical"], p["municipality"]) for p in got] == [
        ("民生委員", "札幌市"), ("まちづくり協議会", "札幌市北区")]


def test_a_council_named_with_its_own_federation_of_districts_keeps_its_name():
    got = _named("・可部連合社会福祉協議会:見守り ・安佐北区役所:会場提供",
                 "広島市安佐北区", "広島県")
    assert got == ["可部連合社会福祉協議会", "広島市安佐北区役所"]


def test_a_body_before_no_hoka_is_one():
    got = _partners("食材は区内の農家のほか、コープさっぽろからも提供いただいた。")
    assert [(p["mention"], p["canonical"], p["municipality"]) for p in got] == [
        ("区内の農家", "農家", "札幌市北区"), ("コープさっぽろ", "コープさっぽろ", None)]


def test_the_kind_a_body_belongs_to_after_wo_hajime_to_suru():
    got = _partners("北区社会福祉協議会をはじめとする区内5つの地区社会福祉協議会と連携した。")
    assert [(p["mention"], p["generic"]) for p in got] == [
        ("北区社会福祉協議会", False), ("区内5つの地区社会福祉協議会", True)]


def test_an_area_word_scope_or_a_vague_one_leaves_the_kind():
    got = _partners("学区の地域福祉推進協議会、校区の青少年育成協議会、地元の子供会、地区の円明寺")
    assert [(p["mention"], p["generic"]) for p in got] == [
        ("地域福祉推進協議会", True), ("青少年育成協議会", True), ("子供会", True),
        ("円明寺", False)]  # a named body: no scope, not a kind


def test_a_count_vouches_for_a_name_ending_in_any_word():
    got = _named("市内で子ども食堂を運営する2団体(にじいろ食堂、きたのこどもCafé わくわく)"
                 "と連携した",
                 "札幌市")
    assert got == ["にじいろ食堂", "きたのこどもCaféわくわく"]


def test_the_body_that_hosts_what_is_held_there():
    got = _named("北区役所と、円明寺で開かれている「えがお食堂」に協力いただいた。")
    assert sorted(got) == sorted(["えがお食堂", "札幌市北区役所", "円明寺"])
    assert "新琴似教会" in _named("新琴似教会で開催している学習会と連携した。")


def test_a_role_note_is_shared_only_by_items_without_a_note_of_their_own():
    got = _partners("・北海道 大学の学生ボランティア ・北区社会福祉協議会(ボランティアの紹介) "
                    "・札幌市(広報・後援)")
    assert [p["role"] for p in got] == [None, "ボランティアの紹介", "広報・後援"]


def test_a_bracket_naming_the_bodys_own_facility_is_no_role():
    got = _partners("1) NPO法人ほっと北(居場所「こもれび」)：学習支援の共同実施 "
                    "2) 北区役所：会場提供")
    assert [(p["canonical"], p["role"]) for p in got] == [
        ("ほっと北", "学習支援の共同実施"), ("札幌市北区役所", "会場提供")]


def test_a_clause_before_the_heads_of_a_role_line_describes_them():
    got = _partners("<ul> ・ 北区役所:会場提供 ・ 出前や配達に対応している地元の商店・薬局:"
                    "チラシの設置 </ul>")
    assert [(p["mention"], p["role"]) for p in got] == [
        ("北区役所", "会場提供"), ("商店", "チラシの設置"), ("薬局", "チラシの設置")]


def test_the_office_of_a_short_name_defined_in_the_text_is_that_body():
    got = _mentions("まつもと子育て応援ネットワーク(以下、ネットワーク)の構成団体として、松本市社会"
                    "福祉協議会と連携した。ネットワークの事務局である松本市こども部にも協力いただいた。",
                    "松本市", "長野県")
    assert got == ["まつもと子育て応援ネットワーク", "松本市社会福祉協議会", "松本市こども部"]


def test_a_note_of_what_a_body_is_made_of_is_no_role():
    got = _partners("・ 北区保健福祉課:広報 ・ 新琴似ボランティアの会(会員20人で構成)と連携")
    assert [(p["mention"], p["role"]) for p in got] == [
        ("北区保健福祉課", "広報"), ("新琴似ボランティアの会", None)]


def test_a_body_before_wo_hajime_and_the_counted_kind_after_it():
    got = _partners("【協力】定山渓温泉の旅館組合をはじめとする市内4つの観光団体、北区町内会連合会")
    assert [(p["mention"], p["canonical"], p["generic"]) for p in got] == [
        ("定山渓温泉の旅館組合", "定山渓温泉の旅館組合", False),
        ("市内4つの観光団体", "観光団体", True),
        ("北区町内会連合会", "札幌市北区町内会連合会", False)]


def test_a_quote_right_after_a_group_in_prose_is_part_of_its_name():
    got = _named("北区社会福祉協議会及び北海道大学の学生サークル「ひだまり」と連携した。")
    assert got == ["札幌市北区社会福祉協議会", "北海道大学の学生サークル「ひだまり」"]
    # a quote after a particle or a verb is a name of its own
    assert "えがお食堂" in _named("円明寺で開かれている「えがお食堂」に協力いただいた。")


def test_a_name_word_kana_is_no_particle_and_a_legal_form_vouches_through_a_middot_in_prose():
    got = _named("NPO法人いわて子ども・若者支援センター(事務局:盛岡市社会福祉協議会)と情報共有を"
                 "行った。", "盛岡市", "岩手県")
    assert got == ["いわて子ども・若者支援センター", "盛岡市社会福祉協議会"]
    assert _named("NPO法人ひろしま子ども・子育て応援団と連携した。", "広島市中区", "広島県") == [
        "ひろしま子ども・子育て応援団"]


def test_a_group_word_after_the_no_of_a_legal_name_is_part_of_it_not_a_facility():
    got = _named("活動には、一般社団法人ふくいのこども応援団が参画している。", "福井市", "福井県")
    assert got == ["ふくいのこども応援団"]
    # a facility of the corporation still leaves it
    assert _named("社会福祉法人こころの家族のデイサービスセンター、北区役所") == [
        "こころの家族", "札幌市北区役所"]


def test_a_named_citys_scope_before_a_kind_places_the_kind_there():
    got = _partners("米子市内の飲食店、鳥取市内の子ども食堂12か所、県内の大学", "鳥取市", "鳥取県")
    assert [(p["mention"], p["canonical"], p["municipality"]) for p in got] == [
        ("米子市内の飲食店", "飲食店", "米子市"),
        ("鳥取市内の子ども食堂12か所", "子ども食堂", "鳥取市"),
        ("県内の大学", "大学", None)]  # a prefecture is no municipality


def test_a_kana_word_read_as_a_verb_after_a_noun_is_part_of_a_name():
    # the analyser reads 株式会社|ふる|まちビル with ふる (降る) as a verb
    assert attributive_start("提供いただいた株式会社ふるまちビル") == len("提供いただいた")
    got = _named("古町地区の空き店舗を提供いただいた株式会社ふるまちビルと、北区役所の"
                 "支援を受けた。")
    assert got == ["ふるまちビル", "札幌市北区役所"]
    assert attributive_start("居場所を支援する団体") == len("居場所を支援する")  # 支援|する: a verb


def test_a_place_joined_to_a_place_used_as_a_place_is_one_too():
    got = _named("益城町や西原村から転居してきた方々のために、熊本市と連携した。", "熊本市中央区",
                 "熊本県")
    assert got == ["熊本市"]
    got = _named("甲佐町と御船町から支援を受けた。", "熊本市中央区", "熊本県")
    assert got == ["甲佐町", "御船町"]


def test_a_place_before_a_conjunction_shares_the_body_noun_in_prose():
    got = _named("益城町や西原村の社会福祉協議会と連携した。", "熊本市中央区", "熊本県")
    assert got == ["益城町社会福祉協議会", "西原村社会福祉協議会"]
    got = _partners("熊本市と菊陽町の農家から野菜をいただいた。", "熊本市中央区", "熊本県")
    assert [(p["canonical"], p["municipality"], p["generic"]) for p in got] == [
        ("農家", "熊本市", True), ("農家", "菊陽町", True)]  # two places' farmers
    records = [case_record("熊本市と菊陽町の農家から野菜をいただいた。", "熊本県", "熊本市中央区")]
    resolve_partners(records)
    assert len({p["ref"] for p in records[0]["partners"]}) == 2


def test_the_network_the_bodies_make_up_and_the_body_another_approached():
    got = _named("見守りネットワーク旭川を構成する旭川市社会福祉協議会、東旭川町内会の協力を得た。",
                 "旭川市")
    assert got == ["見守りネットワーク旭川", "旭川市社会福祉協議会", "東旭川町内会"]
    got = _partners("旭川青年会議所が市内の食品会社に呼びかけて集めた食品を受け取った。", "旭川市")
    assert [(p["mention"], p["generic"]) for p in got] == [
        ("旭川青年会議所", False), ("市内の食品会社", True)]
    # what a body held is no body
    assert _named("旭川市社会福祉協議会が主催する研修会に参加した。", "旭川市") == [
        "旭川市社会福祉協議会"]


def test_an_association_named_by_a_clause_is_whole():
    got = _named("旭川市社会福祉協議会、ひきこもりと家族の将来を考える旭川父母の会及び"
                 "東旭川町内会と事例検討を行った。", "旭川市")
    assert sorted(got) == sorted([
        "旭川市社会福祉協議会", "ひきこもりと家族の将来を考える旭川父母の会", "東旭川町内会"])
    assert _named("子育てを応援する会からも協力いただいた。") == ["子育てを応援する会"]
    # a past clause describes the body; a bare kind after a clause is a kind; a meeting
    assert _named("食材を提供した北区社会福祉協議会と連携した。") == ["札幌市北区社会福祉協議会"]
    assert _named("意見を交換する会に参加した。") == []


def test_a_middot_inside_a_name_after_a_clause_in_prose():
    got = _named("NPO法人岡山NPOセンターが受託運営する岡山市ESD・市民協働推進センターと連携した。",
                 "岡山市北区", "岡山県")
    assert got == ["岡山NPOセンター", "岡山市ESD・市民協働推進センター"]
    assert _named("ほっと未来・札幌市立新琴似小学校と連携した。") == [
        "ほっと未来", "札幌市立新琴似小学校"]


def test_a_frequency_before_a_noun_makes_an_event_not_a_body():
    got = _mentions("・北区役所(会場の提供)・月1回の学習会(講師の派遣)・地元の民生委員")
    assert got == ["北区役所", "民生委員"]


def test_a_quoted_body_the_help_came_through_is_a_partner():
    got = _named("「きたく子どもの居場所ネットワーク」を通じて、区内の子ども食堂と食材を"
                 "融通し合った。")
    assert got == ["きたく子どもの居場所ネットワーク"]
    assert _named("「北区まつり」を共催した。") == []  # what was held is no body


def test_a_middot_after_a_compound_of_common_nouns_in_prose_does_not_glue_the_body_before():
    got = _named("ハローワーク仙台と障害者就業・生活支援センターわーくに協力いただいた。",
                 "仙台市青葉区", "宮城県")
    assert got[0] == "ハローワーク仙台"  # not ハローワーク仙台と障害者就業
    # a katakana name before ・ is a body's own: two bodies
    assert _named("ノースパン・北洋信用金庫と連携した。") == ["ノースパン", "北洋信用金庫"]


def test_a_kind_described_by_what_it_knows_is_the_kind_one_entry_per_description():
    text = "他にも、北区役所、居場所に関する専門家、行政との事業に関する専門家とそれぞれ連携した。"
    got = _partners(text)
    assert [(p["mention"], p["canonical"], p["generic"]) for p in got if p["generic"]] == [
        ("居場所に関する専門家", "専門家", True), ("行政との事業に関する専門家", "専門家", True)]
    assert "行政" not in [p["mention"] for p in got]
    records = [case_record(text)]
    resolve_partners(records)
    assert len({p["ref"] for p in records[0]["partners"]}) == 3


def test_a_prefectures_scope_written_without_no_leaves_the_kind():
    got = _partners("北海道内農家、北海道内民間ホテル、中野町内会", "札幌市北区")
    assert [(p["mention"], p["canonical"], p["generic"], p["municipality"]) for p in got][:2] == [
        ("北海道内農家", "農家", True, None), ("北海道内民間ホテル", "民間ホテル", True, None)]
    assert got[2]["canonical"] == "中野町内会"  # a 町内会, not 中野町 and 内会


def test_what_a_body_runs_is_a_body_only_when_it_has_a_name_of_its_own():
    got = _named("北区社会福祉協議会が設置した相談窓口と連携した。")
    assert got == ["札幌市北区社会福祉協議会"]
    # a part of a place where something is held is no host
    assert _named("北区の中心部で開かれている朝市の実行委員会と連携した。") == ["朝市の実行委員会"]


def test_a_partner_place_before_places_used_as_places_stays():
    got = _named("札幌市と連携して、石狩市や江別市から来た参加者を受け入れた。")
    assert got == ["札幌市"]
