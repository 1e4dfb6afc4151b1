"""FACT or FAKE quiz: realistic Japanese SMS and mail, genuine and fake, generated from the catalog.

    from sonae.engines.quiz import make_quiz, check_item
    items = make_quiz(10, seed=7)        # the same seed gives the same quiz
    report = check_item(items[0])        # the message checker's own findings on that exact text

The building blocks (scenarios, wordings, link and sender shapes, the seminar's 勘所) live in
catalog/data/learning/quiz.yaml, the brands and their official domains in brands.yaml. A fake is shaped
the way real phishing is (random or brand-looking hosts on cheap TLDs, shortened links, spoofed senders,
free-mail Reply-To); a genuine message links only to the brand's official domain, or to nothing.
A mail item's `text` is the whole message (RFC 5322 headers and body), as `sonae check FILE.eml` reads it.

Pure Python: no Django, no network, no clock (dates in messages come from the seed).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import random
import string
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime, formataddr

from sonae.catalog.brands import Brand, load_brands
from sonae.catalog.learning import QuizCatalog, Scenario, load_quiz
from sonae.engines.messages import Report, check_mail, check_sms

MAX_COUNT = 1000
MAX_SEED = 2**63 - 1
JST = dt.timezone(dt.timedelta(hours=9))
_POLICY = default_policy.clone(linesep="\n", max_line_length=998)
_OFFICIAL_PATHS = ("", "mypage/", "support/", "info/", "member/")
_OFFICIAL_LOCALS = ("info", "no-reply", "mail", "notice", "support")
_FAKE_LOCALS = ("info", "support", "no-reply", "service", "security", "account", "notice")
_SECOND_LEVEL = {"co", "ne", "or", "go", "ac", "lg"}
_SPOOFED_SHARE = 0.35  # about a third of 2025's phishing used the real brand's address (reference §5.1)
_SHORTENER_SHARE = 0.15


class QuizError(ValueError):
    """The quiz cannot be made as asked (a count or seed out of range). Carries Japanese and English."""

    def __init__(self, message_ja: str, message_en: str) -> None:
        super().__init__(f"{message_en} / {message_ja}")
        self.message_ja = message_ja
        self.message_en = message_en


@dataclass(frozen=True)
class QuizItem:
    id: str
    channel: str  # "sms" / "mail"
    text: str  # the SMS text, or the whole mail (headers and body)
    answer: str  # "fake" / "real"
    scenario: str
    theme: str
    topic: str  # training topic (trainings.yaml) a wrong answer points to
    brand: str | None  # brand id the message names, if any
    sender: str  # what the phone or mail program shows as the sender
    tips: tuple[str, ...]  # 勘所 ids (quiz.yaml tips)

    def contract(self, report: Report | None = None) -> dict:
        """The `sonae quiz make --json` shape: id, channel, text, answer and the checker's findings."""
        report = report or check_item(self)
        return {
            "id": self.id,
            "channel": self.channel,
            "text": self.text,
            "answer": self.answer,
            "findings": report.to_dict()["findings"],
        }


def check_item(item: QuizItem) -> Report:
    """The message checker's report on the item's exact text (no organisation context, as `sonae check`)."""
    if item.channel == "sms":
        return check_sms(item.text)
    return check_mail(item.text.encode("utf-8"))


def validate(count: object, seed: object = None) -> tuple[int, int | None]:
    """`count` and `seed` as integers in range, or QuizError saying what is wrong."""
    if isinstance(count, bool) or not isinstance(count, int):
        raise QuizError("問題数は整数で指定してください。", "The number of questions must be a whole number.")
    if not 1 <= count <= MAX_COUNT:
        raise QuizError(f"問題数は1から{MAX_COUNT}までです。", f"The number of questions must be between 1 and {MAX_COUNT}.")
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise QuizError("シードは整数で指定してください。", "The seed must be a whole number.")
        if not 0 <= seed <= MAX_SEED:
            raise QuizError(f"シードは0から{MAX_SEED}までです。", f"The seed must be between 0 and {MAX_SEED}.")
    return count, seed


def make_quiz(count: int, seed: int | None = None) -> list[QuizItem]:
    """`count` messages, about half fake, in random order; the same seed always gives the same quiz."""
    count, seed = validate(count, seed)
    rng = random.Random(seed if seed is not None else random.SystemRandom().randrange(MAX_SEED))
    catalog = load_quiz()
    fakes = round(count * rng.uniform(0.4, 0.6))
    if count >= 2:
        fakes = min(max(fakes, 1), count - 1)
    answers = ["fake"] * fakes + ["real"] * (count - fakes)
    rng.shuffle(answers)
    by_answer = {a: [s for s in catalog.scenarios if s.answer == a] for a in ("fake", "real")}
    items: list[QuizItem] = []
    seen: set[str] = set()
    last: str | None = None
    for answer in answers:
        # Both channels about evenly, never the same scenario twice in a row, never the same message twice.
        for _attempt in range(20):
            channel = rng.choice(("sms", "mail"))
            choices = [s for s in by_answer[answer] if s.channel == channel and s.id != last] or by_answer[answer]
            item = _Builder(catalog, rng.choice(choices), rng).build()
            if item.id not in seen:
                break
        seen.add(item.id)
        last = item.scenario
        items.append(item)
    return items


