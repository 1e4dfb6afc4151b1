"""Credentials: cloud and API keys, private-key blocks, JWTs, passwords written in text.

Shapes follow the public rules of gitleaks and detect-secrets (fact sheet §5), rewritten for
Python with ASCII lookarounds instead of `\\b`, so a key glued to Japanese text is still found.
Every quantifier is bounded; every pattern starts with a literal or a lookbehind-guarded class,
so a long run of key-like characters is scanned once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sonae.engines.textscan.normalize import fold
from sonae.engines.textscan.numbers import Candidate

_L = r"(?<![A-Za-z0-9_])"
_R = r"(?![A-Za-z0-9_])"

_RULES: list[tuple[str, str]] = [
    ("private-key", r"-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
                    r"(?:[\s\S]{0,20000}?-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----"
                    r"|[A-Za-z0-9+/=\s:,-]{0,20000})"),
    ("putty-key", r"PuTTY-User-Key-File-[23]: [^\n]{1,100}"),
    ("aws-access-key", _L + r"(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}" + _R),
    ("aws-secret-key", r"(?i:aws_?secret_?(?:access_?)?key)[\"']?\s{0,5}[:=]\s{0,5}[\"']?"
                       r"(?P<aws>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"),
    ("github-token", _L + r"gh[pousr]_[A-Za-z0-9]{36,255}" + _R),
    ("github-fine-grained-pat", _L + r"github_pat_[A-Za-z0-9_]{60,255}" + _R),
    ("anthropic-api-key", _L + r"sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,120}(?![A-Za-z0-9_-])"),
    ("openai-api-key", _L + r"sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,250}(?![A-Za-z0-9_-])"),
    ("openai-api-key", _L + r"sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}" + _R),
    ("openai-api-key", _L + r"sk-[A-Za-z0-9]{32,64}" + _R),
    ("google-api-key", _L + r"AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])"),
    ("google-oauth-secret", _L + r"GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])"),
    ("slack-token", _L + r"xox[abposre]-[0-9A-Za-z-]{10,250}(?![0-9A-Za-z-])"),
    ("slack-webhook", r"https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{20,200}"),
    ("stripe-key", _L + r"(?:sk|rk)_(?:test|live|prod)_[A-Za-z0-9]{10,99}" + _R),
    ("stripe-webhook-secret", _L + r"whsec_[A-Za-z0-9]{24,64}" + _R),
    ("jwt", _L + r"eyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,4000}\.[A-Za-z0-9_-]{8,2000}(?![A-Za-z0-9_-])"),
    ("url-credentials", r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,15}://[^\s:/@<>\"']{1,64}:"
                        r"(?P<urlpw>[^\s:/@<>\"']{3,128})@"),
]

# "password: xxx", "パスワードは xxx です", "api_key = '...'". The value is the secret.
_PASSWORD_RE = re.compile(fold(
    r"(?:(?<![A-Za-z])(?i:password|passwd|pass ?phrase|passcode|pwd|pass|pin)(?![A-Za-z])"
    r"|パスワード|暗証番号|パスコード|ログインパス|合言葉)"
    r"[ \t]{0,3}(?:[:=]|は|：|＝|→)[ \t]{0,3}[\"'「『]?"
    r"(?P<value>[!-~]{4,128}?)(?=[\"'」』]|[^!-~]|$)",
))
_ASSIGN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?i:(?:api|access|auth|secret|private|client|app)[_-]?(?:key|token|secret)"
    r"|secret|token|bearer|credentials?)(?![A-Za-z0-9])"
    r"[\"']?[ \t]{0,3}(?:[:=]|=>)?[ \t]{0,3}[\"']?"
    r"(?P<value>[A-Za-z0-9_\-./+=~]{16,250})(?![A-Za-z0-9_\-./+=~])",
)

_SECRET_RE = re.compile(
    "|".join(f"(?P<r{i}>{pattern})" for i, (_, pattern) in enumerate(_RULES)),
)
_RULE_NAMES = [name for name, _ in _RULES]

_PLACEHOLDER_VALUES = re.compile(
    r"(?i)^(?:x+|\*+|\.+|<[^>]*>|\{[^}]*\}|\$\{?[A-Za-z_]+\}?|(?:your|my|example|sample|dummy|changeme|"
    r"placeholder|redacted|xxx)[A-Za-z_-]*|none|null|true|false|required|optional|string)$"
)


def _looks_random(value: str) -> bool:
    """A generic token must mix character classes; plain words are not secrets."""
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    )
    return classes >= 2 and len(set(value)) >= 8


def find_secrets(norm: str) -> Iterator[Candidate]:
    for match in _SECRET_RE.finditer(norm):
        index = int(match.lastgroup[1:]) if match.lastgroup and match.lastgroup.startswith("r") else None
        if index is None:
            # lastgroup is an inner named group (aws / urlpw): find the rule that matched.
            index = next(i for i in range(len(_RULES)) if match.group(f"r{i}") is not None)
        name = _RULE_NAMES[index]
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

    for match in _PASSWORD_RE.finditer(norm):
        value = match.group("value")
        if not _PLACEHOLDER_VALUES.match(value):
            yield Candidate("secret", match.start("value"), match.end("value"), 95, "password")

    for match in _ASSIGN_RE.finditer(norm):
        value = match.group("value")
        if _looks_random(value) and not _PLACEHOLDER_VALUES.match(value):
            yield Candidate("secret", match.start("value"), match.end("value"), 95, "generic-token")
