"""事業継続力強化計画 (単独型): the fields of the e-application, in its order.

Order and contents follow the fact sheet shared/reference/jigyokei-and-cyber-bcp.md §1.3
(名称等 → 目標 → 内容 (1)〜(5) → 実施期間 → 資金). Help texts are ours. Where the fact sheet marks a
detail as unverified (timing choices, the 12/17 改修 mandatory months), the help says what to check.
"""

from __future__ import annotations

from typing import Any

from ..dates import months_inclusive, parse_month
from ..fields import (
    CHOICE,
    DATE,
    GRID,
    MONTH,
    MONTHS_OF_YEAR,
    NUMBER,
    TABLE,
    TEXT,
    TEXTAREA,
    Condition,
    DocumentDefinition,
    Issue,
    L,
    Row,
    Section,
    get_path,
)
from ._build import YES_NO, choices, fld

KIND = "jigyokei"

# 対応時期 choices as listed for the e-application's pull-down ([repo] in the fact sheet, unverified).
TIMING_CHOICES = choices(
    ("immediately", "発災直後", "Immediately"),
    ("1h", "1時間以内", "Within 1 hour"),
    ("3h", "3時間以内", "Within 3 hours"),
    ("6h", "6時間以内", "Within 6 hours"),
    ("12h", "12時間以内", "Within 12 hours"),
    ("24h", "24時間以内", "Within 24 hours"),
    ("3d", "3日以内", "Within 3 days"),
    ("1w", "1週間以内", "Within 1 week"),
    ("infection-domestic", "国内感染者発生後", "After the first domestic case"),
    ("infection-internal", "社内感染者発生後", "After the first case in the company"),
    ("other", "その他", "Other"),
)

HAZARD_CHOICES = choices(
    ("earthquake", "地震", "Earthquake"),
    ("flood", "水害 (洪水・内水・高潮)", "Flood"),
    ("landslide", "土砂災害", "Landslide"),
    ("tsunami", "津波", "Tsunami"),
    ("cyber", "サイバー攻撃", "Cyber attack"),
    ("infection", "感染症", "Infectious disease"),
    ("other", "その他", "Other"),
)

BUREAU_CHOICES = choices(
    ("hokkaido", "北海道経済産業局", "Hokkaido Bureau of Economy, Trade and Industry"),
    ("tohoku", "東北経済産業局", "Tohoku Bureau of Economy, Trade and Industry"),
    ("kanto", "関東経済産業局", "Kanto Bureau of Economy, Trade and Industry"),
    ("chubu", "中部経済産業局", "Chubu Bureau of Economy, Trade and Industry"),
    ("kinki", "近畿経済産業局", "Kinki Bureau of Economy, Trade and Industry"),
    ("chugoku", "中国経済産業局", "Chugoku Bureau of Economy, Trade and Industry"),
    ("shikoku", "四国経済産業局", "Shikoku Bureau of Economy, Trade and Industry"),
    ("kyushu", "九州経済産業局", "Kyushu Bureau of Economy, Trade and Industry"),
    ("okinawa", "内閣府沖縄総合事務局", "Okinawa General Bureau"),
)

MAX_PERIOD_MONTHS = 36  # 実施期間は3年以内 (fact sheet §1.2)

_KANA = r"^[ァ-ヴー・　 ０-９0-9Ａ-Ｚａ-ｚA-Za-z＆&（）()．.，,－-]+$"

_IMPACT_HELP = "災害が起きたとき、この観点で何が起き、事業がどう止まるかを具体的に書きます。"

