"""Wording that phishing, smishing and support scams use, as compiled patterns.

Matched on NFKC-normalised text, so full-width letters and digits are covered. Sources of the
phrases: police seminar 勘所 (urgency, login requests), フィッシング対策協議会 monthly reports (themes such
as 利用制限, 再配達, 税金未納), IPA/国民生活センター descriptions of サポート詐欺 (phone number, remote tools,
gift-card payment).
"""

from __future__ import annotations

import re

CREDENTIAL_RE = re.compile(
    r"ログイン|ログオン|サインイン|パスワード|暗証番号|カード番号|セキュリティコード|有効期限|本人確認|認証コード"
    r"|ワンタイムパスワード|生年月日|口座番号|再認証|個人情報.{0,6}(?:入力|更新|確認)"
    r"|(?:アカウント|会員情報|登録情報|お客様情報|ご利用情報|カード情報|支払い?情報|お支払い方法|決済情報|ID)"
    r".{0,8}(?:確認|更新|認証|再開|入力|登録|変更)"
    r"|verify your|confirm your (?:account|identity|password|information|details|email)"
    r"|update your (?:account|payment|billing|information|details)|(?:log ?in|sign ?in) (?:to|at) your"
    r"|validate your|enter your password|account (?:verification|confirmation)",
    re.IGNORECASE,
)
URGENCY_RE = re.compile(
    r"【(?:緊急|重要|至急|最終|警告)[^】]{0,6}】|緊急|至急|(?:24|48|72)時間以内|本日中|期限内|速やかに"
    r"|(?:停止|制限|凍結|ロック|失効|削除|解約|閉鎖)(?:され|し|いた|させ|と|の|に|を)"
    r"|法的(?:手続|措置)|差し?押さえ|未納|未払い|滞納|不正(?:アクセス|利用|ログイン)|異常な|最終(?:警告|通知|通告)"
    r"|suspend|within (?:24|48) hours|immediately|urgent|locked|unusual (?:activity|sign)|unauthori[sz]ed"
    r"|final (?:notice|warning)",
    re.IGNORECASE,
)
DELIVERY_RE = re.compile(
    r"不在|持ち帰り|再配達|配達(?:できません|不可)|お荷物|配送状況|住所.{0,4}(?:不備|不明)"
    r"|delivery (?:failed|attempt)|parcel|package (?:could not|was not)",
    re.IGNORECASE,
)
PAYMENT_RE = re.compile(
    r"(?:ギフトカード|ギフト券|プリペイドカード|電子マネー|Apple Gift Card|iTunesカード|Google ?Play ?(?:ギフト)?カード"
    r"|gift ?cards?|ビットコイン|bitcoin).{0,30}(?:購入|支払|払い|番号|送|コード|purchase|pay|send|code)",
    re.IGNORECASE,
)
# Japanese numbers written with hyphens or as 10–11 digits, toll-free 0120/0800, and international +NN numbers.
# Each alternative opens with a literal "0" or "+" and checks the character before it afterwards
# ("0(?<!\d0)" is "(?<!\d)0"): the regex engine can then skip ahead to those characters.
PHONE_RE = re.compile(
    r"0(?<!\d0)(?:\d{1,4}-\d{1,4}-\d{3,4}|(?:120|800)-?\d{3}-?\d{3}|\d{9,10})(?!\d)"
    r"|\+(?<!\d\+)\d{1,3}[\s-]?\(?\d{1,4}\)?[\s-]\d{2,4}[\s-]\d{3,4}(?!\d)"
)
SUPPORT_WORDS_RE = re.compile(
    r"ウイルス|感染|ハッキング|セキュリティ(?:警告|警報)|システムエラー|トロイの木馬|サポートセンター|テクニカルサポート"
    r"|Windows|マイクロソフト|virus|infected|hacked|tech(?:nical)? support|help ?desk",
    re.IGNORECASE,
)
REMOTE_RE = re.compile(
    r"AnyDesk|TeamViewer|QuickSupport|Quick ?Assist|クイックアシスト|LogMeIn|Supremo|RemotePC|Zoho Assist|Splashtop"
    r"|遠隔操作(?:ソフト|アプリ)|リモート(?:操作|サポート)(?:ソフト|アプリ)?",
    re.IGNORECASE,
)
QR_RE = re.compile(r"QRコード.{0,20}(?:読み取|読込|読み込|スキャン|アクセス|ログイン|認証)|scan (?:the|this) QR", re.IGNORECASE)
DONATION_RE = re.compile(r"(?:寄付|募金|義援金|donation).{0,30}(?:振込|振り込|送金|口座|PayPay|QR|send)", re.IGNORECASE)
# Characters that exist only in simplified Chinese, never in Japanese text.
SIMPLIFIED_RE = re.compile("[您们这认证请账验击务没进过钱银删锁]")
KANA_RE = re.compile("[\u3040-\u30ff]")
# "P(?<!\wP)W\b" is "\bPW\b" written to start with a literal (see PHONE_RE).
PASSWORD_HINT_RE = re.compile(r"パスワード|暗証|解凍|password|passcode|P(?<!\wP)W\b|pass ?:", re.IGNORECASE)
ACTION_WORDS_RE = re.compile(
    r"確認|更新|認証|停止|制限|ログイン|お支払|請求|未納|再配達|ロック|verify|confirm|update|suspend|locked|payment|invoice",
    re.IGNORECASE,
)


