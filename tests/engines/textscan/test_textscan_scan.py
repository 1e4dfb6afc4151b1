"""scan(): each finding type, decoys, Japanese boundaries, width/dash variants, masking and policy."""

from __future__ import annotations

import json

import pytest

from sonae.engines.textscan import DEFAULT_ACTIONS, TYPES, Policy, TextScanError, scan, unmask


def found(text, policy=None):
    return [(f.type, f.text) for f in scan(text, policy).findings]


def types(text, policy=None):
    return {f.type for f in scan(text, policy).findings}


# --- My Number ------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [
        ("マイナンバーは123456789018です", "123456789018"),
        ("個人番号：1234-5678-9018", "1234-5678-9018"),
        ("個人番号 1234 5678 9018 を記入", "1234 5678 9018"),
        ("個人番号は１２３４－５６７８－９０１８です", "１２３４－５６７８－９０１８"),
        ("マイナンバー（12桁の番号）：123456789018", "123456789018"),
        ("従業員一覧 山田 123456789018", "123456789018"),  # no label at all: the check digit decides
        ("マイナンバー 1234‐5678‐9018", "1234‐5678‐9018"),
        ("マイナンバー 1234−5678−9018", "1234−5678−9018"),
        ("マイナンバー 1234ー5678ー9018", "1234ー5678ー9018"),
        ("マイナンバー 1234―5678―9018", "1234―5678―9018"),
        ("扶養：621498320257（妻）", "621498320257"),
    ],
)
def test_my_number_found(text, value):
    assert ("my_number", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "マイナンバーは123456789012です",  # wrong check digit
        "注文番号：123456789018",  # right check digit, but an order number
        "伝票番号 1234-5678-9018 で発送しました",
        "お問い合わせ番号123456789018",
        "ORD-123456789018",
        "1123456789018",  # 13 digits
        "3.123456789018",  # decimals
        "123456789018abc",
        "売上は1,234,567,890,180円",
        "お客様番号 123456789018",  # a generic 番号 without マイナンバー is not enough
        "ID: 123456789018",
    ],
)
def test_my_number_decoys(text):
    assert "my_number" not in types(text)


def test_my_number_is_high_and_blocked_by_default():
    result = scan("マイナンバー 123456789018")
    (finding,) = result.findings
    assert finding.severity == "high" and finding.action == "block"
    assert result.blocked


# --- 法人番号 ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [("法人番号5835678256246", "5835678256246"), ("登録番号：T7123456789012", "7123456789012"),
     ("任天堂 1130001011420", "1130001011420")],
)
def test_corporate_number(text, value):
    result = scan(text)
    assert [(f.type, f.text, f.severity, f.action) for f in result.findings] == [
        ("corporate_number", value, "low", "warn")
    ]


@pytest.mark.parametrize("text", ["法人番号2835678256246", "XT5835678256246", "注文番号 5835678256246"])
def test_corporate_decoys(text):
    assert "corporate_number" not in types(text)


# --- cards ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value",
    ["4111111111111111", "4111-1111-1111-1111", "4111 1111 1111 1111", "５５５５５５５５５５５５４４４４",
     "3782-822463-10005", "3530111333300000", "2223000048400011", "3056 930902 5904"],
)
def test_cards(value):
    assert ("credit_card", value) in found(f"カード番号は{value}です")


@pytest.mark.parametrize(
    "text",
    ["カード番号4111111111111112", "注文番号 4111111111111111", "シリアル 4111-1111-1111-1111",
     "1234567812345670", "4111111111111111111111"],
)
def test_card_decoys(text):
    assert "credit_card" not in types(text)


def test_card_glued_to_japanese():
    # `\b` would fail here: kana and kanji are word characters in Python's re.
    assert found("お客様のカード4111111111111111で決済") == [("credit_card", "4111111111111111")]


# --- phones ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "value",
    ["090-1234-5678", "09012345678", "080 1234 5678", "070-9876-5432", "03-1234-5678", "0312345678",
     "06-6123-4567", "045-123-4567", "0466-12-3456", "01267-2-3456", "050-1234-5678", "0120-123-456",
     "0800-123-4567", "0570-012-345", "+81-90-1234-5678", "+81 3 1234 5678", "+81 (0)3-1234-5678",
     "(03)1234-5678", "03(1234)5678", "０９０－１２３４－５６７８", "090ー1234ー5678", "03−1234−5678"],
)
def test_phones(value):
    assert ("phone", value) in found(f"電話は{value}まで")


@pytest.mark.parametrize(
    "text",
    ["2024-01-15", "v1.2.3", "192.168.0.1", "1234-5678", "03-123-45678", "090-1234-567", "00-1234-5678",
     "注文番号0312345678", "¥1,234,567", "10:30-12:00"],
)
def test_phone_decoys(text):
    assert "phone" not in types(text)


