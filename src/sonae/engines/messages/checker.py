"""The message checker: mail, SMS or URL in, verdict and findings out.

The decisive signal for Japanese brand phishing is a message that claims brand X while its links or
sender are not on X's official domains (look-alike domains catch under 1 % of the JPCERT/CC phishing
URLs: ../shared/reference/phishing-and-lookalike-detection.md §2.6). Around it: sender authentication
(top-most Authentication-Results only, RFC 8601 §5), URL shape, risky hosts, wording and attachments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sonae.engines.messages import wording as w
from sonae.engines.messages.hosts import Host, match_suffix, normalise_host
from sonae.engines.messages.hostsignals import HostReport, context_lookalike, host_report
from sonae.engines.messages.knowledge import BrandHit, knowledge
from sonae.engines.messages.mailparse import ParsedMail, parse_mail
from sonae.engines.messages.report import (
    AttachmentInfo,
    Finding,
    LinkInfo,
    MessageCheckError,
    MessageContext,
    Report,
    verdict_for,
)
from sonae.engines.messages.texts import text_for
from sonae.engines.messages.urls import ParsedUrl, embedded_urls, find_urls, parse_url, translate_proxy_host

MAX_MAIL_BYTES = 25 * 1024 * 1024
MAX_SMS_CHARS = 20_000
MAX_URL_CHARS = 8192
MAX_LINKS_CHECKED = 300

_LOGIN_PATH_RE = re.compile(
    r"log-?in|sign-?in|signon|verif|account|auth|update|secure|webscr|password|wp-(?:admin|content|includes)|\.php",
    re.IGNORECASE,
)
_LOGIN_PATH_LOWER_RE = w.for_lower_text(_LOGIN_PATH_RE)  # for ASCII paths
_DANGEROUS_EXT = {
    "exe", "scr", "com", "pif", "bat", "cmd", "js", "jse", "vbs", "vbe", "wsf", "wsh", "ps1", "hta", "msi",
    "msp", "jar", "lnk", "cpl", "reg", "chm", "dll", "application", "appx", "msix", "library-ms", "settingcontent-ms", "xll", "one",
}
_DISK_IMAGE_EXT = {"iso", "img", "vhd", "vhdx"}
_HTML_EXT = {"html", "htm", "shtml", "xhtml", "svg", "mht", "mhtml"}
_MACRO_EXT = {"docm", "xlsm", "pptm", "xlam", "dotm", "xltm", "potm", "ppam", "sldm", "xlsb"}
_LEGACY_OFFICE_EXT = {"doc", "xls", "ppt"}
_ARCHIVE_EXT = {"rar", "7z", "cab", "ace", "gz", "tgz", "bz2", "xz", "lzh", "arj", "z"}
_DOCUMENT_EXT = {"pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "jpg", "jpeg", "png", "gif", "zip", "rtf", "csv"}
_MAIL_SPLIT_RE = re.compile(r"[\s,;<>]+")
_EMAIL_RE = re.compile(r"[\w.+\-]+@([\w\-]+(?:\.[\w\-]+)+)", re.UNICODE)
_URL_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_ABSOLUTE_HREF_RE = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:|//|www\.)", re.IGNORECASE)
_BRACKETS = "【】[]「」『』<>〈〉《》（）()"


def _nfkc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _clip(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class _Link:
    parsed: ParsedUrl
    report: HostReport
    info: LinkInfo
    claims: set[str] = field(default_factory=set)  # brands claimed by the link's own text


class _Check:
    """One check: collects findings, links and brand claims, then totals the verdict."""

    def __init__(self, kind: str, context: MessageContext) -> None:
        self.kind = kind
        self.k = knowledge()
        self.findings: list[Finding] = []
        self._seen: set[tuple[str, str]] = set()
        self.links: list[_Link] = []
        self._link_urls: set[str] = set()
        self.protected: dict[str, str] = {}
        for domain in context.trusted_domains:
            self._protect(domain, "trusted")
        for domain in context.own_domains:
            self._protect(domain, "own")
        self.truncated = False

    def _protect(self, domain: str, kind: str) -> None:
        host = normalise_host(str(domain).strip().lstrip("@").lstrip("*."))
        if host.ascii and not host.is_ip:
            self.protected[host.ascii] = kind

    # --- findings --------------------------------------------------------------------------------
    def add(self, code: str, severity: str, *, evidence: str | None = None, location: str = "text",
            span: tuple[int, int] | None = None, dedupe: str = "", **params: str) -> None:
        key = (code, dedupe)
        if key in self._seen:
            return
        self._seen.add(key)
        texts = text_for(code)
        if evidence and "evidence" not in params:
            params["evidence"] = _clip(evidence, 60)
        brand_id = params.get("brand_id")
        if brand_id is not None:
            params.setdefault("brand", self.k.brand_name(brand_id, "ja"))
            params.setdefault("brand_en", self.k.brand_name(brand_id, "en"))
        safe = _SafeDict(params)
        self.findings.append(Finding(
            code=code,
            severity=severity,  # type: ignore[arg-type]
            message_ja=texts.ja.format_map(safe),
            message_en=texts.en.format_map(safe),
            advice_ja=texts.advice_ja,
            advice_en=texts.advice_en,
            evidence=_clip(evidence) if evidence else None,
            location=location,
            span=span,
        ))

    # --- links -----------------------------------------------------------------------------------
    def add_link(self, raw: str, *, shown: str | None = None, span: tuple[int, int] | None = None,
                 location: str = "text", depth: int = 0) -> _Link | None:
        parsed = parse_url(raw.strip())
        if parsed.scheme in ("javascript", "data", "vbscript", "file"):
            self.add("script_link", "medium", evidence=raw[:120], location=location, span=span, scheme=parsed.scheme)
            return None
        if parsed.scheme in ("mailto", "tel", "sms", "callto", "cid") or not parsed.host.ascii:
            return None
        if parsed.url in self._link_urls and shown is None:
            return None
        if len(self.links) >= MAX_LINKS_CHECKED:
            if not self.truncated:
                self.truncated = True
                self.add("many_links", "info", count=str(MAX_LINKS_CHECKED))
            return None
        self._link_urls.add(parsed.url)
        report = host_report(parsed.host)
        trust = match_suffix(parsed.host.ascii, self.protected)
        info = LinkInfo(
            url=parsed.url[:2000],
            host=parsed.host.ascii,
            host_unicode=parsed.host.unicode,
            registrable_domain=parsed.host.registrable,
            text=shown,
            span=span,
            official_for=sorted(report.official_for)[0] if report.official_for else None,
            trust=self.protected[trust] if trust else None,
        )
        link = _Link(parsed, report, info)
        self.links.append(link)
        if trust:
            return link
        for signal in report.signals:
            info.flags.append(signal.code)
            params = signal.param_dict()
            self.add(signal.code, signal.severity, evidence=parsed.url, location=location, span=span,
                     dedupe=params.get("host", ""), **params)
        if parsed.userinfo:
            looks_like_host = "." in parsed.userinfo
            info.flags.append("userinfo_trick")
            self.add("userinfo_trick", "high" if looks_like_host else "medium", evidence=parsed.url,
                     location=location, span=span, userinfo=parsed.userinfo[:80], host=parsed.host.ascii)
        if parsed.port not in (None, 80, 443):
            self.add("unusual_port", "low", evidence=parsed.url, location=location, span=span, port=str(parsed.port))
        if not report.official_for:
            lookalike = context_lookalike(parsed.host, self.protected)
            if lookalike:
                domain, kind = lookalike
                code = "lookalike_own_domain" if kind == "own" else "lookalike_trusted_domain"
                info.flags.append(code)
                self.add(code, "high", evidence=parsed.url, location=location, span=span,
                         dedupe=parsed.host.ascii, host=parsed.host.unicode, official=domain)
            path = parsed.path.split("?")[0]
            login = _LOGIN_PATH_LOWER_RE.search(path.lower()) if path.isascii() else _LOGIN_PATH_RE.search(path)
            if login and not parsed.host.is_ip:
                self.add("login_path", "low", evidence=parsed.url, location=location, span=span,
                         path=_clip(path, 60))
        if depth == 0:
            proxied = translate_proxy_host(parsed.host.ascii)
            if proxied:
                self.add("proxy_link", "medium", evidence=parsed.url, location=location, span=span, target=proxied)
                self.add_link("https://" + proxied + parsed.path, location=location, span=span, depth=1)
            for inner in embedded_urls(parsed)[:3]:
                inner_parsed = parse_url(inner)
                if inner_parsed.host.ascii and inner_parsed.host.registrable != parsed.host.registrable:
                    if not report.official_for or report.shortener:
                        self.add("redirect_link", "low", evidence=parsed.url, location=location, span=span,
                                 target=_clip(inner_parsed.url, 80))
                    self.add_link(inner, location=location, span=span, depth=1)
        return link

    # --- brand claims ----------------------------------------------------------------------------
    def off_brand_links(self, brand_ids: set[str]) -> list[_Link]:
        """Links that are neither the claimed brands' official hosts nor the organisation's domains.

        Links to other catalog brands' official hosts (an app store, a social network in a footer)
        are not counted: phishing pages are not hosted there.
        """
        return [
            link for link in self.links
            if link.info.trust is None
            and not (link.report.official_for & brand_ids)
            and (not link.report.official_for or link.report.shortener)
        ]

    def result(self, **extra) -> Report:
        truncated = bool(extra.pop("truncated", False)) or self.truncated
        verdict, score = verdict_for(self.findings)
        order = {"high": 0, "medium": 1, "low": 2, "info": 3}
        self.findings.sort(key=lambda f: order[f.severity])
        return Report(
            kind=self.kind,  # type: ignore[arg-type]
            verdict=verdict,
            score=score,
            findings=self.findings,
            links=[link.info for link in self.links],
            truncated=truncated,
            **extra,
        )


class _SafeDict(dict):
    def __missing__(self, key: str) -> str:
        return ""


def _brand_hits(text: str, url_spans: list[tuple[int, int]] | None = None) -> tuple[str, list[BrandHit]]:
    """Brand names in text, ignoring names inside URLs and e-mail addresses (hosts are checked apart).

    A long text is searched in its opening and its closing lines only (see WORDING_SCAN_CHARS).
    `url_spans`: URLs already found in `text` (saves a second search when NFKC leaves it unchanged).
    """
    # ™ and ® would become letters under NFKC ("Mcafee™" -> "McafeeTM") and hide the name.
    normal = _nfkc(text.replace("™", " ").replace("®", " ") if ("™" in text or "®" in text) else text)
    if len(normal) <= WORDING_SCAN_CHARS + BRAND_TAIL_CHARS:
        regions = [(0, len(normal))]
    else:
        regions = [(0, WORDING_SCAN_CHARS), (len(normal) - BRAND_TAIL_CHARS, len(normal))]
    spans = url_spans if url_spans is not None and normal == text else None
    hits: list[BrandHit] = []
    for region_start, region_end in regions:
        region = normal[region_start:region_end]
        if "." in region or "@" in region:
            local = (
                [(a - region_start, b - region_start) for a, b in spans if b > region_start and a < region_end]
                if spans is not None
                else [found.span for found in find_urls(region, limit=MAX_LINKS_CHECKED)]
            )
            if "@" in region:
                local += _email_spans(region)
            region = _blank(region, local)
        hits += [BrandHit(h.brand_id, h.alias, h.start + region_start, h.end + region_start)
                 for h in knowledge().find_brands(region)]
    return normal, hits


_EMAIL_DOMAIN_RE = re.compile(r"[\w\-]+(?:\.[\w\-]+)+")


def _is_local_char(char: str) -> bool:
    return char.isalnum() or char in "_.+-"  # [\w.+\-] of _EMAIL_RE


def _email_spans(text: str) -> list[tuple[int, int]]:
    """The spans _EMAIL_RE.finditer(text) gives, found from each "@" outwards: the regex itself retries
    the local part at every letter of every word, which costs more than the rest of the brand search."""
    spans: list[tuple[int, int]] = []
    position = 0
    while True:
        at = text.find("@", position)
        if at == -1:
            return spans
        start = at
        while start > position and _is_local_char(text[start - 1]):
            start -= 1
        domain = _EMAIL_DOMAIN_RE.match(text, at + 1) if start < at else None
        if domain is None:
            position = at + 1
            continue
        spans.append((start, domain.end()))
        position = domain.end()


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with every character inside `spans` replaced by a space (spans may overlap or overrun)."""
    if not spans:
        return text
    pieces = []
    position = 0
    for a, b in sorted(spans):
        a, b = max(a, position), min(b, len(text))
        if b <= a:
            continue
        pieces += [text[position:a], " " * (b - a)]
        position = b
    pieces.append(text[position:])
    return "".join(pieces)


