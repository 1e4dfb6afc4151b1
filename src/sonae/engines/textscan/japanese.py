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
_TRAILING_HONORIFIC_RE = re.compile(r"(?:様|殿|氏|君|先生)$")
_KANA_GIVEN_END = re.compile(rf"([{KANJI}]{{1,4}}) ?([ぁ-ゖ]{{2,4}}) ?$")
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
    r"受取人名?|差出人名?|担当者名|担当者|担当|患者名|従業員名|社員名|顧客名|お客様名|お客さま名|宛名|代表者名?|"
    r"代表取締役|保証人|緊急連絡先|名義人|口座名義|名義|被保険者名?|出張者|退職者|新入社員|入社予定者|"
    r"応募者名?|候補者名?|本人氏名)"
    r"[ \t]{0,2}(?:[:：]|は|=)?[ \t]{0,2}"
    rf"(?P<name>[{KANJI}]{{1,5}}(?: ?[{KANJI}]{{1,4}})?(?![{KANJI}])|{_KATAKANA_NAME}"
    # Card-holder style romaji: TARO YAMADA / Taro Yamada.
    r"|[A-Z][A-Za-z]{1,15} [A-Z][A-Za-z]{1,15}(?![A-Za-z]))"
)
_WEAK_LABELS = ("担当者", "担当", "代表取締役", "保証人", "緊急連絡先", "名義", "口座名義", "名義人", "出張者", "退職者",
                "新入社員", "入社予定者")


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


# Words written right before a name in one kanji run: 新入社員山田さん, 担当佐藤様, 営業部鈴木部長.
_ROLE_PREFIX_RE = re.compile(
    r"^.*(?:新入社員|社員|従業員|職員|退職者|出張者|担当者|担当|顧客|弊社|当社|御社|貴社|同社|取締役|代表|"
    r"部長|課長|係長|社長|会長|専務|常務|主任|店長|支店長|所長|室長|次長|局長|理事|委員|"
    r"営業部|総務部|人事部|経理部|開発部|技術部|製造部|企画部|営業|総務|人事|経理|広報|法務|"
    r"様|殿|氏|宛|各位)"
)
# The end of a word that names a place or business, not a person (千葉支店, 前田建設, 上田駅).
_PLACE_OR_BUSINESS_END = set("駅線店場通橋寺園館港県市区町村郡道府都業設事産機品屋堂庫行局署院校舎庁省研薬学菓組製販商")
_COMMON_GIVEN_STOP = {
    "支店", "本店", "工場", "本社", "支社", "営業所", "事務所", "建設", "工業", "商事", "物産", "産業", "銀行",
    "証券", "電機", "電気", "製作所", "工務店", "運輸", "倉庫", "病院", "医院", "会館", "地区", "方面", "周辺",
    "出身", "在住", "以外", "以上", "以下", "付近", "市内", "県内", "会場", "店舗", "技研", "製薬", "化学", "重工",
    "電工", "自動車", "食品", "興業", "精機", "光学", "通信", "交通", "鉄道", "放送", "新聞", "出版", "印刷",
}


def _plausible_unknown(run: str) -> bool:
    return 2 <= len(run) <= 4 and run not in _NOT_NAMES and run[-1] not in _NOT_NAME_ENDINGS and (
        run[-1] not in _PLACE_OR_BUSINESS_END
    )


def _strip_roles(run: str) -> tuple[int, str]:
    match = _ROLE_PREFIX_RE.match(run)
    if match and match.end() < len(run):
        return match.end(), run[match.end() :]
    return 0, run


def _name_in_run(run: str) -> int | None:
    """Offset of the name inside a kanji run that ends right before an honorific, or None."""
    skip, rest = _strip_roles(run)
    if rest in _NOT_NAMES:
        return None
    if len(rest) <= 4:
        if len(rest) == 1:
            return skip if rest in surnames() else None
        if _plausible_unknown(rest) or _surname_split(rest) == 0:
            return skip
        return None
    offset = _surname_split(rest)
    if offset is None or rest[offset:] in _NOT_NAMES:
        return None
    return skip + offset