def test_phone_in_brackets_excludes_the_brackets():
    assert found("山田様（090-1234-5678）") == [("person_name", "山田"), ("phone", "090-1234-5678")]
    assert found("(03)1234-5678") == [("phone", "(03)1234-5678")]


def test_phone_glued_to_tel():
    assert found("TEL03-1234-5678 FAX03-1234-5679") == [("phone", "03-1234-5678"), ("phone", "03-1234-5679")]
    assert found("ORD0312345678") == []


def test_two_phones_separated_by_space():
    assert found("TEL 03-1234-5678 090-1234-5678") == [("phone", "03-1234-5678"), ("phone", "090-1234-5678")]


# --- email, postal code ---------------------------------------------------------------------

@pytest.mark.parametrize(
    "value", ["taro.yamada@example.co.jp", "sales+jp@mail.example.com", "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "a_b-c@x-y.jp"]
)
def test_emails(value):
    assert found(f"メールは{value}へ") == [("email", value)]


@pytest.mark.parametrize("text", ["user@localhost", "@example.com", "a..b@example.com", "メール: foo@bar"])
def test_email_decoys(text):
    assert "email" not in types(text)


@pytest.mark.parametrize(
    "text, value",
    [("〒100-0001", "100-0001"), ("〒1000001", "1000001"), ("〒 100-0001", "100-0001"), ("〒１００－０００１", "１００－０００１"),
     ("郵便番号：1000001", "1000001"), ("送付先 150-0043 東京都", "150-0043")],
)
def test_postal_codes(text, value):
    assert ("postal_code", value) in found(text)


def test_bare_seven_digits_are_not_a_postal_code():
    assert "postal_code" not in types("在庫数 1000001 個")


# --- bank, passport, driver's licence, pension -------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [("みずほ銀行 渋谷支店 普通 1234567", "1234567"), ("口座番号：7654321", "7654321"), ("当座預金 0123456", "0123456"),
     ("ゆうちょ 12345-12345678", "12345-12345678"), ("三菱UFJ銀行 新宿支店 (普)1234567", "1234567"),
     ("振込先：りそな銀行 本店（当）7654321", "7654321")],
)
def test_bank_accounts(text, value):
    assert ("bank_account", value) in found(text)


def test_seven_digits_without_bank_context_are_nothing():
    assert found("在庫 1234567 個") == []


def test_passport():
    assert found("旅券番号 TK1234567") == [("passport", "TK1234567")]
    assert found("パスポート: MZ7654321") == [("passport", "MZ7654321")]
    assert "passport" not in types("品番 AB1234567")


def test_drivers_license_and_pension():
    assert found("運転免許証番号 301234567890") == [("drivers_license", "301234567890")]
    assert found("基礎年金番号：1234-567890") == [("pension_number", "1234-567890")]
    assert "pension_number" not in types("1234-567890")


# --- names and addresses --------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, value",
    [
        ("山田太郎様からお電話", "山田太郎"),
        ("山田 太郎 様", "山田 太郎"),
        ("鈴木さんに確認", "鈴木"),
        ("営業部の田中部長", "田中"),
        ("新入社員佐藤花子さん", "佐藤花子"),
        ("担当：高橋", "高橋"),
        ("氏名：我妻健一", "我妻健一"),
        ("フリガナ：ヤマダ タロウ", "ヤマダ タロウ"),
        ("出張者 山本 明美（旅券）", "山本 明美"),
        ("福田さくら様", "福田さくら"),
        ("百瀬氏によれば", "百瀬"),
    ],
)
def test_names(text, value):
    assert ("person_name", value) in found(text)


@pytest.mark.parametrize(
    "text",
    ["お客様各位", "皆様へ", "ご担当者様", "株式会社みらい商事様", "氏名欄に記入", "千葉支店の在庫", "前田建設工業の決算",
     "小林製薬の株価", "原因は不明", "山口県の補助金", "口座名義 カ）サンプル"],
)
def test_name_decoys(text):
    assert "person_name" not in types(text)


@pytest.mark.parametrize(
    "text, value",
    [
        ("東京都千代田区丸の内1-1-1", "東京都千代田区丸の内1-1-1"),
        ("大阪府大阪市北区梅田2丁目4番9号", "大阪府大阪市北区梅田2丁目4番9号"),
        ("北海道札幌市中央区北一条西9丁目11番13号", "北海道札幌市中央区北一条西9丁目11番13号"),
        ("渋谷区道玄坂1-2-3 サンライズビル5F", "渋谷区道玄坂1-2-3 サンライズビル5F"),
        ("横浜市西区みなとみらい２－２－１", "横浜市西区みなとみらい２－２－１"),
        ("住所：東京都港区", "東京都港区"),
        ("〒105-0011 東京都港区", "東京都港区"),
    ],
)
def test_addresses(text, value):
    assert ("address", value) in found(text)


