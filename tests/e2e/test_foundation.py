"""Browser tests of the foundation: first start, inviting a viewer, MFA, language, keyboard, CSP.

Each flow runs in headless Chromium against pytest-django's live server, through the real forms.
Screenshots land in screenshots/ (git-ignored) for a person to look at; see test_foundation_screens.py.
"""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth import get_user_model

from sonae.orgs.choices import Role
from sonae.orgs.models import Membership, Organisation
from sonae.orgs.services import setup_token_issue

pytestmark = pytest.mark.django_db(transaction=True)

# The password of the users made by tests/conftest.py (alice, bob, ...). Not imported from
# `conftest`: with several conftest.py files that module name is ambiguous.
PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str):
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)

VALID_CORPORATE_NUMBER = "9700150018135"  # check digit 9 over 700150018135
WRONG_CHECK_DIGIT = "1700150018135"
NEW_PASSWORD = "A-long-enough-passw0rd"


def csp_problems(page) -> list[str]:
    """Console errors collected by the `page` fixture; CSP refusals ("Refused to …") are bugs.

    (Playwright's wait_for_function polls with eval, which the CSP refuses: wait on selectors instead.)
    """
    return [text for text in page.console_errors if "Refused to" in text or "Content Security Policy" in text]


def watch_console(page) -> list[str]:
    """Collect console errors and uncaught page errors of a page made outside the `page` fixture."""
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def signup(page, email: str, password: str = NEW_PASSWORD) -> None:
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", password)
    page.fill("input[name=password2]", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def fill_org_form(page, corporate_number: str) -> None:
    page.fill("#id_name", "株式会社横浜精工")
    page.fill("#id_corporate_number", corporate_number)
    page.select_option("#id_industry", "E")
    page.select_option("#id_employee_band", "6-20")
    page.select_option("#id_prefecture", "神奈川県")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")


def logout(page) -> None:
    page.click(".user-menu summary")
    page.click(".user-menu button[type=submit]")
    page.wait_for_load_state("networkidle")


def totp_code(secret: str, offset: int = 0) -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


# --- a) first start ---------------------------------------------------------------------------------


def test_first_start_setup_link_to_dashboard(page, live_server, screenshot):
    token = setup_token_issue()
    page.goto(f"{live_server.url}/setup/{token}/")
    assert page.url.endswith("/accounts/signup/")
    assert page.locator("input[name=email]").is_visible()
    screenshot(page, "signup-desktop")
    signup(page, "owner@example.jp")

    # The owner is sent straight to the organisation form.
    assert page.url.endswith("/orgs/new/")
    fill_org_form(page, WRONG_CHECK_DIGIT)
    error = page.locator(".field.has-error .error").first
    assert "チェックデジット" in error.inner_text()
    assert page.locator("#id_corporate_number").get_attribute("aria-invalid") in (None, "true")
    screenshot(page, "org-create-error-desktop")
    assert not Organisation.objects.exists()

    page.fill("#id_corporate_number", VALID_CORPORATE_NUMBER)
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    org = Organisation.objects.get()
    assert page.url.endswith(f"/o/{org.id}/")
    assert page.locator("h1").inner_text() == "株式会社横浜精工"
    assert "組織「株式会社横浜精工」を作成しました。" in page.locator(".messages").inner_text()
    assert Membership.objects.get(org=org).role == Role.OWNER
    assert org.corporate_number == VALID_CORPORATE_NUMBER

    # The link was for one person only.
    page.context.clear_cookies()
    response = page.goto(f"{live_server.url}/setup/{token}/")
    assert response.status == 404
    assert "無効" in page.locator("main").inner_text()
    assert csp_problems(page) == []


# --- b) invite a viewer -----------------------------------------------------------------------------


def test_owner_invites_viewer_who_cannot_edit(browser, page, live_server, login, screenshot, alice, org):
    login(page, live_server, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/invitations/")
    page.select_option("#id_role", Role.VIEWER)
    page.fill("#id_note", "新人の佐藤さん")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    link = page.locator("#new-link").input_value()
    assert re.fullmatch(re.escape(live_server.url) + r"/invite/[\w-]+/", link), link
    screenshot(page, "invitations-desktop")

    other = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        viewer = other.new_page()
        errors = watch_console(viewer)
        viewer.goto(link)
        assert "株式会社横浜精工" in viewer.locator("h1").inner_text()
        assert "閲覧者" in viewer.locator("main").inner_text()
        viewer.click("text=アカウントを作成して参加する")
        viewer.wait_for_load_state("networkidle")
        signup(viewer, "sato@example.jp")
        assert viewer.url.endswith(f"/o/{org.id}/")
        assert Membership.objects.get(org=org, user__email="sato@example.jp").role == Role.VIEWER

        response = viewer.goto(f"{live_server.url}/o/{org.id}/settings/")
        assert response.status == 403
        assert "権限がありません" in viewer.locator("h1").inner_text()

        viewer.goto(f"{live_server.url}/o/{org.id}/members/")
        main = viewer.locator("main")
        assert "sato@example.jp" in main.inner_text()
        assert main.locator("form").count() == 0 and main.locator("select").count() == 0
        # Owner-only tabs are not offered to a viewer.
        assert main.locator("a[href$='/invitations/']").count() == 0
        assert [e for e in errors if "Refused to" in e] == []
    finally:
        other.close()

    # The link worked once.
    page.goto(f"{live_server.url}/o/{org.id}/invitations/")
    assert "受諾済み" in page.locator("main table").inner_text()


# --- c) MFA enrolment and the MFA mandate ------------------------------------------------------------


def reauthenticate_if_asked(page, password: str = PASSWORD) -> None:
    """allauth asks for the password again before MFA changes (MFA_REAUTHENTICATION_REQUIRED)."""
    if "/accounts/reauthenticate/" in page.url:
        page.fill("input[name=password]", password)
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")


def activate_totp(page, live_server, password: str = PASSWORD) -> str:
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    reauthenticate_if_asked(page, password)
    secret = page.locator("#authenticator_secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    return secret


def test_mfa_enrolment_then_login_asks_for_code(page, live_server, login, screenshot, alice, org):
    login(page, live_server, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/")
    page.click(".user-menu summary")
    page.click(".user-menu >> text=多要素認証")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/accounts/2fa/")
    screenshot(page, "mfa-index-before-desktop")
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert "/accounts/reauthenticate/" in page.url
    screenshot(page, "mfa-reauthenticate-desktop")
    reauthenticate_if_asked(page)
    assert page.url.endswith("/accounts/2fa/totp/activate/")
    assert page.locator("main img").count() == 1  # the QR code
    screenshot(page, "mfa-activate-desktop")

    # A wrong code is refused in Japanese.
    page.fill("input[name=code]", "000000" if totp_code(page.locator("#authenticator_secret").input_value()) != "000000" else "111111")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "コード" in page.locator("main").inner_text()

    secret = activate_totp(page, live_server)
    # allauth shows the recovery codes right after activation.
    codes_text = page.locator("main").inner_text()
    assert "リカバリーコード" in codes_text or "recovery" in page.url
    codes = page.locator("textarea#recovery_codes")
    if codes.count() == 0:
        page.goto(f"{live_server.url}/accounts/2fa/recovery-codes/")
    assert len(page.locator("textarea#recovery_codes").input_value().split()) >= 10
    screenshot(page, "mfa-recovery-codes-desktop")

    logout(page)
    login(page, live_server, alice.email, PASSWORD)
    assert "/accounts/2fa/authenticate/" in page.url
    screenshot(page, "mfa-authenticate-desktop")
    # A code just used for activation is not used again: take the next free one within the window.
    page.fill("input[name=code]", totp_code(secret))
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    if "/accounts/2fa/authenticate/" in page.url:  # same 30-second window as activation: wait for a new code
        time.sleep(31 - time.time() % 30)
        page.fill("input[name=code]", totp_code(secret))
        page.click("main form button[type=submit]")
        page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/o/{org.id}/")
    assert page.locator(".steps li.done").count() == 1  # "set up MFA" step is ticked
    assert csp_problems(page) == []


def test_owner_requires_mfa_and_member_without_it_is_sent_to_setup(browser, page, live_server, login, screenshot, alice, bob, org):
    login(page, live_server, alice.email, PASSWORD)
    activate_totp(page, live_server)
    page.goto(f"{live_server.url}/o/{org.id}/settings/")
    page.check("#id_require_mfa")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "保存しました" in page.locator(".messages").inner_text()
    org.refresh_from_db()
    assert org.require_mfa

    other = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    try:
        member = other.new_page()
        login(member, live_server, bob.email, PASSWORD)
        member.goto(f"{live_server.url}/o/{org.id}/")
        assert member.url.endswith(f"/o/{org.id}/mfa-required/")
        assert "多要素認証が必要です" in member.locator("h1").inner_text()
        screenshot(member, "mfa-required-desktop")
        member.click("main >> text=多要素認証を設定する")
        member.wait_for_load_state("networkidle")
        reauthenticate_if_asked(member)
        assert member.url.endswith("/accounts/2fa/totp/activate/")
        activate_totp(member, live_server)
        member.goto(f"{live_server.url}/o/{org.id}/")
        assert member.url.endswith(f"/o/{org.id}/")
    finally:
        other.close()


# --- d) language switch -------------------------------------------------------------------------------


def test_japanese_by_default_and_language_switch(browser, live_server, login, screenshot, alice, org):
    context = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})
    try:
        page = context.new_page()
        errors = watch_console(page)
        page.goto(f"{live_server.url}/accounts/login/")
        assert page.locator("html").get_attribute("lang") == "ja"
        assert "ログイン" in page.locator("main").inner_text()
        login(page, live_server, alice.email, PASSWORD)
        page.goto(f"{live_server.url}/o/{org.id}/")
        assert page.locator("nav.mainnav").inner_text().split()[:2] == ["ホーム", "診断"]

        page.select_option("#lang-select", "en")  # app.js submits the form on change
        page.wait_for_load_state("networkidle")
        page.locator("html[lang=en]").wait_for(state="attached")
        assert page.url.endswith(f"/o/{org.id}/")
        nav = page.locator("nav.mainnav").inner_text()
        assert "Home" in nav and "ホーム" not in nav
        screenshot(page, "dashboard-en-desktop")

        page.select_option("#lang-select", "ja")
        page.locator("html[lang=ja]").wait_for(state="attached")
        assert "ホーム" in page.locator("nav.mainnav").inner_text()
        assert [e for e in errors if "Refused to" in e] == []
    finally:
        context.close()


# --- e) keyboard use and labels -------------------------------------------------------------------------

UNLABELLED_CONTROLS_JS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && el.type !== 'submit' && el.type !== 'button')
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.outerHTML.slice(0, 120))
"""


def focused(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement; return el.id || el.name || el.getAttribute('href') || el.textContent.trim(); }"
    )


def test_skip_link_and_tab_order(page, live_server, login, alice, org):
    login(page, live_server, alice.email, PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/settings/")
    page.keyboard.press("Tab")
    skip = page.evaluate("() => document.activeElement.className")
    assert skip == "skip-link"
    assert page.locator(".skip-link").is_visible()  # visible when focused
    # Tabbing on reaches the organisation switcher, the language switch, the user menu and the main nav.
    seen = []
    for _ in range(30):
        page.keyboard.press("Tab")
        seen.append(focused(page))
    assert "org-switch-select" in seen and "lang-select" in seen
    assert f"/o/{org.id}/diagnoses/" in seen
    assert seen.index("org-switch-select") < seen.index("lang-select") < seen.index(f"/o/{org.id}/diagnoses/")
    assert "id_name" in seen and seen.index(f"/o/{org.id}/diagnoses/") < seen.index("id_name")

    # The skip link moves focus to the main content, so the next Tab lands in the page, not the header.
    page.goto(f"{live_server.url}/o/{org.id}/settings/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    order = []
    for _ in range(10):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert "id_name" in order, order
    assert "lang-select" not in order and "org-switch-select" not in order


def test_every_form_control_has_a_label(page, live_server, login, alice, org):
    public = ["/accounts/login/", "/accounts/password/reset/"]
    for path in public:
        page.goto(live_server.url + path)
        assert page.evaluate(UNLABELLED_CONTROLS_JS) == [], path
    login(page, live_server, alice.email, PASSWORD)
    for path in [
        f"/o/{org.id}/", f"/o/{org.id}/settings/", f"/o/{org.id}/members/", f"/o/{org.id}/invitations/",
        f"/o/{org.id}/advisors/", f"/o/{org.id}/api-tokens/", "/orgs/new/", "/accounts/2fa/",
        "/accounts/2fa/totp/activate/", "/accounts/password/change/",
    ]:
        page.goto(live_server.url + path)
        assert page.evaluate(UNLABELLED_CONTROLS_JS) == [], path


# --- f) no CSP violations, no console errors ---------------------------------------------------------


def test_main_pages_have_no_console_errors(page, live_server, login, alice, org):
    page.goto(f"{live_server.url}/accounts/login/")
    login(page, live_server, alice.email, PASSWORD)
    paths = [
        f"/o/{org.id}/", f"/o/{org.id}/settings/", f"/o/{org.id}/members/", f"/o/{org.id}/invitations/",
        f"/o/{org.id}/advisors/", f"/o/{org.id}/audit/", f"/o/{org.id}/api-tokens/", f"/o/{org.id}/diagnoses/",
        "/advisor/", "/orgs/new/", "/accounts/2fa/", "/accounts/2fa/totp/activate/", "/accounts/password/change/",
    ]
    for path in paths:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        # Styles really applied (a CSP refusal of app.css would leave the page unstyled).
        assert page.evaluate("() => getComputedStyle(document.querySelector('.topbar')).backgroundColor") == "rgb(16, 42, 67)", path
    # Exercise the scripts: the copy button and the auto-submitting selects.
    page.goto(f"{live_server.url}/o/{org.id}/invitations/")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.click("button[data-copy-target=new-link]")
    page.locator("button[data-copy-target=new-link]", has_text="コピーしました").wait_for()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.console_errors == []
