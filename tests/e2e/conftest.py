"""Browser tests: Playwright for Python driving Debian's Chromium against pytest-django's live server.

Fixtures:
  browser        one headless Chromium per test session
  page           a fresh page (new context, Japanese locale, phone-sized when asked)
  login(page, live_server, email, password)   signs in through the real login form
  screenshot(page, name)   saves a PNG under screenshots/ (git-ignored) to look at
Skipped with a clear message when /usr/bin/chromium is missing (`apt-get install chromium fonts-noto-cjk`).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the Django ORM calls made by
# fixtures here are plain synchronous calls, so Django's async guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("SONAE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser(live_server):
    # Asking for live_server here makes the browser close first: its open keep-alive connections end
    # while the live server still shares its in-memory database with the request threads.
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: apt-get install chromium fonts-noto-cjk")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login():
    def do_login(page, live_server, email: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", password)
        page.click("form button[type=submit]")
        page.wait_for_load_state("networkidle")

    return do_login


@pytest.fixture
def screenshot():
    def take(page, name: str) -> Path:
        SCREENSHOTS.mkdir(exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