@pytest.mark.parametrize("text", ["東京都の方針", "東京都港区の補助金制度", "大阪府の最低賃金", "市場調査を2-3回"])
def test_address_decoys(text):
    assert "address" not in types(text)


# --- secrets --------------------------------------------------------------------------------

KEYS = [
    "AKIAIOSFODNN7EXAMPLE",
    "ghp_" + "a1B2c3D4e5F6g7H8i9J0" * 2 + "abcd",  # 44 characters after the prefix
    "github_pat_" + "A1b2C3d4E5" * 8,
    "sk-proj-" + "Ab3_" * 20 + "T3BlbkFJ" + "xY9z" * 5,
    "sk-ant-api03-" + "Ab3-" * 23 + "xAA",
    "AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q",
    "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
]


@pytest.mark.parametrize("key", KEYS)
def test_keys_glued_to_japanese(key):
    assert found(f"キーは{key}です") == [("secret", key)]


def test_private_key_block():
    block = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nQyNTUxOQAAACDx\n-----END OPENSSH PRIVATE KEY-----"
    assert found(f"鍵です\n{block}\n接続できません") == [("secret", block)]


@pytest.mark.parametrize(
    "text, value",
    [("password: Hunter2!xyz", "Hunter2!xyz"), ("パスワードはabc123XYZです", "abc123XYZ"), ("パスワード：Pa55w0rd", "Pa55w0rd"),
     ("DB_PASSWORD=s3cr3t-Value", "s3cr3t-Value"), ("postgres://app:Sup3rS3cret@db.example.com/prod", "Sup3rS3cret"),
     ('api_key = "Zx9Qw8Er7Ty6Ui5Op4"', "Zx9Qw8Er7Ty6Ui5Op4"), ("会議のパスコード 483920", "483920")],
)
def test_passwords_and_assignments(text, value):
    assert ("secret", value) in found(text)


@pytest.mark.parametrize(
    "text",
    ["パスワードを変更してください", "password: ********", "password: <your password>", "token: placeholder_value_here",
     "トークンの有効期限", "api_key = ${API_KEY}", "sk-short", "AKIA1234", "password reset link",
     "パスワード変更の手順"],
)
def test_secret_decoys(text):
    assert "secret" not in types(text)


# --- custom terms ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "term, text, value",
    [
        ("プロジェクトX", "ぷろじぇくとXの件", "ぷろじぇくとX"),
        ("プロジェクトX", "ﾌﾟﾛｼﾞｪｸﾄX の件", "ﾌﾟﾛｼﾞｪｸﾄX"),
        ("ACME", "ａｃｍｅ社との契約", "ａｃｍｅ"),
        ("ACME", "Acme社", "Acme"),
        ("ガンダム", "ｶﾞﾝﾀﾞﾑ", "ｶﾞﾝﾀﾞﾑ"),
        ("Project Falcon", "projectfalcon と project  falcon", "projectfalcon"),
    ],
)
def test_custom_terms_variants(term, text, value):
    assert ("custom_term", value) in found(text, Policy(custom_terms=[term]))


def test_custom_term_ascii_edges():
    assert found("ACMEX and XACME", Policy(custom_terms=["ACME"])) == []


def test_custom_term_blocks_by_default():
    result = scan("次期製品コードネームは桜です", Policy(custom_terms=["桜"]))
    assert result.blocked and result.findings[0].type == "custom_term"


# --- masking, mapping, unmask ---------------------------------------------------------------

def test_mask_numbers_and_same_value_same_placeholder():
    text = "電話 03-1234-5678、再掲 0312345678、携帯 090-1111-2222"
    result = scan(text)
    assert result.masked == "電話 <電話番号_1>、再掲 <電話番号_1>、携帯 <電話番号_2>"
    assert result.mapping == {"<電話番号_1>": "03-1234-5678", "<電話番号_2>": "090-1111-2222"}


def test_offsets_are_into_the_original_text():
    text = "ｔｅｌ：０３－１２３４－５６７８　〒１００－０００１"
    for finding in scan(text).findings:
        assert text[finding.start : finding.end] == finding.text


def test_unmask_restores_values_and_tolerates_full_width_brackets():
    result = scan("山田様の電話は090-1234-5678です")
    answer = "＜氏名_１＞様には <電話番号_1> へ折り返します。<電話番号_9> は不明。"
    assert unmask(answer, result.mapping) == "山田様には 090-1234-5678 へ折り返します。<電話番号_9> は不明。"


