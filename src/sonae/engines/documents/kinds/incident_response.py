"""サイバーインシデント初動対応手順 and the one-page いざという時カード.

Items follow shared/reference/jigyokei-and-cyber-bcp.md §4.3 (first response) and §4.7 (what an SME
procedure should contain); phishing, voice phishing and support scams follow the police flyers in the
seminar text. The baseline steps are printed for every organisation (our own words); the organisation
adds its own steps and contacts.
"""

from __future__ import annotations

from ..fields import (
    CHOICE,
    DATE,
    GRID,
    MONTHS_OF_YEAR,
    TABLE,
    TEXTAREA,
    DocumentDefinition,
    L,
    Row,
    Section,
)
from ._build import PHONE_PATTERN, PHONE_REASON, choices, fld

KIND = "incident-response"

CONTACT_KIND_CHOICES = choices(
    ("it_vendor", "IT保守業者", "IT vendor"),
    ("otasuketai", "お助け隊サービス事業者", "Otasuketai service provider"),
    ("insurer", "保険会社・代理店", "Insurer / agent"),
    ("bank", "取引銀行", "Bank"),
    ("lawyer", "弁護士", "Lawyer"),
    ("customer", "主要取引先", "Key customer"),
    ("other", "その他", "Other"),
)

# Prefectures whose police cyber desk is in the contacts catalog (others use the national list).
PREFECTURE_CHOICES = choices(
    ("kanagawa", "神奈川県", "Kanagawa"),
    ("other", "その他の都道府県", "Other prefecture"),
)

RANSOMWARE_STEPS = (
    L("感染が疑われる機器のLANケーブルを抜き、Wi-Fiを切ってネットワークから切り離す。電源は切らない (記録が消えるため)。",
      "Unplug the network cable and turn off Wi-Fi of affected devices; keep the power on (evidence lives in memory)."),
    L("身代金は支払わない。払ってもデータが戻る保証はない。", "Do not pay the ransom; paying guarantees nothing."),
    L("脅迫文 (ランサムノート) の画面をスマートフォンで撮影し、発見日時・機器・発見者を記録する。",
      "Photograph the ransom note; write down when, which device and who found it."),
    L("ログを消さない・上書きしない。バックアップ装置もすぐにネットワークから外す。",
      "Keep the logs; disconnect backup devices at once."),
    L("対応責任者に報告し、IT保守業者・警察・IPA・保険会社に連絡する。個人データが漏えいしたおそれがあれば個人情報保護委員会への報告を検討する。",
      "Tell the response lead; call the IT vendor, police, IPA and insurer; consider reporting to the PPC "
      "if personal data may have leaked."),
)

PHISHING_STEPS = (
    L("メールやSMSのリンクからID・パスワードを入力してしまったら、公式サイトからすぐにパスワードを変え、多要素認証を設定する。",
      "If you typed credentials after a link, change the password via the official site and turn on MFA."),
    L("振込先の変更や急ぎの送金の依頼は、メールではなく、知っている電話番号で相手に確かめる (ビジネスメール詐欺)。",
      "Confirm any change of bank details or urgent payment by calling a number you already know (BEC)."),
    L("送金してしまったら、すぐに取引銀行に連絡して組戻しを依頼し、警察に相談する。",
      "If money was sent, call the bank at once to recall it, then the police."),
    L("受け取ったメールは削除せず、社内の担当者に報告する。", "Keep the message and report it internally."),
)

VOICE_PHISHING_STEPS = (
    L("銀行を名乗る電話でメールアドレスを聞かれても教えない。自動音声の電話にも応じない。",
      "Never give an e-mail address to a caller claiming to be the bank, automated or not."),
    L("銀行の代表番号や取引店の番号に自分からかけ直して確かめる。", "Call the bank back on its official number."),
    L("インターネットバンキングには公式サイトか公式アプリからだけログインする。メールのリンクは使わない。",
      "Log in to online banking only from the official site or app, never from a mail link."),
    L("入力してしまったら、直ちに銀行に連絡して取引を止め、警察に通報する。",
      "If you entered details, call the bank to stop transactions and report to the police."),
)

