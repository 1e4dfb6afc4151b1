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

    def __init__(self, request=None):
        super().__init__(request)
        self.limit = max_upload_bytes()
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


def capped_uploads(view, handler_class=CappedUploadHandler):
    """`handler_class`: a CappedUploadHandler with another limit (sonae.learning.uploads, for PDFs)."""
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.upload_handlers.insert(0, handler_class(request))
        return protected(request, *args, **kwargs)

    return wrapper