def _span_in(original: str, normal: str, hit: BrandHit) -> tuple[int, int] | None:
    if len(original) == len(normal):
        return (hit.start, hit.end)
    position = original.find(hit.alias)
    return (position, position + len(hit.alias)) if position != -1 else None


# Wording and brand names are looked for in the opening of a long body (and brand names also in its
# closing lines): that is where a request or a sender's name stands, and it bounds the time per mail.
WORDING_SCAN_CHARS = 5_000
BRAND_TAIL_CHARS = 1_000


_credential_memo: tuple[str, re.Match[str] | None] = ("", None)


def _credential_search(lower: str) -> re.Match[str] | None:
    """CREDENTIAL_RE on lower-cased NFKC text, remembering the last text: check_mail asks about the
    opening of the body before _wording asks again about the same text (both when the body is ASCII)."""
    global _credential_memo
    memo_text, memo_match = _credential_memo
    if memo_text == lower and memo_text:
        return memo_match
    match = w.lowered_for(lower).CREDENTIAL_RE.search(lower)
    _credential_memo = (lower, match)
    return match


def _wording(check: _Check, text: str, normal: str, *, location: str = "text") -> dict[str, re.Match[str] | None]:
    same = len(text) == len(normal)
    normal = normal[:WORDING_SCAN_CHARS]
    lower = normal.lower()
    if len(lower) == len(normal):
        normal, patterns = lower, w.lowered_for(lower)
    else:
        patterns = w  # type: ignore[assignment]

    def span_of(match: re.Match[str] | None) -> tuple[int, int] | None:
        return (match.start(), match.end()) if match and same else None

    found = {
        "credential": _credential_search(normal) if patterns is not w else patterns.CREDENTIAL_RE.search(normal),
        "urgency": patterns.URGENCY_RE.search(normal),
        "delivery": patterns.DELIVERY_RE.search(normal),
        "payment": patterns.PAYMENT_RE.search(normal),
        "remote": patterns.REMOTE_RE.search(normal),
        "qr": patterns.QR_RE.search(normal),
        "donation": patterns.DONATION_RE.search(normal),
    }
    phone = patterns.PHONE_RE.search(normal)
    support = patterns.SUPPORT_WORDS_RE.search(normal) if phone else None
    if phone and support:
        check.add("support_scam", "medium", evidence=f"{support.group(0)} … {phone.group(0)}", location=location,
                  span=span_of(phone))
    if found["remote"]:
        check.add("remote_tool", "high" if phone else "medium", evidence=found["remote"].group(0),
                  location=location, span=span_of(found["remote"]))
    if found["payment"]:
        check.add("payment_request", "medium", evidence=found["payment"].group(0), location=location,
                  span=span_of(found["payment"]))
    if found["urgency"]:
        check.add("urgency", "low", evidence=found["urgency"].group(0), location=location,
                  span=span_of(found["urgency"]))
    if found["qr"]:
        check.add("qr_request", "low", evidence=found["qr"].group(0), location=location, span=span_of(found["qr"]))
    if found["donation"]:
        check.add("donation_request", "low", evidence=found["donation"].group(0), location=location,
                  span=span_of(found["donation"]))
    # Kana lie above CJK_FLOOR: no need to look for them where the narrower patterns were chosen.
    if patterns is not w.LOWER_ASCII and patterns is not w.LOWER_BELOW_CJK and patterns.KANA_RE.search(normal):
        chinese = set(patterns.SIMPLIFIED_RE.findall(normal))
        if len(chinese) >= 2:
            check.add("unnatural_japanese", "low", evidence="".join(sorted(chinese))[:20], location=location)
    return found


