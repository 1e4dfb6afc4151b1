"""支援策ナビ and 情報収集 in a real browser (the issue's walk): a Yokohama manufacturer with a certified
Jigyokei fits 経営支援資金 ground 5; without it the loan is one step away; in 東京都 it does not fit. The
asset list shows a matched advisory; the 「支援策の候補」 PDF is downloaded. Screenshots of each screen."""

from __future__ import annotations

import shutil
import subprocess

import pytest


PASSWORD = "correct-horse-battery-staple-42"  # the fixtures' password (tests/conftest.py)

pytestmark = pytest.mark.django_db(transaction=True)


def _loan(page):
    return page.locator("#entry-yokohama-keiei-shien-shikin")


def _section_of(page, entry_id: str) -> str:
    return page.locator(f"#entry-{entry_id}").evaluate("e => e.closest('.support-section').className")


def test_support_walk(page, phone_page, live_server, login, screenshot, alice, org, tmp_path):
    base = f"{live_server.url}/o/{org.id}"
    login(page, live_server, "alice@example.jp", PASSWORD)

    # The owner adds the municipality in the organisation settings.
    page.goto(f"{base}/settings/")
    page.fill("input[name=city]", "横浜市")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")

    # Without a certified plan, the loan is one step away, and ground 5 names the step.
    page.goto(f"{base}/support/")
    assert "support-after_step" in _section_of(page, "yokohama-keiei-shien-shikin")
    assert "電子申請して国の認定を受ける" in _loan(page).inner_text()
    screenshot(page, "support-no-plan-desktop")

    # The owner records the state's certification: ground 5 fits.
    page.click("button:has-text('国の認定を受けた')")
    page.wait_for_selector(".msg-success")
    assert "support-fits" in _section_of(page, "yokohama-keiei-shien-shikin")
    loan_text = _loan(page).inner_text()
    assert "融資対象者5" in loan_text and "認定を受けた事業継続力強化計画" in loan_text
    shots = screenshot(page, "support-certified-desktop").parent
    page.screenshot(path=str(shots / "support-top-desktop.png"))  # the first screen, as a person sees it
    _loan(page).screenshot(path=str(shots / "support-loan-card.png"))

    # An answer is remembered and changeable.
    question = page.locator("#questions li", has_text="脱炭素取組宣言")
    question.locator("button:has-text('はい')").click()
    page.wait_for_selector(".msg-success")
    assert "はい" in page.locator("#questions li", has_text="脱炭素取組宣言").locator(".support-a").inner_text()
    assert "✓" in _loan(page).locator(".support-bonus").inner_text()  # the 宣言割 now applies

    login(phone_page, live_server, "alice@example.jp", PASSWORD)
    phone_page.goto(f"{base}/support/?region=横浜市")
    screenshot(phone_page, "support-phone")

    # The sheet for the bank meeting.
    with page.expect_download() as download_info:
        page.click("a:has-text('「支援策の候補」PDF')")
    pdf = shots / "support-sheet.pdf"
    download_info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):  # pages as PNG, to look at
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(shots / "support-sheet")], check=True, timeout=120)

    # The same company in 東京都 does not fit.
    page.goto(f"{base}/settings/")
    page.select_option("select[name=prefecture]", "東京都")
    page.fill("input[name=city]", "千代田区")
    page.click("main form button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/support/")
    assert page.locator("details.support-no #entry-yokohama-keiei-shien-shikin").count() == 1
    screenshot(page, "support-tokyo-desktop")

    with page.expect_navigation():
        page.select_option("#lang-select", "en")
    page.goto(f"{base}/support/?region=national")
    assert "Support finder" in page.inner_text("h1")
    page.screenshot(path=str(shots / "support-english-desktop.png"))


def test_asset_list_with_matched_advisory(page, live_server, login, screenshot, alice, org):
    from sonae.assets.services import advisories_import, asset_save
    from sonae.catalog.base import DATA_DIR

    asset_save(org=org, by=alice, kind="vpn", name="本社VPN", vendor="SonicWall", product="SonicOS", version="7.1.1",
               caretaker="〇〇システム（保守契約）")
    asset_save(org=org, by=alice, kind="router", name="事務所のWi-Fiルーター", vendor="コレガ", product="CG-WGR1200")
    asset_save(org=org, by=alice, kind="pc", name="経理PC", vendor="Microsoft", product="Windows 11", version="24H2")
    asset_save(org=org, by=alice, kind="cloud", name="会計クラウド", vendor="freee", product="freee会計")
    for name in ("cisa-kev-2025.02.25-subset.json", "jvn-myjvn-overview-2018-03-13.xml"):
        advisories_import(data=(DATA_DIR / "advisories" / name).read_bytes(), file_name=name)
    login(page, live_server, "alice@example.jp", PASSWORD)
    page.goto(f"{live_server.url}/o/{org.id}/assets/")
    table = page.locator("main table").inner_text()
    assert "CVE-2024-53704" in table and "JVNDB-2018-000024" in table and "悪用あり" in table
    screenshot(page, "assets-matched-desktop")