def find_names(norm: str) -> Iterator[Candidate]:
    for match in HONORIFIC_RE.finditer(norm):
        h = match.start()
        window = norm[max(0, h - 14) : h]
        m = _KANJI_RUN_END.search(window)
        if not m:
            # 福田さくら様: a catalog surname with a given name in hiragana.
            k = _KANA_GIVEN_END.search(window)
            if k:
                skip, surname = _strip_roles(k.group(1))
                start = h - len(window) + k.start(1)
                if surname in surnames() and (start == 0 or not _is_kanji(norm[start - 1])):
                    yield Candidate("person_name", start + skip, h - len(window) + k.end(2), 35, "honorific")
            continue
        base = h - len(window)
        first, second = m.group(1), m.group(2)
        run_start = base + m.start(1)
        if run_start > 0 and _is_kanji(norm[run_start - 1]):
            continue  # the window cut a longer kanji run: too long for a name
        end = base + m.end(2) if second else base + m.end(1)
        if second:
            skip, surname = _strip_roles(first)
            if second in _NOT_NAMES:
                continue
            ok = True
            if surname in _NOT_NAMES or len(surname) > 4:
                offset = _surname_split(surname)
                ok = offset is not None
                skip += offset or 0
            elif not (_plausible_unknown(surname) or _surname_split(surname) == 0 or surname in surnames()):
                ok = False
            if ok:
                yield Candidate("person_name", run_start + skip, end, 35, "honorific")
                continue
            # "コーポ青葉 佐藤 様": the run before the space is not part of the name.
            first, run_start = second, base + m.start(2)
        offset = _name_in_run(first)
        if offset is not None:
            yield Candidate("person_name", run_start + offset, base + m.end(2) if second else end, 35, "honorific")
        continue

    for match in _NAME_LABEL_RE.finditer(norm):
        name = _TRAILING_HONORIFIC_RE.sub("", match.group("name").rstrip(" ")).rstrip(" ")
        if not name:
            continue
        katakana = "ァ" <= name[0] <= "ヴ" or name[0].isascii()
        if name in _NOT_NAMES or len(name.replace(" ", "")) < 2:
            continue  # also "カ）サンプル" (the 株式会社 abbreviation in account names)
        if not katakana and _surname_split(name.replace(" ", "")[:8]) != 0 and (
            name[-1] in _NOT_NAME_ENDINGS or name[-1] in _PLACE_OR_BUSINESS_END
        ):
            continue
        label = match.group()[: match.start("name") - match.start()].strip(" \t:：=は")
        if label in _WEAK_LABELS and not katakana and _surname_split(name.replace(" ", "")[:8]) is None:
            continue
        start = match.start("name")
        yield Candidate("person_name", start, start + len(name), 36, "label")

    yield from _bare_names(norm)


_PAREN_NAME_RE = re.compile(rf"[(（]([{KANJI}]{{2,4}}(?: [{KANJI}]{{1,3}})?)[)）]")


@lru_cache(maxsize=1)
def _bare_re() -> re.Pattern[str]:
    # Starts with a trie of catalog surnames (2+ characters), so re skips ahead fast.
    names = [n for n in surnames() if len(n) >= 2]
    return re.compile(
        rf"(?P<surname>{trie_pattern(names)})"
        rf"(?:(?P<given>[{KANJI}]{{2}})|(?P<space> )(?P<given2>[{KANJI}]{{1,3}}))(?![{KANJI}])"
    )


@lru_cache(maxsize=1)
def _place_surnames() -> frozenset[str]:
    """Surnames that are also prefecture names (千葉, 石川, 福島...): never a name on their own."""
    stems = {p[:-1] for p in prefectures().prefectures if p[-1] in "県府都"} | {"北海道"}
    return frozenset(stems)