SUPPORT_SCAM_STEPS = (
    L("警告音や「ウイルスに感染」の画面が出ても、表示された番号に電話しない。", "Do not call the number on a fake virus warning."),
    L("ブラウザを閉じる (閉じられなければ再起動する)。遠隔操作ソフトを入れさせない。",
      "Close the browser (restart if it will not close); never install remote-access software."),
    L("電話してしまった・遠隔操作させた・支払った場合は、ネットワークから外し、担当者とIPA安心相談窓口に相談する。",
      "If you called, allowed remote access or paid: disconnect and consult your IT contact and IPA."),
    L("電子マネーやギフトカードでの支払いを求められたら詐欺と考える。", "A request to pay with gift cards means fraud."),
)

SCENARIOS = (
    ("ransomware", L("ランサムウェア (身代金要求型ウイルス)", "Ransomware"), RANSOMWARE_STEPS),
    ("phishing_bec", L("フィッシング・ビジネスメール詐欺", "Phishing and business e-mail compromise"),
     PHISHING_STEPS),
    ("voice_phishing", L("ボイスフィッシング (法人口座を狙う電話)", "Voice phishing against the company account"),
     VOICE_PHISHING_STEPS),
    ("support_scam", L("サポート詐欺 (偽の警告画面)", "Support scams (fake warnings)"), SUPPORT_SCAM_STEPS),
)

_PARENT_STEPS = L("5 初動対応手順", "First-response procedures")


def _scenario_section(index: int, scenario_id: str, title: L, steps: tuple[L, ...]) -> Section:
    return Section(
        id=scenario_id,
        number=f"5-{index}",
        parent=_PARENT_STEPS,
        title=title,
        static_items=steps,
        fields=(
            fld("additional", "自社で追加する手順", "Our additional steps", TEXTAREA,
                help=("基本の手順に加えて、自社の機器や業務に合わせた手順を書きます。",
                      "Steps specific to your systems and work, on top of the baseline."),
                example="本社サーバはIT保守業者の指示があるまで再起動しない。"),
        ),
    )