def test_placeholder_already_in_text_is_not_reused():
    result = scan("<電話番号_1> と書かれた行、電話 090-1234-5678")
    assert result.findings[0].placeholder == "<電話番号_2>"
    assert unmask(result.masked, result.mapping) == "<電話番号_1> と書かれた行、電話 090-1234-5678"


def test_policy_masked_keeps_warn_findings():
    result = scan("法人番号5835678256246 電話090-1234-5678")
    assert result.policy_masked == "法人番号5835678256246 電話<電話番号_1>"
    assert result.masked == "法人番号<法人番号_1> 電話<電話番号_1>"


def test_to_dict_is_json_and_can_leave_text_out():
    result = scan("マイナンバー 123456789018 / 090-1234-5678")
    data = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert data["blocked"] is True and data["counts"] == {"my_number": 1, "phone": 1}
    private = json.dumps(result.to_dict(include_text=False), ensure_ascii=False)
    assert "123456789018" not in private and "090-1234-5678" not in private


# --- policy ---------------------------------------------------------------------------------

def test_policy_actions_and_enabled_types():
    policy = Policy(actions={"phone": "block"}, enabled_types={"phone"})
    result = scan("山田様 090-1234-5678 マイナンバー 123456789018", policy)
    assert [(f.type, f.action) for f in result.findings] == [("phone", "block")]
    assert set(DEFAULT_ACTIONS) == set(TYPES)


@pytest.mark.parametrize(
    "kwargs",
    [{"actions": {"phone": "delete"}}, {"actions": {"nosuch": "mask"}}, {"enabled_types": {"nosuch"}},
     {"custom_terms": [1]}, {"custom_terms": ["x" * 201]}, {"custom_terms": [f"t{i}" for i in range(2001)]}],
)
def test_bad_policy(kwargs):
    with pytest.raises(TextScanError) as info:
        Policy(**kwargs)
    assert info.value.ja and info.value.en


# --- bad input ------------------------------------------------------------------------------

def test_empty_text():
    result = scan("")
    assert result.findings == [] and result.masked == "" and not result.blocked


def test_not_a_string():
    with pytest.raises(TextScanError):
        scan(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TextScanError):
        scan("text", policy={"phone": "block"})  # type: ignore[arg-type]


def test_ten_megabytes_is_refused():
    with pytest.raises(TextScanError) as info:
        scan("あ" * 3_400_000)  # 10.2 MB of UTF-8
    assert "10 MB" in info.value.en and "10 MB" in info.value.ja


def test_lone_surrogates_do_not_crash():
    assert scan("\ud800 電話 090-1234-5678").findings[0].type == "phone"


# --- streaming unmask and policy from plain data ---------------------------------------------

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from sonae.engines.textscan import StreamUnmasker  # noqa: E402

_MAPPING = {"<電話番号_1>": "090-1234-5678", "<氏名_1>": "山田"}
_ANSWER = "<氏名_1>様には<電話番号_1>へ。＜電話番号_１＞も同じ。<不明_3> と a < b > c。"


@given(st.lists(st.integers(min_value=0, max_value=len(_ANSWER)), max_size=8))
def test_stream_unmasker_matches_unmask_for_any_split(cuts):
    points = sorted(set(cuts))
    pieces = [_ANSWER[a:b] for a, b in zip([0, *points], [*points, len(_ANSWER)])]
    unmasker = StreamUnmasker(_MAPPING)
    out = "".join(unmasker.feed(piece) for piece in pieces) + unmasker.flush()
    assert out == unmask(_ANSWER, _MAPPING)


def test_stream_unmasker_does_not_hold_plain_text():
    unmasker = StreamUnmasker(_MAPPING)
    assert unmasker.feed("こんにちは") == "こんにちは"
    assert unmasker.feed("<電話") == ""
    assert unmasker.feed("番号_1>です") == "090-1234-5678です"


def test_policy_round_trip_through_plain_data():
    policy = Policy(actions={"phone": "block"}, custom_terms=["ACME"], enabled_types={"phone", "custom_term"})
    again = Policy.from_dict(policy.to_dict())
    assert again.action_for("phone") == "block" and again.custom_terms == ("ACME",)
    assert again.enabled_types == {"phone", "custom_term"}
    assert Policy.from_dict(None) == Policy()


@pytest.mark.parametrize("data", [[], {"nosuch": 1}, {"actions": ["phone"]}, {"enabled_types": "phone"},
                                  {"actions": {"phone": "explode"}}])
def test_policy_from_bad_data(data):
    with pytest.raises(TextScanError):
        Policy.from_dict(data)