def _link_wording(check: _Check, found: dict, text: str, normal: str, *, has_form: bool = False,
                  location: str = "text") -> None:
    """Credential and delivery wording weigh by where the links go."""
    same = len(text) == len(normal)
    risky_links = [l for l in check.links if not l.report.official_for and l.info.trust is None]
    credential = found["credential"]
    if credential:
        span = (credential.start(), credential.end()) if same else None
        if risky_links or has_form:
            check.add("credential_request", "medium", evidence=credential.group(0), location=location, span=span)
        elif check.links:
            # The police seminar's rule: a message asking you to log in is checked through the official
            # app or a bookmark, even when its link looks right.
            check.add("credential_request", "low", evidence=credential.group(0), location=location, span=span)
    delivery = found["delivery"]
    if delivery and risky_links:
        check.add("delivery_lure", "low", evidence=delivery.group(0), location=location,
                  span=(delivery.start(), delivery.end()) if same else None)


# --- public API -------------------------------------------------------------------------------------

def check_url(url: str, context: MessageContext | dict | None = None) -> Report:
    """Check one URL (as pasted: with or without scheme, full-width or enclosed characters allowed)."""
    if not isinstance(url, str):
        raise MessageCheckError("not_text", "URLは文字列で指定してください。", "The URL must be text.")
    url = url.strip()
    if not url:
        raise MessageCheckError("empty", "URLが空です。", "The URL is empty.")
    if len(url) > MAX_URL_CHARS:
        raise MessageCheckError("too_large", f"URLが長すぎます（{MAX_URL_CHARS}文字まで）。",
                                f"The URL is too long (at most {MAX_URL_CHARS} characters).")
    if _URL_CONTROL_RE.search(url):
        raise MessageCheckError("binary", "URLに制御文字が含まれています。", "The URL contains control characters.")
    check = _Check("url", MessageContext.coerce(context))
    link = check.add_link(url, location="url")
    if link is None and not check.findings:
        raise MessageCheckError("not_url", "URLとして読み取れませんでした。", "This could not be read as a URL.")
    if link is not None and link.report.official_for and not link.parsed.userinfo:
        brand_id = sorted(link.report.official_for)[0]
        check.add("official_domain", "info", host=link.parsed.host.unicode, brand_id=brand_id)
    if link is not None and link.info.trust:
        check.add("own_domain_link", "info", host=link.parsed.host.unicode)
    return check.result(text=url, brands=sorted(link.report.official_for) if link else [])


