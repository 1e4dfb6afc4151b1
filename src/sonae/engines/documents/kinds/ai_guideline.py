"""生成AI利用ガイドライン, following the structure of JDLA's template.

Structure from shared/reference/genai-governance-and-japanese-pii.md §1.1: 目的 / 対象とする生成AI
(whitelist) / 禁止される用途 / 構成 / データ入力の注意 (six categories) / 生成物利用の注意 (five
cautions), plus the organisation's choices listed there (responsible person, contact, review). The
入力禁止情報リスト is a list of terms the AI input checker reads (see `forbidden_terms`).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from ..fields import (
    CHOICE,
    DATE,
    GRID,
    LIST,
    TABLE,
    TEXTAREA,
    DocumentDefinition,
    Issue,
    L,
    Row,
    Section,
    get_path,
)
from ._build import choices, fld

KIND = "ai-guideline"

INPUT_RULE_CHOICES = choices(
    ("prohibited", "入力禁止", "Never input"),
    ("conditional", "条件付きで可", "Allowed with conditions"),
    ("allowed", "入力可", "Allowed"),
)

SETTING_CHOICES = choices(
    ("yes", "設定済み", "Set"),
    ("no", "未設定", "Not set"),
    ("not_applicable", "該当なし (学習に使われない契約)", "Not applicable (no training by contract)"),
)

REVIEW_CHOICES = choices(
    ("3", "3か月ごと", "Every 3 months"),
    ("6", "6か月ごと", "Every 6 months"),
    ("12", "1年ごと", "Every year"),
)

TERM_MAX = 100

SECTIONS = (
    Section(
        id="organisation",
        number="",
        title=L("制定者", "Issued by"),
        placement="signature",
        fields=(
            fld("org_name", "組織名", "Organisation", help=('文書に載せる正式な会社名です。組織の設定から入ります。', 'The official company name printed on the document; taken from the organisation settings.'), required=True, example="株式会社みなと精工"),
            fld("established_on", "制定日", "Date issued", DATE, help=('この文書を会社として定めた日です。承認した日に合わせるのが一般的です。', 'The day the company adopts this document, usually the approval date.'), required=True, example="2026-12-01"),
        ),
    ),
    Section(
        id="purpose",
        number="1",
        title=L("本ガイドラインの目的", "Purpose"),
        fields=(
            fld("text", "目的", "Purpose", TEXTAREA, required=True,
                help=("生成AIを業務で使うときに、便利さを生かしながら情報漏えいや権利侵害を防ぐ、という狙いを書きます。",
                      "Use generative AI for work while avoiding leaks and rights infringements."),
                example="当社の業務で生成AIを利用する際に、その利便性を生かしつつ、情報漏えいや権利侵害などの"
                        "問題を防ぐために守るべき事項を定める。"),
        ),
    ),
    Section(
        id="tools",
        number="2",
        title=L("本ガイドラインが対象とする生成AI", "Generative AI services covered"),
        intro=L(
            "業務で使ってよいツールだけを列挙します (許可したもの以外は使わない)。入力が学習に使われない"
            "設定 (オプトアウト) や法人向けプランにしているかも記録します。",
            "List only the tools allowed for work (whitelist) and record whether training on input is "
            "switched off or a business plan is used.",
        ),
        fields=(
            fld(
                "allowed", "利用を認める生成AI", "Allowed tools", TABLE, required=True, min_rows=1, max_rows=30,
                help=("サービス名、契約・プラン、入力の学習利用を止めているかを書きます。",
                      "Service, plan, and whether training on input is switched off."),
                columns=(
                    fld("name", "サービス名", "Service", required=True, example="ChatGPT"),
                    fld("plan", "契約・プラン", "Plan / account", required=True, example="Team (法人契約)"),
                    fld("training_opt_out", "入力の学習利用オフ", "Training on input switched off", CHOICE,
                        required=True, choices=SETTING_CHOICES, example="設定済み"),
                    fld("uses", "主な用途", "Main uses", example="文章の下書き、要約、翻訳"),
                ),
            ),
            fld(
                "allowed_uses", "業務で認める用途", "Uses allowed for work", TABLE, max_rows=60, omit_when_empty=True,
                help=("生成AIを使ってよい業務と、そのとき守ることを書きます。sonae の「生成AIの活用例」から1クリックで追加できます。",
                      "The work generative AI may be used for, and what to observe; add them in one click from sonae's use-case catalogue."),
                columns=(
                    fld("use", "用途", "Use", required=True, example="議事録の作成と共有"),
                    fld("department", "主な部署", "Main department", example="全部門（汎用業務）"),
                    fld("conditions", "守ること", "What to observe", TEXTAREA,
                        example="入力禁止情報を消してから入力する。決定事項は出席者が元のメモで確認してから配る。"),
                ),
            ),
        ),
    ),
    Section(
        id="banned_uses",
        number="3",
        title=L("生成AIの利用が禁止される用途", "Prohibited uses"),
        fields=(
            fld("items", "禁止する用途", "Prohibited uses", LIST, required=True, max_length=300,
                help=("1行に1つ書きます。", "One per line."),
                example="生成物を確認せずにそのまま顧客に送ること"),
        ),
    ),
    Section(
        id="structure",
        number="4",
        title=L("本ガイドラインの構成", "How this guideline is organised"),
        static_items=(
            L("生成AIのサービスは「利用者がデータを入力する → サービス側で処理 (保管・解析・生成・学習など) される → "
              "生成物が出力される」という流れで動きます。",
              "A service takes your input, processes it (stores, analyses, generates, may train on it) and "
              "returns output."),
            L("そのため本ガイドラインは、入力するときの注意 (5) と、生成物を使うときの注意 (6) の二つに分けて定めます。",
              "So this guideline has two parts: input (5) and output (6)."),
        ),
        fields=(),
    ),
    Section(
        id="input_rules",
        number="5",
        title=L("データ入力に際して注意すべき事項", "What to watch when entering data"),
        fields=(
            fld(
                "categories", "入力する情報の区分ごとの扱い", "Rules per category of data", GRID, required=True,
                help=("JDLAのひな形の6つの区分ごとに、入力禁止・条件付きで可・入力可を決めます。",
                      "For each of JDLA's six categories: never, with conditions, or allowed."),
                rows=(
                    Row("third_party_copyright", L("(1) 第三者が著作権を有しているデータ (他人が作成した文章等)",
                                                   "(1) Data others hold copyright in")),
                    Row("trademarks_designs", L("(2) 登録商標・意匠 (ロゴやデザイン)",
                                                "(2) Registered trademarks and designs")),
                    Row("celebrity_likeness", L("(3) 著名人の顔写真や氏名", "(3) Photos and names of famous people")),
                    Row("personal_information", L("(4) 個人情報", "(4) Personal information")),
                    Row("third_party_confidential", L("(5) 他社から秘密保持義務を課されて開示された秘密情報",
                                                      "(5) Others' confidential information under NDA")),
                    Row("own_confidential", L("(6) 自組織の機密情報", "(6) Own confidential information")),
                ),
                columns=(
                    fld("rule", "扱い", "Rule", CHOICE, required=True, choices=INPUT_RULE_CHOICES,
                        example="入力禁止"),
                    fld("note", "補足", "Note", TEXTAREA,
                        help=("条件付きの場合はその条件を書きます。", "State the conditions if conditional."),
                        example="学習に使われない設定の法人プランに限り、氏名を仮名に置き換えてから入力する。"),
                ),
            ),
            fld("forbidden_terms", "入力禁止情報リスト", "Forbidden-input list", LIST, max_length=TERM_MAX,
                help=(
                    "生成AIに入力してはいけない具体的な語 (顧客名、製品コード名、案件名など) を1行に1つ書きます。"
                    "sonae の生成AI入力チェッカーがこの語を検出します。",
                    "Concrete words never to enter (customer names, product code names, project names), one "
                    "per line. sonae's AI input checker looks for them.",
                ),
                example="プロジェクト青嵐"),
        ),
    ),
    Section(
        id="output_rules",
        number="6",
        title=L("生成物を利用するに際して注意すべき事項", "What to watch when using output"),
        fields=(
            fld(
                "cautions", "生成物の扱い", "Handling output", GRID, required=True,
                help=("5つの注意点ごとに、社内で守るルールを書きます。", "Our rule for each of the five cautions."),
                rows=(
                    Row("falsehood", L("(1) 生成物の内容に虚偽が含まれている可能性がある",
                                       "(1) Output may contain falsehoods")),
                    Row("rights", L("(2) 生成物を利用する行為が誰かの既存の権利を侵害する可能性がある",
                                    "(2) Using output may infringe existing rights")),
                    Row("no_copyright", L("(3) 生成物について著作権が発生しない可能性がある",
                                          "(3) Output may not be protected by copyright")),
                    Row("commercial_use", L("(4) 生成物を商用利用できない可能性がある",
                                            "(4) Output may not be usable commercially")),
                    Row("service_policy", L("(5) 生成AIのポリシー上の制限に注意する",
                                            "(5) Mind the service's own policies")),
                ),
                columns=(
                    fld("rule", "当社のルール", "Our rule", TEXTAREA, required=True,
                        example="事実関係・数値・固有名詞は必ず原典で確かめてから使う。"),
                ),
            ),
            fld("disclosure", "AIを使ったことの表示", "Disclosing AI use", TEXTAREA,
                help=("社外に出す文書で生成AIを使ったことを示すかどうかを決めます。",
                      "Whether documents for outside say that AI was used."),
                example="社外向けの画像に生成AIを使った場合は、その旨を表示する。"),
        ),
    ),
    Section(
        id="governance",
        number="7",
        title=L("責任者・問い合わせ先・見直し", "Responsible person, contact and review"),
        fields=(
            fld("responsible", "責任者", "Responsible person", help=('ガイドラインの運用に責任を持つ人（生成AIの責任者）の役職と氏名です。', 'Title and name of the person responsible for the guideline (the AI lead).'), required=True, example="総務部長　山手　花子"),
            fld("contact", "問い合わせ先", "Contact", help=('迷ったときや、誤って入力してしまったときに相談する窓口です。', 'Who staff ask when unsure or after entering something by mistake.'), required=True, example="総務部 内線201 / soumu@example.jp"),
            fld("review_cycle", "見直しの頻度", "Review cycle", CHOICE, required=True, choices=REVIEW_CHOICES,
                help=("生成AIは変化が速いので、半年ごとの見直しをおすすめします。",
                      "Tools change fast; every six months is a good rhythm."),
                example="6か月ごと"),
            fld("next_review", "次回見直し予定日", "Next review", DATE, help=('サービスや規約は変わるため、少なくとも年に1回は見直す日を決めます。', 'AI services and their terms change; set a review date at least once a year.'), example="2027-06-01"),
        ),
    ),
)


def normalise_term(term: str) -> str:
    """Terms are matched after NFKC (full-width letters/digits fold) and trimming."""
    return unicodedata.normalize("NFKC", term).strip()


def forbidden_terms(document: Any) -> list[str]:
    """The 入力禁止情報リスト of a guideline document: cleaned, de-duplicated, in order.

    Tolerates a partial or malformed document (returns what can be read), because the input checker
    must keep working even while a guideline is being drafted.
    """
    raw = get_path(document, "input_rules.forbidden_terms") if isinstance(document, dict) else None
    if not isinstance(raw, list):
        return []
    seen: set[str] = set()
    terms: list[str] = []
    for item in raw:
        if not isinstance(item, str):
            continue
        term = normalise_term(item)
        if not term or len(term) > TERM_MAX or any(unicodedata.category(c) == "Cc" for c in term):
            continue
        key = term.casefold()
        if key in seen:
            continue
        seen.add(key)
        terms.append(term)
    return terms


def _check_tools(doc: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    rows = get_path(doc, "tools.allowed")
    for index, row in enumerate(rows if isinstance(rows, list) else []):
        if isinstance(row, dict) and row.get("training_opt_out") == "no":
            issues.append(Issue(
                f"tools.allowed[{index}].training_opt_out",
                "入力が学習に使われる設定のままです。オプトアウトするか法人向けプランにしてください。",
                "Input may be used for training; switch it off or use a business plan.",
                severity="warning",
            ))
    return issues


def _check_terms(doc: dict[str, Any]) -> list[Issue]:
    raw = get_path(doc, "input_rules.forbidden_terms")
    if not isinstance(raw, list):
        return []
    seen: set[str] = set()
    issues: list[Issue] = []
    for index, item in enumerate(raw):
        if not isinstance(item, str) or not item.strip():
            continue
        key = normalise_term(item).casefold()
        if key in seen:
            issues.append(Issue(f"input_rules.forbidden_terms[{index}]", "同じ語が重複しています。",
                                "This term is listed twice.", severity="warning"))
        seen.add(key)
    return issues


DEFINITION = DocumentDefinition(
    kind=KIND,
    title=L("生成AI利用ガイドライン", "Generative AI Usage Guideline"),
    sections=SECTIONS,
    org_name_path="organisation.org_name",
    rules=(_check_tools, _check_terms),
)
