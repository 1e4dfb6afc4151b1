"""Refuse an oversized PDF while it streams in (the checker's capped upload handler, with the PDF limit)."""

from __future__ import annotations

from functools import wraps

from django.views.decorators.csrf import csrf_exempt, csrf_protect

from sonae.checks.uploads import CappedUploadHandler

from .forms import max_pdf_bytes


class CappedPdfUploadHandler(CappedUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_pdf_bytes()


def capped_pdf_uploads(view):
    """As sonae.checks.uploads.capped_uploads: the handler must be in place before the CSRF check reads POST."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, CappedPdfUploadHandler(request))
        return protected(request, *args, **kwargs)

    return wrapper
