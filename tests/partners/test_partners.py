"""Partner extraction, typing and resolution (graph/partners.py, data/partners/*.json)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.partners.evaluate import differences, evaluate, score
from graph.partners.extract import (
    PARTNER_KEYS,
    extract_partners,
    load_rules,
    resolve_partners,
    shared_partners,
)
from graph.partners.rules import SCHEMA, read_rule_files
from graph.text.normalize import nfkc
from graph.text.places import gazetteer
from graph.text.vocab import dump_json, load_json
from tests.repo import EMBEDDED, PARTNER_RULES_DIR

# Measured on the embedded casebook (python -m graph.partners.evaluate): keep from regressing.
F1_FLOOR = {"canonical": 0.98, "mention": 0.98}


def _record(partners_text: str | None, *, case_id: str = "t-001", org: str = "テスト団体",
            prefectures: tuple[str, ...] = ("東京都",), municipalities: tuple[str, ...] = (),
            scenes: str | None = None, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {
        "case_id": case_id, "org_name": org, "org_aliases": list(aliases),
        "region_prefectures": list(prefectures), "region_municipalities": list(municipalities),
        "address_prefecture": prefectures[0] if prefectures else None,
        "address_municipality": municipalities[0] if municipalities else None,
        "partners_text": partners_text, "scenes_text": scenes,
    }


def _by_mention(record: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["mention"]: p for p in extract_partners(record)}


# --- curated rule files ---------------------------------------------------------------------

RULE_FILES = sorted(PARTNER_RULES_DIR.glob("*.json"))


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.name)
def test_rule_file_is_canonical(path):
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == dump_json(data), (
        f"{path.name} is not in canonical form; fix with: python -c \"from graph.text.vocab import "
        f"load_json, dump_json; p='{path}'; open(p,'w').write(dump_json(load_json(p)))\""
    )
    for name, value in data.items():
        sort_key = (lambda r: json.dumps(r, ensure_ascii=False, sort_keys=True)) if value and \
            isinstance(value[0], dict) else (lambda r: r)
        first = {"suffixes": "suffix", "legal_forms": "form", "description_keywords": "keyword",
                 "terms": "term", "aliases": "alias", "abbreviations": "short",
                 "known_bodies": "name", "name_prefixes": "prefix",
                 "vocab_legal_forms": "id", "short_kinds": "short",
                 "ward_councils": "city"}.get(name)
        if first:
            sort_key = lambda r, f=first: r[f]  # noqa: E731
        assert value == sorted(value, key=sort_key), f"{path.name}: {name} is not sorted"


def test_rule_files_follow_their_schema():
    files = read_rule_files(PARTNER_RULES_DIR)
    assert set(files) == set(SCHEMA)
    for name, tables in SCHEMA.items():
        for table, spec in tables.items():
            assert spec.meaning, f"{name}: {table} is not described"
    rules = load_rules()
    assert len(rules.categories) == 11
    assert rules.local_categories <= set(rules.categories)
    for row in files["names.json"]["aliases"]:
        assert row["alias"] != row["canonical"], row


@pytest.mark.parametrize(("table", "row", "message"), [
    ("suffixes", {"suffix": "寺", "category": "お寺", "strong": True}, "not a partner category"),
    ("suffixes", {"suffix": "寺", "category": "寺社"}, "missing fields"),
    ("suffixes", {"suffix": "寺", "category": "寺社", "strong": "yes"}, "true or false"),
    ("name_prefixes", {"prefix": "ＪＡ", "category": "企業・店舗"}, "not NFKC"),
])
def test_a_broken_rule_file_names_table_and_row(tmp_path, table, row, message):
    for path in RULE_FILES:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    data = load_json(tmp_path / "categories.json")
    data[table].append(row)
    (tmp_path / "categories.json").write_text(dump_json(data), encoding="utf-8")
    with pytest.raises(InputError, match=rf"categories.json: {table}\[\d+\]: .*{message}"):
        read_rule_files(tmp_path)


def test_legal_forms_cover_the_vocabulary():
    ours = {form for form, _ in load_rules().legal_forms}
    vocab = load_json(PARTNER_RULES_DIR.parent / "vocab" / "legal_forms.json")["forms"]
    missing = [p for form in vocab for p in form["prefixes"] if nfkc(p) not in ours]
    assert not missing, f"add to data/partners/categories.json legal_forms: {missing}"


# --- quality on the embedded casebook ----------------------------------------------------------


GOLD_DIR = Path(__file__).parent / "gold"


@pytest.fixture(scope="module")
def evaluation():
    return evaluate(GOLD_DIR / "kanto-2024-part1.gold.json", EMBEDDED)


def test_quality_does_not_regress(evaluation):
    figures, expected, predicted = evaluation
    for name, floor in F1_FLOOR.items():
        assert figures[name]["f1"] >= floor, "\n".join(differences(expected, predicted, name))


def test_every_case_has_partners_with_categories(evaluation):
    _, _, predicted = evaluation
    categories = set(load_rules().categories)
    assert len(predicted) == 11
    for case_id, partners in predicted.items():
        assert partners, case_id
        for p in partners:
            assert tuple(sorted(p)) == tuple(sorted(PARTNER_KEYS))
            assert p["category"] in categories, (case_id, p)


def test_types_and_roles_match_the_expected_lists(evaluation):
    _, expected, predicted = evaluation
    wrong = []
    for case_id, partners in expected.items():
        got = {p["mention"]: p for p in predicted[case_id]}
        for exp in partners:
            p = got.get(exp["mention"])
            if p is None:
                continue  # counted by the quality test
            for field in ("canonical", "category", "generic", "role"):
                if p[field] != exp[field]:
                    wrong.append(f"{case_id} {exp['mention']} {field}: {p[field]} != {exp[field]}")
            # municipality is only filled when the text says so: never a wrong one
            if p["municipality"] is not None and p["municipality"] != exp["municipality"]:
                wrong.append(f"{case_id} {exp['mention']} municipality: {p['municipality']}")
    assert not wrong, "\n".join(wrong)


def test_score():
    exp = {"c": [{"mention": "A", "canonical": "A", "generic": False},
                 {"mention": "B", "canonical": "B", "generic": True}]}
    pred = {"c": [{"mention": "A", "canonical": "A", "generic": False},
                  {"mention": "C", "canonical": "C", "generic": False}]}
    figures = score(exp, pred)
    assert figures["canonical"]["precision"] == 0.5
    assert figures["canonical"]["recall"] == 1.0
    assert figures["mention"]["f1"] == pytest.approx(0.5)
    assert score(exp, {})["mention"]["recall"] == 0.0


# --- extraction rules --------------------------------------------------------------------------


def test_departments_of_one_government_are_split_and_completed():
    rec = _record("【情報共有】志木市社会福祉協議会、株式会社ミヤケン、"
                  "志木市生涯学習課・健康政策課・長寿応援課",
                  prefectures=("埼玉県",), municipalities=("志木市",))
    got = _by_mention(rec)
    assert got["健康政策課"]["canonical"] == "志木市健康政策課"
    assert got["長寿応援課"]["canonical"] == "志木市長寿応援課"
    assert got["健康政策課"]["category"] == "行政"
    assert got["健康政策課"]["role"] == "情報共有"
    assert got["株式会社ミヤケン"]["canonical"] == "ミヤケン"
    assert got["株式会社ミヤケン"]["category"] == "企業・店舗"


def test_council_completed_from_the_case():
    ward = _by_mention(_record("区社会福祉協議会、区役所", municipalities=("葛飾区",)))
    assert ward["区社会福祉協議会"]["canonical"] == "葛飾区社会福祉協議会"
    assert ward["区社会福祉協議会"]["municipality"] == "葛飾区"
    one = _by_mention(_record("社会福祉協議会、民生委員", prefectures=("千葉県",),
                              municipalities=("匝瑳市",)))
    assert one["社会福祉協議会"]["canonical"] == "匝瑳市社会福祉協議会"
    assert one["社会福祉協議会"]["generic"] is False
    assert one["民生委員"]["generic"] is True
    # two municipalities: which council is meant is unknown, so it must not be merged anywhere
    two = _by_mention(_record("社会福祉協議会", municipalities=("豊島区", "北区")))
    assert two["社会福祉協議会"]["generic"] is True


def test_abbreviation_and_prose_names():
    rec = _record("「ワンスミダプロジェクト」には墨田区社協、民生委員、NPO すみだ多文化共生交流会、"
                  "千葉大学、UR 都市機構等が参加している。", municipalities=("墨田区",))
    got = _by_mention(rec)
    assert set(got) == {"ワンスミダプロジェクト", "墨田区社協", "民生委員",
                        "NPOすみだ多文化共生交流会", "千葉大学", "UR都市機構"}
    assert got["墨田区社協"]["canonical"] == "墨田区社会福祉協議会"
    assert got["NPOすみだ多文化共生交流会"]["canonical"] == "すみだ多文化共生交流会"


def test_head_and_description_lines():
    rec = _record("<p>豊島区：広報、教育委員会の紹介等で協力いただいた。</p>"
                  "<p>マチノオト：豊島区にある古民家のレンタルスペース。</p>",
                  municipalities=("豊島区", "北区"))
    got = _by_mention(rec)
    assert got["豊島区"]["role"] == "広報、教育委員会の紹介等で協力いただいた"
    assert got["教育委員会"]["canonical"] == "豊島区教育委員会"
    assert got["マチノオト"]["category"] == "企業・店舗"
    assert got["マチノオト"]["municipality"] == "豊島区"


def test_category_label_heads_list_their_bodies():
    rec = _record("行政：仙台市子供未来局、宮城県保健福祉部\n企業：株式会社ミヤギ",
                  prefectures=("宮城県",), municipalities=("仙台市",))
    got = _by_mention(rec)
    assert set(got) == {"仙台市子供未来局", "宮城県保健福祉部", "株式会社ミヤギ"}


def test_parenthesised_roles_and_counts():
    rec = _record("小平市社会福祉協議会（見学、活動紹介）、市内の子ども食堂（5団体）、"
                  "等 7 か所程度", municipalities=("小平市",))
    got = _by_mention(rec)
    assert set(got) == {"小平市社会福祉協議会", "市内の子ども食堂"}
    assert got["小平市社会福祉協議会"]["role"] == "見学、活動紹介"
    assert got["市内の子ども食堂"]["role"] is None
    assert got["市内の子ども食堂"]["generic"] is True


def test_scene_venues_and_self_mentions():
    rec = _record(None, org="クラブしっきーず", aliases=("クラブしききず",),
                  prefectures=("埼玉県",), municipalities=("志木市",),
                  scenes="NPO法人クラブしききず活動紹介\n【会場】行屋稲荷神社\n"
                         "【イベント】秋祭り実行委員会\n【連携】志木のまも愛内人の会・クラブしききず・宝幢寺ほか")
    got = _by_mention(rec)
    assert set(got) == {"行屋稲荷神社", "志木のまも愛内人の会", "宝幢寺"}
    assert got["行屋稲荷神社"]["role"] == "会場"
    assert got["宝幢寺"]["category"] == "寺社"


def test_no_partners_from_plain_prose():
    rec = _record("当団体にボランティア登録をしてくれている方に本事業の取組を伝え、積極的に活動に"
                  "参加いただいた。交流会等に関係部署の職員に参加いただいた。")
    assert extract_partners(rec) == []
    assert extract_partners(_record(None)) == []


# --- resolution --------------------------------------------------------------------------------


def test_resolution_refs_and_parents():
    gz = gazetteer()
    records = [
        _record("豊島区：広報。豊島区子育て支援課、NPO法人 ひだまり", case_id="a-001", org="甲",
                municipalities=("豊島区",)),
        _record("豊島区社協、ひだまり、民生委員、一般社団法人 乙の会", case_id="a-002", org="丙",
                municipalities=("豊島区",)),
        _record("豊島区社会福祉協議会、民生委員、神奈川県、横浜市教育委員会", case_id="a-003",
                org="乙の会", municipalities=("豊島区",)),
    ]
    resolve_partners(records)
    refs = {(r["case_id"], p["mention"]): p for r in records for p in r["partners"]}
    toshima = gz.municipality("豊島区", "東京都")
    yokohama = gz.municipality("横浜市", "神奈川県")
    assert toshima is not None and yokohama is not None
    assert refs[("a-001", "豊島区")]["ref"] == f"place:{toshima.code}"
    assert refs[("a-001", "豊島区子育て支援課")]["parent"] == f"place:{toshima.code}"
    assert refs[("a-003", "神奈川県")]["ref"] == f"place:{gz.prefectures['神奈川県'].code}"
    assert refs[("a-003", "横浜市教育委員会")]["parent"] == f"place:{yokohama.code}"
    # the same body however written
    assert refs[("a-002", "豊島区社協")]["ref"] == refs[("a-003", "豊島区社会福祉協議会")]["ref"]
    assert refs[("a-001", "NPO法人ひだまり")]["ref"] == refs[("a-002", "ひだまり")]["ref"]
    # a casebook organisation named as a partner is that organisation
    assert refs[("a-002", "一般社団法人乙の会")]["ref"] == "org:乙の会"
    # generic mentions stay in their case
    assert refs[("a-002", "民生委員")]["ref"] != refs[("a-003", "民生委員")]["ref"]
    assert refs[("a-002", "民生委員")]["ref"].startswith("body:a-002/")
    for r in records:
        for p in r["partners"]:
            assert set(p) == {*PARTNER_KEYS, "ref", "parent"}

    shared = shared_partners(records)
    council = refs[("a-002", "豊島区社協")]["ref"]
    assert shared == [
        (refs[("a-002", "ひだまり")]["ref"], "ひだまり", ["甲", "丙"]),
        (council, "豊島区社会福祉協議会", ["丙", "乙の会"]),
    ]
    labels = [row[1] for row in shared]
    assert "民生委員" not in labels
    assert ("org:乙の会", "乙の会", ["丙"]) not in shared  # one organisation only
    assert all(len(orgs) >= 2 for _, _, orgs in shared)


def test_local_bodies_of_the_same_name_in_two_towns_stay_apart():
    records = [
        _record("城町内会", case_id="b-001", org="甲", prefectures=("埼玉県",),
                municipalities=("志木市",)),
        _record("城町内会", case_id="b-002", org="乙", prefectures=("埼玉県",),
                municipalities=("川口市",)),
    ]
    resolve_partners(records)
    assert records[0]["partners"][0]["ref"] != records[1]["partners"][0]["ref"]
    assert shared_partners(records) == []


def test_embedded_corpus_resolves(evaluation):
    from graph.reader.casebook import read_casebooks
    from tests.repo import CASEBOOK_DIR

    records = read_casebooks(sorted(CASEBOOK_DIR.glob("*.txt"))).records
    resolve_partners(records)
    refs = {p["ref"] for r in records for p in r["partners"]}
    assert all(ref.startswith(("org:", "place:", "body:")) for ref in refs)
    sosa = gazetteer().municipality("匝瑳市", "千葉県")
    assert sosa is not None and f"place:{sosa.code}" in refs


# --- layout noise ------------------------------------------------------------------------------

_CELLS = [
    "【会場提供・情報共有】志木第三小学校、行屋稲荷講、宝幢寺、城町内会、中野町内会",
    "小平市子ども家庭部子育て支援課（情報の周知、チラシの設置）、小平市社会福祉協議会（見学、活動紹介）",
    "「ワンスミダプロジェクト」には墨田区社会福祉協議会、民生委員、千葉大学等が参加している。",
]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_CELLS), st.data())
def test_layout_spaces_and_width_do_not_change_partners(cell, data):
    """PDF extraction scatters spaces and mixes widths: the partners stay the same."""
    positions = data.draw(st.sets(st.integers(1, len(cell) - 1), max_size=5))
    noisy = "".join(" " + ch if i in positions else ch for i, ch in enumerate(cell))
    noisy = noisy.replace("、", data.draw(st.sampled_from(["、", "、 "]))).replace("(", "（")
    base = _record(cell, prefectures=("埼玉県", "東京都"), municipalities=("志木市",))
    assert extract_partners({**base, "partners_text": noisy}) == extract_partners(base)


def test_name_after_a_relative_clause_starts_after_the_verb() -> None:
    record = {
        "case_id": "x-001", "org_name": "KOMPOSITION", "org_aliases": [],
        "region_prefectures": ["千葉県"], "region_municipalities": ["松戸市"],
        "address_municipality": "松戸市", "scenes_text": None,
        "partners_text": "夏休みの居場所を提供している志木市社協との連携がきっかけで始まった。",
    }  # fmt: skip
    found = {p["mention"]: p["canonical"] for p in extract_partners(record)}
    assert found == {"志木市社協": "志木市社会福祉協議会"}


# --- generalisation: cell styles beyond the embedded chapter (hand-written cells) ---------------


def _names(text: str, **kwargs: Any) -> dict[str, dict[str, Any]]:
    kwargs.setdefault("prefectures", ("埼玉県",))
    kwargs.setdefault("municipalities", ("志木市",))
    return _by_mention(_record(text, **kwargs))


def test_shop_word_before_a_shop_name():
    """name_prefixes: a shop word then the shop's own name, often with a layout space."""
    got = _names("・ ベーカリー こむぎ堂・志木第三小学校等と連携し、地域の居場所をつくった。\n"
                 "店舗：喫茶 白樺と連携し、情報共有を行った。\n"
                 "薬局 さくらファーマシー（チラシ設置）、コーヒースタンド アオバ（会場提供）")
    assert set(got) == {"ベーカリーこむぎ堂", "志木第三小学校", "喫茶白樺",
                        "薬局さくらファーマシー", "コーヒースタンドアオバ"}
    assert got["喫茶白樺"]["category"] == "企業・店舗"
    assert got["コーヒースタンドアオバ"]["role"] == "会場提供"
    # a shop word then another kind of shop or a person is no name
    assert set(_names("カフェバー、喫茶店主、カフェスペース等と連携した。")) <= {
        "カフェバー", "喫茶店主", "カフェスペース"}
    assert all(p["category"] != "企業・店舗" or p["generic"] or not n.startswith("カフェ")
               for n, p in _names("カフェ等と連携し、居場所を運営した。").items())


