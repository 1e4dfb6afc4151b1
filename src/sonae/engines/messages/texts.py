"""What each finding says, in Japanese and English, and what to do about it.

Keyed by the finding's stable code. `{…}` placeholders are filled by the checker. Written in our own
words after the police seminar's 勘所 and the フィッシング対策協議会 advice (check the sender and the URL;
a message asking you to log in should be checked through the official app or a bookmark).
"""

from __future__ import annotations

from typing import NamedTuple

_ADVICE_LINK = (
    "リンクは開かず、公式アプリやブックマークから確認してください。",
    "Do not open the link; check through the official app or your bookmark.",
)
_ADVICE_SENDER = (
    "送信者が本物か、公式サイトに載っている連絡先で確かめてください。",
    "Confirm the sender through contact details on the official website.",
)
_ADVICE_ATTACHMENT = (
    "添付ファイルを開かず、管理者に相談してください。",
    "Do not open the attachment; ask your administrator.",
)
_ADVICE_PHONE = (
    "書かれた番号には電話せず、遠隔操作ソフトも入れないでください。困ったら警察相談専用電話 #9110 へ。",
    "Do not call the number or install remote-control software. If in doubt, call the police advice line #9110.",
)
_ADVICE_NONE = ("", "")


class FindingText(NamedTuple):
    ja: str
    en: str
    advice_ja: str
    advice_en: str


def _t(ja: str, en: str, advice: tuple[str, str] = _ADVICE_NONE) -> FindingText:
    return FindingText(ja, en, advice[0], advice[1])


