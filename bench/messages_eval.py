"""Evaluate the message checker on ../shared/eval and measure its speed.

    uv run python bench/messages_eval.py [--eval-dir ../shared/eval] [--sample 3000] [--seed 7]

Data sets (see ../shared/eval/README.md for how results count):
- JPCERT/CC phishing URLs, URL-only: flagged = 危険 or 注意. Official URLs built from the brand catalog are
  the false-alarm side (flagged must stay ≤ 3 %).
- Brand-claim messages: SMS and mails written here around sampled JPCERT URLs, naming the brand given in
  the row's `description`; caught = 危険.
- Legitimate messages: SMS and mails written here for every catalog brand, with official domains only
  (plus messages from ordinary companies); false alarm = 危険.
- SpamAssassin ham (false alarm = 危険) and phishing_pot mails (caught = 危険).
Speed: one core, median of 5 runs; mail throughput is printed beside the bare stdlib limit measured in
the same run (email compat32 parse + decode of the text parts of the same files).
Nothing here touches the network: the URLs are only parsed, never opened or resolved.
"""

from __future__ import annotations

import argparse
import base64
import csv
import email
import gc
import os
import random
import statistics
import sys
import time
from email.header import Header
from email.policy import compat32
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sonae.catalog.brands import load_brands, load_risky_hosts  # noqa: E402
from sonae.engines.messages import MessageCheckError, check_mail, check_sms, check_url  # noqa: E402
from sonae.engines.messages import hostsignals, hosts, mailparse, urls  # noqa: E402

TIMEOUT_SECONDS = 2.0
FREE_MAIL = set(load_risky_hosts().free_mail.hosts)

# --- message builders ----------------------------------------------------------------------------------

PHISH_SMS = [
    "【{brand}】お客様のアカウントで不審なログインを検知しました。ご本人確認をお願いします。{url}",
    "{brand}です。ご利用料金のお支払いが確認できません。こちらからご確認ください {url}",
    "【{brand}】重要なお知らせ：ご利用を一部制限しました。詳細はこちら {url}",
    "{brand}からのお知らせ。ポイントの有効期限が近づいています。{url}",
    "{brand}カスタマーサービス：登録情報の更新をお願いいたします {url}",
    "［{brand}］ご案内があります。{url}",
    "{brand}のキャンペーンにご当選されました！受け取りはこちら→{url}",
    "{brand} 配送に関するお知らせ。お届けできなかったお荷物があります。{url}",
]
PHISH_SUBJECTS = [
    "【{brand}】ご利用確認のお願い",
    "【重要】{brand}アカウントの再認証が必要です",
    "{brand}：お支払い方法の更新のお願い",
    "<重要>【{brand}】使用制限のお知らせです",
    "{brand}からの大切なお知らせ",
    "【{brand}】ポイント付与のご案内",
]
PHISH_BODIES = [
    "{brand}をご利用いただきありがとうございます。\n\nお客様のアカウントにて不正なアクセスを検知したため、ご利用を一時的に制限しております。\n以下のURLからご本人確認をお願いいたします。\n\n{link}\n\n24時間以内にご確認いただけない場合、ご利用を停止させていただきます。\n\n{brand}",
    "いつも{brand}をご利用いただき、誠にありがとうございます。\n\nお支払い方法に問題が発生しております。お手数ですが、下記より情報の更新をお願いいたします。\n\n{link}\n\n※本メールは送信専用です。\n{brand} カスタマーセンター",
    "お客様各位\n\n{brand}よりお知らせです。\n保有ポイントの有効期限が近づいております。下記よりご確認ください。\n\n{link}\n\n今後とも{brand}をよろしくお願いいたします。",
]

