"""AI gateway overhead: a chat completion through sonae's gateway vs the same call straight to the
upstream, both over real HTTP on 127.0.0.1. Median of N.

    uv run python bench/gateway_bench.py [-n 300]

The upstream is the fake OpenAI-compatible server of the tests (tests/aicheck/fake_upstream.py, a
stdlib http.server thread). The gateway runs in a real waitress server (what `sonae up` uses) on a
fresh temporary SQLite database, in this process. Each round sends the same 2 KB Japanese prompt
directly and through the gateway (interleaved, keep-alive clients, warm-up not counted); the
overhead is median(gateway) − median(direct), and also the median of the per-round differences.
Two prompts: a clean one (nothing found) and one with a name, phone and mail (masked, restored).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path


def _prompt(masked: bool) -> str:
    base = ("来月の展示会に向けて、新製品の特長を三つに分けて説明する社内向けの文章を作成してください。"
            "対象は営業部の担当者で、専門用語はできるだけ避け、取引先に口頭で説明できる内容にします。")
    extra = "参考までに、問い合わせ窓口は山田太郎さん（電話 090-1234-5678、yamada@example.co.jp）です。" if masked else ""
    text = extra
    while len((text + base).encode("utf-8")) <= 2048:
        text += base
    return text


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=300, help="rounds per prompt (default 300)")
    args = parser.parse_args()
    if args.n < 1:
        parser.error("-n must be at least 1")

    os.environ["SONAE_DATA_DIR"] = tempfile.mkdtemp(prefix="sonae-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("SONAE_GATEWAY_UPSTREAM_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sonae.settings")
    os.environ.setdefault("SONAE_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    import httpx
    from django.contrib.auth import get_user_model
    from waitress import create_server

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "aicheck"))
    from fake_upstream import FakeUpstream

    from sonae.aicheck.services import gateway_token_create, gateway_upstream_save
    from sonae.orgs.services import organisation_create
    from sonae.wsgi import application

    owner = get_user_model().objects.create_user(username="bench", email="bench@example.jp", password="bench-password-123")
    org = organisation_create(owner=owner, name="ベンチ工業", corporate_number="", industry="E", employee_band="6-20", prefecture="神奈川県")
    upstream = FakeUpstream().__enter__()
    gateway_upstream_save(org=org, by=owner, base_url=upstream.url("ok"), api_key="sk-bench", allowed_models="")
    _token, plain = gateway_token_create(org=org, user=owner, name="bench")

    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    port = server.effective_port
    threading.Thread(target=server.run, daemon=True).start()

    direct = httpx.Client(base_url=upstream.url("ok"), headers={"Authorization": "Bearer sk-bench"})
    gateway = httpx.Client(base_url=f"http://127.0.0.1:{port}/v1", headers={"Authorization": f"Bearer {plain}", "Host": "localhost"})

    probe = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Host": "localhost"})
    for _ in range(10):
        probe.get("/healthz")
    health = []
    for _ in range(args.n):
        t0 = time.perf_counter()
        probe.get("/healthz")
        health.append((time.perf_counter() - t0) * 1000)
    print(f"baseline: GET /healthz through the same waitress server (Django + one SQL query): {statistics.median(health):.2f} ms")
    print(f"AI gateway overhead: median of {args.n} rounds, waitress (4 threads) + SQLite, fake upstream on 127.0.0.1, Python {sys.version.split()[0]}")
    for label, masked in (("2 KB prompt, nothing found", False), ("2 KB prompt, name+phone+mail masked", True)):
        prompt = _prompt(masked)
        body = json.dumps({"model": "fake-model", "messages": [{"role": "user", "content": prompt}]}, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        for _ in range(10):  # warm-up: connections, imports, first queries
            direct.post("/chat/completions", content=body, headers=headers)
            check = gateway.post("/chat/completions", content=body, headers=headers)
            if check.status_code != 200:
                raise SystemExit(f"gateway answered HTTP {check.status_code}: {check.text[:300]}")
        if masked:
            assert check.json()["choices"][0]["message"]["content"] == "ECHO: " + prompt, "placeholders not restored"
        d_times, g_times = [], []
        for _ in range(args.n):
            t0 = time.perf_counter()
            direct.post("/chat/completions", content=body, headers=headers)
            t1 = time.perf_counter()
            gateway.post("/chat/completions", content=body, headers=headers)
            t2 = time.perf_counter()
            d_times.append((t1 - t0) * 1000)
            g_times.append((t2 - t1) * 1000)
        diffs = [g - d for g, d in zip(g_times, d_times)]
        print(f"  {label} ({len(prompt.encode('utf-8'))} bytes): direct {statistics.median(d_times):.2f} ms, "
              f"gateway {statistics.median(g_times):.2f} ms, overhead {statistics.median(g_times) - statistics.median(d_times):.2f} ms "
              f"(median of per-round differences {statistics.median(diffs):.2f} ms, p95 {_p95(diffs):.2f} ms)")
    upstream.__exit__(None, None, None)
    os._exit(0)  # waitress' thread is a daemon; closing it mid-loop only prints noise


if __name__ == "__main__":
    main()
