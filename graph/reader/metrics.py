"""Quantities in the outcomes text: ``参加人数:1,984人`` → label, value, unit, qualifier."""

from __future__ import annotations

import re
from typing import Any

_UNITS = (
    "団体", "家庭", "世帯", "か所", "カ所", "ヶ所", "箇所", "施設", "機関", "事業所", "時間",
    "日間", "か月", "ヶ月", "カ月", "週間", "種類", "人分", "家族", "事業者", "トン",
    "人", "名", "回", "件", "校", "社",
    "組", "個", "冊", "枚", "食", "軒", "本", "部", "品", "店舗", "店", "日", "割", "kg", "%",
)  # fmt: skip
# Not 点: "2,600点" counts items but "効果は次の3点" the points of an argument.
_PRE = r"(?P<pre>(?:約|およそ|延べ|のべ|計|合計|総計|平均|月平均|年間|最大)*)"
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_UNIT = r"(?P<unit>" + "|".join(map(re.escape, _UNITS)) + r")?"
_PER = r"(?P<per>/(?:月|年|日|週|回|人))?"
_POST = r"(?P<post>(?:以上|以下|未満|程度|超|余り|強|弱)*)"
_QUANTITY = re.compile(_PRE + _NUMBER + _UNIT + _PER + _POST)
# A number followed by these is a date, time, age or ordinal, not an outcome.
_NOT_QUANTITY = re.compile(
    r"^(?:年|月|日(?!間)|時|分|歳|代|号|条|丁目|番|階|位|つ目|回目|期|次|年度)"
)
# "N日" counts days only after words that say so; otherwise it is a day of the month.
_DAY_COUNT = re.compile(r"日数[^0-9]*$|(?:延べ|のべ|計|合計|約|年間)$")
_HARD_BOUNDARY = "、。;!?「」【】/\n"  # "/" separates items: "計11回 / 融通した食材：…"
_QUALIFIER_WORDS = {
    "約": "約", "およそ": "約", "延べ": "延べ", "のべ": "延べ", "計": "計", "合計": "計",
    "総計": "計", "平均": "平均", "月平均": "平均", "以上": "以上", "以下": "以下",
    "未満": "未満", "程度": "程度", "超": "以上", "余り": "以上",
}  # fmt: skip
_PARTICLES = ("にして", "にて", "では", "には", "から", "まで", "で", "は", "が", "の", "を", "に")


def _qualifiers(text: str) -> list[str]:
    """Qualifier words of ``text`` in text order, canonical and without repeats."""
    found: list[tuple[int, str]] = []
    for word in sorted(_QUALIFIER_WORDS, key=len, reverse=True):
        while word in text:
            found.append((text.index(word), _QUALIFIER_WORDS[word]))
            text = text.replace(word, " " * len(word), 1)
    return list(dict.fromkeys(q for _, q in sorted(found)))


_HEADING = re.compile(r"^\([^()]*\)(?=[^()])")
_PART = re.compile(r"^うち(?=.)")
_ORDINAL = re.compile(r"^(?:目|番目)")
_TRAILING_TOTAL = re.compile(r"\((延べ[^)0-9]*|のべ[^)0-9]*)\)")


def _clean_label(text: str) -> str:
    if ":" in text:
        before, after = text.rsplit(":", 1)
        text = after if after.strip(" ()") else before
    # a heading or number before the name: "(定量的成果)連絡会", "(1)相談件数"
    text = _HEADING.sub("", text)
    if text.startswith("(") and ")" not in text:  # "…806人(小学生410人": the name is inside
        text = text[1:]
    text = _PART.sub("", text)  # "うち避難者614人": the part counted
    for word in sorted(_QUALIFIER_WORDS, key=len, reverse=True):
        text = text.replace(word, "")
    changed = True
    while changed and text:
        changed = False
        text = text.strip(" :・")
        for particle in _PARTICLES:
            if text.endswith(particle) and len(text) > len(particle):
                text, changed = text[: -len(particle)], True
        if text.startswith(")") or text.endswith("("):
            text, changed = text.lstrip(")").rstrip("("), True
    if text in _PARTICLES:
        return ""
    if text.startswith("(") and ")" not in text:
        text = text[1:]
    if text.count("(") > text.count(")"):
        text = text[: text.rindex("(")]
    return text.strip(" ・")


# "およそ40回におよぶ体験活動を…": the name of the quantity follows it.
_TRAILING_LABEL = re.compile(
    r"^(?:におよぶ|に及ぶ|にわたる)([^、。:()]{2,20}?)(?:を|が|に|は|、|。|$)"
)


def _value(num: str) -> int | float:
    number = float(num.replace(",", ""))
    return int(number) if number.is_integer() else number


def extract_metrics(text: str) -> list[dict[str, Any]]:
    """Every quantity in normalised outcomes text, in text order."""
    metrics: list[dict[str, Any]] = []
    for line in text.split("\n"):
        last_end = 0
        last_label = ""
        for match in _QUANTITY.finditer(line):
            start, end = match.start(), match.end()
            unit, post = match.group("unit"), match.group("post")
            after = line[end:]
            if unit is None and not post:
                continue
            if unit is None and _NOT_QUANTITY.match(after):
                continue
            if (start > 0 and line[start - 1] == "第") or _ORDINAL.match(after):
                continue
            near = line[max(0, start - 12) : start] + match.group("pre")
            if unit == "日" and not _DAY_COUNT.search(near):
                continue  # 4月1日, 毎月15日: a date; 開所日数:230日, 年間120日: a count
            if line[max(0, start - 1) : start] == "(" and after.startswith(")") and unit is None:
                continue
            boundary = max(last_end, *(line.rfind(c, 0, start) + 1 for c in _HARD_BOUNDARY))
            segment = line[boundary:start]
            label = _clean_label(segment)
            # Qualifiers are the words around the label up to the number (延べ参加者数：386人,
            # 延べ平均にして約); the label itself is read without them.
            qualifier_text = segment
            trailing_label = _TRAILING_LABEL.match(after) if not label else None
            if trailing_label:
                label = trailing_label.group(1)
                end += trailing_label.end(1)
            elif not label:
                previous = line[:boundary].rstrip(_HARD_BOUNDARY + " ")
                cut = max(previous.rfind(c) + 1 for c in _HARD_BOUNDARY)
                label = _clean_label(previous[cut:]) if last_end <= cut or not last_label else ""
                label = label or last_label
            # "(延べ人数)" qualifies the quantity before it; "(延べ64回)" is a quantity itself
            trailing = _TRAILING_TOTAL.match(line[end:])
            qualifiers = _qualifiers(qualifier_text + match.group("pre") + "|" + (post or ""))
            if trailing:
                qualifiers = list(dict.fromkeys([*qualifiers, "延べ"]))
                end += trailing.end()
            label_start = line.rfind(label, 0, start) if label and not trailing_label else -1
            label_start = start if label_start < 0 else label_start
            if line[label_start:start].count("(") > line[label_start:start].count(")"):
                end += 1 if line[end : end + 1] == ")" else 0
            metrics.append({
                "label": label or None,
                "value": _value(match.group("num")),
                "unit": (unit or "") + (match.group("per") or "") or None,
                "qualifier": ",".join(qualifiers) or None,
                "text": line[min(label_start, start) : end],
            })  # fmt: skip
            last_end, last_label = end, label or last_label
    return metrics
