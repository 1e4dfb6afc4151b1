"""The data the message checker takes and gives back: context, findings, links, the report.

Plain dataclasses, so the CLI, the web page and the API can all use them; `to_dict()` gives JSON-ready
data.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Literal

Verdict = Literal["danger", "caution", "none"]
Severity = Literal["high", "medium", "low", "info"]

# Score added by one finding of each severity; the verdict follows the total (see verdict_for).
SEVERITY_WEIGHT: dict[str, int] = {"high": 70, "medium": 30, "low": 12, "info": 0}
DANGER_SCORE = 70
CAUTION_SCORE = 25

VERDICT_LABEL = {
    "danger": {"ja": "危険", "en": "Dangerous"},
    "caution": {"ja": "注意", "en": "Be careful"},
    # Never say "safe": a checker can only fail to find a problem.
    "none": {"ja": "問題は見つかりませんでした", "en": "No problem found"},
}

VERDICT_ADVICE = {
    "danger": {
        "ja": [
            "リンクを開かず、添付ファイルも開かず、返信や電話もしないでください。",
            "本物か確かめたいときは、メールやSMSのリンクではなく、公式アプリやブックマークから確認してください。",
            "社内の管理者（情報システム担当）に報告してください。",
        ],
        "en": [
            "Do not open the links or attachments, and do not reply or call.",
            "To check whether it is real, use the official app or your bookmark, not the message's links.",
            "Report it to your administrator.",
        ],
    },
    "caution": {
        "ja": [
            "気になる点があります。リンクを開く前に、送信者と内容が本物か確かめてください。",
            "ログインや支払いが必要なら、公式アプリやブックマークから開いてください。",
            "判断に迷ったら、同僚や管理者に相談してください。",
        ],
        "en": [
            "Something here needs care. Check the sender and the content before opening any link.",
            "If you need to log in or pay, open the official app or your bookmark instead.",
            "If unsure, ask a colleague or your administrator.",
        ],
    },
    "none": {
        "ja": [
            "問題は見つかりませんでしたが、安全を保証するものではありません。",
            "ログインや支払いを求められたときは、公式アプリやブックマークから確認してください。",
        ],
        "en": [
            "No problem was found, but that does not guarantee it is safe.",
            "If you are asked to log in or pay, check through the official app or your bookmark.",
        ],
    },
}


class MessageCheckError(ValueError):
    """The input cannot be checked (empty, too large, not text). Carries a Japanese and an English message."""

    def __init__(self, code: str, message_ja: str, message_en: str) -> None:
        super().__init__(f"{message_en} / {message_ja}")
        self.code = code
        self.message_ja = message_ja
        self.message_en = message_en

    def to_dict(self) -> dict[str, str]:
        return {"error": self.code, "message_ja": self.message_ja, "message_en": self.message_en}


@dataclass(frozen=True)
class MessageContext:
    """What the checker knows about the organisation: its own domains and partners it trusts."""

    own_domains: tuple[str, ...] = ()
    trusted_domains: tuple[str, ...] = ()

    @classmethod
    def coerce(cls, value: MessageContext | dict[str, Any] | None) -> MessageContext:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(
                own_domains=tuple(_as_list(value.get("own_domains"))),
                trusted_domains=tuple(_as_list(value.get("trusted_domains"))),
            )
        raise TypeError("context must be a MessageContext, a dict or None")


def _as_list(value: Any) -> Iterable[str]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(item) for item in value)


@dataclass
class Finding:
    code: str
    severity: Severity
    message_ja: str
    message_en: str
    advice_ja: str = ""
    advice_en: str = ""
    evidence: str | None = None
    # Where the evidence is: "subject", "from", "reply_to", "header", "text" (span into Report.text),
    # "link", "attachment" or "url".
    location: str = "text"
    span: tuple[int, int] | None = None


@dataclass
class LinkInfo:
    url: str
    host: str
    host_unicode: str
    registrable_domain: str
    text: str | None = None
    span: tuple[int, int] | None = None
    official_for: str | None = None  # brand id when the host is one of that brand's official domains
    trust: str | None = None  # "own" / "trusted" when on the organisation's own or partner domains
    flags: list[str] = field(default_factory=list)


@dataclass
class AttachmentInfo:
    filename: str
    content_type: str
    size: int
    flags: list[str] = field(default_factory=list)
    inner_names: list[str] = field(default_factory=list)


@dataclass
class Report:
    kind: Literal["mail", "sms", "url"]
    verdict: Verdict
    score: int
    findings: list[Finding]
    text: str = ""
    links: list[LinkInfo] = field(default_factory=list)
    subject: str | None = None
    from_name: str | None = None
    from_address: str | None = None
    reply_to: str | None = None
    attachments: list[AttachmentInfo] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    truncated: bool = False

    @property
    def verdict_ja(self) -> str:
        return VERDICT_LABEL[self.verdict]["ja"]

    @property
    def verdict_en(self) -> str:
        return VERDICT_LABEL[self.verdict]["en"]

    @property
    def advice_ja(self) -> list[str]:
        return list(VERDICT_ADVICE[self.verdict]["ja"])

    @property
    def advice_en(self) -> list[str]:
        return list(VERDICT_ADVICE[self.verdict]["en"])

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict_ja"] = self.verdict_ja
        data["verdict_en"] = self.verdict_en
        data["advice_ja"] = self.advice_ja
        data["advice_en"] = self.advice_en
        for item in data["findings"] + data["links"]:
            if item.get("span") is not None:
                item["span"] = list(item["span"])
        return data


def verdict_for(findings: list[Finding]) -> tuple[Verdict, int]:
    """Total the findings into a 0–100 score and a verdict."""
    # Each kind of finding counts once, at its highest severity: ten links to the same kind of host are
    # one reason, not ten.
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding.code] = max(by_code.get(finding.code, 0), SEVERITY_WEIGHT[finding.severity])
    score = min(100, sum(by_code.values()))
    mediums = sum(1 for weight in by_code.values() if weight == SEVERITY_WEIGHT["medium"])
    # Danger needs one decisive finding, or three independent warning signs; lows only ever add caution.
    if any(f.severity == "high" for f in findings) or mediums >= 3:
        return "danger", max(score, DANGER_SCORE)
    if score >= CAUTION_SCORE:
        return "caution", score
    return "none", score
