"""Helpers shared by test modules (import as `from support import ...`; `conftest` is not importable by name)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple-42"


def make_user(email: str):
    return get_user_model().objects.create_user(username=email.split("@")[0], email=email, password=PASSWORD)


def api_client_for(org, user, plain: str = "sonae_test_token_0123456789abcdef"):
    """A test client that calls the REST API with a fresh API token of `user` in `org`."""
    from django.test import Client

    from sonae.api.models import ApiToken
    from sonae.orgs.models import hash_token

    ApiToken.objects.create(user=user, org=org, name="t", prefix=plain[:10], token_hash=hash_token(plain))
    return Client(HTTP_AUTHORIZATION=f"Bearer {plain}")


def load_fake_upstream():
    """tests/aicheck/fake_upstream.py, loaded by path (so `conftest` imports elsewhere still find tests/conftest.py)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("sonae_fake_upstream", Path(__file__).with_name("aicheck") / "fake_upstream.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def encrypted_pdf(password: str = "pw") -> bytes:
    """A one-page PDF that needs a password to open."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password=password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


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
