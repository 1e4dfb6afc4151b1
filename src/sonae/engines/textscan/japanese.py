"""Person names and addresses written in Japanese.

Names: a kanji name right before an honorific or title (様, さん, 氏, 部長...), trimmed to a
known surname from the catalog; or the value after a label such as 氏名 / お名前 / 担当者.
Addresses: a prefecture or designated city, then town names, then a block number
(1-2-3, 2丁目4番9号...), optionally a building and room. Patterns are anchored on a short
literal (the honorific, the prefecture) and look only a bounded distance around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from sonae.engines.textscan.catalog import prefectures, surnames
from sonae.engines.textscan.normalize import trie_pattern
from sonae.engines.textscan.numbers import Candidate

KANJI = "一-龥々〆ヶ"
_KANJI_RUN_END = re.compile(rf"([{KANJI}]{{1,8}})(?: ([{KANJI}]{{1,4}}))? ?$")
_KATAKANA_NAME = rf"[ァ-ヴ][ァ-ヴ・-]{{0,11}}(?: [ァ-ヴ][ァ-ヴ・-]{{0,11}})?"

# Honorifics and job titles that follow a name. 氏 must not be the start of 氏名.
HONORIFIC_RE = re.compile(
    r"(?:様|さま|サマ|さん|サン|氏(?!名)|殿|くん|君|ちゃん|先生|副社長|社長|会長|専務|常務|部長|次長|課長|係長|"
    r"主任|室長|所長|店長|支店長|局長|院長|教授|弁護士|税理士|社労士|会計士)"
)

# Words that take an honorific but are not names (お客様, ご担当者様, 皆様, 貴社...).
_NOT_NAME_ENDINGS = set("者客員長部課社店所院局会様方家人達室係科生主先宛中内外分側皆各全位")
_NOT_NAMES = {
    "お客", "客", "皆", "皆々", "各位", "担当", "担当者", "御社", "貴社", "弊社", "当社", "先方", "奥", "旦那",
    "患者", "利用者", "会員", "社員", "従業員", "取引先", "関係者", "上司", "部下", "同僚", "先輩", "後輩", "新人",
    "神", "王", "殿下", "閣下", "仏", "女王", "王子", "姫", "坊", "お嬢", "息子", "娘", "母", "父", "兄", "姉", "弟",
    "妹", "親御", "奥方", "ご主人", "主人", "業者", "講師", "医師", "看護師", "代表", "所属", "本人", "御中",
    "株式会社", "有限会社", "合同会社", "事務所", "営業", "経理", "総務", "人事", "開発", "技術", "管理", "教頭",
    "校長", "園長", "理事長", "議長", "委員長", "部", "課", "社", "同", "両", "各", "貴", "氏", "様", "前", "元",
}

# Labels after which a name is written: 氏名：山田太郎 / お名前 ヤマダ タロウ.
_NAME_LABEL_RE = re.compile(
    r"(?:氏名|お名前|ご氏名|名前|フリガナ|ふりがな|カナ氏名|申込者名?|申請者名?|契約者名?|依頼者名?|ご依頼主|"
    r"受取人名?|差出人名?|担当者名|担当者|患者名|従業員名|社員名|顧客名|宛名|代表者名?|代表取締役|保証人|"
    r"緊急連絡先|名義人|口座名義|名義|被保険者名?)"
    r"[ \t]{0,2}(?:[:：]|は|=)?[ \t]{0,2}"
    rf"(?P<name>[{KANJI}]{{1,5}}(?: ?[{KANJI}]{{1,4}})?(?![{KANJI}])|{_KATAKANA_NAME})"
)
_WEAK_LABELS = ("担当者", "代表取締役", "保証人", "緊急連絡先", "名義", "口座名義", "名義人")


def _surname_split(run: str) -> int | None:
    """Offset in `run` where a known surname starts, leaving at most 3 characters of given name."""
    known = surnames()
    for offset in range(len(run)):
        rest = run[offset:]
        for length in (4, 3, 2, 1):
            if len(rest) >= length and rest[:length] in known and len(rest) - length <= 3:
                if length == 1 and len(rest) == 1:
                    continue  # a lone 林 / 森 before 様 is too weak on its own
                return offset
    return None


def _plausible_unknown(run: str) -> bool:
    return 2 <= len(run) <= 4 and run not in _NOT_NAMES and run[-1] not in _NOT_NAME_ENDINGS


def find_names(norm: str) -> Iterator[Candidate]:
    for match in HONORIFIC_RE.finditer(norm):
        h = match.start()
        window = norm[max(0, h - 14) : h]
        m = _KANJI_RUN_END.search(window)
        if not m:
            continue
        base = h - len(window)
        first, second = m.group(1), m.group(2)
        run_start = base + m.start(1)
        if run_start > 0 and "一" <= norm[run_start - 1] <= "龥":
            # Only possible when the window cut a longer kanji run: skip, too long for a name.
            continue
        end = base + m.end(2) if second else base + m.end(1)
        if second:
            offset = _surname_split(first)
            if offset is None:
                if not (_plausible_unknown(first) and len(first) <= 3):
                    continue
                offset = 0
            if first[offset:] in _NOT_NAMES or second in _NOT_NAMES:
                continue
            yield Candidate("person_name", run_start + offset, end, 35, "honorific")
            continue
        if first in _NOT_NAMES:
            continue
        offset = _surname_split(first)
        if offset is not None:
            if first[offset:] in _NOT_NAMES:
                continue
            yield Candidate("person_name", run_start + offset, end, 35, "honorific + surname")
        elif _plausible_unknown(first):
            yield Candidate("person_name", run_start, end, 34, "honorific")

    for match in _NAME_LABEL_RE.finditer(norm):
        name = match.group("name").rstrip(" ")
        if name in _NOT_NAMES or (name[-1] in _NOT_NAME_ENDINGS and not "ァ" <= name[0] <= "ヴ"):
            continue
        label = match.group()[: match.start("name") - match.start()].strip(" \t:：=は")
        if label in _WEAK_LABELS and _surname_split(name.replace(" ", "")[:8]) is None:
            continue
        start = match.start("name")
        yield Candidate("person_name", start, start + len(name), 36, "label")


@lru_cache(maxsize=1)
def _address_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str]]:
    catalog = prefectures()
    cities = "|".join(sorted(catalog.designated_cities.names, key=len, reverse=True))
    town_chars = rf"[{KANJI}ケヵぁ-んァ-ヴ・-]"
    num = r"(?:[0-9]{1,4}|[一二三四五六七八九十〇]{1,3})"
    block = rf"{num}(?:丁目|番地|番町|番|号|条|線|地割|-|の)(?:{num}(?:丁目|番地の?|番|号|条|-|の)?){{0,4}}"
    building = (
        r"(?:[ ]?[ァ-ヴA-Za-z" + KANJI + r"・-]{1,20}?(?:ビルディング|ビル|マンション|ハイツ|コーポ|荘|タワー|レジデンス|"
        r"ハウス|ヒルズ|プラザ|センタ-|アパート|会館|棟|テラス|コート|パレス|メゾン)"
        r"(?:[ ]?[0-9A-Z]{1,4}(?:F|階|号室|号棟|号)?)?)?(?:[ ]?[0-9]{1,4}(?:F|階|号室))?"
    )
    city = rf"(?:[{KANJI}ケヵぁ-ん]{{1,6}}?(?:市|区|町|村|郡)){{1,3}}"
    tail = rf"(?:[ ]?(?P<tail>{town_chars}{{0,14}}?{block}{building}))"
    anchors = list(catalog.prefectures) + list(catalog.designated_cities.names)
    anchor_re = re.compile(trie_pattern(anchors))
    after_pref = re.compile(rf"[ ]?(?:{cities}|{city}){tail}?")
    after_city = re.compile(rf"{tail}?")
    # Without a prefecture (渋谷区道玄坂1-2-3, 船橋市本町2-1) the block number is required.
    after_generic = re.compile(rf"(?:[{KANJI}]{{1,4}}?(?:区|町))?{tail}")
    return anchor_re, after_pref, after_city, after_generic, frozenset(catalog.prefectures)


_SHI_KU_RE = re.compile("[市区]")
_KANJI_CLASS = re.compile(f"[{KANJI}]")


def _is_kanji(char: str) -> bool:
    return bool(_KANJI_CLASS.match(char))


def _address_end(norm: str, start: int, end: int) -> int:
    while end > start and norm[end - 1] in " -の":
        end -= 1
    return end


def find_addresses(norm: str) -> Iterator[Candidate]:
    anchor_re, after_pref, after_city, after_generic, prefs = _address_patterns()
    for anchor in anchor_re.finditer(norm):
        start = anchor.start()
        if anchor.group() in prefs:
            rest = after_pref.match(norm, anchor.end())
            if rest is None:
                continue
        else:
            if start > 0 and _is_kanji(norm[start - 1]):
                continue
            rest = after_city.match(norm, anchor.end())
        detail = "block" if rest.group("tail") else "city"
        yield Candidate("address", start, _address_end(norm, start, rest.end()), 40, detail)

    for mark in _SHI_KU_RE.finditer(norm):
        position = mark.start()
        run_start = position
        while run_start > 0 and position - run_start < 5 and _is_kanji(norm[run_start - 1]):
            run_start -= 1
        if run_start == position or position - run_start > 4 or (run_start > 0 and _is_kanji(norm[run_start - 1])):
            continue
        rest = after_generic.match(norm, mark.end())
        if rest is None:
            continue
        yield Candidate("address", run_start, _address_end(norm, run_start, rest.end()), 39, "block")
