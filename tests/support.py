"""Helpers shared by test modules (import as `from support import ...`; `conftest` is not importable by name)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str):
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)


def tiny_pdf(pages: int = 1, text: str = "sonae") -> bytes:
    """A small, real PDF (reportlab), for upload tests."""
    import io

    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in range(pages):
        pdf.drawString(72, 720, f"{text} {page + 1}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()