SECTIONS = (
    Section(
        id="cover",
        number="",
        title=L("申請者情報 (表紙)", "Applicant (cover)"),
        fields=(
            fld(
                "bureau", "申請先", "Submitted to", CHOICE, choices=BUREAU_CHOICES,
                help=(
                    "本社所在地を管轄する経済産業局です。電子申請では所在地から自動で決まります。",
                    "The regional METI bureau for the head office; the e-application sets it from the address.",
                ),
                example="関東経済産業局",
            ),
            fld("postal_code", "郵便番号", "Postal code", required=True,
                pattern=r"^\d{3}-?\d{4}$",
                pattern_reason=L("郵便番号は 231-0023 の形で入力してください。",
                                 "Write the postal code as 231-0023."),
                help=("登記上の本社の郵便番号です。", "Postal code of the registered head office."),
                example="231-0023"),
            fld("prefecture", "都道府県", "Prefecture", required=True, example="神奈川県",
                help=("登記簿どおりに書きます。", "As registered.")),
            fld("city", "市区町村", "City", required=True, example="横浜市中区",
                help=("登記簿どおりに書きます。", "As registered.")),
            fld("street", "字・番地等", "Street and number", required=True, example="山下町1-2-3",
                help=("登記簿どおりに書きます。", "As registered.")),
            fld("building", "マンション名等", "Building", example="",
                help=("あれば書きます。", "If any.")),
        ),
    ),
    Section(
        id="name",
        number="1",
        title=L("名称等", "Name and details"),
        fields=(
            fld("applicant_type", "申請種別", "Type of applicant", CHOICE, required=True,
                choices=choices(("corporation", "法人", "Corporation"),
                                ("sole_proprietor", "個人事業主", "Sole proprietor")),
                help=("会社なら法人、個人で事業をしているなら個人事業主です。",
                      "A company is a corporation; a person in business is a sole proprietor."),
                example="法人"),
            fld("name", "事業者の氏名又は名称", "Name of the business", required=True,
                help=("登記上の正式な名称を、株式会社なども含めて書きます。",
                      "The full registered name, including the company type."),
                example="株式会社みなと精工"),
            fld("name_kana", "フリガナ", "Name in katakana", required=True,
                pattern=_KANA,
                pattern_reason=L("フリガナは全角カタカナで入力してください。",
                                 "Write the reading in full-width katakana."),
                help=("全角カタカナで書きます。書き忘れが多い欄です。",
                      "Full-width katakana; this field is often forgotten."),
                example="カブシキガイシャミナトセイコウ"),
            fld("representative_title", "代表者の役職", "Representative's title", required=True,
                help=("個人事業主の場合は「代表」です。", "For a sole proprietor: 代表."),
                example="代表取締役"),
            fld("representative_name", "代表者の氏名", "Representative's name", required=True,
                help=("姓と名の間に全角スペースを入れます。",
                      "Put a full-width space between family and given name."),
                example="港　太郎"),
            fld("capital_yen", "資本金又は出資の額 (円)", "Capital (yen)", NUMBER,
                min_value=0, max_value=10**13, integer=True,
                help=("中小企業者に当たるかの判定に使われます。個人事業主は空欄で構いません。",
                      "Used to decide whether the business is an SME; may be empty for a sole proprietor."),
                example="10000000"),
            fld("employees", "常時使用する従業員の数 (人)", "Regular employees", NUMBER, required=True,
                min_value=0, max_value=10**6, integer=True,
                help=("役員やパートを含めるかは手引きの定義に従います。",
                      "Count as the guide defines regular employees."),
                example="20"),
            fld("industry", "業種 (日本標準産業分類)", "Industry (JSIC)", required=True,
                help=("日本標準産業分類の大分類から細分類までを書きます。",
                      "The Japan Standard Industrial Classification, from division to detail."),
                example="製造業 / 金属製品製造業 / 金属素形材製品製造業"),
            fld("corporate_number", "法人番号", "Corporate number", pattern=r"^\d{13}$",
                pattern_reason=L("法人番号は13桁の数字です。", "The corporate number has 13 digits."),
                help=("13桁の番号です。電子申請ではGビズIDから自動で入ります。",
                      "13 digits; the e-application fills it from the GBizID account."),
                example="7123456789012"),
            fld("established_on", "設立年月日", "Date of establishment", DATE,
                help=("登記簿の設立年月日です。", "As registered."), example="1985-04-01"),
        ),
    ),
    Section(
        id="goals",
        number="2",
        title=L("事業継続力強化の目標", "Goals of strengthening business continuity"),
        fields=(
            fld("business_overview", "自社の事業活動の概要", "Overview of the business", TEXTAREA,
                required=True,
                help=(
                    "誰に何をどう提供しているかに加えて、サプライチェーンや地域の中で自社が担う役割を必ず書きます。"
                    "止まったとき取引先や地域にどんな影響が出るかも書くと伝わります。",
                    "Say what you provide to whom, and always your role in the supply chain or the region, "
                    "and what happens to customers and the region if you stop.",
                ),
                example="自動車部品メーカー向けに精密金属部品を製造している。主要取引先3社の量産ラインに部品を供給しており、"
                        "当社が止まると取引先の生産も止まる。地域では従業員の雇用を担っている。"),
            fld("purpose", "事業継続力強化に取り組む目的", "Purpose", TEXTAREA, required=True,
                help=(
                    "何のために備えるのかを書きます。従業員とその家族を守ること、顧客への供給責任、地域経済への"
                    "影響などの観点から、2〜3点にまとめると読みやすくなります。",
                    "Why you prepare: staff and their families, duty to supply customers, the local economy; "
                    "two or three points read well.",
                ),
                example="1. 従業員とその家族の安全を守る。2. 取引先への部品供給を早期に再開する。3. 地域の雇用を守る。"),
            fld(
                "hazards", "事業活動に影響を与える自然災害等の想定と影響", "Assumed hazards and their impact",
                TABLE, required=True, min_rows=1, max_rows=10, layout="records",
                help=(
                    "ハザードマップ等で所在地のリスクを確かめ、災害ごとに想定と出典を書き、人員・建物設備・資金繰り・"
                    "情報・その他の観点で影響を書きます。サイバー攻撃もここに書きます。",
                    "Check the site's risks on hazard maps; per hazard give the assumption, its source and the "
                    "impact on people, buildings, cash flow, information and other. Cyber attacks go here too.",
                ),
                columns=(
                    fld("hazard", "災害等の種類", "Hazard", CHOICE, required=True, choices=HAZARD_CHOICES,
                        example="地震"),
                    fld("assumption", "想定", "Assumption", TEXTAREA, required=True,
                        help=("どの程度の災害が起き得るかを、確率や震度・浸水深などで具体的に書きます。",
                              "How severe it can be: probability, seismic intensity, flood depth."),
                        example="今後30年以内に震度6弱以上の揺れに見舞われる確率が高い地域にある。"),
                    fld("source", "想定の出典", "Source of the assumption", TEXT, required=True,
                        help=("J-SHIS 地震ハザードステーション、重ねるハザードマップ、市のハザードマップなど。",
                              "J-SHIS, the GSI hazard map portal, the city's hazard map, police advisories."),
                        example="J-SHIS 地震ハザードステーション (2026年11月確認)"),
                    fld("impact_people", "影響: 人員", "Impact: people", TEXTAREA, required=True,
                        help=(_IMPACT_HELP, "What happens to staff."),
                        example="公共交通機関が止まり、従業員の半数が出社できない。"),
                    fld("impact_facilities", "影響: 建物・設備", "Impact: buildings and equipment", TEXTAREA,
                        required=True, help=(_IMPACT_HELP, "What happens to buildings and machines."),
                        example="停電で加工機が止まる。"),
                    fld("impact_funds", "影響: 資金繰り", "Impact: cash flow", TEXTAREA, required=True,
                        help=(_IMPACT_HELP, "What happens to cash flow."),
                        example="1か月の操業停止で運転資金が不足する。"),
                    fld("impact_information", "影響: 情報", "Impact: information", TEXTAREA, required=True,
                        help=(_IMPACT_HELP, "What happens to data and systems."),
                        example="受発注データが失われる。"),
                    fld("impact_other", "影響: その他", "Impact: other", TEXTAREA,
                        help=("取引先・地域・賠償など、他の観点があれば書きます。",
                              "Customers, region, liability, if relevant.")),
                ),
            ),
        ),
    ),
    Section(
        id="initial_response",
        number="(1)",
        parent=L("3 事業継続力強化の内容", "Measures"),
        title=L("自然災害等が発生した場合における対応手順", "First response when a disaster strikes"),
        intro=L(
            "人命の安全確保・緊急時体制・被害状況の把握の3行は必須です。サイバー攻撃を想定する場合は、"
            "感染機器の切り離しや通報も書き込みます。",
            "The first three rows are mandatory. If you assume a cyber attack, include isolating infected "
            "devices and reporting.",
        ),
        fields=(
            fld(
                "steps", "初動対応", "First-response table", GRID, required=True,
                help=("行ごとに、何をするか・いつまでにするか・そのために事前に何を備えるかを書きます。",
                      "Per row: what is done, by when, and what you prepare in advance."),
                rows=(
                    Row("life_safety", L("人命の安全確保", "Safety of people"),
                        help=L("避難の方法と安否確認の方法を両方書きます。",
                               "Give both how people evacuate and how you confirm they are safe.")),
                    Row("emergency_structure", L("非常時の緊急時体制の構築", "Emergency organisation"),
                        help=L("誰を責任者として、いつ、どんな体制を立ち上げるかを書きます。",
                               "Who leads, when, and which team is set up.")),
                    Row("damage_assessment", L("被害状況の把握・被害情報の共有",
                                               "Assessing and sharing damage"),
                        help=L("自社の被害の確かめ方と、取引先・関係機関への連絡を書きます。",
                               "How you check the damage and whom you inform.")),
                    Row("other", L("その他の取組", "Other"), required=False,
                        help=L("地域貢献など、あれば書きます。", "E.g. helping the neighbourhood.")),
                ),
                columns=(
                    fld("content", "初動対応の内容", "What is done", TEXTAREA, required=True,
                        example="従業員は工場裏の駐車場に避難する。安否確認サービスで全員の安否を確認する。"),
                    fld("timing", "発災後の対応時期", "When", CHOICE, required=True, choices=TIMING_CHOICES,
                        help=("選択肢は電子申請のプルダウンに合わせています。申請前に画面で確かめてください。",
                              "Choices follow the e-application's pull-down; check them on screen."),
                        example="発災直後"),
                    fld("preparation", "事前対策の内容", "Preparation in advance", TEXTAREA, required=True,
                        example="避難訓練を年1回行う。安否確認サービスを導入し登録する。"),
                ),
            ),
        ),
    ),
    Section(
        id="measures",
        number="(2)",
        parent=L("3 事業継続力強化の内容", "Measures"),
        title=L("事業継続力強化に資する対策及び取組", "Measures that strengthen business continuity"),
        intro=L(
            "ヒト・モノ・カネ・情報の4つについて、いま出来ていることと、これからやることを書きます。",
            "For people, things, money and information: what you do now and what you will do.",
        ),
        fields=(
            fld(
                "table", "対策及び取組", "Measures", GRID, required=True,
                help=("A〜Dのそれぞれに、現在の取組と今後の計画を書きます。",
                      "For each of A–D, what you do now and what you plan."),
                rows=(
                    Row("A", L("A 自然災害等が発生した場合における人員体制の整備", "A Staffing"),
                        help=L("参集できる人の決め方、多能工化、連絡網など。",
                               "Who can come in, multi-skilling, call trees.")),
                    Row("B", L("B 事業継続力強化に資する設備、機器及び装置の導入", "B Equipment"),
                        help=L("耐震補強、発電機、止水板、オフラインバックアップ装置など。税制を使う設備もここに書きます。",
                               "Seismic work, generators, flood barriers, offline backup devices; "
                               "tax-measure equipment also goes here.")),
                    Row("C", L("C 事業活動を継続するための資金の調達手段の確保", "C Funding"),
                        help=L("損害保険、サイバー保険、共済、緊急時の融資枠など。",
                               "Insurance incl. cyber insurance, mutual aid, standby credit lines.")),
                    Row("D", L("D 事業活動を継続するための重要情報の保護", "D Protecting important information"),
                        help=L("バックアップの取り方と保管場所、復元テスト、ログの保管など。",
                               "How and where you back up, restore tests, log keeping.")),
                ),
                columns=(
                    fld("current", "現在の取組", "Current measures", TEXTAREA, required=True,
                        example="重要データを毎日NASにバックアップしている。"),
                    fld("future", "今後の計画", "Planned measures", TEXTAREA, required=True,
                        example="ネットワークから切り離したバックアップを週1回取り、半年に1回復元テストを行う。"),
                ),
            ),
        ),
    ),
    Section(
        id="equipment",
        number="(3)",
        parent=L("3 事業継続力強化の内容", "Measures"),
        title=L("事業継続力強化設備等の種類", "Equipment for the tax measure"),
        intro=L(
            "中小企業防災・減災投資促進税制を使う場合だけ記入します。設備は認定の後に取得する必要があります。",
            "Fill in only if you use the disaster-prevention investment tax measure; buy the equipment "
            "after certification.",
        ),
        fields=(
            fld("tax_measure_used", "税制措置を利用する", "Use the tax measure", CHOICE, required=True,
                choices=YES_NO,
                help=("特別償却を使う予定がなければ「いいえ」です。",
                      "Answer no unless you plan to use the special depreciation."),
                example="いいえ"),
            fld(
                "items", "設備等", "Equipment", TABLE, max_rows=30,
                required_when=Condition("equipment.tax_measure_used", "yes"),
                only_when=Condition("equipment.tax_measure_used", "yes"),
                help=("取得価額の下限 (機械装置100万円以上など) を満たすか税理士と確かめてください。",
                      "Check the minimum prices (e.g. machinery ≥ 1 million yen) with your tax adviser."),
                columns=(
                    fld("name_model", "設備等の名称・型式", "Name and model", required=True,
                        example="非常用発電機 XG-3000"),
                    fld("acquired_month", "取得年月", "Month of acquisition", MONTH, required=True,
                        example="2027-06"),
                    fld("location", "所在地", "Location", required=True, example="横浜市中区山下町1-2-3 本社工場"),
                    fld("unit_price", "単価 (円)", "Unit price (yen)", NUMBER, required=True, min_value=0,
                        max_value=10**12, integer=True, example="1500000"),
                    fld("quantity", "数量", "Quantity", NUMBER, required=True, min_value=1, max_value=10**6,
                        integer=True, example="1"),
                ),
            ),
        ),
    ),
    Section(
        id="cooperators",
        number="(4)",
        parent=L("3 事業継続力強化の内容", "Measures"),
        title=L("事業継続力強化の実施に協力する者の名称等", "Cooperating parties"),
        intro=L("任意です。同業他社、取引銀行、商工会議所、保険代理店、IT保守業者など。",
                "Optional: peers, your bank, the chamber of commerce, insurance agent, IT vendor."),
        fields=(
            fld(
                "items", "協力者", "Cooperators", TABLE, max_rows=20,
                help=("協力してもらう相手と、その協力の内容を書きます。", "Who helps you and how."),
                columns=(
                    fld("name", "名称", "Name", required=True, example="株式会社ヨコハマITサービス"),
                    fld("address", "住所", "Address", example="横浜市西区みなとみらい2-2-2"),
                    fld("representative", "代表者の氏名", "Representative", help=('協力者（会社・団体）の代表者の氏名です。', 'Name of the cooperating organisation\'s representative.'), example="山手　花子"),
                    fld("content", "協力の内容", "What they do", TEXTAREA, required=True,
                        example="サイバー攻撃を受けたときの初動支援と、バックアップからの復旧を行う。"),
                ),
            ),
        ),
    ),
    Section(
        id="effectiveness",
        number="(5)",
        parent=L("3 事業継続力強化の内容", "Measures"),
        title=L(
            "平時の推進体制の整備、訓練及び教育の実施その他の事業継続力強化の実効性を確保するための取組",
            "Keeping the plan effective: organisation, training, education and review",
        ),
        intro=L(
            "経営者が関わる推進体制、年1回以上の訓練・教育、年1回以上の計画の見直しを必ず書きます。"
            "実施する月と社内への周知方法も書いてください。",
            "Always state the management-led organisation, training and education at least yearly, and a "
            "plan review at least yearly, with the months and how staff are told.",
        ),
        fields=(
            fld("structure", "平時の推進体制", "Organisation in normal times", TEXTAREA, required=True,
                help=("経営者が責任者となり、誰がどう進めるかを書きます。",
                      "The owner leads; say who drives the work and how."),
                example="代表取締役を責任者とし、総務部長を事務局として四半期ごとに進捗を確認する。"),
            fld("training", "訓練及び教育の内容", "Training and education", TEXTAREA, required=True,
                help=("訓練 (避難・安否確認・サイバー攻撃の机上演習など) と教育の両方を書きます。",
                      "Both drills (evacuation, roll call, a cyber tabletop exercise) and education."),
                example="年1回、避難・安否確認訓練とランサムウェアを想定した机上演習を行う。"),
            fld("training_months", "訓練・教育の実施月", "Training months", MONTHS_OF_YEAR, required=True,
                help=("毎年実施する月を選びます。", "Months of the year when it happens."), example="9"),
            fld("review", "計画の見直し", "Plan review", TEXTAREA, required=True,
                help=("年1回以上、訓練の結果を踏まえて計画を見直すことを書きます。",
                      "Review at least yearly, using what the drills taught."),
                example="訓練の結果を踏まえ、年1回、経営会議で計画を見直す。"),
            fld("review_months", "見直しの実施月", "Review months", MONTHS_OF_YEAR, required=True, help=('見直しや訓練を行う月を選びます。決算や繁忙期を避けた月にすると続けやすくなります。', 'Pick the months for the review; months outside busy seasons are easier to keep.'),
                example="3"),
            fld("communication", "社内への周知方法", "How staff are told", TEXTAREA, required=True,
                help=("朝礼、掲示、社内チャットなど、計画を従業員に知らせる方法です。",
                      "Morning meeting, notice board, chat."),
                example="計画の要点を朝礼で説明し、休憩室に掲示する。"),
        ),
    ),
    Section(
        id="period",
        number="",
        title=L("計画の実施期間", "Implementation period"),
        intro=L("3年以内で設定します。", "At most three years."),
        fields=(
            fld("start", "開始年月", "Start month", MONTH, required=True, example="2027-01",
                help=("認定の見込みから逆算し、申請から45日程度先を目安にします。",
                      "Processing takes about 45 days; start after that.")),
            fld("end", "終了年月", "End month", MONTH, required=True, example="2029-12",
                help=("開始月を含めて36か月以内です。", "At most 36 months including the start month.")),
        ),
    ),
    Section(
        id="funding",
        number="",
        title=L(
            "事業継続力強化を実施するために必要な資金の額及びその調達方法",
            "Funds needed and how they are raised",
        ),
        intro=L("(3) の設備投資額と合うように書きます。", "Keep consistent with the equipment in (3)."),
        fields=(
            fld(
                "items", "資金の額及び調達方法", "Funds", TABLE, required=True, min_rows=1, max_rows=30,
                help=("取組ごとに、使い道・調達方法 (自己資金、融資など)・金額を書きます。",
                      "Per measure: use, how it is funded (own funds, loan) and amount."),
                columns=(
                    fld("item", "実施事項", "Measure", required=True, example="オフラインバックアップ装置の導入"),
                    fld("use", "使途・用途", "Use", required=True, example="設備資金"),
                    fld("method", "資金調達方法", "How raised", required=True, example="自己資金"),
                    fld("amount", "金額 (千円)", "Amount (thousand yen)", NUMBER, required=True, min_value=0,
                        max_value=10**10, integer=True, example="500"),
                ),
            ),
        ),
    ),
    Section(
        id="other",
        number="",
        title=L("その他", "Other"),
        omit_when_empty=True,
        fields=(
            fld("subsidy_plans", "あわせて申請する予定の補助金等", "Subsidies you plan to apply for", TEXTAREA,
                help=("補助金の名称・交付機関・申請時期を書いておくと、審査日程の相談に役立ちます。",
                      "Name, agency and timing; it helps when asking about the review schedule."),
                example="ものづくり補助金 (2027年2月締切の公募回に申請予定)"),
        ),
    ),
)