def _lower_pattern(source: str) -> str:
    """Lower-case a pattern's literals, leaving backslash escapes (\\d, \\s, \\b) as they are."""
    out = []
    escaped = False
    for char in source:
        out.append(char if escaped else char.lower())
        escaped = char == "\\" and not escaped
    return "".join(out)


def _structure(source: str):
    """(index, char, depth) of each regex-source character outside escapes and [...] classes; depth is
    the number of groups open before the character."""
    depth, index, in_class = 0, 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # "[]…]" and "[^]…]": a "]" right after the opening is a literal, not the end of the class
            index += 1 if source[index + 1: index + 2] == "]" else (2 if source[index + 1: index + 3] == "^]" else 0)
        else:
            yield index, char, depth
            depth += (char == "(") - (char == ")")
        index += 1


def _alternatives(source: str) -> list[str]:
    """The top-level alternatives of a regex source (split at "|" outside groups and classes)."""
    parts: list[str] = []
    start = 0
    for index, char, depth in _structure(source):
        if char == "|" and depth == 0:
            parts.append(source[start:index])
            start = index + 1
    parts.append(source[start:])
    return parts


def _group_end(source: str) -> int:
    """Index just past the group that opens at source[0]."""
    for index, char, depth in _structure(source):
        if char == ")" and depth == 1:
            return index + 1
    raise ValueError(f"unbalanced pattern: {source!r}")


def literal_first(source: str) -> str:
    """Rewrite "(?:A|B)C|D" as "AC|BC|D": the same matches in the same order of preference, but when
    every alternative opens with a literal character, Python's re skips ahead to those characters
    instead of trying the whole pattern at every position (2-4x faster on a mail body)."""
    out = []
    for alternative in _alternatives(source):
        if alternative.startswith("(?:"):
            end = _group_end(alternative)
            if alternative[end: end + 1] not in ("?", "*", "+", "{"):
                inner, rest = alternative[3: end - 1], alternative[end:]
                out.append(literal_first("|".join(a + rest for a in _alternatives(inner))))
                continue
        out.append(alternative)
    return "|".join(out)


