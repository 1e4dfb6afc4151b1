"""Error pages in the user's language, never a stack trace."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request, status: int, title: str, text: str):
    return render(request, "error.html", {"status": status, "title": title, "text": text}, status=status)


def bad_request(request, exception=None):
    return _page(request, 400, _("リクエストが正しくありません"), _("送信された内容を読み取れませんでした。もう一度お試しください。"))


def permission_denied(request, exception=None):
    return _page(request, 403, _("この操作の権限がありません"), _("閲覧はできますが、変更するには編集者またはオーナーの権限が必要です。"))


def page_not_found(request, exception=None):
    return _page(request, 404, _("ページが見つかりません"), _("URLが正しいか、この組織へのアクセス権があるかを確認してください。"))


def server_error(request):
    return render(request, "error.html", {"status": 500, "title": "エラーが発生しました / Server error", "text": "時間をおいてもう一度お試しください。 / Please try again later."}, status=500)


def csrf_failure(request, reason=""):
    return _page(request, 403, _("フォームの有効期限が切れました"), _("ページを読み込み直してから、もう一度送信してください。"))