_SUPPLY_WORDS = ("サプライチェーン", "取引先", "供給", "地域", "納入", "顧客")


def _check_period(doc: dict[str, Any]) -> list[Issue]:
    start = parse_month(get_path(doc, "period.start"))
    end = parse_month(get_path(doc, "period.end"))
    if not (start and end):
        return []
    length = months_inclusive(start, end)
    if length < 1:
        return [Issue("period.end", "終了年月が開始年月より前です。", "The end month is before the start month.")]
    if length > MAX_PERIOD_MONTHS:
        return [Issue(
            "period.end",
            f"実施期間は3年 (36か月) 以内です。いまは{length}か月です。",
            f"The period may be at most three years (36 months); it is {length} months.",
        )]
    return []


def corporate_number_ok(number: str) -> bool:
    """法人番号 check digit (財務省令第七十号 第二条; fact sheet genai-governance-and-japanese-pii.md §2.3):
    9 − (Σ Pn×Qn mod 9) over the 12-digit base read from the right, Qn = 1 (odd n) or 2 (even n)."""
    if len(number) != 13 or not number.isdigit():
        return False
    base = number[1:]
    total = sum(int(d) * (1 if n % 2 else 2) for n, d in enumerate(reversed(base), start=1))
    return int(number[0]) == 9 - total % 9


