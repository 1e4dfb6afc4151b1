"""Credentials: cloud and API keys, private-key blocks, JWTs, passwords written in text.

Shapes follow the public rules of gitleaks and detect-secrets (fact sheet §5), rewritten for
Python with ASCII lookarounds instead of `\\b`, so a key glued to Japanese text is still found.
Every quantifier is bounded; every pattern starts with a literal or a lookbehind-guarded class,
so a long run of key-like characters is scanned once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sonae.engines.textscan.normalize import ascii_lower, fold, trie_pattern
from sonae.engines.textscan.numbers import Candidate

# Each rule starts with its literal prefix so re can jump to candidates; the "no key character
# before" check comes right after the literal as a lookbehind that includes it.
_RULES: list[tuple[str, str]] = [
    ("putty-key", r"PuTTY-User-Key-File-[23]: [^\n]{1,100}"),
    ("aws-access-key", r"A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])(?<![A-Za-z0-9_]....)[A-Z0-9]{16}(?![A-Za-z0-9_])"),
    ("aws-secret-key", r"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s{0,5}[:=]\s{0,5}[\"']?"
                       r"(?P<aws>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"),
    ("github-token", r"gh[pousr]_(?<![A-Za-z0-9_]gh._)[A-Za-z0-9]{36,255}(?![A-Za-z0-9_])"),
    ("github-fine-grained-pat", r"github_pat_(?<![A-Za-z0-9_]github_pat_)[A-Za-z0-9_]{60,255}(?![A-Za-z0-9_])"),
    ("anthropic-api-key", r"sk-ant-(?<![A-Za-z0-9_]sk-ant-)(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])"),
    ("openai-api-key", r"sk-(?<![A-Za-z0-9_]sk-)(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}(?![A-Za-z0-9_-])"
                       r"|[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}(?![A-Za-z0-9_])|[A-Za-z0-9]{32,64}(?![A-Za-z0-9_]))"),
    ("google-api-key", r"AIza(?<![A-Za-z0-9_]AIza)[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
    ("google-oauth-secret", r"GOCSPX-(?<![A-Za-z0-9_]GOCSPX-)[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])"),
    ("slack-token", r"xox[abposre]-(?<![A-Za-z0-9_]xox.-)[0-9A-Za-z-]{10,250}(?![0-9A-Za-z-])"),
    ("slack-webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,200}"),
    ("stripe-key", r"[sr]k_(?<![A-Za-z0-9_].k_)(?:test|live|prod)_[A-Za-z0-9]{10,99}(?![A-Za-z0-9_])"),
    ("stripe-webhook-secret", r"whsec_(?<![A-Za-z0-9_]whsec_)[A-Za-z0-9]{24,64}(?![A-Za-z0-9_])"),
    ("jwt", r"eyJ(?<![A-Za-z0-9_]eyJ)[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}"
            r"(?![A-Za-z0-9_-])"),
    ("url-credentials", r"://(?<=[A-Za-z0-9+.-]://)[^\s:/@<>\"']{1,64}:(?P<urlpw>[^\s:/@<>\"']{3,128})@"),
]

# "password: xxx", "パスワードは xxx です", "api_key = '...'". The value is the secret.
# Keywords are found on the ASCII-lower-cased text with a trie (fast); the value is then read
# from the case-preserving text at the same offset.
_PASSWORD_WORDS = ["password", "passwd", "passphrase", "pass phrase", "passcode", "pwd", "pw", "pass", "pin",
                   fold("パスワード"), "暗証番号", fold("パスコード"), "ログインパス", "合言葉"]
_ASSIGN_WORDS = [f"{a}{sep}{b}" for a in ("api", "access", "auth", "secret", "private", "client", "app")
                 for sep in ("", "_", "-") for b in ("key", "token", "secret")] + [
                 "secret", "token", "bearer", "credential", "credentials"]
_PASSWORD_KEY_RE = re.compile(trie_pattern(_PASSWORD_WORDS))
_ASSIGN_KEY_RE = re.compile(trie_pattern(_ASSIGN_WORDS))
_PASSWORD_VALUE_RE = re.compile(
    r"[ \t]{0,3}(?:[:=]|は|→)[ \t]{0,3}[\"'「『]?(?P<value>[!-~]{4,128}?)(?=[\"'」』]|[^!-~]|$)"
)
_JA_PASSWORD_VALUE_RE = re.compile(r"[ \t]{1,3}(?P<value>[!-~]{4,128}?)(?=[^!-~]|$)")
_ASSIGN_VALUE_RE = re.compile(
    r"[\"']?[ \t]{0,3}(?:[:=]|=>)?[ \t]{0,3}[\"']?(?P<value>[A-Za-z0-9_\-./+=~]{16,250})(?![A-Za-z0-9_\-./+=~])"
)

_COMPILED = [(name, re.compile(pattern)) for name, pattern in _RULES]

_PLACEHOLDER_VALUES = re.compile(
    r"(?i)^(?:[<{\[$%].*|x+|\*+|\.+|\$\{?[A-Za-z_]+\}?|(?:your|my|example|sample|dummy|changeme|"
    r"placeholder|redacted|xxx)[A-Za-z_-]*|none|null|true|false|required|optional|string)$"
)


def _looks_random(value: str) -> bool:
    """A generic token must mix character classes; plain words are not secrets."""
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    )
    return classes >= 2 and len(set(value)) >= 8


# Private-key blocks are cut in Python: from a BEGIN header to its END line, or to the end of the
# base64 that follows when the paste is truncated. Never past the next BEGIN, never more than 20,000
# characters, so thousands of headers without END cost linear time.
_KEY_HEADER_RE = re.compile(r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----")
_KEY_END_RE = re.compile(r"-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----")
_KEY_BODY_RE = re.compile(r"[A-Za-z0-9+/=\s:,.-]*")
_MAX_KEY_BLOCK = 20_000


def _private_keys(norm: str) -> Iterator[Candidate]:
    position = 0
    for header in _KEY_HEADER_RE.finditer(norm):
        if header.start() < position:
            continue
        limit = min(len(norm), header.end() + _MAX_KEY_BLOCK)
        next_begin = norm.find("-----BEGIN", header.end(), limit)
        if next_begin != -1:
            limit = next_begin
        end_match = _KEY_END_RE.search(norm, header.end(), limit)
        if end_match:
            end = end_match.end()
        else:
            end = _KEY_BODY_RE.match(norm, header.end(), limit).end()
            while end > header.end() and norm[end - 1] in " \t\r\n-":
                end -= 1
        position = end
        yield Candidate("secret", header.start(), end, 100, "private-key")


def find_secrets(norm: str, lower: str | None = None) -> Iterator[Candidate]:
    yield from _private_keys(norm)
    for name, pattern in _COMPILED:
        yield from _rule_matches(name, pattern, norm)
    yield from _keyword_values(norm, ascii_lower(norm) if lower is None else lower)


def _rule_matches(name: str, pattern: re.Pattern[str], norm: str) -> Iterator[Candidate]:
    for match in pattern.finditer(norm):
        if name == "aws-secret-key":
            yield Candidate("secret", match.start("aws"), match.end("aws"), 100, name)
        elif name == "url-credentials":
            if not _PLACEHOLDER_VALUES.match(match.group("urlpw")):
                yield Candidate("secret", match.start("urlpw"), match.end("urlpw"), 100, name)
        else:
            end = match.end()
            # A truncated private key: do not swallow trailing blank lines.
            while end > match.start() and norm[end - 1] in " \t\r\n":
                end -= 1
            yield Candidate("secret", match.start(), end, 100, name)


def _keyword_values(norm: str, lower: str) -> Iterator[Candidate]:
    size = len(lower)
    for key_re, value_re, priority_name in (
        (_PASSWORD_KEY_RE, _PASSWORD_VALUE_RE, "password"),
        (_ASSIGN_KEY_RE, _ASSIGN_VALUE_RE, "generic-token"),
    ):
        for key in key_re.finditer(lower):
            start, end = key.span()
            # ASCII keywords need ASCII word edges ("pin" not inside "shopping").
            if key.group()[0].isascii() and start > 0 and lower[start - 1].isascii() and lower[start - 1].isalnum():
                continue
            if key.group()[-1].isascii() and end < size and lower[end].isascii() and lower[end].isalpha():
                continue
            match = value_re.match(norm, end)
            if match is None and priority_name == "password" and not key.group()[0].isascii():
                # "パスワード Abc123!" — Japanese keywords may be followed by a space alone.
                match = _JA_PASSWORD_VALUE_RE.match(norm, end)
            if not match:
                continue
            value = match.group("value")
            if _PLACEHOLDER_VALUES.match(value):
                continue
            if priority_name == "generic-token" and not _looks_random(value):
                continue
            yield Candidate("secret", match.start("value"), match.end("value"), 95, priority_name)