def test_category_label_lines_name_their_body_in_the_description():
    """寺社：宝幢寺と連携し…: the label is not a body, the name after it is, however weak."""
    got = _names("<p>寺社：円通寺と連携し、情報共有を行った。</p>"
                 "<p>NPO：ひまわりベースと連携し、情報共有を行った。</p>"
                 "<p>関係機関：地域包括支援センターと連携し、見守りを行った。</p>"
                 "<p>社協：志木市社会福祉協議会と連携し、情報共有を行った。</p>")
    assert set(got) == {"円通寺", "ひまわりベース", "地域包括支援センター", "志木市社会福祉協議会"}
    assert got["地域包括支援センター"]["generic"] is True
    assert got["円通寺"]["category"] == "寺社"
    # but a kind of body with what it did keeps the head as the body
    kind = _names("民生委員：見守り活動に協力いただいた。\n"
                  "小学校：児童が通う小学校からの連絡をきっかけに、志木市教育委員会と協議した。")
    assert set(kind) == {"民生委員", "小学校", "志木市教育委員会"}
    assert kind["民生委員"]["role"] == "見守り活動に協力いただいた"


def test_description_of_the_head_is_not_a_body():
    """喫茶X：蓮田にある薬局。 describes X; 以下の…を受けた only announces the list."""
    got = _names("以下の団体・店舗の協力を受けた。 カフェ ミドリ：志木にある喫茶。"
                 "居宅介護支援事業所：志木にある事業所。 志木市社会福祉協議会：志木にある薬局。")
    assert set(got) == {"カフェミドリ", "居宅介護支援事業所", "志木市社会福祉協議会"}
    assert got["カフェミドリ"]["role"] == "志木にある喫茶"
    assert got["居宅介護支援事業所"]["generic"] is True