TEXTS: dict[str, FindingText] = {
    # --- brand claims -------------------------------------------------------------------------------
    "brand_link_mismatch": _t(
        "「{brand}」を名乗っていますが、リンク先 {host} は{brand}の公式ドメインではありません。",
        "It claims to be from {brand_en}, but the link goes to {host}, which is not an official {brand_en} domain.",
        _ADVICE_LINK,
    ),
    "brand_sender_mismatch": _t(
        "「{brand}」を名乗っていますが、送信元 {host} は{brand}の公式ドメインではありません。",
        "It claims to be from {brand_en}, but it was sent from {host}, which is not an official {brand_en} domain.",
        _ADVICE_SENDER,
    ),
    "brand_mention_offsite": _t(
        "本文で「{brand}」に触れつつ、公式ではないサイト {host} へ誘導しています。",
        "The text mentions {brand_en} but leads to {host}, which is not an official site.",
        _ADVICE_LINK,
    ),
    "brand_official_links": _t(
        "「{brand}」を名乗っており、リンクは{brand}の公式ドメインです。",
        "It claims to be from {brand_en} and its links are on official {brand_en} domains.",
    ),
    "official_domain": _t(
        "{host} は「{brand}」の公式ドメインです。",
        "{host} is an official domain of {brand_en}.",
    ),
    # --- hosts --------------------------------------------------------------------------------------
    "brand_in_host": _t(
        "{host} は「{brand}」の名前を含みますが、公式ドメインではありません。",
        "{host} contains the name of {brand_en} but is not an official domain.",
        _ADVICE_LINK,
    ),
    "brand_domain_in_subdomain": _t(
        "{host} は公式ドメイン {official} を頭に付けただけの別のドメイン（{registrable}）です。",
        "{host} puts the official domain {official} in front of a different domain ({registrable}).",
        _ADVICE_LINK,
    ),
    "domain_in_subdomain": _t(
        "{host} は {fake} のように見えますが、実際は {registrable} という別のドメインです。",
        "{host} looks like {fake}, but it is really the domain {registrable}.",
        _ADVICE_LINK,
    ),
    "lookalike_brand_domain": _t(
        "{host} は「{brand}」の公式ドメイン {official} によく似た別のドメインです。",
        "{host} looks like {official}, an official {brand_en} domain, but is a different domain.",
        _ADVICE_LINK,
    ),
    "lookalike_own_domain": _t(
        "{host} は自社のドメイン {official} によく似た別のドメインです（なりすましの恐れ）。",
        "{host} looks like your own domain {official} but is a different domain (possible impersonation).",
        _ADVICE_SENDER,
    ),
    "lookalike_trusted_domain": _t(
        "{host} は取引先のドメイン {official} によく似た別のドメインです（なりすましの恐れ）。",
        "{host} looks like your partner's domain {official} but is a different domain (possible impersonation).",
        _ADVICE_SENDER,
    ),
    "mixed_script_host": _t(
        "{host} には見た目の似た別の文字（例: キリル文字）が混ざっています。",
        "{host} mixes look-alike letters from another script (e.g. Cyrillic).",
        _ADVICE_LINK,
    ),
    "idn_host": _t(
        "{host} は国際化ドメイン名（{ascii}）です。表示と実際の文字が違うことがあります。",
        "{host} is an internationalised domain name ({ascii}); what you see may not be what it is.",
    ),
    "ip_host": _t(
        "リンク先がドメイン名ではなくIPアドレス（{host}）です。",
        "The link goes to a bare IP address ({host}) instead of a domain name.",
        _ADVICE_LINK,
    ),
    "userinfo_trick": _t(
        "URLの「@」の前に {userinfo} と書かれていますが、実際の行き先は {host} です。",
        "The URL shows {userinfo} before an \"@\", but it really goes to {host}.",
        _ADVICE_LINK,
    ),
    "shortener": _t(
        "短縮URL（{host}）で本当の行き先が隠れています。",
        "A URL shortener ({host}) hides where the link really goes.",
        _ADVICE_LINK,
    ),
    "suspicious_tld": _t(
        "{host} は、フィッシングに多く使われるトップレベルドメイン（.{tld}）です。",
        "{host} uses a top-level domain (.{tld}) often used for phishing.",
        _ADVICE_LINK,
    ),
    "unusual_tld": _t(
        "{host} は、日本の企業ではあまり使われないトップレベルドメイン（.{tld}）です。",
        "{host} uses a top-level domain (.{tld}) that Japanese companies rarely use.",
    ),
    "dynamic_dns": _t(
        "{host} は誰でもすぐに作れるダイナミックDNSのホスト名です。",
        "{host} is a dynamic-DNS host name that anyone can create in minutes.",
        _ADVICE_LINK,
    ),
    "free_hosting": _t(
        "{host} は無料・共用のホスティングやファイル共有で、誰でもページを置けます。",
        "{host} is free or shared hosting where anyone can put up a page.",
        _ADVICE_LINK,
    ),
    "proxy_link": _t(
        "翻訳サービスなどを経由して別のサイト（{target}）を表示させるリンクです。",
        "The link shows another site ({target}) through a proxy such as a translation service.",
        _ADVICE_LINK,
    ),
    "redirect_link": _t(
        "リンクの中に別のURL（{target}）が埋め込まれており、そちらへ転送される恐れがあります。",
        "The link carries another URL ({target}) and may redirect there.",
        _ADVICE_LINK,
    ),
    "random_host": _t(
        "{host} は意味のない文字の並びに見えるドメインです。",
        "{host} looks like a random string rather than a company's name.",
    ),
    "deep_subdomain": _t(
        "{host} はサブドメインが何段も重なった不自然な形です。",
        "{host} has an unusual number of sub-domain levels.",
    ),
    "login_path": _t(
        "公式ではないサイトのログイン・確認用のページ（{path}）へのリンクです。",
        "The link points to a login or verification page ({path}) on a site that is not official.",
        _ADVICE_LINK,
    ),
    "unusual_port": _t(
        "リンクが通常とは違うポート番号（{port}）を使っています。",
        "The link uses an unusual port number ({port}).",
    ),
    "script_link": _t(
        "リンクが {scheme}: 形式で、開くとスクリプトやデータが直接実行・表示されます。",
        "The link uses {scheme}:, which runs a script or shows data directly when opened.",
        _ADVICE_LINK,
    ),
    "invalid_host": _t(
        "リンク先のホスト名（{host}）が正しい形ではありません。",
        "The link's host name ({host}) is not well formed.",
    ),
    "own_domain_link": _t(
        "{host} は自社または取引先として登録されたドメインです。",
        "{host} is one of your own or trusted partner domains.",
    ),
    # --- links in mail ------------------------------------------------------------------------------
    "link_text_mismatch_brand": _t(
        "リンクの文字は {shown} ですが、実際の行き先は {host} です。",
        "The link reads {shown}, but it really goes to {host}.",
        _ADVICE_LINK,
    ),
    "link_text_mismatch": _t(
        "リンクの文字（{shown}）と実際の行き先（{host}）が違います。",
        "The link text ({shown}) and where it really goes ({host}) differ.",
        _ADVICE_LINK,
    ),
    "form_in_mail": _t(
        "メールの中に入力フォームがあります。正規のサービスはメールで情報を入力させません。",
        "The mail contains an input form. Real services do not collect information inside a mail.",
        _ADVICE_LINK,
    ),
    "many_links": _t(
        "リンクが非常に多いため、最初の {count} 件だけを調べました。",
        "There are very many links; only the first {count} were checked.",
    ),
    # --- sender and headers -------------------------------------------------------------------------
    "display_name_address": _t(
        "差出人名に別のアドレス（{shown}）が書かれていますが、実際の送信元は {address} です。",
        "The sender name shows another address ({shown}), but the mail really comes from {address}.",
        _ADVICE_SENDER,
    ),
    "reply_to_freemail": _t(
        "返信先（Reply-To）がフリーメール {address} になっています。",
        "Replies would go to a free-mail address, {address}.",
        _ADVICE_SENDER,
    ),
    "reply_to_other_domain": _t(
        "返信先（Reply-To）{address} が送信元とは別のドメインです。",
        "Replies would go to {address}, on a different domain from the sender.",
    ),
    "sender_freemail_brand": _t(
        "「{brand}」を名乗っていますが、送信元はフリーメール（{host}）です。",
        "It claims to be from {brand_en} but was sent from a free-mail address ({host}).",
        _ADVICE_SENDER,
    ),
    "auth_dmarc_fail": _t(
        "受信サーバーの検査で、送信ドメイン認証（DMARC）に失敗しています（{detail}）。送信元の偽装の恐れがあります。",
        "The receiving server's check failed sender authentication (DMARC: {detail}); the sender may be forged.",
        _ADVICE_SENDER,
    ),
    "auth_spf_fail": _t(
        "受信サーバーの検査で、SPF が {detail} でした。正規のサーバーから送られていない恐れがあります。",
        "The receiving server's check gave SPF {detail}; the mail may not come from the sender's servers.",
        _ADVICE_SENDER,
    ),
    "auth_dkim_fail": _t(
        "受信サーバーの検査で、電子署名（DKIM）が {detail} でした。",
        "The receiving server's check gave DKIM {detail}.",
    ),
    "auth_none": _t(
        "送信ドメイン認証（SPF・DKIM・DMARC）で送信元を確認できませんでした。",
        "Sender authentication (SPF, DKIM, DMARC) could not confirm the sender.",
    ),
    "auth_pass": _t(
        "送信ドメイン認証には合格していますが、それだけで本物とは限りません（攻撃者も自分のドメインで合格できます）。",
        "Sender authentication passed, but that alone does not make it genuine (attackers pass with their own domains).",
    ),
    "own_domain_spoof": _t(
        "自社のドメイン {host} から送られたことになっていますが、送信ドメイン認証に失敗しています。",
        "It claims to come from your own domain {host}, but sender authentication failed.",
        _ADVICE_SENDER,
    ),
    # --- wording ------------------------------------------------------------------------------------
    "credential_request": _t(
        "ログイン、パスワード、カード番号、本人確認などの入力を求めています（{evidence}）。",
        "It asks you to log in or enter a password, card number or identity details ({evidence}).",
        _ADVICE_LINK,
    ),
    "urgency": _t(
        "急がせたり脅したりする表現があります（{evidence}）。",
        "It uses urgent or threatening wording ({evidence}).",
    ),
    "delivery_lure": _t(
        "不在通知・再配達を装う文面によくある表現です（{evidence}）。",
        "It uses wording typical of fake missed-delivery notices ({evidence}).",
    ),
    "payment_request": _t(
        "ギフトカードや電子マネーでの支払いを求めています（{evidence}）。正規の請求ではまずありません。",
        "It asks for payment by gift card or e-money ({evidence}), which real bills almost never do.",
        _ADVICE_PHONE,
    ),
    "support_scam": _t(
        "ウイルス感染などを理由に電話をかけさせる、サポート詐欺によくある文面です（{evidence}）。",
        "It urges you to call about a virus or security problem, as support scams do ({evidence}).",
        _ADVICE_PHONE,
    ),
    "remote_tool": _t(
        "遠隔操作ソフト（{evidence}）のインストールを促しています。",
        "It asks you to install remote-control software ({evidence}).",
        _ADVICE_PHONE,
    ),
    "qr_request": _t(
        "QRコードを読み取らせようとしています。QRコードの行き先は見た目では分かりません。",
        "It asks you to scan a QR code, whose destination you cannot see.",
        _ADVICE_LINK,
    ),
    "donation_request": _t(
        "寄付・募金の振込や送金を求めています（{evidence}）。",
        "It asks for a donation or money transfer ({evidence}).",
    ),
    "unnatural_japanese": _t(
        "日本語の中に中国語の簡体字（{evidence}）が混ざっており、不自然です。",
        "The Japanese text contains simplified Chinese characters ({evidence}), which is unnatural.",
    ),
    # --- attachments --------------------------------------------------------------------------------
    "dangerous_attachment": _t(
        "実行ファイルなど危険な種類の添付ファイルがあります（{filename}）。",
        "There is a dangerous kind of attachment ({filename}).",
        _ADVICE_ATTACHMENT,
    ),
    "double_extension": _t(
        "添付ファイル名の拡張子が二重になっており、種類を偽っている恐れがあります（{filename}）。",
        "The attachment has a double extension and may hide its real type ({filename}).",
        _ADVICE_ATTACHMENT,
    ),
    "html_attachment": _t(
        "HTMLファイルが添付されています（{filename}）。開くと偽のログイン画面が表示されることがあります。",
        "An HTML file is attached ({filename}); opening it may show a fake login page.",
        _ADVICE_ATTACHMENT,
    ),
    "macro_document": _t(
        "マクロ付きの可能性がある文書ファイルが添付されています（{filename}）。",
        "An attached document may contain macros ({filename}).",
        _ADVICE_ATTACHMENT,
    ),
    "encrypted_archive": _t(
        "パスワード付きの圧縮ファイルが添付されています（{filename}）。中身をウイルス対策ソフトが検査できません。",
        "An encrypted archive is attached ({filename}); antivirus software cannot look inside.",
        _ADVICE_ATTACHMENT,
    ),
    "encrypted_archive_password_in_body": _t(
        "パスワード付き圧縮ファイル（{filename}）と、そのパスワードが同じメールに書かれています。ウイルス付きメールの典型的な手口です。",
        "An encrypted archive ({filename}) comes with its password in the same mail, a typical malware trick.",
        _ADVICE_ATTACHMENT,
    ),
    "archive_attachment": _t(
        "中身を確かめにくい圧縮ファイルが添付されています（{filename}）。",
        "An archive whose contents are hard to check is attached ({filename}).",
    ),
    "disk_image_attachment": _t(
        "ディスクイメージ形式のファイルが添付されています（{filename}）。ウイルス対策をすり抜けるために使われます。",
        "A disk-image file is attached ({filename}); these are used to slip past antivirus checks.",
        _ADVICE_ATTACHMENT,
    ),
    # --- limits -------------------------------------------------------------------------------------
    "truncated": _t(
        "メールが大きい（または部品が多い）ため、一部だけを調べました。",
        "The mail is large (or has very many parts); only part of it was checked.",
    ),
}


def text_for(code: str) -> FindingText:
    return TEXTS[code]