LEGIT_SMS = [
    "【{name}】ご注文の商品を発送しました。配送状況はこちら {url}",
    "{name}：認証コードは {code} です。このコードを他人に教えないでください。",
    "【{name}】{month}月のご利用明細が確定しました。会員サイトでご確認いただけます {url}",
    "{name}です。ご予約ありがとうございます。予約内容：{url}",
    "【{name}】お問い合わせありがとうございました。担当より折り返しご連絡いたします。",
]
LEGIT_SUBJECTS = [
    "【{name}】{month}月ご利用明細のお知らせ",
    "【{name}】ご注文ありがとうございます",
    "【重要】{name}からのお知らせ：サービス内容の変更について",
    "{name} メールマガジン {month}月号",
    "【{name}】パスワード変更完了のお知らせ",
]
LEGIT_BODIES = [
    "{name}をご利用いただきありがとうございます。\n\n{month}月のご利用明細が確定しました。会員サイトにログインしてご確認ください。\n\n{link}\n\n※このメールは送信専用アドレスから送信しています。\nご不明な点は公式サイトのお問い合わせ窓口までご連絡ください。\n\n{name}",
    "いつも{name}をご利用いただき誠にありがとうございます。\n\nご注文いただいた商品を発送いたしました。お届け予定日は{month}月{day}日です。\n配送状況は以下からご確認いただけます。\n\n{link}\n\n今後とも{name}をよろしくお願いいたします。",
    "お客様各位\n\n平素より{name}をご愛顧いただき、誠にありがとうございます。\n{month}月{day}日より、サービス内容の一部を変更いたします。詳しくは以下をご覧ください。\n\n{link}\n\nアプリでも同じ内容をご覧いただけます。\n{name}",
    "{name}をご利用いただきありがとうございます。\n\nパスワードの変更が完了しました。お心当たりがない場合は、公式アプリまたは公式サイトからお問い合わせください。\n\n{link}\n\n{name}",
]
# Ordinary companies writing to their customers: no catalog brand, own domains (reserved example names).
SME_MAILS = [
    ("株式会社サンプル商事 経理部", "keiri@sample-shoji.co.jp", "【請求書送付】{month}月分のご請求について",
     "いつもお世話になっております。株式会社サンプル商事 経理部の田中です。\n\n{month}月分の請求書をお送りいたします。\nお支払期限は{month}月末日です。ご確認のほどよろしくお願いいたします。\n\n請求書のダウンロード：https://www.sample-shoji.co.jp/invoice/{code}\n\n株式会社サンプル商事\n〒100-0001 東京都千代田区千代田1-1\nTEL 03-1234-5678"),
    ("山田工務店", "info@yamada-koumuten.jp", "現場見学会のご案内",
     "山田工務店の山田です。\n{month}月{day}日に新築現場の見学会を開催します。\n詳細はホームページをご覧ください。\nhttps://yamada-koumuten.jp/event\n\n当店のキャンペーン情報は楽天市場やAmazonの店舗でもご覧いただけます。"),
    ("オンラインショップ花みずき", "shop@hanamizuki-shop.jp", "【花みずき】ご注文の確認",
     "この度は花みずきをご利用いただきありがとうございます。\nご注文番号：{code}\nお支払い方法：クレジットカード（VISA）\n\nご注文内容の確認：https://hanamizuki-shop.jp/mypage/order/{code}\n\nPayPayでのお支払いにも対応しております。"),
]


def _ascii_local(rng: random.Random) -> str:
    return rng.choice(["info", "support", "no-reply", "security", "account", "service", "notice"]) + str(rng.randint(1, 999))


def _encode_body(text: str, rng: random.Random, html: bool) -> tuple[str, str, bytes]:
    """Body bytes in one of the encodings Japanese mail uses."""
    charset = rng.choice(["utf-8", "iso-2022-jp", "shift_jis"])
    codec = {"utf-8": "utf-8", "iso-2022-jp": "iso2022_jp_ext", "shift_jis": "cp932"}[charset]
    data = text.encode(codec, errors="replace")
    if charset == "utf-8":
        return charset, "base64", base64.encodebytes(data)
    if charset == "shift_jis":
        return charset, "base64", base64.encodebytes(data)
    return charset, "7bit", data


