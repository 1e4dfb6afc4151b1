"""Evaluate sonae.engines.textscan on a labelled set of Japanese business prompts.

    uv run python bench/textscan_eval.py [DATA.jsonl ...]        # evaluate (default: bench/data/textscan_labelled.jsonl)
    uv run python bench/textscan_eval.py --generate OUT.jsonl    # regenerate our synthetic set (seeded)
    uv run python bench/textscan_eval.py --throughput-only

Each JSONL line: {"id", "category", "decoy": bool, "text", "spans": [{"start", "end", "type"}]}.
A prediction matches a gold span of the same type when they overlap (one to one); "exact" also
requires the same start and end. Decoy lines hold numbers that look like identifiers but are not
(wrong check digits, order/tracking numbers, amounts, dates, versions); the decoy rate is the share
of decoy lines where anything is reported as my_number or credit_card.
Throughput: default policy, one process, one core, median of 5 runs over ~2 MB of Japanese text.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sonae.engines.textscan import TYPES, scan  # noqa: E402
from sonae.engines.textscan.checkdigits import (  # noqa: E402
    corporate_number_check_digit,
    drivers_license_check_digit,
    luhn_valid,
    my_number_check_digit,
)

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "textscan_labelled.jsonl"
HANDWRITTEN_DATA = DEFAULT_DATA.with_name("textscan_handwritten.jsonl")

# ---------------------------------------------------------------------------------------------
# Generation (seeded). Positives get valid check digits computed here; decoys get wrong ones.
# ---------------------------------------------------------------------------------------------

FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
DASHES = ["-", "-", "-", "‐", "−", "ー", "－", "―"]

# Surnames: about a third are NOT in the engine's catalog list, to measure the fallback honestly.
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田",
            "佐々木", "松本", "井上", "木村", "清水", "山崎", "池田", "橋本", "石川", "前田", "藤田", "岡田",
            "長谷川", "村上", "近藤", "坂本", "遠藤", "青木", "西村", "福田", "太田", "三浦", "藤原", "松田",
            "我妻", "百瀬", "猪狩", "鬼塚", "眞鍋", "桐生", "唐沢", "外山", "喜多", "仲間", "宇佐美", "塩谷",
            "能登", "沼田", "米倉", "尾上", "箕輪", "蒲田", "柏木", "榊原", "霧島", "芹沢", "真壁", "東條"]
GIVEN = ["太郎", "花子", "健一", "美咲", "翔太", "陽子", "大輔", "由美", "誠", "恵", "拓也", "さくら", "直樹",
         "彩", "浩二", "真由美", "隆", "明美", "一郎", "優子", "亮", "香織", "修", "愛", "剛", "智子", "勇気",
         "結衣", "蓮", "陽菜"]
KANA_NAMES = [("ヤマダ", "タロウ"), ("サトウ", "ハナコ"), ("スズキ", "ケンイチ"), ("タナカ", "ミサキ"),
              ("ワガツマ", "ショウタ"), ("モモセ", "ユミ")]
ADDRESSES = [
    ("東京都", "千代田区", "丸の内"), ("東京都", "港区", "芝公園"), ("東京都", "渋谷区", "道玄坂"),
    ("東京都", "新宿区", "西新宿"), ("東京都", "八王子市", "明神町"), ("神奈川県", "横浜市西区", "みなとみらい"),
    ("神奈川県", "川崎市中原区", "小杉町"), ("大阪府", "大阪市北区", "梅田"), ("大阪府", "堺市堺区", "南瓦町"),
    ("愛知県", "名古屋市中区", "栄"), ("北海道", "札幌市中央区", "北一条西"), ("福岡県", "福岡市博多区", "博多駅前"),
    ("京都府", "京都市中京区", "烏丸通"), ("兵庫県", "神戸市中央区", "三宮町"), ("宮城県", "仙台市青葉区", "一番町"),
    ("広島県", "広島市中区", "紙屋町"), ("埼玉県", "さいたま市大宮区", "桜木町"), ("千葉県", "船橋市", "本町"),
    ("静岡県", "浜松市中央区", "鍛冶町"), ("沖縄県", "那覇市", "久茂地"), ("長野県", "松本市", "中央"),
    ("新潟県", "新潟市中央区", "万代"), ("石川県", "金沢市", "広坂"), ("熊本県", "熊本市中央区", "手取本町"),
    ("茨城県", "つくば市", "竹園"), ("岐阜県", "岐阜市", "今沢町"), ("鹿児島県", "鹿児島市", "山下町"),
]
BUILDINGS = ["サンライズビル", "第二田中ビル", "グランドハイツ", "コーポ青葉", "パークタワー", "メゾン桜",
             "ロイヤルマンション", "中央ビルディング", "駅前センタービル"]
COMPANIES = ["株式会社みらい商事", "有限会社山本工務店", "合同会社ハナミズキ", "株式会社サンプル製作所",
             "東西物流株式会社", "さくら会計事務所"]
FILLER = [
    "いつもお世話になっております。", "以下の内容を丁寧な文章に直してください。", "来週の会議資料を要約して。",
    "この件について返信メールの下書きを作ってください。", "社内向けに分かりやすく説明してほしいです。",
    "先日はありがとうございました。", "取り急ぎご連絡まで。", "よろしくお願いいたします。",
    "次の文章を英語に翻訳してください。", "箇条書きで整理してください。", "ミスがないか確認してもらえますか。",
    "2024年度の売上は前年比108%でした。", "納期は3月31日を予定しています。", "会議は10:00〜11:30です。",
]


def rdigits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def fmt_groups(rng: random.Random, digits: str, groups: list[int], allow_plain=True) -> str:
    style = rng.random()
    if allow_plain and style < 0.3:
        out = digits
    else:
        sep = rng.choice(DASHES + [" ", " ", "　"]) if style < 0.85 else "-"
        parts, i = [], 0
        for g in groups:
            parts.append(digits[i : i + g])
            i += g
        out = sep.join(parts)
    if rng.random() < 0.2:
        out = out.translate(FW)
    return out


def my_number(rng, valid=True):
    base = rdigits(rng, 11)
    cd = my_number_check_digit(base)
    if not valid:
        cd = (cd + rng.randint(1, 9)) % 10
    return fmt_groups(rng, base + str(cd), [4, 4, 4])


def corporate(rng, valid=True):
    base = rdigits(rng, 12)
    cd = corporate_number_check_digit(base)
    if not valid:
        cd = (cd % 9) + 1 if cd != 9 else 1
    return str(cd) + base


def card(rng, valid=True):
    brand = rng.choice(["visa", "visa", "mc", "mc2", "jcb", "jcb", "amex", "diners"])
    prefix, length, groups = {
        "visa": ("4", 16, [4, 4, 4, 4]),
        "mc": (str(rng.randint(51, 55)), 16, [4, 4, 4, 4]),
        "mc2": (str(rng.randint(2221, 2720)), 16, [4, 4, 4, 4]),
        "jcb": (str(rng.randint(3528, 3589)), 16, [4, 4, 4, 4]),
        "amex": (rng.choice(["34", "37"]), 15, [4, 6, 5]),
        "diners": ("36", 14, [4, 6, 4]),
    }[brand]
    body = prefix + rdigits(rng, length - len(prefix) - 1)
    for d in "0123456789":
        if luhn_valid(body + d) == valid:
            if valid or rng.random() < 0.5:
                return fmt_groups(rng, body + d, groups)
    return fmt_groups(rng, body + "0", groups)


def phone(rng):
    kind = rng.choice(["mobile", "mobile", "mobile", "tokyo", "osaka", "yokohama", "small", "ip", "free", "free2", "intl"])
    if kind == "mobile":
        d = rng.choice(["090", "080", "070"]) + rdigits(rng, 8)
        g = [3, 4, 4]
    elif kind == "tokyo":  # a local exchange never starts with 0
        d, g = "03" + str(rng.randint(2, 9)) + rdigits(rng, 7), [2, 4, 4]
    elif kind == "osaka":
        d, g = "06" + str(rng.randint(2, 9)) + rdigits(rng, 7), [2, 4, 4]
    elif kind == "yokohama":
        d, g = "045" + str(rng.randint(2, 9)) + rdigits(rng, 6), [3, 3, 4]
    elif kind == "small":
        d, g = "0" + str(rng.randint(1, 9)) + str(rng.randint(1, 9)) + str(rng.randint(1, 9)) + str(rng.randint(2, 9)) + rdigits(rng, 5), [4, 2, 4]
    elif kind == "ip":
        d, g = "050" + rdigits(rng, 8), [3, 4, 4]
    elif kind == "free":
        d, g = "0120" + rdigits(rng, 6), [4, 3, 3]
    elif kind == "free2":
        d, g = "0800" + rdigits(rng, 7), [4, 3, 4]
    else:
        mob = rng.choice(["90", "80", "3"])
        rest = str(rng.randint(2, 9)) + rdigits(rng, 7)
        sep = rng.choice(["-", " "])
        return f"+81{sep}{mob}{sep}{rest[:4]}{sep}{rest[4:]}"
    if rng.random() < 0.1 and len(g) == 3 and g[0] <= 4:
        return f"({d[:g[0]]}){d[g[0]:g[0]+g[1]]}-{d[g[0]+g[1]:]}"
    return fmt_groups(rng, d, g)


def email(rng):
    user = rng.choice(["taro.yamada", "h-sato", "k_suzuki", "info", "sales+jp", "tanaka1985", "m.ito", "support",
                       "yamamoto.ken", "a.nakamura"])
    domain = rng.choice(["example.co.jp", "mail.example.jp", "example.com", "corp.example.ne.jp", "gmail.com",
                         "sample-shoji.co.jp"])
    value = f"{user}@{domain}"
    if rng.random() < 0.08:
        value = value.translate(str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}))
    return value


def postal(rng):
    d = rdigits(rng, 7)
    r = rng.random()
    if r < 0.6:
        v = f"〒{d[:3]}-{d[3:]}"
    elif r < 0.75:
        v = f"〒{d}"
    elif r < 0.9:
        v = f"〒{d[:3]}{rng.choice(DASHES)}{d[3:]}".translate(FW if rng.random() < 0.5 else {})
    else:
        v = f"〒 {d[:3]}-{d[3:]}"
    return v


def address(rng):
    pref, city, town = rng.choice(ADDRESSES)
    a, b, c = rng.randint(1, 9), rng.randint(1, 30), rng.randint(1, 20)
    style = rng.random()
    if style < 0.45:
        block = f"{a}-{b}-{c}"
    elif style < 0.7:
        block = f"{a}丁目{b}番{c}号"
    elif style < 0.85:
        block = f"{a}丁目{b}-{c}"
    else:
        block = f"{a}-{b}"
    if rng.random() < 0.15:
        block = block.translate(FW)
    head = pref + city if rng.random() < 0.8 else city
    value = f"{head}{town}{block}"
    if rng.random() < 0.35:
        value += rng.choice([" ", ""]) + rng.choice(BUILDINGS) + rng.choice(["3F", "5階", "101号室", " 1203号室", ""])
    return value.rstrip()


def person(rng):
    s, g = rng.choice(SURNAMES), rng.choice(GIVEN)
    r = rng.random()
    if r < 0.45:
        return s + g
    if r < 0.7:
        return s + rng.choice([" ", "　"]) + g
    return s


def kana_person(rng):
    s, g = rng.choice(KANA_NAMES)
    return f"{s} {g}"


def bank(rng):
    return rdigits(rng, 7)


def passport(rng):
    return rng.choice(["T", "M"]) + rng.choice("ABCDEFGHJKLMNPRSTUZ") + rdigits(rng, 7)


def license_(rng):
    first10 = rng.choice(["30", "45", "62", "10", "50", "97"]) + f"{rng.randint(0, 99):02d}" + rdigits(rng, 6)
    return first10 + str(drivers_license_check_digit(first10)) + str(rng.choice([0, 0, 0, 1]))


def pension(rng):
    d = rdigits(rng, 10)
    return f"{d[:4]}-{d[4:]}" if rng.random() < 0.7 else d


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def rstr(rng, n, alphabet=ALNUM):
    return "".join(rng.choice(alphabet) for _ in range(n))


def secret(rng):
    kind = rng.choice(["aws", "github", "openai", "anthropic", "google", "slack", "stripe", "jwt", "pem", "pw", "pwja",
                       "dburl", "awssecret"])
    if kind == "aws":
        return "AKIA" + rstr(rng, 16, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    if kind == "github":
        return "ghp_" + rstr(rng, 36)
    if kind == "openai":
        return "sk-proj-" + rstr(rng, 48, ALNUM + "_-") + "T3BlbkFJ" + rstr(rng, 24)
    if kind == "anthropic":
        return "sk-ant-api03-" + rstr(rng, 93, ALNUM + "_-") + "AA"
    if kind == "google":
        return "AIza" + rstr(rng, 35, ALNUM + "_-")
    if kind == "slack":
        return f"xoxb-{rdigits(rng, 12)}-{rdigits(rng, 13)}-{rstr(rng, 24)}"
    if kind == "stripe":
        return "sk_live_" + rstr(rng, 24)
    if kind == "jwt":
        return "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ" + rstr(rng, 40, ALNUM + "_-") + "." + rstr(rng, 43, ALNUM + "_-")
    if kind == "pem":
        body = "\n".join(rstr(rng, 64, ALNUM + "+/") for _ in range(4))
        return f"-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----"
    return ("pw", kind)  # handled by templates that write the keyword themselves


def password_value(rng):
    return rstr(rng, rng.randint(8, 14), ALNUM) + rng.choice(["!", "#", "$", "", "%"]) + str(rng.randint(0, 99))


GEN = {
    "my_number": my_number, "corporate_number": corporate, "credit_card": card, "phone": phone, "email": email,
    "postal_code": postal, "address": address, "person_name": person, "kana_name": kana_person,
    "bank_account": bank, "passport": passport, "drivers_license": license_, "pension_number": pension,
}

# Templates: lists of literal strings and ("type", prefix-text) slots. Categories: customer notes,
# HR, invoices/payments, code/config with keys, plus general prompts.
TEMPLATES = {
    "customer": [
        "顧客メモ：{person_name}様（{company}）から電話あり。折り返しは{phone}まで。メールは{email}。",
        "{person_name}様より問い合わせ。住所変更：{postal_code} {address}。至急反映のこと。",
        "以下のクレームへの返信文を作成して。お客様名：{person_name}、連絡先：{phone}、注文番号：{order}",
        "{company}の{person_name}部長との打ち合わせ議事録をまとめて。次回は{date}。",
        "配送先 {postal_code}　{address}　{person_name} 様 TEL {phone}",
        "お客様({email})からの返品依頼です。伝票番号{tracking}で発送済み。丁寧なお詫び文をお願いします。",
        "{person_name}さんの携帯{phone}に連絡がつかないので、メール{email}宛に送る文面を考えて",
        "フリガナ：{kana_name}\n電話番号：{phone}\nご住所：{address}",
        "見積依頼：{company}様、担当{person_name}様、{phone}。金額{amount}円で提示予定。",
    ],
    "hr": [
        "新入社員{person_name}さんのマイナンバーは{my_number}です。源泉徴収票の作成手順を教えて。",
        "従業員情報：氏名 {person_name}、個人番号 {my_number}、基礎年金番号 {pension_number}",
        "{person_name}の運転免許証番号は{drivers_license}、有効期限は{date}まで。社用車の使用申請書を作って。",
        "海外出張者 {person_name}（旅券番号 {passport}）のビザ申請書類リストを作成して",
        "給与振込口座：{bank_name} {branch}支店 普通 {bank_account}（{person_name}）",
        "{person_name}課長から評価コメント。社員番号{employee}、面談は{date}。",
        "扶養家族のマイナンバー：{my_number}（妻）、{my_number}（長男）。年末調整の書き方は？",
        "緊急連絡先：{person_name}（父）{phone}、住所 {address}",
        "退職者{person_name}さんへの通知文。転居先：{postal_code}{address}",
    ],
    "invoice": [
        "請求書番号{invoice}の件、振込先は{bank_name} {branch}支店 当座 {bank_account}です。登録番号T{corporate_number}",
        "{company}（法人番号{corporate_number}）への支払いが遅れています。督促メールを作成して。",
        "カード番号{credit_card}で決済したが二重請求。有効期限{expiry}。カード会社への問い合わせ文を",
        "経費精算：{date} タクシー代{amount}円、クレジットカード（{credit_card}）払い",
        "お支払い方法：口座番号 {bank_account}（{bank_name}）。合計金額 {amount}円（税込）。",
        "インボイス登録番号：T{corporate_number}／取引先：{company}／注文番号：{order}",
        "下記カードで申し込みました：{credit_card}　名義 {kana_name}",
    ],
    "code": [
        "このPythonがエラーになる理由は？\nclient = boto3.client('s3', aws_access_key_id='{secret}')",
        "設定ファイルです。\nOPENAI_API_KEY={secret}\nDEBUG=true\nVERSION={version}",
        "GitHubのトークン {secret} を使ってcloneできません。原因を教えて。",
        "以下のYAMLを直して\nslack:\n  token: {secret}\n  channel: general",
        "鍵ファイルの中身はこれです。\n{secret}\nsshで接続できないのはなぜ？",
        "DB接続：host=db.internal user=admin password={password}",
        "社内Wi-Fiのパスワードは{password}です。案内文を作って。",
        "パスワード：{password}\nID：{email}\nこのアカウントの設定手順書を作成して",
        "curl -H 'Authorization: Bearer {secret}' https://api.example.com/v{version}/items",
        "stripeのキー{secret}でwebhookが失敗します",
        "postgres://app:{password}@db.example.com:5432/prod に接続できない",
    ],
}

DECOY_TEMPLATES = [
    "注文番号：{order12v}の商品が届きません。問い合わせ文を作成して。",
    "伝票番号 {order12v} で発送しました。お届けは{date}です。",
    "お問い合わせ番号{order12v}（ヤマト運輸）の配達状況は？",
    "注文番号 {order16v} のキャンセル処理をお願いします。",
    "受付番号：{order16v}／会員番号：{order12v}",
    "マイナンバー欄に{my_number_bad}と記入されていますが、桁を確認してください。",
    "カード番号 {credit_card_bad} はエラーになりました。",
    "売上高は{bigamount}円、前年は{bigamount}円でした。",
    "リリースは v{version}（ビルド {build}）です。",
    "日付：{date}、時刻 10:30〜12:00、会議室 3-2",
    "IPアドレス 192.168.{ip} のサーバーを再起動して",
    "品番 ABC-{short}-{short} の在庫を確認",
    "お客様各位、平素よりご愛顧を賜り誠にありがとうございます。",
    "皆様のご意見をお待ちしております。ご担当者様へ転送してください。",
    "パスワードを忘れた場合の案内文を作って。パスワードは8文字以上にしてください。",
    "請求書番号{order16v}、金額{amount}円、支払期日{date}",
    "商品コード{order13}、JAN {jan}",
    "シリアル番号 {order16v} の保証期間は？",
    "{year}年度の予算は{bigamount}円です。",
    "照会番号{order12v}でねんきん定期便を確認",
    "東京都の方針について要約してください。",
    "トークンの有効期限が切れたときの対処法を教えて",
    "バージョン{version}にアップデートしたら動かない",
    "口座開設の手順を説明してください。",
    "法人番号の調べ方を教えて。",
    "千葉支店と石川工場の在庫を確認して",
    "前田建設工業と中村屋の決算を比較してください",
    "松本市と上田駅周辺の地図を作って",
    "原因は森林火災と推定されます",
    "山口県と福島県の補助金制度を教えて",
    "東京都港区の補助金制度について教えて",
    "大阪府の最低賃金は？",
    "本田技研と吉野家の新商品を比較して",
    "ご担当者様へ。営業部より連絡です。",
    "新宿区役所へ提出する書類の一覧",
    "小林製薬の株価は{amount}円",
]


def _valid12(rng):
    base = rdigits(rng, 11)
    return base + str(my_number_check_digit(base))


def _luhn16(rng):
    body = "4" + rdigits(rng, 14)
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def decoy_value(rng, key):
    if key == "order12v":  # 12 digits that DO pass the My Number check digit: only context says "order"
        v = _valid12(rng)
        return fmt_groups(rng, v, [4, 4, 4])
    if key == "order16v":  # 16 digits that pass Luhn with a Visa prefix
        return fmt_groups(rng, _luhn16(rng), [4, 4, 4, 4])
    if key == "order13":
        return rdigits(rng, 13)
    if key == "jan":
        return "49" + rdigits(rng, 11)
    if key == "my_number_bad":
        return my_number(rng, valid=False)
    if key == "credit_card_bad":
        return card(rng, valid=False)
    if key == "bigamount":
        return f"{rng.randint(1, 999):,}{rng.randint(0, 999):03d},{rng.randint(0, 999):03d}"
    if key == "version":
        return f"{rng.randint(1, 20)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
    if key == "build":
        return rdigits(rng, 10)
    if key == "ip":
        return f"{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    if key == "short":
        return rdigits(rng, 4)
    if key == "year":
        return str(rng.randint(2019, 2027))
    return common_value(rng, key)


def common_value(rng, key):
    if key == "company":
        return rng.choice(COMPANIES)
    if key == "date":
        return rng.choice([f"{rng.randint(2024, 2027)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
                           f"{rng.randint(2024, 2027)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                           f"{rng.randint(2024, 2027)}/{rng.randint(1, 12)}/{rng.randint(1, 28)}"])
    if key == "amount":
        return f"{rng.randint(1, 9999):,}" if rng.random() < 0.5 else f"{rng.randint(10, 999)},{rng.randint(0, 999):03d}"
    if key == "order":
        return rng.choice(["ORD-", "A", "#", ""]) + rdigits(rng, rng.choice([8, 10, 12]))
    if key == "tracking":
        return fmt_groups(rng, rdigits(rng, 12), [4, 4, 4])
    if key == "invoice":
        return f"INV-{rng.randint(2024, 2027)}-{rdigits(rng, 5)}"
    if key == "employee":
        return "E" + rdigits(rng, 6)
    if key == "bank_name":
        return rng.choice(["みずほ銀行", "三菱UFJ銀行", "三井住友銀行", "りそな銀行", "横浜銀行", "城南信用金庫"])
    if key == "branch":
        return rng.choice(["渋谷", "新宿", "本店営業部", "梅田", "横浜駅前", "名古屋"])
    if key == "expiry":
        return f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}"
    if key == "version":
        return f"{rng.randint(1, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}"
    raise KeyError(key)


def render(rng, template, decoy=False):
    """Fill a template, returning text and the gold spans of the labelled slots."""
    out, spans, i = [], [], 0
    pos = 0
    while i < len(template):
        j = template.find("{", i)
        if j < 0:
            out.append(template[i:])
            break
        out.append(template[i:j])
        pos += j - i
        k = template.index("}", j)
        key = template[j + 1 : k]
        i = k + 1
        label = None
        if decoy:
            value = decoy_value(rng, key)
        elif key == "secret":
            value = secret(rng)
            while isinstance(value, tuple):
                value = secret(rng)
            label = "secret"
        elif key == "password":
            value, label = password_value(rng), "secret"
        elif key == "kana_name":
            value, label = kana_person(rng), "person_name"
        elif key in GEN:
            value, label = GEN[key](rng), key
        else:
            value = common_value(rng, key)
        start = pos
        if label == "postal_code" and value.startswith("〒"):
            start += len(value) - len(value[1:].lstrip(" "))  # the 〒 mark is not part of the code
        out.append(value)
        pos += len(value)
        if label:
            spans.append({"start": start, "end": pos, "type": label})
    return "".join(out), spans


def generate(path: Path, seed: int = 20261126, per_template: int = 12, decoys_per_template: int = 14) -> None:
    rng = random.Random(seed)
    records = []
    for category, templates in TEMPLATES.items():
        for t_index, template in enumerate(templates):
            for n in range(per_template):
                text, spans = render(rng, template)
                # Surround with ordinary prose so a scanner sees realistic context and distance.
                before = rng.choice(FILLER) if rng.random() < 0.6 else ""
                after = rng.choice(FILLER) if rng.random() < 0.6 else ""
                # A newline where a digit would touch a digit (the set must not glue numbers together).
                if after and text[-1:].isdigit() and after[0].isdigit():
                    after = "\n" + after
                shift = len(before)
                text = before + text + after
                spans = [{**s, "start": s["start"] + shift, "end": s["end"] + shift} for s in spans]
                records.append({"id": f"{category}-{t_index}-{n}", "category": category, "decoy": False,
                                "text": text, "spans": spans})
    for t_index, template in enumerate(DECOY_TEMPLATES):
        for n in range(decoys_per_template):
            text, _ = render(rng, template, decoy=True)
            records.append({"id": f"decoy-{t_index}-{n}", "category": "decoy", "decoy": True, "text": text,
                            "spans": []})
    rng.shuffle(records)
    hand_path = path.with_name("textscan_handwritten.jsonl")
    with hand_path.open("w", encoding="utf-8") as handle:
        for record in handwritten_records():
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote the hand-written prompts to {hand_path}")
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} records to {path}")


# Hand-written prompts (not from templates). Values in [[type:value]] are labelled; {MN}, {CN}, {CARD:visa}
# are replaced by values with check digits computed by code. Lines starting with "!" are decoys.
HANDWRITTEN = """
お世話になっております。[[person_name:渡邉]]様の件、折り返しは[[phone:080‐1111‐2222]]（携帯）までお願いします。
TEL [[phone:03-3333-4444]] / FAX [[phone:03-3333-4445]]　担当：[[person_name:中島]]
[[postal_code:530-0001]]（〒）[[address:大阪市北区梅田１丁目１番３号 大阪駅前第３ビル12階]]
以下、面談メモ。[[person_name:斎藤 一樹]]さん（32）、前職は商社。希望年収は600万円。
従業員の個人番号一覧：[[my_number:{MN}]]、[[my_number:{MN}]]、[[my_number:{MN}]]
マイナンバーカードの番号（[[my_number:{MN}]]）を控えました
請求先：[[address:福岡市中央区天神2-8-38]] 株式会社テスト 御中
振込先　三井住友銀行　梅田支店（店番123）　普通預金　口座番号[[bank_account:1234567]]
Slack webhookは [[secret:https://hooks.slack.com/services/T0ABCDEF1/B0GHIJKL2/AbCdEfGhIjKlMnOpQrStUvWx]] です
export ANTHROPIC_API_KEY=[[secret:{ANTHROPIC}]]
.envの中身→ STRIPE_SECRET_KEY=[[secret:sk_test_51HqLyjWDarjtT1zdp7dcAbCdEfGh]]
[[person_name:高橋]]部長へ。先方の[[person_name:小松原]]様より、見積書の再送依頼がありました。
お客様の連絡先は[[email:hanako.suzuki@example.ne.jp]]、電話は[[phone:+81-80-9876-5432]]です。
カード：[[credit_card:{CARD:jcb}]]（有効期限 09/27、名義 [[person_name:TARO YAMADA]]）
取引先の法人番号は[[corporate_number:{CN}]]、インボイス登録番号はT[[corporate_number:{CN}]]。
運転免許証（第[[drivers_license:{DL}]]号）のコピーを添付します。
年金手帳の基礎年金番号 [[pension_number:4321-098765]] を転記して
旅券番号：[[passport:TZ0123456]]、有効期限2031年5月
[[person_name:佐々木]]さんと[[person_name:小林]]さんの評価面談の日程を調整して。
宛先：[[postal_code:060-0001]] [[address:北海道札幌市中央区北1条西2丁目]] [[person_name:山口 恵子]] 様
ログイン情報 ID: admin / PW: [[secret:Tk!9wq#Lm2]]
git remote set-url origin https://[[secret:ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8]]@github.com/example/app.git
!令和6年12月31日までに提出。ISBN978-4-06-521234-5 の書籍を購入。
!JANコード4901234567894、商品番号 4111-1111-1111-1111-22
!第2四半期の売上は{MNRAW}円でした（前年比103%）。
!社員番号20240401の勤怠を集計して。内線は1234。
!郵便番号の書き方と、マイナンバーの取り扱いルールを教えて。
!お客様、皆様、ご担当者様、各位 宛の挨拶文の違いは？
!バージョン 12.4.1101 にアップデート後、エラーコード 0x80070005 が出ます。
!追跡番号 {MN} の荷物がまだ届きません
!見積書No.2024-000123、金額 1,234,567円（税込）
!注文ID：{CARDRAW}
!東京都と大阪府の最低賃金を比較して
!電話会議は 14:00-15:30、会議ID 812 3456 7890
!パスワードは12文字以上、英数字記号を含めてください。
!口座振替のお知らせ（3月分）
"""


def _handwritten_values(rng, key):
    if key == "MN":
        base = rdigits(rng, 11)
        return fmt_groups(rng, base + str(my_number_check_digit(base)), [4, 4, 4])
    if key == "MNRAW":
        base = rdigits(rng, 11)
        return base + str(my_number_check_digit(base))
    if key == "CN":
        return corporate(rng)
    if key.startswith("CARD"):
        while True:
            value = card(rng)
            if key == "CARD:jcb" and not value.startswith("35"):
                continue
            return value
    if key == "CARDRAW":
        return _luhn16(rng)
    if key == "DL":
        return license_(rng)
    if key == "ANTHROPIC":
        return "sk-ant-api03-" + rstr(rng, 93, ALNUM + "_-") + "AA"
    raise KeyError(key)


def handwritten_records(seed: int = 7) -> list[dict]:
    import re as _re

    rng = random.Random(seed)
    records = []
    for index, line in enumerate(l for l in HANDWRITTEN.strip().splitlines() if l.strip()):
        decoy = line.startswith("!")
        line = line.lstrip("!")
        line = _re.sub(r"\{([A-Z:a-z]+)\}", lambda m: _handwritten_values(rng, m.group(1)), line)
        text, spans, position = [], [], 0
        for part in _re.split(r"(\[\[[a-z_]+:.*?\]\])", line):
            m = _re.fullmatch(r"\[\[([a-z_]+):(.*?)\]\]", part)
            if m:
                spans.append({"start": position, "end": position + len(m.group(2)), "type": m.group(1)})
                part = m.group(2)
            text.append(part)
            position += len(part)
        records.append({"id": f"hand-{index}", "category": "handwritten", "decoy": decoy, "text": "".join(text),
                        "spans": spans})
    return records


# ---------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------


def load(paths: list[Path]) -> list[dict]:
    records = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            records.extend(json.loads(line) for line in handle if line.strip())
    return records


def sudachi_names():
    """Optional NER probe: person names from SudachiPy's dictionary (名詞-固有名詞-人名), merged
    姓+名 (a space between allowed). Returns a function text -> [(type, start, end)], or None."""
    try:
        from sudachipy import dictionary, tokenizer
    except ImportError:
        return None
    tok = dictionary.Dictionary(dict="core").create()
    mode = tokenizer.Tokenizer.SplitMode.C

    def names(text: str) -> list[tuple[str, int, int]]:
        spans: list[tuple[str, int, int]] = []
        current = None
        for m in tok.tokenize(text, mode):
            pos = m.part_of_speech()
            if pos[:3] == ("名詞", "固有名詞", "人名"):
                if current and text[current[2]:m.begin()].strip(" \u3000") == "":
                    current = (current[0], current[1], m.end())
                else:
                    if current:
                        spans.append(current)
                    current = ("person_name", m.begin(), m.end())
            elif current and m.surface().strip(" \u3000") == "":
                continue
            else:
                if current:
                    spans.append(current)
                current = None
        if current:
            spans.append(current)
        return spans

    return names


def evaluate(records: list[dict], show_errors: int = 0, extra=None) -> dict:
    tp, fp, fn, exact = Counter(), Counter(), Counter(), Counter()
    decoy_lines = decoy_hits = 0
    errors = []
    for record in records:
        text = record["text"]
        found = [(f.type, f.start, f.end) for f in scan(text).findings]
        if extra is not None:
            for span in extra(text):
                if not any(span[1] < e and s < span[2] for _, s, e in found):
                    found.append(span)
        gold = [(s["type"], s["start"], s["end"]) for s in record["spans"]]
        used = set()
        for g_type, g_start, g_end in gold:
            match = None
            for index, (p_type, p_start, p_end) in enumerate(found):
                if index not in used and p_type == g_type and p_start < g_end and g_start < p_end:
                    match = index
                    break
            if match is None:
                fn[g_type] += 1
                errors.append(("FN", g_type, text[g_start:g_end], record["id"], text))
            else:
                used.add(match)
                tp[g_type] += 1
                if found[match][1:] == (g_start, g_end):
                    exact[g_type] += 1
                else:
                    errors.append(("SPAN", g_type, f"{text[g_start:g_end]!r} vs {text[found[match][1]:found[match][2]]!r}",
                                   record["id"], text))
        for index, (p_type, p_start, p_end) in enumerate(found):
            if index not in used:
                fp[p_type] += 1
                errors.append(("FP", p_type, text[p_start:p_end], record["id"], text))
        if record.get("decoy"):
            decoy_lines += 1
            if any(t in ("my_number", "credit_card") for t, _, _ in found):
                decoy_hits += 1
    if show_errors:
        for kind, type_, value, rid, text in errors[:show_errors]:
            print(f"  {kind:4} {type_:16} {value!r:40} [{rid}] {text[:90]!r}")
    per_type = {}
    for type_ in TYPES:
        n_gold = tp[type_] + fn[type_]
        n_pred = tp[type_] + fp[type_]
        if not n_gold and not n_pred:
            continue
        per_type[type_] = {
            "gold": n_gold,
            "predicted": n_pred,
            "recall": tp[type_] / n_gold if n_gold else None,
            "precision": tp[type_] / n_pred if n_pred else None,
            "exact_span_recall": exact[type_] / n_gold if n_gold else None,
        }
    return {
        "records": len(records),
        "per_type": per_type,
        "decoy_lines": decoy_lines,
        "decoy_my_number_or_card_rate": decoy_hits / decoy_lines if decoy_lines else None,
    }


def throughput(records: list[dict], target_bytes: int = 2_000_000, runs: int = 5) -> dict:
    pieces, size = [], 0
    while size < target_bytes:
        for record in records:
            pieces.append(record["text"])
            size += len(record["text"].encode("utf-8")) + 1
            if size >= target_bytes:
                break
    text = "\n".join(pieces)
    n_bytes = len(text.encode("utf-8"))
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        scan(text)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    median = statistics.median(times)
    # CPU time of this process is reported too: on a busy machine wall time mostly measures the neighbours.
    return {"bytes": n_bytes, "median_seconds": median, "mb_per_s": n_bytes / 1e6 / median,
            "cpu_mb_per_s": n_bytes / 1e6 / statistics.median(cpu),
            "runs": [round(t, 4) for t in times]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--generate", type=Path, metavar="OUT")
    parser.add_argument("--errors", type=int, default=0, help="print the first N errors")
    parser.add_argument("--throughput-only", action="store_true")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sudachi", action="store_true",
                        help="probe: add SudachiPy person names to the findings (needs sudachipy + sudachidict-core)")
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return
    records = load(args.paths or [DEFAULT_DATA])
    extra = None
    if args.sudachi:
        extra = sudachi_names()
        if extra is None:
            sys.exit("sudachipy / sudachidict-core are not installed")
        start = time.process_time()
        for record in records:
            extra(record["text"])
        n_bytes = sum(len(r["text"].encode("utf-8")) for r in records)
        print(f"sudachi tokenisation alone: {n_bytes / 1e6 / (time.process_time() - start):.2f} MB/s of CPU time")
    report = {} if args.throughput_only else evaluate(records, args.errors, extra)
    report["throughput"] = throughput(records)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if not args.throughput_only:
        print(f"records: {report['records']}  (decoy lines: {report['decoy_lines']})")
        print(f"{'type':18}{'gold':>6}{'pred':>6}{'recall':>8}{'prec.':>8}{'exact':>8}")
        for type_, row in report["per_type"].items():
            fmt = lambda v: f"{v:8.3f}" if v is not None else "       -"  # noqa: E731
            print(f"{type_:18}{row['gold']:6d}{row['predicted']:6d}{fmt(row['recall'])}{fmt(row['precision'])}"
                  f"{fmt(row['exact_span_recall'])}")
        print(f"decoy lines flagged as my_number/credit_card: {report['decoy_my_number_or_card_rate']:.2%}")
    t = report["throughput"]
    print(f"throughput: {t['mb_per_s']:.2f} MB/s wall, {t['cpu_mb_per_s']:.2f} MB/s of process CPU time "
          f"(median of {len(t['runs'])} runs over {t['bytes']:,} bytes; wall runs {t['runs']})")


if __name__ == "__main__":
    main()