def for_lower_text(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """An IGNORECASE pattern compiled for lower-cased text (same matches there, several times faster)."""
    return re.compile(literal_first(_lower_pattern(pattern.pattern)))


_QUANTIFIERS = ("?", "*", "{")
_META = ".^$*+?{}[]()|\\"


def _needs_char_from(source: str, floor: str) -> bool:
    """True when every match of this regex source holds a character at or above `floor` (so it cannot
    match text whose characters are all below it): such a literal that is not optional, or a group that
    is not optional whose every alternative needs one ("id.{0,8}(?:確認|更新)"). Escapes, classes and
    look-arounds are not looked into (counted as able to match below `floor`)."""
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            index += 1
            if source[index: index + 1] == "^":
                index += 1
            if source[index: index + 1] == "]":
                index += 1
            while index < len(source) and source[index] != "]":
                index += 2 if source[index] == "\\" else 1
            index += 1
            continue
        if char == "(":
            end = index + _group_end(source[index:])
            body = source[index + 1: end - 1]
            inner = body[2:] if body.startswith("?:") else None if body.startswith("?") else body
            mandatory = source[end: end + 1] not in _QUANTIFIERS
            if inner is not None and mandatory and all(_needs_char_from(a, floor) for a in _alternatives(inner)):
                return True
            index = end
            continue
        if char >= floor and char not in _META and source[index + 1: index + 2] not in _QUANTIFIERS:
            return True
        index += 1
    return False


def _alternatives_below(source: str, ceiling: str) -> str:
    """Only the alternatives that can match text whose characters are all below `ceiling`: one that needs
    a character at or above it (ログイン, 【緊急】, "id.{0,8}(?:確認|更新)" for text without kana or kanji)
    cannot, so dropping it changes no result on such text."""
    kept = [a for a in _alternatives(source) if not a or not _needs_char_from(a, ceiling)]
    return "|".join(kept) if kept else "(?!)"


def _leading_literal(alternative: str) -> str:
    """The characters that every match of this alternative (no top-level "|") opens with."""
    out = []
    index = 0
    while index < len(alternative):
        char = alternative[index]
        if char == "\\":
            escaped = alternative[index + 1: index + 2]
            if not escaped or escaped.isalnum():
                break  # \d, \b, \u...: not one literal character
            literal, width = escaped, 2
        elif char in _META:
            break
        else:
            literal, width = char, 1
        following = alternative[index + width: index + width + 1]
        if following in _QUANTIFIERS:
            break  # optional, or repeated a counted number of times: not certain to be there
        out.append(literal)
        if following == "+":
            break
        index += width
    return "".join(out)


def screen_literals(source: str) -> tuple[str, ...] | None:
    """Strings one of which every match of `source` opens with, or None when an alternative opens with
    no literal. A literal that opens with another is left out: wherever it stands, the shorter one does."""
    literals = set()
    for alternative in _alternatives(source):
        literal = _leading_literal(alternative)
        if not literal:
            return None
        literals.add(literal)
    kept: list[str] = []
    for literal in sorted(literals, key=lambda item: (len(item), item)):
        if not any(literal.startswith(shorter) for shorter in kept):
            kept.append(literal)
    return tuple(kept)


# Past this many places where a literal stands, one search from the first of them is cheaper; below
# this length the search itself is.
MAX_SCREEN_POSITIONS = 12
SCREEN_MIN_CHARS = 200


class Screened:
    """A compiled pattern searched only where a match can start. Every match opens with one of its
    literals, so the leftmost match is the first `match` that succeeds at the places where a literal
    stands, taken in order (the regex's own preference decides at each place, as in a search); no
    literal in the text, no match. Substring search is fast in C, and a pattern of many alternatives
    otherwise costs re a try at nearly every letter of a long text."""

    __slots__ = ("compiled", "literals")

    def __init__(self, compiled: re.Pattern[str], literals: tuple[str, ...]) -> None:
        self.compiled = compiled
        self.literals = literals

    def search(self, text: str) -> re.Match[str] | None:
        if len(text) < SCREEN_MIN_CHARS:
            return self.compiled.search(text)  # a link text, a subject: the search alone is cheaper
        firsts = []
        for literal in self.literals:
            at = text.find(literal)
            if at != -1:
                firsts.append((at, literal))
        if not firsts:
            return None
        positions: list[int] = []
        for at, literal in firsts:
            while at != -1:
                positions.append(at)
                if len(positions) > MAX_SCREEN_POSITIONS:
                    return self.compiled.search(text, min(first for first, _ in firsts))
                at = text.find(literal, at + 1)
        match = self.compiled.match
        for at in sorted(set(positions)):
            found = match(text, at)
            if found:
                return found
        return None

    def __getattr__(self, name: str):
        return getattr(self.compiled, name)


class Lowered:
    """The same patterns compiled for lower-cased text: much faster than IGNORECASE in Python's re.
    With a ceiling, the patterns for lower-cased text whose characters are all below it (only the
    alternatives that can match there), each screened by the literals its matches open with (see
    Screened): in text of Latin letters most positions hold a possible first letter. In text with kana
    or kanji re skips most characters by itself, and a screen of dozens of Japanese words costs more
    than it saves, so the full set is not screened."""

    def __init__(self, *, ceiling: str | None = None) -> None:
        for name, value in list(globals().items()):
            if isinstance(value, re.Pattern) and value.flags & re.IGNORECASE:
                source = literal_first(_lower_pattern(value.pattern))
                if ceiling is not None:
                    source = _alternatives_below(source, ceiling)
                compiled = re.compile(source)
                literals = screen_literals(source) if ceiling is not None else None
                setattr(self, name, compiled if literals is None else Screened(compiled, literals))
            elif isinstance(value, re.Pattern):
                setattr(self, name, value)


# Kana, kanji, CJK punctuation such as 【】 and full-width forms all lie at or above U+3000.
CJK_FLOOR = "\u3000"
LOWER = Lowered()
LOWER_ASCII = Lowered(ceiling="\x80")
LOWER_BELOW_CJK = Lowered(ceiling=CJK_FLOOR)  # e.g. English with curly quotes or accents


_CJK_RE = re.compile(f"[{CJK_FLOOR}-\U0010ffff]")


def has_cjk(text: str) -> bool:
    """Whether any character of text lies at or above CJK_FLOOR (a scan in C; max() makes a string of
    every character)."""
    return _CJK_RE.search(text) is not None


def lowered_for(lower: str) -> Lowered:
    """The pattern set for this lower-cased text: the narrowest that gives the same matches on it."""
    if lower.isascii():
        return LOWER_ASCII
    return LOWER if has_cjk(lower) else LOWER_BELOW_CJK