def check_sms(text: str, context: MessageContext | dict | None = None) -> Report:
    """Check the text of an SMS (or any short pasted message)."""
    if isinstance(text, bytes):
        raise MessageCheckError("not_text", "SMSの本文は文字列で指定してください。", "The SMS text must be a string.")
    if not isinstance(text, str) or not text.strip():
        raise MessageCheckError("empty", "本文が空です。", "The text is empty.")
    if len(text) > MAX_SMS_CHARS:
        raise MessageCheckError("too_large", f"本文が長すぎます（{MAX_SMS_CHARS}文字まで）。メールは .eml で確認してください。",
                                f"The text is too long (at most {MAX_SMS_CHARS} characters). Check mail as .eml.")
    if _looks_binary(text):
        raise MessageCheckError("binary", "文字として読めないデータです。", "This is not readable text.")
    check = _Check("sms", MessageContext.coerce(context))
    for found in find_urls(text, limit=MAX_LINKS_CHECKED + 1):
        check.add_link(found.url, span=found.span)
    normal, hits = _brand_hits(text)
    claimed = {hit.brand_id for hit in hits}
    found_words = _wording(check, text, normal)
    _link_wording(check, found_words, text, normal)
    _brand_verdict(check, hits, claimed, text, normal, strong_hits=hits)
    return check.result(text=text, brands=sorted(claimed))