def _bare_names(norm: str) -> Iterator[Candidate]:
    """Names without honorific: a catalog surname followed by a given name (山田太郎, 山本 明美),
    or a surname alone in brackets after a value ((藤田))."""
    known = surnames()
    places = _place_surnames()
    for match in _bare_re().finditer(norm):
        if match.start() > 0 and _is_kanji(norm[match.start() - 1]):
            continue
        surname = match.group("surname")
        given = match.group("given") or match.group("given2")
        if surname in places or given in _COMMON_GIVEN_STOP:
            continue
        if given[-1] in _PLACE_OR_BUSINESS_END or given[-1] in _NOT_NAME_ENDINGS:
            continue
        yield Candidate("person_name", match.start(), match.end(), 33, "surname + given name")
    for match in _PAREN_NAME_RE.finditer(norm):
        head = match.group(1).split(" ")[0]
        if (head[:2] in known or head[:3] in known) and head[:2] not in places:
            yield Candidate("person_name", match.start(1), match.end(1), 33, "surname in brackets")


@lru_cache(maxsize=1)
def _address_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str]]:
    catalog = prefectures()
    cities = "|".join(sorted(catalog.designated_cities.names, key=len, reverse=True))
    town_chars = rf"[{KANJI}ケヵぁ-んァ-ヴ・-]"
    num = r"(?:[0-9]{1,4}|[一二三四五六七八九十〇]{1,3})"
    block = rf"{num}(?:丁目|番地|番町|番|号|条|線|地割|-|の)(?:{num}(?:丁目|番地の?|番|号|条|-|の)?){{0,4}}"
    build_chars = r"[ァ-ヴA-Za-z0-9" + KANJI + r"・-]"
    room = r"(?:[ ]?[0-9A-Z]{1,4}(?:F|階|号室|号棟|号))"
    building = (
        rf"(?:[ ]?{build_chars}{{1,20}}?(?:ビルディング|ビル|マンション|ハイツ|荘|タワ-|レジデンス|"
        rf"ハウス|ヒルズ|プラザ|センタ-|アパ-ト|会館|棟|テラス|コ-ト|パレス){room}?"
        rf"|[ ]?(?:メゾン|コ-ポ|パ-ク|グランド|ロイヤル|シャト-|ドミ-ル){build_chars}{{1,12}}{room}?"
        rf"|[ ]?{build_chars}{{1,20}}?{room})?(?:{room})?"
    )
    city = rf"(?:[{KANJI}ケヵぁ-ん]{{1,6}}?(?:市|区|町|村|郡)){{1,3}}"
    tail = rf"(?:[ ]?(?P<tail>{town_chars}{{0,14}}?{block}(?:[{KANJI}]{{1,4}}{block})?{building}))"
    anchors = list(catalog.prefectures) + list(catalog.designated_cities.names)
    anchor_re = re.compile(trie_pattern(anchors))
    after_pref = re.compile(rf"[ ]?(?:{cities}|{city}){tail}?")
    after_city = re.compile(rf"{tail}?")
    # Without a prefecture (渋谷区道玄坂1-2-3, 船橋市本町2-1) the block number is required.
    after_generic = re.compile(rf"(?:[{KANJI}]{{1,4}}?(?:区|町))?{tail}")
    return anchor_re, after_pref, after_city, after_generic, frozenset(catalog.prefectures)


_SHI_KU_RE = re.compile("[市区]")
_ADDRESS_LABEL_RE = re.compile("〒|住所|所在地|送付先|配送先|お届け先|届け先|転居先|引越し先|本籍|住まい|在住|居住地|自宅")
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
        if rest.group("tail"):
            detail = "block"
        elif _ADDRESS_LABEL_RE.search(norm, max(0, start - 12), start):
            detail = "city + label"  # 住所：東京都港区 — only a label makes a bare city personal
        else:
            continue
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