def build_mail(from_name: str, from_address: str, subject: str, body_text: str, links: list[tuple[str, str]],
               rng: random.Random, *, auth: str | None = None, html: bool | None = None) -> bytes:
    html = rng.random() < 0.5 if html is None else html
    if html:
        parts = []
        for line in body_text.split("\n"):
            if line == "{link}":
                for href, shown in links:
                    parts.append(f'<p><a href="{href}">{shown}</a></p>')
            else:
                parts.append(f"<p>{line}</p>" if line else "<br>")
        content = "<html><body>" + "\n".join(parts) + "</body></html>"
        content_type = "text/html"
    else:
        content = body_text.replace("{link}", "\n".join(href for href, _ in links))
        content_type = "text/plain"
    charset, cte, data = _encode_body(content, rng, html)
    head = [
        f"From: {Header(from_name, 'utf-8').encode()} <{from_address}>",
        "To: user@example.co.jp",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        "Date: Mon, 03 Nov 2025 09:00:00 +0900",
        f"Message-ID: <{rng.randint(1, 10**12)}@{from_address.rpartition('@')[2]}>",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}; charset={charset}",
        f"Content-Transfer-Encoding: {cte}",
    ]
    if auth:
        head.insert(0, f"Authentication-Results: mx.example.co.jp; {auth}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + data


def official_url(domain: str, rng: random.Random) -> str:
    host = domain if domain.count(".") >= 2 and not domain.endswith((".co.jp", ".or.jp", ".ne.jp", ".go.jp", ".ad.jp")) else "www." + domain
    path = rng.choice(["/", "/mypage/", "/support/faq/", "/campaign/2025/", "/login", "/member/statement?id=" + str(rng.randint(1000, 9999)), "/info/news.html"])
    return f"https://{host}{path}"


# --- data loading ---------------------------------------------------------------------------------------

def load_jpcert(path: Path) -> list[tuple[str, str]]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            url = (row.get("URL") or "").strip()
            if url:
                rows.append((url, (row.get("description") or "").strip()))
    return rows


def brand_of_description(description: str) -> str | None:
    from sonae.engines.messages.knowledge import knowledge

    hits = knowledge().find_brands(description)
    return hits[0].brand_id if hits else None


# --- timing helpers -------------------------------------------------------------------------------------

class Tally:
    def __init__(self) -> None:
        self.count = 0
        self.verdicts = {"danger": 0, "caution": 0, "none": 0}
        self.errors = 0
        self.unusable = 0
        self.timeouts = 0
        self.slowest = (0.0, "")
        self.examples: dict[str, list[str]] = {"danger": [], "caution": [], "none": []}

    def run(self, label: str, func, arg) -> None:
        self.count += 1
        start = time.perf_counter()
        try:
            report = func(arg)
        except MessageCheckError:
            self.unusable += 1
            return
        except Exception as exc:  # noqa: BLE001 - the bench counts every crash
            self.errors += 1
            print(f"  EXCEPTION on {label}: {exc!r}", file=sys.stderr)
            return
        elapsed = time.perf_counter() - start
        if elapsed > TIMEOUT_SECONDS:
            self.timeouts += 1
        if elapsed > self.slowest[0]:
            self.slowest = (elapsed, label)
        self.verdicts[report.verdict] += 1
        if len(self.examples[report.verdict]) < 3:
            self.examples[report.verdict].append(label)

    def share(self, *verdicts: str) -> float:
        checked = sum(self.verdicts.values())
        return 100.0 * sum(self.verdicts[v] for v in verdicts) / checked if checked else 0.0

    def line(self, name: str, key: str) -> str:
        main = self.share("danger") if key == "danger" else self.share("danger", "caution")
        return (f"{name:<44} n={self.count:>6}  {key}={main:6.2f} %  "
                f"(危険 {self.share('danger'):.2f} % / 注意 {self.share('caution'):.2f} % / なし {self.share('none'):.2f} %)  "
                f"unusable={self.unusable} exceptions={self.errors} timeouts={self.timeouts} "
                f"slowest={self.slowest[0] * 1000:.1f} ms")


def clear_caches() -> None:
    hosts.normalise_host.cache_clear()
    hostsignals.host_report.cache_clear()
    urls.parse_url.cache_clear()
    mailparse._charset_of_content_type.cache_clear()


def bare_limit(blobs: list[bytes]) -> None:
    """The stdlib floor: compat32 parse + decode of every text part."""
    for blob in blobs:
        message = email.message_from_bytes(blob, policy=compat32)
        for part in message.walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True) or b""
                try:
                    payload.decode(part.get_content_charset() or "utf-8", errors="replace")
                except LookupError:  # unknown charset name
                    payload.decode("utf-8", errors="replace")


