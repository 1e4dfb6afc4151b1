"""Screenshots of the foundation's pages at desktop (1280 px) and phone (390 px) width.

The PNGs go to screenshots/foundation-<page>-<size>.png for a person to look at. The test also
checks what a screenshot cannot: no horizontal scrolling on the phone, no console errors,
and no English left in the Japanese pages' main text.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from sonae.orgs.choices import Role
from sonae.orgs.models import AdvisorGrant, Membership
from sonae.orgs.services import audit, invitation_create, organisation_create

pytestmark = pytest.mark.django_db(transaction=True)

# The password of the users made by tests/conftest.py (alice, bob, ...). Not imported from
# `conftest`: with several conftest.py files that module name is ambiguous.
PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str):
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2},
}
# Latin words that may appear in the Japanese UI: the product name, formats, our test data.
ALLOWED_LATIN = {"sonae", "API", "URL", "SECURITY", "ACTION", "APIs", "OpenAPI", "REST", "TOTP", "QR", "English", "IPA", "AI", "BCP", "SMS", "PDF", "Excel", "CSV", "Word", "Markdown", "EDR", "VPN", "PC", "Y", "n", "j", "H", "i"}


def latin_words(text: str) -> set[str]:
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    text = re.sub(r"sonae_[\w-]+|[\w-]{20,}", " ", text)  # tokens, secrets, links
    return {word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in ALLOWED_LATIN}


@pytest.fixture
def world(alice, bob, org):
    """Alice owns 株式会社横浜精工 (Bob views it); an advisor has read access; a few audit entries."""
    advisor = make_user("shindanshi@example.jp")
    AdvisorGrant.objects.create(org=org, advisor=advisor, role=Role.VIEWER, granted_by=alice, advisor_org_name="横浜商工会議所")
    second = organisation_create(owner=alice, name="有限会社みなと運輸", corporate_number="", industry="H", employee_band="1-5", prefecture="東京都")
    AdvisorGrant.objects.create(org=second, advisor=advisor, role=Role.EDITOR, granted_by=alice, advisor_org_name="横浜商工会議所")
    invitation_create(org=org, by=alice, role=Role.EDITOR, note="経理の田中さん")
    audit(org=org, actor=alice, action="update", obj=org, changes={"employee_band": ["1-5", "6-20"]})
    mfa_user = make_user("mfa@example.jp")
    Membership.objects.create(user=mfa_user, org=org, role=Role.EDITOR)
    TOTP.activate(mfa_user, generate_totp_secret())
    RecoveryCodes.activate(mfa_user)
    return {"org": org, "advisor": advisor, "mfa_user": mfa_user}


def totp_code(secret: str) -> str:
    import time

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def new_page(browser, size: str):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", **SIZES[size])
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.console_errors = errors
    return page


class Shooter:
    def __init__(self, page, size: str, screenshot):
        self.page, self.size, self.take = page, size, screenshot
        self.english: dict[str, set[str]] = {}
        self.overflow: list[str] = []

    def __call__(self, name: str, *, japanese: bool = True) -> None:
        page = self.page
        page.wait_for_load_state("networkidle")
        if japanese:
            words = latin_words(page.locator("main").inner_text())
            if words:
                self.english[name] = words
        wide = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if wide > 1:
            self.overflow.append(f"{name}: {wide}px")
        self.take(page, f"foundation-{name}-{self.size}")


def submit(page, selector: str = "main form button[type=submit]") -> None:
    page.click(selector)
    page.wait_for_load_state("networkidle")


def sign_in(page, url: str, email: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    submit(page)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_screenshots(browser, live_server, screenshot, world, alice, size):
    url, org = live_server.url, world["org"]
    page = new_page(browser, size)
    shoot = Shooter(page, size, screenshot)

    # Anonymous: login, sign-up through an invitation, a used link.
    page.goto(f"{url}/accounts/login/")
    shoot("login")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", "wrong-password-123")
    submit(page)
    shoot("login-error")
    _invitation, token = invitation_create(org=org, by=alice, role=Role.VIEWER, note="")
    page.goto(f"{url}/invite/{token}/")
    shoot("invitation-anonymous")
    page.goto(f"{url}/accounts/signup/")
    shoot("signup")
    page.fill("input[name=email]", "not-an-address")
    page.fill("input[name=password1]", "short")
    page.fill("input[name=password2]", "different")
    submit(page)
    shoot("signup-error")
    page.goto(f"{url}/accounts/password/reset/")
    shoot("password-reset")
    page.goto(f"{url}/invite/not-a-real-token/")
    shoot("link-invalid")

    # The owner's pages.
    sign_in(page, url, alice.email)
    page.goto(f"{url}/o/{org.id}/")
    shoot("dashboard")
    page.emulate_media(media="print")
    shoot("dashboard-print")
    page.emulate_media(media="screen")
    page.goto(f"{url}/orgs/new/")
    page.fill("#id_name", "テスト\u0007株式会社")
    page.fill("#id_corporate_number", "1700150018135")
    submit(page)
    shoot("org-create-error")
    page.goto(f"{url}/o/{org.id}/settings/")
    shoot("org-settings")
    page.goto(f"{url}/o/{org.id}/members/")
    shoot("members")
    page.goto(f"{url}/o/{org.id}/invitations/")
    page.fill("#id_note", "総務の鈴木さん")
    submit(page)
    assert page.locator("#new-link").is_visible()
    shoot("invitations")
    page.goto(f"{url}/o/{org.id}/advisors/")
    submit(page)
    shoot("advisors")
    page.goto(f"{url}/o/{org.id}/audit/")
    # Field names in "changes" are stored as model field names (reported to the lead), so the
    # English check is off for this page.
    shoot("audit-log", japanese=False)
    page.goto(f"{url}/o/{org.id}/api-tokens/")
    page.fill("input[name=name]", "会計ソフト連携")
    submit(page)
    assert page.locator("#new-token").is_visible()
    shoot("api-tokens")
    page.goto(f"{url}/o/{org.id}/diagnoses/")
    shoot("coming-soon")
    page.goto(f"{url}/accounts/2fa/")
    shoot("mfa-index")
    page.goto(f"{url}/accounts/2fa/totp/activate/")
    shoot("mfa-reauthenticate")
    page.fill("input[name=password]", PASSWORD)
    submit(page)
    shoot("mfa-activate")
    page.fill("input[name=code]", "123456")
    submit(page)
    shoot("mfa-activate-error")
    page.goto(f"{url}/accounts/password/change/")
    shoot("password-change")
    page.goto(f"{url}/o/{org.id}/")
    page.click(".user-menu summary")
    shoot("user-menu")
    page.goto(f"{url}/o/999999/")
    shoot("404")

    # English dashboard.
    page.goto(f"{url}/o/{org.id}/")
    page.select_option("#lang-select", "en")
    page.locator("html[lang=en]").wait_for(state="attached")
    shoot("dashboard-en", japanese=False)
    page.select_option("#lang-select", "ja")
    page.locator("html[lang=ja]").wait_for(state="attached")
    page.context.clear_cookies()

    # The viewer: 403 on settings.
    sign_in(page, url, "bob@example.jp")
    page.goto(f"{url}/o/{org.id}/settings/")
    shoot("403")
    page.goto(f"{url}/o/{org.id}/members/")
    shoot("members-viewer")
    page.context.clear_cookies()

    # The advisor's portfolio.
    sign_in(page, url, world["advisor"].email)
    page.goto(f"{url}/advisor/")
    shoot("advisor-portfolio")
    page.context.clear_cookies()

    # A member with MFA: the code prompt at login, then the MFA overview and recovery codes.
    sign_in(page, url, world["mfa_user"].email)
    assert "/accounts/2fa/authenticate/" in page.url
    shoot("mfa-authenticate")
    page.fill("input[name=code]", "000000")
    submit(page)
    shoot("mfa-authenticate-error")
    page.context.close()

    assert shoot.overflow == [], f"horizontal scrolling on {size}: {shoot.overflow}"
    # The 403/404/410 pages we opened on purpose log "Failed to load resource"; anything else is a bug.
    expected = ("/settings/", "/o/999999/", "/invite/not-a-real-token/")
    unexpected = [e for e in page.console_errors if not ("Failed to load resource" in e and any(x in e for x in expected))]
    assert unexpected == []
    assert shoot.english == {}, f"English words in Japanese pages: {shoot.english}"


def test_recovery_codes_page(browser, live_server, screenshot, world):
    """Recovery codes after a fresh password re-entry, at both widths."""
    for size in SIZES:
        page = new_page(browser, size)
        shoot = Shooter(page, size, screenshot)
        sign_in(page, live_server.url, "bob@example.jp")
        page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
        page.fill("input[name=password]", PASSWORD)
        submit(page)
        secret = page.locator("#authenticator_secret").input_value()
        page.fill("input[name=code]", totp_code(secret))
        submit(page)
        if page.locator("textarea#recovery_codes").count() == 0:
            page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/")
        shoot("mfa-recovery-codes")
        page.goto(f"{live_server.url}/accounts/2fa/")
        shoot("mfa-index-active")
        assert shoot.overflow == [], shoot.overflow
        assert shoot.english == {}, shoot.english
        page.context.close()
        Authenticator.objects.filter(user__email="bob@example.jp").delete()