SECTIONS = (
    Section(
        id="organisation",
        number="",
        title=L("制定者", "Issued by"),
        fields=(
            fld("org_name", "組織名", "Organisation", help=('文書に載せる正式な会社名です。組織の設定から入ります。', 'The official company name printed on the document; taken from the organisation settings.'), required=True, example="株式会社みなと精工"),
            fld("established_on", "制定日", "Date issued", DATE, help=('この文書を会社として定めた日です。承認した日に合わせるのが一般的です。', 'The day the company adopts this document, usually the approval date.'), required=True, example="2026-12-01"),
            fld("prefecture", "本社の都道府県", "Prefecture of the head office", CHOICE, required=True,
                choices=PREFECTURE_CHOICES,
                help=("通報先の警察のサイバー犯罪相談窓口を選ぶために使います。",
                      "Used to pick the police cyber-crime desk."),
                example="神奈川県"),
        ),
    ),
    Section(
        id="scope",
        number="1",
        title=L("目的と適用範囲", "Purpose and scope"),
        fields=(
            fld("text", "目的と適用範囲", "Purpose and scope", TEXTAREA, required=True,
                help=("被害と影響を最小限にし、早く復旧して事業を続けるための手順であること、対象の拠点・システムを書きます。",
                      "Limit damage, recover fast, keep the business running; which sites and systems."),
                example="サイバー攻撃や情報漏えいが起きたときに被害を最小限に抑え、早期に業務を再開するための手順を定める。"
                        "本社工場のすべてのパソコン・サーバ・ネットワーク機器とクラウドサービスを対象とする。"),
        ),
    ),
    Section(
        id="assets",
        number="2",
        title=L("重要業務と依存するIT", "Critical work and the IT it depends on"),
        fields=(
            fld(
                "items", "重要業務", "Critical work", TABLE, max_rows=30,
                help=("止まると困る業務と、それが使うシステム・データ、いつまでに再開したいかを書きます。",
                      "Work that must not stop, the systems it uses, and when it must resume."),
                columns=(
                    fld("work", "業務", "Work", required=True, example="受発注"),
                    fld("systems", "使うシステム・データ", "Systems and data", required=True,
                        example="販売管理システム (社内サーバ)"),
                    fld("target_time", "再開の目標", "Target time to resume", example="3日以内"),
                ),
            ),
        ),
    ),
    Section(
        id="roles",
        number="3",
        title=L("体制と連絡先", "Roles and contacts"),
        fields=(
            fld(
                "people", "対応体制", "Response team", GRID, required=True,
                help=("夜間・休日もつながる電話番号を書きます。", "Phone numbers that work at night and on holidays."),
                rows=(
                    Row("chief", L("最高責任者", "Executive in charge"),
                        help=L("公表や身代金を払わない判断など、最終決定をする人。", "Makes the final decisions.")),
                    Row("lead", L("対応責任者", "Response lead"),
                        help=L("対応を指揮し、外部に連絡する人。", "Runs the response and calls outside.")),
                    Row("first_responder", L("一次対応者", "First responder"), required=False,
                        help=L("最初に報告を受け、切り離しなどを行う人。", "Receives reports and isolates devices.")),
                ),
                columns=(
                    fld("name", "氏名", "Name", required=True, example="港　太郎"),
                    fld("phone", "電話", "Phone", required=True, pattern=PHONE_PATTERN,
                        pattern_reason=PHONE_REASON, example="090-1234-5678"),
                    fld("deputy", "代理", "Deputy", example="山手　花子"),
                ),
            ),
            fld(
                "contacts", "社外の連絡先", "Outside contacts", TABLE, max_rows=30,
                help=("IT保守業者、保険会社、取引銀行など、自社の連絡先です。公的な相談窓口は自動で載ります。",
                      "Your IT vendor, insurer, bank; public hotlines are added automatically."),
                columns=(
                    fld("kind", "種別", "Kind", CHOICE, required=True, choices=CONTACT_KIND_CHOICES,
                        example="IT保守業者"),
                    fld("name", "名称・担当者", "Name", required=True, example="株式会社ヨコハマITサービス 保守窓口"),
                    fld("phone", "電話", "Phone", required=True, pattern=PHONE_PATTERN,
                        pattern_reason=PHONE_REASON, example="045-000-0000"),
                    fld("note", "備考", "Note", example="24時間受付、契約番号 A-123"),
                ),
            ),
        ),
    ),
    Section(
        id="levels",
        number="4",
        title=L("被害の大きさの判断と報告", "Judging the severity and reporting"),
        fields=(
            fld("text", "判断の基準と報告先", "Criteria and reporting lines", TEXTAREA,
                help=("顧客・取引先に影響するか、個人情報が漏れたかで、誰まで報告するかを決めておきます。",
                      "Decide who is told depending on impact on customers or leaked personal data."),
                example="取引先への納品に影響する場合、または個人情報が漏えいしたおそれがある場合は、直ちに最高責任者に報告する。"),
        ),
    ),
    *(_scenario_section(i, sid, title, steps) for i, (sid, title, steps) in enumerate(SCENARIOS, start=1)),
    Section(
        id="reporting",
        number="6",
        title=L("報告・公表", "Reporting and disclosure"),
        static_items=(
            L("個人データの漏えい (おそれを含む) が報告の対象に当たる場合は、個人情報保護委員会に報告し、本人に通知する。",
              "If a leak (or possible leak) of personal data is reportable, report to the PPC and notify the people concerned."),
            L("警察への相談、IPAへの届出、取引先・顧客への連絡、公表の要否を最高責任者が判断する。",
              "The executive decides on police, IPA, customers and public disclosure."),
        ),
        fields=(
            fld("text", "自社の報告・公表の手順", "Our reporting steps", TEXTAREA,
                help=("取引先・顧客・監督官庁へ、誰がいつどのように知らせるかを書きます。", "Who tells partners, customers and authorities, when and how."),
                example="取引先には対応責任者が電話で第一報を入れ、問い合わせ窓口を総務部に置く。"),
        ),
    ),
    Section(
        id="continuity",
        number="7",
        title=L("業務を続ける代替手段", "Keeping work going"),
        fields=(
            fld("text", "代替手段", "Alternatives", TEXTAREA,
                help=("紙での受発注、予備のパソコン、クラウドの利用など。", "Paper orders, spare PCs, cloud services."),
                example="受注は紙の注文書とFAXで受け、システム復旧後に入力する。"),
        ),
    ),
    Section(
        id="recovery",
        number="8",
        title=L("復旧", "Recovery"),
        static_items=(
            L("安全が確かめられたバックアップから復元し、復元前に侵入口となった脆弱性をふさぐ。",
              "Restore from a backup known to be clean, after closing the way in."),
            L("パスワードを一斉に変更し、再び感染していないか確認してから業務に戻す。",
              "Change passwords everywhere and check for reinfection before going back to work."),
        ),
        fields=(
            fld("text", "自社の復旧手順", "Our recovery steps", TEXTAREA,
                help=("どのシステムから、どのバックアップを使って戻すかの順番を書きます。", "In which order systems come back, and from which backup."),
                example="販売管理システム、ファイルサーバ、各パソコンの順に復元する。"),
        ),
    ),
    Section(
        id="prevention",
        number="9",
        title=L("事前対策", "Prevention"),
        fields=(
            fld("text", "事前対策", "Prevention", TEXTAREA,
                help=("オフラインを含むバックアップと復元テスト、VPN機器の更新、多要素認証、ログの保存期間など。",
                      "Offline backups and restore tests, VPN updates, MFA, log retention."),
                example="週1回、ネットワークから切り離したディスクにバックアップし、半年に1回復元テストを行う。"),
        ),
    ),
    Section(
        id="training",
        number="10",
        title=L("教育・訓練と見直し", "Training and review"),
        fields=(
            fld("training_months", "訓練 (机上演習) の実施月", "Exercise months", MONTHS_OF_YEAR, required=True,
                help=("年1回以上、ランサムウェアなどを想定した机上演習を行います。",
                      "At least one tabletop exercise a year."), example="9"),
            fld("review_months", "手順の見直し月", "Review months", MONTHS_OF_YEAR, required=True, help=('見直しや訓練を行う月を選びます。決算や繁忙期を避けた月にすると続けやすくなります。', 'Pick the months for the review; months outside busy seasons are easier to keep.'), example="3"),
        ),
    ),
)