def _brand_verdict(check: _Check, hits: list[BrandHit], claimed: set[str], text: str, normal: str, *,
                   strong_hits: list[BrandHit], location: str = "text") -> None:
    """The decisive rule: a message that names brand X while linking off X's official domains."""
    if not strong_hits:
        return
    off_brand = check.off_brand_links(claimed)
    first = strong_hits[0]
    if off_brand:
        target = off_brand[0]
        check.add("brand_link_mismatch", "high",
                  evidence=f"{first.alias or check.k.brand_name(first.brand_id)} → {target.parsed.host.unicode}",
                  location=location, span=_span_in(text, normal, first) if location == "text" else None,
                  brand_id=first.brand_id, host=target.parsed.host.unicode)
    elif check.links and all(l.report.official_for & claimed or l.info.trust for l in check.links):
        check.add("brand_official_links", "info", brand_id=first.brand_id, location=location)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f\v") or ch == "\ufffd")
    return bad > max(8, len(sample) // 20)


def check_mail(raw: bytes, context: MessageContext | dict | None = None) -> Report:
    """Check a raw mail (.eml bytes, RFC 5322)."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogateescape")
    if not isinstance(raw, (bytes, bytearray, memoryview)):
        raise MessageCheckError("not_bytes", "メールはバイト列（.eml）で指定してください。", "The mail must be bytes (.eml).")
    raw = bytes(raw)
    if not raw.strip():
        raise MessageCheckError("empty", "メールが空です。", "The mail is empty.")
    if len(raw) > MAX_MAIL_BYTES:
        raise MessageCheckError("too_large", f"メールが大きすぎます（{MAX_MAIL_BYTES // (1024 * 1024)}MBまで）。",
                                f"The mail is too large (at most {MAX_MAIL_BYTES // (1024 * 1024)} MB).")
    head = raw[:65536]
    if b"\x00" in head[:4096] or not re.search(rb"^[!-9;-~]{1,76}:", head, re.MULTILINE):
        raise MessageCheckError("not_mail", "メール（.eml）として読み取れませんでした。ヘッダーが見つかりません。",
                                "This could not be read as a mail (.eml): no headers were found.")
    mail = parse_mail(raw)
    context_obj = MessageContext.coerce(context)
    check = _Check("mail", context_obj)
    # Credential wording in the subject or the opening of the body. No pattern matches across a line
    # break, so the two are searched apart; the body's search is the one _wording repeats (memo).
    mail_asks_credentials = bool(_credential_search(_nfkc(mail.subject).lower())
                                 or _credential_search(_nfkc(mail.text[:WORDING_SCAN_CHARS]).lower()))

    for anchor in mail.anchors:
        if not _ABSOLUTE_HREF_RE.match(anchor.href):
            continue  # relative links ("#top", "page.html") lead nowhere from a mail
        link = check.add_link(anchor.href, shown=anchor.text or None, span=(anchor.start, anchor.end))
        if link is not None and anchor.text:
            _anchor_text(check, link, anchor.text, mail_asks_credentials)
    text_urls = find_urls(mail.text, limit=MAX_LINKS_CHECKED + 1)
    for found in text_urls:
        check.add_link(found.url, span=found.span)

    sender = normalise_host(mail.from_address.rpartition("@")[2]) if "@" in mail.from_address else None
    sender_report = host_report(sender) if sender and sender.ascii else None
    _sender_checks(check, mail, sender, sender_report)
    _auth_results(check, mail, sender, sender_report)
    _attachments(check, mail)
    if mail.forms:
        check.add("form_in_mail", "medium", location="text")

    # Brand claims: the sender's name and the subject are claims; so is the text of a link; the body
    # counts when it names the brand near the top or in the signature together with a request.
    name_normal, name_hits = _brand_hits(mail.from_name)
    subject_normal, subject_hits = _brand_hits(mail.subject)
    body_normal, body_hits = _brand_hits(mail.text, [found.span for found in text_urls])
    found_words = _wording(check, mail.text, body_normal)
    subject_words = _wording(check, mail.subject, subject_normal, location="subject")
    # A subject claims a brand when it names it in brackets (【三井住友カード】) or opens with it and asks
    # for something; the body's opening or signature counts when the mail asks for credentials.
    subject_request = bool(subject_words["credential"] or subject_words["urgency"] or w.ACTION_WORDS_RE.search(subject_normal))
    strong: list[BrandHit] = list(name_hits)
    for hit in subject_hits:
        before = subject_normal[max(0, hit.start - 1): hit.start]
        if (before and before in _BRACKETS) or ((hit.start <= 1 or found_words["credential"]) and subject_request):
            strong.append(hit)
    top = [h for h in body_hits if h.start < 300 or h.end > len(body_normal) - 400]
    if found_words["credential"] or subject_words["credential"]:
        strong += top
    sender_claims = list(strong)
    for link in check.links:
        strong += [BrandHit(b, "", 0, 0) for b in sorted(link.claims)]
    claimed = {h.brand_id for h in name_hits + subject_hits + body_hits} | {b for l in check.links for b in l.claims}
    location = "from" if name_hits else ("subject" if any(h in subject_hits for h in strong) else "text")
    if strong:
        _brand_verdict(check, strong, claimed, mail.text if location == "text" else "", body_normal if location == "text" else "",
                       strong_hits=strong, location=location)
        if sender_claims:
            _brand_sender(check, mail, sender, sender_report, sender_claims, claimed)
    elif body_hits and (found_words["credential"] or subject_words["credential"]):
        off = check.off_brand_links(claimed)
        if off:
            hit = body_hits[0]
            check.add("brand_mention_offsite", "medium", evidence=f"{hit.alias} → {off[0].parsed.host.unicode}",
                      span=_span_in(mail.text, body_normal, hit), brand_id=hit.brand_id, host=off[0].parsed.host.unicode)
    merged = {k: found_words[k] or subject_words[k] for k in found_words}
    _link_wording(check, merged, mail.text, body_normal, has_form=bool(mail.forms)
                  or any(a.filename.lower().endswith((".html", ".htm")) for a in mail.attachments))
    if mail.truncated:
        check.add("truncated", "info")
    return check.result(
        text=mail.text,
        subject=mail.subject,
        from_name=mail.from_name,
        from_address=mail.from_address,
        reply_to=mail.reply_to_address or None,
        attachments=[AttachmentInfo(a.filename, a.content_type, a.size, _attachment_flags(a), a.zip_names[:50])
                     for a in mail.attachments],
        brands=sorted(claimed),
        truncated=mail.truncated,
    )


def _anchor_text(check: _Check, link: _Link, shown: str, asks_credentials: bool) -> None:
    """Link text that names a brand ("Amazonにログイン") or shows another address than the real one."""
    normal = _nfkc(shown)
    # A product named in a newsletter's link is no claim; a brand's name on a login or confirm button is.
    lower = normal.lower()
    patterns = w.lowered_for(lower)
    if asks_credentials or patterns.CREDENTIAL_RE.search(lower) or patterns.ACTION_WORDS_RE.search(lower):
        normal, hits = _brand_hits(shown)
        link.claims.update(h.brand_id for h in hits
                           if not (link.report.official_for and h.brand_id in link.report.official_for))
    if "." not in normal:
        return
    shown_urls = find_urls(normal, limit=1)
    if not shown_urls:
        return
    shown_url = parse_url(shown_urls[0].url)
    real = link.parsed.host
    if not shown_url.host.registrable or shown_url.host.registrable == real.registrable or shown_url.host.is_ip:
        return
    if link.report.official_for and host_report(shown_url.host).official_for & link.report.official_for:
        return
    shown_report = host_report(shown_url.host)
    shown_trust = match_suffix(shown_url.host.ascii, check.protected)
    if shown_report.official_for or shown_trust:
        link.claims.update(shown_report.official_for)
        check.add("link_text_mismatch_brand", "high", evidence=shown, location="text", span=link.info.span,
                  dedupe=real.ascii, shown=shown_url.host.unicode, host=real.unicode)
    else:
        check.add("link_text_mismatch", "medium", evidence=shown, location="text", span=link.info.span,
                  dedupe=real.ascii, shown=shown_url.host.unicode, host=real.unicode)


def _sender_checks(check: _Check, mail: ParsedMail, sender: Host | None, report: HostReport | None) -> None:
    if sender is None or report is None:
        return
    sender_text = mail.from_address
    # The display name shows an address other than the real sender: "support@bank.example <x@evil>"
    shown = _EMAIL_RE.search(_nfkc(mail.from_name))
    if shown:
        shown_host = normalise_host(shown.group(1))
        if shown_host.registrable and shown_host.registrable != sender.registrable:
            check.add("display_name_address", "medium", evidence=mail.from_name, location="from",
                      shown=shown.group(0), address=sender_text)
    trust = match_suffix(sender.ascii, check.protected)
    if not trust and not report.official_for:
        for signal in report.signals:
            if signal.code in ("brand_in_host", "brand_domain_in_subdomain", "lookalike_brand_domain",
                               "mixed_script_host", "suspicious_tld", "dynamic_dns"):
                params = signal.param_dict()
                params["host"] = sender.unicode
                check.add(signal.code, signal.severity, evidence=sender_text, location="from",
                          dedupe="sender", **params)
        lookalike = context_lookalike(sender, check.protected)
        if lookalike:
            domain, kind = lookalike
            check.add("lookalike_own_domain" if kind == "own" else "lookalike_trusted_domain", "high",
                      evidence=sender_text, location="from", dedupe="sender", host=sender.unicode, official=domain)
    reply = mail.reply_to_address
    if "@" in reply:
        reply_host = normalise_host(reply.rpartition("@")[2])
        if reply_host.registrable and reply_host.registrable != sender.registrable:
            free = match_suffix(reply_host.ascii, check.k.free_mail)
            sender_free = match_suffix(sender.ascii, check.k.free_mail)
            if free and not sender_free:
                check.add("reply_to_freemail", "medium", evidence=reply, location="reply_to", address=reply)
            elif not mail.list_id and not match_suffix(reply_host.ascii, check.protected):
                check.add("reply_to_other_domain", "low", evidence=reply, location="reply_to", address=reply)


def _brand_sender(check: _Check, mail: ParsedMail, sender: Host | None, report: HostReport | None,
                  strong: list[BrandHit], claimed: set[str]) -> None:
    if sender is None or report is None or not sender.ascii:
        return
    if match_suffix(sender.ascii, check.protected):
        return
    first = strong[0]
    free = match_suffix(sender.ascii, check.k.free_mail)
    if free and not (report.official_for & claimed and sender.ascii not in check.k.free_mail):
        check.add("sender_freemail_brand", "high", evidence=mail.from_address, location="from",
                  brand_id=first.brand_id, host=sender.unicode)
        return
    if report.official_for & claimed:
        return
    if report.official_for:
        # Sent from another catalog brand's domain (a group company, a payment provider): not decisive.
        return
    severity = "high"
    check.add("brand_sender_mismatch", severity, evidence=f"{first.alias} ← {mail.from_address}", location="from",
              brand_id=first.brand_id, host=sender.unicode)


_AUTH_METHOD_RE = re.compile(r"\b(spf|dkim|dmarc)\s*=\s*([a-z]+)", re.IGNORECASE)
_COMMENT_RE = re.compile(r"\([^()]*\)")


def _auth_results(check: _Check, mail: ParsedMail, sender: Host | None, report: HostReport | None) -> None:
    """Read only the top-most Authentication-Results: the one the recipient's own server added (RFC 8601 §5)."""
    if not mail.authentication_results:
        return
    header = _COMMENT_RE.sub(" ", _COMMENT_RE.sub(" ", mail.authentication_results[0]))
    results: dict[str, str] = {}
    for method, value in _AUTH_METHOD_RE.findall(header):
        results.setdefault(method.lower(), value.lower())
    if not results:
        return
    dmarc, spf, dkim = results.get("dmarc"), results.get("spf"), results.get("dkim")
    known_sender = bool(sender and ((report and report.official_for) or match_suffix(sender.ascii, check.protected)))
    own = bool(sender and check.protected.get(match_suffix(sender.ascii, check.protected) or "") == "own")
    failed = dmarc == "fail" or spf in ("fail", "softfail") or dkim == "fail"
    if own and failed:
        check.add("own_domain_spoof", "high", evidence=mail.authentication_results[0][:200], location="header",
                  host=sender.unicode if sender else "")
    if dmarc == "fail":
        check.add("auth_dmarc_fail", "high" if known_sender else "medium", evidence=f"dmarc={dmarc}",
                  location="header", detail=f"dmarc={dmarc}")
    if spf in ("fail", "softfail"):
        check.add("auth_spf_fail", "medium" if spf == "fail" else "low", evidence=f"spf={spf}", location="header",
                  detail=spf)
    if dkim == "fail":
        check.add("auth_dkim_fail", "low", evidence=f"dkim={dkim}", location="header", detail=dkim)
    if all(results.get(m) in (None, "none", "neutral", "permerror", "temperror") for m in ("spf", "dkim", "dmarc")):
        check.add("auth_none", "low", evidence=" ".join(f"{k}={v}" for k, v in sorted(results.items())),
                  location="header")
    elif not failed and (dmarc == "pass" or spf == "pass" or dkim == "pass"):
        check.add("auth_pass", "info", evidence=" ".join(f"{k}={v}" for k, v in sorted(results.items())),
                  location="header")


def _extensions(filename: str) -> list[str]:
    name = filename.lower().strip().rstrip(". ")
    return [part for part in name.split(".")[1:] if part]


def _attachment_flags(attachment) -> list[str]:
    flags = []
    extensions = _extensions(attachment.filename)
    if extensions:
        flags.append("." + extensions[-1])
    if attachment.zip_encrypted:
        flags.append("encrypted")
    return flags


def _attachments(check: _Check, mail: ParsedMail) -> None:
    for attachment in mail.attachments:
        name = attachment.filename
        extensions = _extensions(name)
        last = extensions[-1] if extensions else ""
        if len(extensions) >= 2 and extensions[-2] in _DOCUMENT_EXT and (last in _DANGEROUS_EXT or last in _HTML_EXT
                                                                           or last in _DISK_IMAGE_EXT):
            check.add("double_extension", "high", evidence=name, location="attachment", dedupe=name, filename=name)
        if last in _DANGEROUS_EXT:
            check.add("dangerous_attachment", "high", evidence=name, location="attachment", dedupe=name, filename=name)
        elif last in _DISK_IMAGE_EXT:
            check.add("disk_image_attachment", "high", evidence=name, location="attachment", dedupe=name, filename=name)
        elif last in _HTML_EXT or attachment.content_type == "text/html":
            check.add("html_attachment", "medium", evidence=name, location="attachment", dedupe=name, filename=name)
        elif last in _MACRO_EXT:
            check.add("macro_document", "medium", evidence=name, location="attachment", dedupe=name, filename=name)
        elif last in _LEGACY_OFFICE_EXT:
            check.add("macro_document", "low", evidence=name, location="attachment", dedupe=name, filename=name)
        elif last in _ARCHIVE_EXT:
            check.add("archive_attachment", "low", evidence=name, location="attachment", dedupe=name, filename=name)
        for inner in attachment.zip_names:
            inner_ext = _extensions(inner.rsplit("/", 1)[-1])
            if inner_ext and (inner_ext[-1] in _DANGEROUS_EXT or inner_ext[-1] in _DISK_IMAGE_EXT):
                check.add("dangerous_attachment", "high", evidence=f"{name} → {inner}", location="attachment",
                          dedupe=name + "/" + inner, filename=f"{name} → {inner}")
                break
        if attachment.zip_encrypted:
            if w.PASSWORD_HINT_RE.search(_nfkc(mail.text[:WORDING_SCAN_CHARS])):
                check.add("encrypted_archive_password_in_body", "high", evidence=name, location="attachment",
                          dedupe=name, filename=name)
            else:
                check.add("encrypted_archive", "medium", evidence=name, location="attachment", dedupe=name,
                          filename=name)
