"""Digit-shaped identifiers: My Number, 法人番号, cards, phones, 〒, bank accounts,
基礎年金番号, driver's licence (12 digits) and passports.

How it works, in one pass each:
1. `LABEL_RE` finds context words (マイナンバー, 電話, 口座, 注文番号...). The nearest label before a
   number on the same line (within LABEL_WINDOW characters) decides ambiguous shapes.
2. `TOKEN_RE` finds runs of digit groups joined by one '-', one space or parentheses. Each run is
   split into candidate ranges of up to six groups; a range may only stand alone where it is
   separated from its neighbours by spaces (so "ORD-2024-123456789018" stays an order number).
3. Each range is classified by length, grouping, check digit and label.

No `\\b`: it fails next to kana and kanji (fact sheet §2.1). Lookarounds use ASCII classes.
Every pattern starts only where the previous character cannot continue it, so matching is linear.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from sonae.engines.textscan.checkdigits import (
    card_brand,
    luhn_valid,
    my_number_check_digit,
    corporate_number_check_digit,
)
from sonae.engines.textscan.normalize import ascii_lower, fold, trie_pattern

LABEL_WINDOW = 32
MAX_GROUPS_PER_RANGE = 6

# Context words by kind. Written as people type them; folded like the text (ー → '-').
_LABEL_WORDS: dict[str, tuple[str, ...]] = {
    "my_number": ("マイナンバー", "個人番号", "マイナンバーカード", "通知カード", "my number", "mynumber",
                  "my_number", "マイナ"),
    "corporate": ("法人番号", "登録番号", "適格請求書発行事業者", "インボイス番号", "事業者番号", "corporate number"),
    "card": ("クレジットカード", "クレカ", "カード番号", "カード", "card", "visa", "mastercard", "master",
             "jcb", "amex", "アメックス", "ダイナース", "diners", "決済"),
    "phone": ("電話番号", "電話", "携帯", "tel", "fax", "ファックス", "ファクス", "phone", "mobile", "連絡先", "内線",
              "ダイヤル"),
    "bank": ("口座番号", "口座", "普通預金", "当座預金", "貯蓄預金", "普通", "当座", "預金", "振込先", "振込口座",
             "支店", "店番", "ゆうちょ", "記号番号", "account no", "account number", "bank account",
             "(普)", "(当)", "普)", "当)"),
    "passport": ("旅券番号", "旅券", "パスポート番号", "パスポート", "passport"),
    "license": ("運転免許証番号", "運転免許証", "運転免許", "免許証番号", "免許証", "免許番号", "免許",
                "driver's license", "drivers license", "driving licence", "licence no", "license no"),
    "pension": ("基礎年金番号", "年金番号", "年金手帳", "年金", "pension"),
    "postal": ("郵便番号", "〒", "zip", "postal code", "postcode"),
    # Numbers that look like identifiers but are not personal data.
    "other": ("注文番号", "注文", "オーダー番号", "オーダー", "order", "受注", "発注", "伝票番号", "伝票", "追跡番号",
              "追跡", "お問い合わせ番号", "問い合わせ番号", "問合せ番号", "お問合せ番号", "配送番号", "荷物番号", "tracking",
              "請求書番号", "請求番号", "請求書no", "invoice", "見積番号", "見積no", "管理番号", "受付番号",
              "予約番号", "会員番号", "会員no", "顧客番号", "顧客id", "社員番号", "従業員番号", "品番", "型番",
              "製品番号", "商品番号", "商品コード", "jan", "isbn", "シリアル", "serial", "製造番号", "整理番号",
              "案件番号", "契約番号", "証券番号", "照会番号", "取引番号", "取引id", "トランザクション", "チケット",
              "ticket", "ロット", "lot", "レシート", "領収書番号", "バージョン", "version", "ver.", "build",
              "ビルド", "金額", "合計", "価格", "売上", "単価", "id:", "id ", "no.", "番号札", "部品番号",
              "ジョブ", "job", "batch", "バッチ", "コード"),
    # Weak: a number is being named, but not which. Only decides when no other label is near.
    "generic": ("番号", "ナンバー", "number", "no", "id", "#", "№"),
}

_word_to_kind: dict[str, str] = {}
for _kind, _words in _LABEL_WORDS.items():
    for _word in _words:
        _word_to_kind.setdefault(ascii_lower(fold(_word)), _kind)

# One trie-shaped alternation over the ASCII-lower-cased text (re.IGNORECASE is much slower).
LABEL_RE = re.compile(trie_pattern(list(_word_to_kind)))


def _ascii_word_char(char: str) -> bool:
    return char.isascii() and char.isalpha()


# A run of digit groups joined by one '-', one space or parentheses. The regex starts with a
# plain class so re can skip ahead fast; what may precede a run is checked in find_numbers.
TOKEN_RE = re.compile(r"[(0-9][0-9]*(?:(?:[- ]|\)[- ]?|[- ]?\()[0-9]+)*\)?")
_PLUS81_REST = re.compile(r"[- ]?(?:\(0\)[- ]?)?")
_GROUP_RE = re.compile(r"[0-9]+", re.ASCII)

PASSPORT_RE = re.compile(r"(?<![0-9A-Za-z_])[A-Z]{2}[0-9]{7}(?![0-9A-Za-z_])", re.ASCII)


@dataclass(frozen=True, slots=True)
class Candidate:
    type: str
    start: int
    end: int
    priority: int
    detail: str = ""


class Labels:
    """Context words of one text, looked up by position."""

    def __init__(self, norm: str, lower: str | None = None) -> None:
        self.norm = norm
        self.ends: list[int] = []
        self.kinds: list[str] = []
        lower = ascii_lower(norm) if lower is None else lower
        size = len(lower)
        for match in LABEL_RE.finditer(lower):
            word = match.group()
            start, end = match.span()
            # English words need ASCII word edges ("tel" must not fire inside "hotel").
            if word[0].isascii() and word[0].isalpha() and start > 0 and _ascii_word_char(lower[start - 1]):
                continue
            if word[-1].isascii() and word[-1].isalpha() and end < size and _ascii_word_char(lower[end]):
                continue
            self.ends.append(end)
            self.kinds.append(_word_to_kind[word])

    def before(self, position: int, window: int = LABEL_WINDOW) -> str | None:
        """Kind of the nearest label ending at or before `position` on the same line.

        A generic word (番号, No, ID) gives way to a specific label further back in the window:
        "マイナンバー（12桁の番号）：..." is still a My Number.
        """
        index = bisect.bisect_right(self.ends, position) - 1
        found = None
        while index >= 0:
            end = self.ends[index]
            if position - end > window or "\n" in self.norm[end:position]:
                break
            kind = self.kinds[index]
            if kind != "generic":
                return kind
            found = found or kind
            index -= 1
        return found

    def after(self, position: int, window: int = 6) -> str | None:
        """Kind of a label starting right after `position` (e.g. '1234567（口座番号）')."""
        index = bisect.bisect_right(self.ends, position)
        if index >= len(self.ends):
            return None
        kind = self.kinds[index]
        # ends[index] - len(word) is unknown here; a label ending within window+longest word is close enough.
        # Only specific labels count after a number: "…円。金額" says nothing about the number before it.
        if kind in ("other", "generic"):
            return None
        if self.ends[index] - position > window + 8 or "\n" in self.norm[position : self.ends[index]]:
            return None
        return kind


def _phone_ok(digits: str) -> bool:
    """Japanese numbering plan (fact sheet §2.4): 10-digit fixed lines and special numbers,
    11-digit mobile (060/070/080/090), 050 IP phones, 020 M2M and 0800 free dial."""
    n = len(digits)
    if digits[:1] != "0" or digits[1:2] == "0":
        return False
    if n == 11:
        return digits[:3] in ("060", "070", "080", "090", "050", "020") or digits[:4] == "0800"
    if n == 10:
        if digits[:4] in _SPECIAL_10:
            return True
        return digits[2] != "0"  # 0A0 is not a fixed-line area code
    return False


# 0120 free dial, 0570 navi dial, 0180 and 0990 information services: 10 digits, grouped 4-3-3.
_SPECIAL_10 = ("0120", "0570", "0180", "0990")


def _phone_grouping_ok(groups: list[str]) -> bool:
    lengths = [len(g) for g in groups]
    if len(lengths) == 1:
        return True
    digits = "".join(groups)
    if len(lengths) == 3:
        if len(digits) == 10 and digits[:4] not in _SPECIAL_10:
            return lengths[2] == 4 and lengths[0] + lengths[1] == 6 and 2 <= lengths[0] <= 5
        return lengths in ([3, 4, 4], [4, 3, 3], [4, 3, 4], [4, 2, 4], [4, 4, 3], [3, 3, 4], [4, 4, 2])
    if len(lengths) == 2:
        return lengths[1] in (4, 8) or lengths in ([4, 6], [3, 7])
    return False


def _classify(groups: list[str], seps: list[str], label: str | None, plus81: bool, t_prefix: bool,
              postal_mark: bool) -> tuple[str, str] | None:
    digits = "".join(groups)
    n = len(digits)
    lengths = [len(g) for g in groups]
    spaced = any(s == " " for s in seps)

    if plus81:
        national = "0" + digits
        if _phone_ok(national):
            return "phone", "+81"
        return None

    if t_prefix:
        if n == 13 and corporate_number_check_digit(digits[1:]) == int(digits[0]):
            return "corporate_number", "T-number"
        return None

    if postal_mark:
        if n == 7 and lengths in ([7], [3, 4]):
            return "postal_code", "〒"
        return None

    if label == "license" and n == 12:
        return "drivers_license", "context"
    if label == "pension" and n == 10 and lengths in ([10], [4, 6]):
        return "pension_number", "context"
    if label == "bank":
        if n in (6, 7, 8) and len(groups) == 1:
            return "bank_account", "context"
        if lengths in ([5, 8], [5, 7], [5, 6], [5, 1, 8], [4, 3, 7], [3, 7], [1, 6]):
            return "bank_account", "context"

    if n == 12 and lengths in ([12], [4, 4, 4]):
        if label in ("other", "generic", "bank", "pension", "card", "passport", "postal", "phone"):
            return None
        if my_number_check_digit(digits[:11]) == int(digits[11]):
            return "my_number", "check digit" + (" + context" if label == "my_number" else "")
        return None

    if n == 13 and lengths in ([13], [1, 4, 4, 4]) and label not in ("other", "generic", "card", "my_number", "bank"):
        if corporate_number_check_digit(digits[1:]) == int(digits[0]):
            return "corporate_number", "check digit"

    if 13 <= n <= 19 and label not in ("other", "generic", "my_number", "bank", "phone", "license", "pension") or (
        label == "card" and 13 <= n <= 19
    ):
        shape_ok = len(groups) == 1 or lengths in (
            [4, 4, 4, 4], [4, 6, 5], [4, 6, 4], [4, 4, 4, 4, 3], [4, 4, 4, 1], [4, 4, 4, 2], [4, 4, 4, 3],
            [4, 4, 4, 4, 1], [4, 4, 4, 4, 2], [4, 4, 4, 7], [4, 4, 5],
        )
        brand = card_brand(digits)
        if shape_ok and brand and luhn_valid(digits):
            return "credit_card", brand

    if n in (10, 11) and _phone_ok(digits) and _phone_grouping_ok(groups):
        if label == "other" and len(groups) == 1 and n == 10:
            return None  # a bare 10-digit number after 注文番号 is the order number; 11-digit mobiles stay
        if spaced and label != "phone" and len(groups) > 1 and lengths[0] == 4 and n == 10 and digits[2] != "0":
            # "0312 345678"-like spacing is unusual for phones; keep only with a phone label.
            return None
        return "phone", "numbering plan"

    if n == 7 and lengths == [3, 4] and seps == ["-"] and label not in ("other", "generic", "phone", "card", "bank"):
        return "postal_code", "shape"
    if n == 7 and lengths == [7] and label == "postal":
        return "postal_code", "context"
    return None


PRIORITY = {
    "my_number": 80,
    "credit_card": 80,
    "passport": 70,
    "drivers_license": 70,
    "pension_number": 70,
    "bank_account": 70,
    "corporate_number": 60,
    "phone": 50,
    "postal_code": 45,
}


def _alnum(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def find_numbers(norm: str, labels: Labels) -> Iterator[Candidate]:
    size = len(norm)
    for match in TOKEN_RE.finditer(norm):
        body = match.group()
        if len(body) < 6:  # the shortest identifier we report (a 6-digit account number)
            continue
        body_start = match.start()
        end = match.end()
        if body.endswith(")") and body.count("(") < body.count(")"):
            body, end = body[:-1], end - 1
        if not body or not body.lstrip("(")[:1].isdigit() or not body[-1].isdigit() and body[-1] != ")":
            continue
        # "+81 90-1234-5678" arrives as "81 90-1234-5678" after the '+'; "+81 (0)3-..." as "81 (0)3-...".
        plus81 = False
        token_start = body_start
        prev = norm[body_start - 1] if body_start > 0 else ""
        if prev == "+" and body.startswith("81") and (body_start < 2 or not _alnum(norm[body_start - 2])):
            rest = body[2:]
            prefix = _PLUS81_REST.match(rest)
            consumed = 2 + prefix.end()
            if consumed < len(body) and body[consumed].isdigit():
                plus81 = True
                token_start = body_start - 1
                body_start += consumed
                body = body[consumed:]
        if not plus81:
            # Nothing glued before: no letter or digit, no "X-" (ORD-2024...), no "3." or "1," (decimals).
            if prev and _alnum(prev) and prev != "T" and labels.before(body_start, window=0) != "phone":
                continue  # "TEL03-1234-5678" is fine, "ORD123456789018" is not
            if body_start >= 2 and prev in "-/" and _alnum(norm[body_start - 2]):
                continue
            if body_start >= 2 and prev in ".," and norm[body_start - 2].isdigit():
                continue
        # A letter glued to the end ("123456789012abc") makes it some other code.
        if end < size and _alnum(norm[end]):
            continue
        if end + 1 < size and norm[end] in "-/" and _alnum(norm[end + 1]):
            continue
        if end + 1 < size and norm[end] == "." and norm[end + 1].isdigit():
            continue
        t_prefix = prev == "T" and not plus81
        if t_prefix and body_start >= 2 and _alnum(norm[body_start - 2]):
            continue
        mark_window = norm[max(0, body_start - 3) : body_start]
        postal_mark = "〒" in mark_window
        groups: list[str] = []
        starts: list[int] = []
        for g in _GROUP_RE.finditer(body):
            groups.append(g.group())
            starts.append(body_start + g.start())
        seps = [norm[starts[i] + len(groups[i]) : starts[i + 1]] for i in range(len(groups) - 1)]

        count = len(groups)
        i = 0
        while i < count:
            if i > 0 and seps[i - 1] != " ":
                i += 1
                continue
            found = None
            for j in range(min(count - 1, i + MAX_GROUPS_PER_RANGE - 1), i - 1, -1):
                if j < count - 1 and seps[j] != " ":
                    continue
                range_start = starts[i]
                range_end = starts[j] + len(groups[j])
                label = labels.before(range_start)
                if label is None:
                    label = labels.after(range_end)
                result = _classify(
                    groups[i : j + 1], seps[i:j], label,
                    plus81 and i == 0, t_prefix and i == 0, postal_mark and i == 0,
                )
                if result:
                    found = (j, result)
                    start = token_start if (plus81 and i == 0) else range_start
                    # Keep a closing parenthesis of "(03)1234-5678" out, an opening one in.
                    if i == 0 and body.startswith("(") and result[0] == "phone" and seps[:1] and seps[0][0] == ")":
                        start = body_start
                    yield Candidate(result[0], start, range_end, PRIORITY[result[0]], result[1])
                    break
            i = found[0] + 1 if found else i + 1

    for match in PASSPORT_RE.finditer(norm):
        label = labels.before(match.start())
        if label == "passport" or (label is None and match.group()[0] in "TM"):
            yield Candidate("passport", match.start(), match.end(), PRIORITY["passport"],
                            "context" if label else "shape")
