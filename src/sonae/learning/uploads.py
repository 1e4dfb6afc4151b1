"""Refuse an oversized PDF while it streams in: the checker's capped upload handler, with the PDF limit."""

from __future__ import annotations

from sonae.checks.uploads import CappedUploadHandler, capped_uploads

from .forms import max_pdf_bytes


class CappedPdfUploadHandler(CappedUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_pdf_bytes()


def capped_pdf_uploads(view):
    return capped_uploads(view, handler_class=CappedPdfUploadHandler)