class _Builder:
    """Fills one scenario's wording, links and sender with random but plausible values."""

    def __init__(self, catalog: QuizCatalog, scenario: Scenario, rng: random.Random) -> None:
        self.catalog = catalog
        self.scenario = scenario
        self.rng = rng
        self.brand: Brand | None = None
        self.brand_name = ""
        if scenario.brands:
            brand_id = rng.choice(sorted(scenario.brands))
            self.brand = load_brands().by_id(brand_id)
            self.brand_name = scenario.brands[brand_id]
        self.company = rng.choice(catalog.companies)
        self.partner = rng.choice(catalog.partners)
        self.colleague = rng.choice(catalog.colleagues)

    # --- values ------------------------------------------------------------------------------------
    def _digits(self, n: int) -> str:
        return "".join(self.rng.choice(string.digits) for _ in range(n))

    def _letters(self, low: int = 4, high: int = 8) -> str:
        return "".join(self.rng.choice(string.ascii_lowercase) for _ in range(self.rng.randint(low, high)))

    def _values(self, url: str) -> dict[str, str]:
        rng = self.rng
        return {
            "brand": self.brand_name,
            "url": url,
            "official_url": url,
            "month": str(rng.randint(1, 12)),
            "day": str(rng.randint(1, 28)),
            "hour": str(rng.randint(9, 18)),
            "digits4": self._digits(4),
            "digits6": self._digits(6),
            "order": f"{self._digits(3)}-{self._digits(7)}-{self._digits(7)}",
            "amount": f"{rng.randint(1, 98):d},{rng.randint(0, 999):03d}",
            "phone": rng.choice((f"050-{self._digits(4)}-{self._digits(4)}", f"03-{self._digits(4)}-{self._digits(4)}")),
            "tollfree": f"0120-{self._digits(3)}-{self._digits(3)}",
            "colleague": self.colleague,
            "partner": self.partner.name,
            "company": self.company.name,
        }

    # --- links -------------------------------------------------------------------------------------
    def _token(self) -> str:
        assert self.brand is not None
        tokens = list(self.brand.tokens) or [self.brand.domains[0].split(".")[0]]
        return self.rng.choice(tokens)

    def fake_host(self) -> str:
        shape = self.rng.choice(self.catalog.fake_hosts)
        return shape.format(
            token=self._token() if self.brand else self._letters(),
            official=self.rng.choice(self.brand.domains[:2]) if self.brand else self._letters(),
            rand=self._letters(),
            word=self.rng.choice(self.catalog.words),
            tld=self.rng.choice(self.catalog.tlds),
            digits6=self._digits(6),
        )

    def fake_url(self) -> str:
        if self.catalog.shorteners and self.rng.random() < _SHORTENER_SHARE:
            code = "".join(self.rng.choice(string.ascii_letters + string.digits) for _ in range(7))
            return f"https://{self.rng.choice(self.catalog.shorteners)}/{code}"
        path = self.rng.choice(self.catalog.fake_paths).format(rand=self._letters(), digits6=self._digits(6))
        scheme = "http" if self.rng.random() < 0.1 else "https"
        return f"{scheme}://{self.fake_host()}{path}"

    def official_host(self) -> str:
        assert self.brand is not None
        domain = self.brand.domains[0]
        labels = domain.split(".")
        bare = len(labels) == 2 or (len(labels) == 3 and labels[1] in _SECOND_LEVEL)
        return f"www.{domain}" if bare else domain

    def official_url(self) -> str:
        return f"https://{self.official_host()}/{self.rng.choice(_OFFICIAL_PATHS)}"

    # --- the message -------------------------------------------------------------------------------
    def build(self) -> QuizItem:
        scenario = self.scenario
        url = {"fake": self.fake_url, "official": self.official_url}.get(scenario.link, lambda: "")()
        values = self._values(url)
        body = self.rng.choice(scenario.texts).format(**values)
        if scenario.channel == "sms":
            text, sender = body, self._sms_sender()
        else:
            text, sender = self._mail(values, body, url)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        return QuizItem(
            id=f"{scenario.id}-{digest}",
            channel=scenario.channel,
            text=text,
            answer=scenario.answer,
            scenario=scenario.id,
            theme=scenario.theme,
            topic=scenario.topic,
            brand=self.brand.id if self.brand else None,
            sender=sender,
            tips=scenario.tips,
        )

    def _mobile(self) -> str:
        return f"0{self.rng.choice('789')}0-{self._digits(4)}-{self._digits(4)}"

    def _sms_sender(self) -> str:
        shape = self.scenario.sender
        if shape == "mobile-or-brand":
            # Sender names can be spoofed into the brand's own thread, so a name proves nothing.
            shape = "brand" if self.rng.random() < 0.4 else "mobile"
        if shape == "brand":
            return self.brand_name
        if shape == "colleague":
            return self._mobile()
        return self._mobile()

    def _mail_sender(self) -> tuple[str, str, str, str | None]:
        """(display name, address, Authentication-Results or "", Reply-To or None)."""
        shape = self.scenario.sender
        rng = self.rng
        recipient_server = f"mx.{self.company.domain}"
        if shape == "fake-or-spoofed":
            shape = "spoofed" if rng.random() < _SPOOFED_SHARE else "fake-domain"
        if shape == "official":
            domain = self.brand.domains[0]  # type: ignore[union-attr]
            address = f"{rng.choice(_OFFICIAL_LOCALS)}@{domain}"
            return self.brand_name, address, _auth(recipient_server, domain, "pass", "pass", "pass"), None
        if shape == "spoofed":
            domain = self.brand.domains[0]  # type: ignore[union-attr]
            address = f"{rng.choice(_OFFICIAL_LOCALS)}@{domain}"
            return self.brand_name, address, _auth(recipient_server, domain, "softfail", "none", "fail"), None
        if shape == "fake-domain":
            host = self.fake_host()
            name = self.brand_name or rng.choice(("セキュリティセンター", "カスタマーサポート"))
            auth = _auth(recipient_server, host, "pass", "none", "none") if rng.random() < 0.6 else ""
            return name, f"{rng.choice(_FAKE_LOCALS)}@{host}", auth, None
        if shape == "colleague":
            address = f"{_romaji(self.colleague)}@{self.company.domain}"
            return self.colleague, address, _auth(recipient_server, self.company.domain, "pass", "pass", "pass"), None
        if shape == "partner":
            domain = self.partner.domain
            return f"{self.partner.name} 営業部", f"eigyo@{domain}", _auth(recipient_server, domain, "pass", "pass", "pass"), None
        # partner-lookalike: one letter off the partner's domain, answers going to a free mailbox.
        domain = self.partner.lookalike
        reply = f"{domain.split('.')[0].replace('-', '.')}.keiri{self._digits(2)}@{rng.choice(('gmail.com', 'outlook.jp', 'yahoo.co.jp'))}"
        return f"{self.partner.name} 経理部", f"keiri@{domain}", _auth(recipient_server, domain, "pass", "none", "none"), reply

    def _mail(self, values: dict[str, str], body: str, url: str) -> tuple[str, str]:
        rng = self.rng
        name, address, auth, reply_to = self._mail_sender()
        subject = rng.choice(self.scenario.subjects).format(**values)
        message = EmailMessage(policy=_POLICY)
        if auth:
            message["Authentication-Results"] = auth
        message["From"] = formataddr((name, address))
        message["To"] = f"{rng.choice(('soumu', 'keiri', 'info', 'tanaka'))}@{self.company.domain}"
        if reply_to:
            message["Reply-To"] = reply_to
        message["Subject"] = subject
        sent = dt.datetime(2026, int(values["month"]), int(values["day"]), int(values["hour"]), rng.randint(0, 59), tzinfo=JST)
        message["Date"] = format_datetime(sent)
        message["Message-ID"] = f"<{self._digits(12)}.{self._letters()}@{address.rpartition('@')[2]}>"
        if self.scenario.html == "sometimes" and url and rng.random() < 0.5:
            message.set_content(self._html(body, url), subtype="html", charset="utf-8", cte="8bit")
        else:
            message.set_content(body, charset="utf-8", cte="8bit")
        return message.as_bytes().decode("utf-8"), f"{name} <{address}>"

    def _html(self, body: str, url: str) -> str:
        """The body as simple HTML; the link's text is often the brand's real address (the href is not)."""
        shown = self.official_url() if self.brand and self.rng.random() < 0.5 else self.rng.choice(
            ("こちらから手続きする", "ログインして確認する", "今すぐ確認する"))
        anchor = f'<a href="{html.escape(url, quote=True)}">{html.escape(shown)}</a>'
        paragraphs = []
        for block in body.split("\n\n"):
            escaped = html.escape(block).replace(html.escape(url), anchor).replace("\n", "<br>")
            paragraphs.append(f"<p>{escaped}</p>")
        return '<html><body style="font-family:sans-serif">' + "".join(paragraphs) + "</body></html>"


def _auth(server: str, domain: str, spf: str, dkim: str, dmarc: str) -> str:
    """The recipient's server's verdict on the sender (RFC 8601), as its own top-most header."""
    parts = [f"spf={spf} smtp.mailfrom={domain}"]
    parts.append(f"dkim={dkim}" + (f" header.d={domain}" if dkim != "none" else ""))
    parts.append(f"dmarc={dmarc} header.from={domain}")
    return f"{server}; " + "; ".join(parts)


_ROMAJI = {"山田": "yamada", "佐藤": "sato", "鈴木": "suzuki", "高橋": "takahashi"}


def _romaji(person: str) -> str:
    """A mailbox name for a colleague label such as 「総務部 山田」."""
    family = person.split()[-1]
    return _ROMAJI.get(family, "staff")