DEFINITION = DocumentDefinition(
    kind=KIND,
    title=L("サイバーインシデント初動対応手順", "Cyber Incident First-Response Procedure"),
    sections=SECTIONS,
    org_name_path="organisation.org_name",
)

CARD_TITLE = L("いざという時カード", "In-case-of-emergency card")

# Short lines for the one-page card (our words); the full steps are in the procedure.
CARD_HEADLINE = L(
    "あわてない・ひとりで判断しない・まず報告。電源は切らずにネットワークから外す。",
    "Stay calm, don't decide alone, report first. Disconnect from the network but keep the power on.",
)
CARD_STEPS = {
    "ransomware": (
        "LANケーブルを抜く・Wi-Fiを切る (電源は切らない)",
        "身代金は払わない・犯人と連絡しない",
        "脅迫文の画面を撮影し、日時と機器を記録",
        "バックアップ装置もすぐ外す",
        "対応責任者 → IT保守業者・警察・IPAへ",
    ),
    "phishing_bec": (
        "リンク先で入力したら、公式サイトからパスワード変更",
        "振込先の変更は、知っている番号に電話して確認",
        "送金してしまったら、すぐ銀行に組戻しを依頼",
        "メールは消さずに担当者へ報告",
    ),
    "voice_phishing": (
        "銀行を名乗る電話にメールアドレスを教えない",
        "銀行の代表番号に自分からかけ直す",
        "ネットバンキングは公式アプリ・公式サイトから",
        "入力してしまったら銀行と警察へすぐ連絡",
    ),
    "support_scam": (
        "警告画面の番号に電話しない",
        "ブラウザを閉じる (無理なら再起動)",
        "遠隔操作ソフトを入れない・電子マネーで払わない",
        "操作させてしまったら、ネットワークから外して相談",
    ),
}
