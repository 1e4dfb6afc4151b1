"""Words employees and rule documents use for the same thing, folded to one form before indexing.

A question says 社長, お客さん, 貼り付ける, AIの答え; a rule says 経営者・代表取締役, 顧客, 入力, 生成物.
Both the passages and the question go through `canonical()` (after NFKC and case folding), so the
index and the question meet on the same word; the quoted text is never changed. The groups are
general Japanese office vocabulary around the four documents sonae writes (AI use, security,
incidents, business continuity), not tuned to one company's wording. Changing them changes the
index: `VOCABULARY_VERSION` is stored with each index so an old one is rebuilt.
"""

from __future__ import annotations

import re
from functools import lru_cache

VOCABULARY_VERSION = 1

# (the form used in the index, the other ways of saying it). Matched as substrings, longest first.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("顧客", ("お客さま", "お客様", "お客さん", "客先", "ユーザー様")),
    ("入力", ("貼り付け", "貼りつけ", "はりつけ", "貼付", "コピペ", "読み込ませ", "読ませ", "に入れ", "打ち込")),
    ("経営者", ("社長", "経営陣", "経営層", "代表取締役", "代表者", "役員")),
    ("従業員", ("社員", "職員", "スタッフ", "従業者", "メンバー")),
    ("サービス", ("ツール", "アプリ", "ソフトウェア")),
    ("生成物", ("aiの答え", "aiの回答", "aiが作った", "aiで作った", "aiが出した", "aiが書いた", "出力結果", "出力", "回答")),
    ("確認", ("確かめ", "チェック", "照合", "検証")),
    ("身代金", ("お金を払え", "金銭を要求", "金を要求")),
    ("暗号化", ("ファイルが開けない", "ファイルが開かない")),
    ("ランサムウェア", ("ランサム",)),
    ("ウイルス", ("マルウェア", "ウィルス")),
    ("パスワード", ("暗証番号", "パスコード")),
    ("送金", ("振り込み", "振込み", "振り込ん", "振込", "入金")),
    ("支払", ("払っ", "払う", "払わ", "払い", "払え")),
    ("浸水", ("水につか", "水没", "冠水")),
    ("地震", ("揺れ",)),
    ("避難", ("逃げ",)),
    ("安否", ("無事",)),
    ("教育", ("研修", "講習")),
    ("見直し", ("改定", "改訂")),
    ("事業継続力強化計画", ("bcp", "事業継続計画")),
    ("漏えい", ("漏洩", "流出", "漏れ")),
    ("個人情報", ("個人データ",)),
    ("問い合わせ", ("問合せ", "問合わせ", "問い合せ", "相談")),
    ("禁止", ("てはいけない", "てはだめ", "ちゃだめ", "はだめ", "だめ", "ダメ", "ng")),
    ("目的", ("ねらい", "狙い")),
    ("期間", ("いつからいつまで",)),
    ("商用", ("ビジネス利用", "営利")),
    ("画像", ("写真", "イラスト")),
    ("著名人", ("有名人", "芸能人", "タレント")),
    ("作成", ("書いた", "書く", "作った", "作る")),
    ("要約", ("まとめ",)),
    ("翻訳", ("訳す", "訳して")),
    ("学習", ("トレーニング",)),
    ("受注", ("注文",)),
    ("復元", ("元に戻", "戻す")),
    ("停止", ("止まっ", "止まる", "止まり", "ダウン")),
    ("連絡", ("知らせ", "伝え")),
)


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    mapping: dict[str, str] = {}
    for canonical_form, others in GROUPS:
        for other in others:
            mapping[other] = canonical_form
    alternatives = sorted(mapping, key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in alternatives)), mapping


def canonical(text: str) -> str:
    """`text` (already NFKC-normalised and case-folded) with every listed word in its index form."""
    pattern, mapping = _pattern()
    return pattern.sub(lambda m: mapping[m.group(0)], text)