def test_names_ending_in_no_kai_are_kept_whole():
    got = _names("また、一般社団法人ひだまりの会、NPO法人こもれびの家等と情報共有を行った。")
    assert {p["canonical"] for p in got.values()} == {"ひだまりの会", "こもれびの家"}


def test_shrines_temples_and_public_bodies_in_lists():
    got = _names("・ 天満宮・大蔵院・警察署・ハローワーク・老人保健施設等と連携し、"
                 "見守りを行った。")
    assert set(got) == {"天満宮", "大蔵院", "警察署", "ハローワーク", "老人保健施設"}
    assert got["天満宮"]["category"] == "寺社" and got["天満宮"]["generic"] is False
    assert got["大蔵院"]["category"] == "寺社"
    assert all(got[n]["generic"] for n in ("警察署", "ハローワーク", "老人保健施設"))
    # a place whose name holds a kana particle is read whole
    assert "みやま市社会福祉協議会" in _names(
        "社協：みやま市社会福祉協議会と連携した。", prefectures=("福岡県",),
        municipalities=("みやま市",))
    # a plain name at the head of a list of bodies is a body too
    assert set(_names("・ ゼハプテラス・城町町内会等と連携し、地域づくりを目指した。")) == {
        "ゼハプテラス", "城町町内会"}


