"""Journeys of sonae's users for locust; run through bench/load.py, which prepares the users and the server.

Each simulated person logs in through the allauth form (CSRF token from the page, session cookie), then
keeps doing what people do, with think times of 1–4 s: open the dashboard, answer and submit a
diagnosis (SECURITY ACTION's five items, the plain form), open its results, check a suspicious SMS,
scan a text before giving it to an AI tool, and at most once a minute log out and in again. Every response is
checked for what the page must show, so a page that answers 200 with an error message counts as a
failure. The people are the owners of organisations 1–N of bench/scalefill.py (owner<N>@scale.example.jp).
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import time

from locust import HttpUser, between, task

PASSWORD = "bench-Passw0rd-for-scale"  # bench/scalefill.BENCH_PASSWORD
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ITEM = re.compile(r'name="(item-[\w-]+)" value="(-?\d+)"')
SMS = ("【佐川急便】お荷物のお届けにあがりましたが不在のため持ち帰りました。"
       "ご確認ください。 http://sagawa-exp.delivery-check.top/track?id=8812")
PROMPT = ("次の文章を丁寧に直してください。山田太郎様（電話 090-1234-5678、yamada@example.co.jp）から"
          "見積書の件でご連絡がありました。請求先は東京都千代田区丸の内1-1-1です。")

_people = itertools.count(1)
_people_lock = threading.Lock()
PEOPLE = int(os.environ.get("SONAE_LOAD_PEOPLE", "20"))


class Person(HttpUser):
    wait_time = between(1, 4)

    def on_start(self) -> None:
        with _people_lock:
            self.number = (next(_people) - 1) % PEOPLE + 1
        self.email = f"owner{self.number}@scale.example.jp"
        self.org_id = self.number  # scalefill gives organisation n its owner owner<n>
        self.log_in()

    def csrf_of(self, response) -> str:
        match = CSRF.search(response.text)
        if not match:
            raise RuntimeError(f"no CSRF token on {response.url}")
        return match.group(1)

    def log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        with self.client.post("/accounts/login/", name="log in", catch_response=True, allow_redirects=False,
                              data={"csrfmiddlewaretoken": self.csrf_of(page), "login": self.email, "password": PASSWORD},
                              headers={"Referer": f"{self.host}/accounts/login/"}) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
        self.logged_in_at = time.monotonic()

    @task(4)
    def dashboard(self) -> None:
        with self.client.get(f"/o/{self.org_id}/", name="dashboard", catch_response=True) as response:
            if "株式会社スケール" not in response.text:
                response.failure("dashboard without the organisation's name")

    @task(2)
    def diagnose_and_open_results(self) -> None:
        home = self.client.get(f"/o/{self.org_id}/diagnoses/", name="diagnosis list")
        with self.client.post(f"/o/{self.org_id}/diagnoses/start/", name="start diagnosis", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf_of(home), "instrument_id": "security-action-5"}) as started:
            items = {}
            for name, value in ITEM.findall(started.text):  # the first option of each item
                items.setdefault(name, value)
            if not items:
                started.failure("no questions on the answering page")
                return
        with self.client.post(started.url, name="submit diagnosis", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf_of(started), "action": "submit", **items}) as response:
            if "/results/" not in response.url:
                response.failure(f"submitting ended at {response.url}")
                return
        with self.client.get(response.url, name="results page", catch_response=True) as results:
            if "<svg" not in results.text:
                results.failure("results without the chart")

    @task(2)
    def check_a_message(self) -> None:
        page = self.client.get(f"/o/{self.org_id}/checks/message/", name="message check page")
        with self.client.post(f"/o/{self.org_id}/checks/message/", name="check a message", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf_of(page), "kind": "sms", "text": SMS}) as response:
            if "verdict-danger" not in response.text and "verdict-caution" not in response.text:
                response.failure("the parcel SMS was not flagged")

    @task(2)
    def scan_text(self) -> None:
        page = self.client.get(f"/o/{self.org_id}/ai/", name="text scan page")
        with self.client.post(f"/o/{self.org_id}/ai/", name="scan text", catch_response=True,
                              data={"csrfmiddlewaretoken": self.csrf_of(page), "text": PROMPT}) as response:
            if 'id="ai-result-title"' not in response.text or "電話番号" not in response.text:
                response.failure("no result, or the phone number was not found")

    @task(2)
    def log_out_and_in(self) -> None:
        # At most once a minute per person: allauth allows 30 logins a minute from one address, and every
        # simulated person comes from 127.0.0.1 (20 people at once would be an office behind one NAT).
        if time.monotonic() - self.logged_in_at < 60:
            return
        page = self.client.get(f"/o/{self.org_id}/", name="dashboard")
        self.client.post("/accounts/logout/", name="log out", data={"csrfmiddlewaretoken": self.csrf_of(page)},
                         headers={"Referer": f"{self.host}/o/{self.org_id}/"})
        self.log_in()
