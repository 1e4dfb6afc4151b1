"""Refuse an oversized mail upload while it streams in, instead of writing it to a temporary file first.

Django parses the multipart body when the CSRF check reads request.POST, so the capped handler must be
installed before that: the view is csrf_exempt on the outside and csrf_protect on the inside (Django's
documented way to change upload handlers in a view).
"""

from __future__ import annotations

from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from .checking import max_upload_bytes


class CappedUploadHandler(FileUploadHandler):
    """Counts the bytes of each file; past the limit the upload stops and the rest is discarded."""

    def __init__(self, request=None, limit: int | None = None):
        super().__init__(request)
        self.limit = max_upload_bytes() if limit is None else limit
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request.sonae_upload_too_large = False

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.sonae_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def capped_uploads(view=None, *, limit=None):
    """`@capped_uploads` caps at the mail checker's limit; `@capped_uploads(limit=lambda: n)` at n bytes."""
    if view is None:
        return lambda inner: capped_uploads(inner, limit=limit)
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, CappedUploadHandler(request, limit=limit() if limit else None))
        return protected(request, *args, **kwargs)

    return wrapper
