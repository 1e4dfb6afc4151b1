"""Message checker: tells a fake mail, SMS or URL from a real one, offline, with reasons.

    from sonae.engines.messages import check_mail, check_sms, check_url
    report = check_sms("【ヤマト運輸】お荷物をお預かりしています https://example.top/x")
    report.verdict          # "danger" / "caution" / "none"
    report.to_dict()        # JSON-ready

Pure Python: no Django, no network; reads only the catalog data files.
"""

from sonae.engines.messages.checker import (
    MAX_MAIL_BYTES,
    MAX_SMS_CHARS,
    MAX_URL_CHARS,
    check_mail,
    check_sms,
    check_url,
)
from sonae.engines.messages.report import (
    AttachmentInfo,
    Finding,
    LinkInfo,
    MessageCheckError,
    MessageContext,
    Report,
)

__all__ = [
    "AttachmentInfo",
    "Finding",
    "LinkInfo",
    "MAX_MAIL_BYTES",
    "MAX_SMS_CHARS",
    "MAX_URL_CHARS",
    "MessageCheckError",
    "MessageContext",
    "Report",
    "check_mail",
    "check_sms",
    "check_url",
]