def test_roles_in_parentheses_and_role_heads():
    got = _names("志木市（広報協力）、十文字学園女子大学（学生ボランティア派遣）")
    assert got["志木市"]["role"] == "広報協力"
    assert got["十文字学園女子大学"]["role"] == "学生ボランティア派遣"
    heads = _names("協力：志木市社会福祉協議会／志木市立図書館／ひだまり農園\n後援：志木市、朝霞市")
    assert set(heads) == {"志木市社会福祉協議会", "志木市立図書館", "ひだまり農園", "志木市",
                          "朝霞市"}
    assert heads["志木市立図書館"]["role"] == "協力"
    assert heads["朝霞市"]["role"] == "後援"
    assert heads["ひだまり農園"]["category"] == "企業・店舗"
    # a role label not in the rules: the bodies after it are listed
    shared = _names("情報共有：朝霞市社会福祉協議会、新座市社会福祉協議会")
    assert set(shared) == {"朝霞市社会福祉協議会", "新座市社会福祉協議会"}
    assert shared["朝霞市社会福祉協議会"]["role"] == "情報共有"


def test_bullets_counts_numbers_and_none():
    bullets = _names("・志木市社会福祉協議会（会場提供）<br>・NPO法人ふれあいの森（食材提供）"
                     "<br>・株式会社丸和（寄付）")
    assert {p["canonical"]: p["role"] for p in bullets.values()} == {
        "志木市社会福祉協議会": "会場提供", "ふれあいの森": "食材提供", "丸和": "寄付"}
    assert set(_names("志木市社会福祉協議会、志木市立宗岡小学校、宝幢寺ほか計12団体")) == {
        "志木市社会福祉協議会", "志木市立宗岡小学校", "宝幢寺"}
    assert set(_names("1. 志木市社会福祉協議会 2. 株式会社丸和 3. 宗岡第二町内会")) == {
        "志木市社会福祉協議会", "株式会社丸和", "宗岡第二町内会"}
    assert set(_names("(1)志木市社会福祉協議会(2)フードバンク埼玉")) == {
        "志木市社会福祉協議会", "フードバンク埼玉"}
    for cell in ("特になし", "連携団体数：15団体", "主な連携先は以下の通り。"):
        assert _names(cell) == {}, cell
    assert set(_names("以下の機関と連携した：志木市社会福祉協議会、宝幢寺")) == {
        "志木市社会福祉協議会", "宝幢寺"}


def test_each_council_of_several_places():
    got = _names("志木市、朝霞市、新座市の各社会福祉協議会")
    assert {p["canonical"] for p in got.values()} == {
        "志木市社会福祉協議会", "朝霞市社会福祉協議会", "新座市社会福祉協議会"}