def _check_corporate_number(doc: dict[str, Any]) -> list[Issue]:
    number = get_path(doc, "name.corporate_number")
    if isinstance(number, str) and number.strip() and not corporate_number_ok(number.strip()):
        return [Issue("name.corporate_number", "法人番号のチェックデジットが合いません。番号を確かめてください。",
                      "The corporate number's check digit does not match.")]
    return []


def _check_equipment(doc: dict[str, Any]) -> list[Issue]:
    issues: list[Issue] = []
    start = parse_month(get_path(doc, "period.start"))
    end = parse_month(get_path(doc, "period.end"))
    rows = get_path(doc, "equipment.items")
    if not (start and end and isinstance(rows, list)):
        return issues
    for index, row in enumerate(rows):
        month = parse_month(row.get("acquired_month")) if isinstance(row, dict) else None
        if month and not (start <= month <= end):
            issues.append(Issue(
                f"equipment.items[{index}].acquired_month",
                "取得年月が計画の実施期間の外にあります。",
                "The month of acquisition is outside the implementation period.",
            ))
    return issues


def _advice(doc: dict[str, Any]) -> list[Issue]:
    """Points examiners send back (fact sheet §0.3): warnings, not errors."""
    issues: list[Issue] = []
    overview = get_path(doc, "goals.business_overview")
    if isinstance(overview, str) and overview.strip() and not any(w in overview for w in _SUPPLY_WORDS):
        issues.append(Issue(
            "goals.business_overview",
            "サプライチェーンや地域で担う役割が書かれていないようです。書いていないと補正を求められます。",
            "The role in the supply chain or region seems missing; examiners ask for it.",
            severity="warning",
        ))
    hazards = get_path(doc, "goals.hazards")
    if isinstance(hazards, list) and hazards and not any(
        isinstance(row, dict) and row.get("hazard") == "cyber" for row in hazards
    ):
        issues.append(Issue(
            "goals.hazards",
            "サイバー攻撃の想定がありません。ランサムウェアによる停止も想定に加えることをおすすめします。",
            "No cyber-attack scenario; consider adding a ransomware outage.",
            severity="warning",
        ))
    steps = get_path(doc, "initial_response.steps")
    life = steps.get("life_safety") if isinstance(steps, dict) else None
    content = life.get("content") if isinstance(life, dict) else None
    if isinstance(content, str) and content.strip():
        if "避難" not in content or "安否" not in content:
            issues.append(Issue(
                "initial_response.steps.life_safety.content",
                "人命の安全確保には、避難の方法と安否確認の方法の両方を書きます。",
                "Give both how people evacuate and how their safety is confirmed.",
                severity="warning",
            ))
    return issues


DEFINITION = DocumentDefinition(
    kind=KIND,
    title=L("事業継続力強化計画", "Business Continuity Strengthening Plan (Jigyokei)"),
    sections=SECTIONS,
    date_style="wareki",
    org_name_path="name.name",
    rules=(_check_period, _check_corporate_number, _check_equipment, _advice),
)