def median_rates(jobs: dict[str, tuple], runs: int = 5) -> dict[str, tuple[float, float]]:
    """Median rate per job over `runs` rounds, jobs interleaved round by round so that load from other
    processes falls on all of them alike. Returns (items/s by CPU time of this process, items/s by wall
    clock): CPU time is what one core spends on the work, unaffected by waiting for the CPU."""
    cpu: dict[str, list[float]] = {name: [] for name in jobs}
    wall: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, (func, items) in jobs.items():
            clear_caches()
            gc.collect()  # garbage left by the previous job is not charged to this one
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            func(items)
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start_wall)
    return {
        name: (len(items) / statistics.median(cpu[name]), len(items) / statistics.median(wall[name]))
        for name, (_, items) in jobs.items()
    }


def measure_speed(jpcert: list, blobs: list[bytes], url_sample_size: int, rng: random.Random) -> None:

    def run_checker(items: list[bytes]) -> None:
        for blob in items:
            try:
                check_mail(blob)
            except MessageCheckError:
                pass

    url_sample = [u for u, _ in rng.sample(jpcert, min(url_sample_size, len(jpcert)))]

    def run_urls(items: list[str]) -> None:
        for item in items:
            try:
                check_url(item)
            except MessageCheckError:
                pass

    # The evaluation above leaves ~1 million objects (JPCERT rows, reports) alive; frozen, the garbage
    # collector no longer walks them during the timed runs, which would charge the bench's own data to
    # whichever job happens to trigger a full collection.
    gc.collect()
    gc.freeze()
    rates = median_rates({"bare": (bare_limit, blobs), "mail": (run_checker, blobs), "url": (run_urls, url_sample)})
    gc.unfreeze()
    (bare_cpu, bare_wall), (mail_cpu, mail_wall), (url_cpu, url_wall) = rates["bare"], rates["mail"], rates["url"]
    print("\nspeed (one core, median of 5 interleaved runs, caches cleared before each run;"
          " CPU time of this process, wall clock in brackets):")
    print(f"  bare stdlib limit (compat32 parse + text decode): {bare_cpu:8.1f} mails/s  ({bare_wall:.1f})")
    print(f"  check_mail:                                       {mail_cpu:8.1f} mails/s  ({mail_wall:.1f})"
          f"  = {100 * mail_cpu / bare_cpu:.1f} % of the limit ({100 * mail_wall / bare_wall:.1f} % by wall clock)")
    print(f"  check_url:                                        {url_cpu:8.0f} URLs/s  ({url_wall:.0f})"
          f"  ({len(url_sample)} JPCERT URLs)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("eval_dir_arg", nargs="?", type=Path, metavar="EVAL_DIR",
                        help="the eval folder (default ../shared/eval from the repository root)")
    parser.add_argument("--eval-dir", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=3000, help="JPCERT rows sampled for brand-claim messages")
    parser.add_argument("--url-speed-sample", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--speed-only", action="store_true", help="only the speed measurement")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    rng = random.Random(args.seed)
    eval_dir: Path = args.eval_dir or args.eval_dir_arg or ROOT.parent / "shared" / "eval"
    if not eval_dir.is_dir():
        print(f"eval folder not found: {eval_dir}", file=sys.stderr)
        return 2
    jpcert = load_jpcert(eval_dir / "jpcert-phishurl-2019-2024.csv")
    ham_files = sorted((eval_dir / "ham-spamassassin").glob("*.eml"))
    pot_files = sorted((eval_dir / "phish-pot").glob("*.eml"))
    brands = load_brands().brands
    if args.speed_only:
        blobs = [p.read_bytes() for p in ham_files + pot_files]
        check_url("https://www.example.com/")
        measure_speed(jpcert, blobs, args.url_speed_sample, rng)
        return 0
    print(f"data: {len(jpcert)} JPCERT rows, {len(ham_files)} ham mails, {len(pot_files)} phishing_pot mails, "
          f"{len(brands)} catalog brands\n")

    start = time.perf_counter()
    check_url("https://www.example.com/")  # loads the catalog and the suffix list once
    print(f"start-up (catalog, suffix list and indexes, first call): {1000 * (time.perf_counter() - start):.0f} ms\n")

    # 1. URL-only on every JPCERT row, and official URLs of every catalog brand.
    tally = Tally()
    for url, _ in jpcert:
        tally.run(url, check_url, url)
    print(tally.line("JPCERT URLs (URL-only)", "flagged"))
    official = [official_url(d, rng) for b in brands for d in b.domains for _ in range(3)]
    tally_official = Tally()
    for url in official:
        tally_official.run(url, check_url, url)
    print(tally_official.line("official brand URLs (URL-only, false alarm)", "flagged"))
    ham_urls: list[str] = []
    from sonae.engines.messages.mailparse import parse_mail
    from sonae.engines.messages.urls import find_urls

    for path in ham_files:
        parsed = parse_mail(path.read_bytes())
        ham_urls += [a.href for a in parsed.anchors if a.href.startswith("http")]
        ham_urls += [f.url for f in find_urls(parsed.text)]
    ham_urls = sorted(set(ham_urls))
    tally_hamurl = Tally()
    for url in ham_urls:
        tally_hamurl.run(url, check_url, url)
    print(tally_hamurl.line("URLs in SpamAssassin ham (reference only)", "flagged"))

    # 2. Brand-claim messages around sampled JPCERT URLs.
    sample = rng.sample(jpcert, min(args.sample, len(jpcert)))
    sms_all, sms_cov, mail_all, mail_cov = Tally(), Tally(), Tally(), Tally()
    by_id = {b.id: b for b in brands}
    for url, description in sample:
        if not description:
            continue
        brand_id = brand_of_description(description)
        text = rng.choice(PHISH_SMS).format(brand=description, url=url)
        sms_all.run(text, check_sms, text)
        if brand_id:
            sms_cov.run(text, check_sms, text)
        host = urls.parse_url(url).host.registrable or "example.top"
        sender_domain = rng.choice([host, "mail-" + str(rng.randint(1, 999)) + ".com"])
        if brand_id and rng.random() < 0.3:
            sender_domain = by_id[brand_id].domains[0]  # the real domain, spoofed (no auth results)
        shown = rng.choice(["こちら", "ログインはこちら", url,
                            "https://" + (by_id[brand_id].domains[0] if brand_id else "www.example.co.jp") + "/"])
        mail = build_mail(description, f"{_ascii_local(rng)}@{sender_domain}", rng.choice(PHISH_SUBJECTS).format(brand=description),
                          rng.choice(PHISH_BODIES).replace("{brand}", description), [(url, shown)], rng)
        label = f"mail[{description}] {url}"
        mail_all.run(label, check_mail, mail)
        if brand_id:
            mail_cov.run(label, check_mail, mail)
    print(sms_all.line("brand-claim SMS (all sampled rows)", "danger"))
    print(sms_cov.line("brand-claim SMS (brand in catalog)", "danger"))
    print(mail_all.line("brand-claim mail (all sampled rows)", "danger"))
    print(mail_cov.line("brand-claim mail (brand in catalog)", "danger"))

    # 3. Legitimate messages: every catalog brand, official domains only; and ordinary companies.
    legit_sms, legit_mail = Tally(), Tally()
    for brand in brands:
        for template in LEGIT_SMS:
            name = rng.choice([brand.names.ja, brand.aliases[0]])
            text = template.format(name=name, url=official_url(rng.choice(brand.domains), rng),
                                   code=rng.randint(100000, 999999), month=rng.randint(1, 12))
            legit_sms.run(text, check_sms, text)
        for index in range(len(LEGIT_BODIES)):
            name = rng.choice([brand.names.ja, brand.aliases[0]])
            domain = brand.domains[0]
            fields = dict(name=name, month=rng.randint(1, 12), day=rng.randint(1, 28))
            links = [(official_url(rng.choice(brand.domains), rng), rng.choice(["こちら", "詳しくはこちら", "会員サイトへ"]))]
            auth = rng.choice([None, f"spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}; dmarc=pass header.from={domain}"])
            # Brands send from their own host names; where the brand's domain is also a free-mail service
            # (yahoo.co.jp, gmail.com) they use a sub-domain such as mail.yahoo.co.jp.
            prefix = rng.choice(["mail.", "info."]) if domain in FREE_MAIL else rng.choice(["", "mail.", "info."])
            mail = build_mail(name, f"{_ascii_local(rng)}@{prefix}{domain}",
                              rng.choice(LEGIT_SUBJECTS).format(**fields),
                              LEGIT_BODIES[index].format(link="{link}", **fields), links, rng, auth=auth)
            legit_mail.run(f"legit mail {brand.id} #{index}", check_mail, mail)
    for from_name, address, subject, body in SME_MAILS:
        for _ in range(10):
            fields = dict(month=rng.randint(1, 12), day=rng.randint(1, 28), code=rng.randint(10000, 99999))
            mail = build_mail(from_name, address, subject.format(**fields), body.format(**fields), [], rng, html=False)
            legit_mail.run(f"sme mail {address}", check_mail, mail)
    print(legit_sms.line("legitimate SMS (written here)", "danger"))
    print(legit_mail.line("legitimate mail (written here)", "danger"))

    # 4. Real mail.
    ham, pot = Tally(), Tally()
    ham_blobs = [p.read_bytes() for p in ham_files]
    pot_blobs = [p.read_bytes() for p in pot_files]
    for path, blob in zip(ham_files, ham_blobs):
        ham.run(path.name, check_mail, blob)
    for path, blob in zip(pot_files, pot_blobs):
        pot.run(path.name, check_mail, blob)
    print(ham.line("SpamAssassin ham (false alarm)", "danger"))
    print(pot.line("phishing_pot mails (caught)", "danger"))
    for name, t in (("ham danger", ham.examples["danger"]), ("legit mail danger", legit_mail.examples["danger"]),
                    ("legit SMS danger", legit_sms.examples["danger"]), ("missed mail", mail_cov.examples["none"] + mail_cov.examples["caution"]),
                    ("missed SMS", sms_cov.examples["none"] + sms_cov.examples["caution"])):
        if t:
            print(f"  e.g. {name}: {t}")
    total_errors = sum(t.errors + t.timeouts for t in (tally, tally_official, tally_hamurl, sms_all, mail_all, legit_sms, legit_mail, ham, pot))
    print(f"\nexceptions + time-outs (> {TIMEOUT_SECONDS:.0f} s) over all inputs: {total_errors}")

    if args.skip_speed:
        return 0
    # 5. Speed, one core, median of 5 runs.
    measure_speed(jpcert, ham_blobs + pot_blobs, args.url_speed_sample, rng)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
