"""current_versions (the documents list in one query) gives what current_approved / current_draft give."""

from __future__ import annotations

import pytest

from sonae.documents.models import DocumentVersion, Kind
from sonae.documents.selectors import current_approved, current_draft, current_versions
from sonae.documents.services import document_create

pytestmark = pytest.mark.django_db


def test_same_as_one_document_at_a_time(org, alice, other_org, charlie):
    plain = document_create(org=org, kind=Kind.SECURITY_POLICY, by=alice)  # only its first draft
    revised = document_create(org=org, kind=Kind.AI_GUIDELINE, by=alice)
    revised.versions.update(status=DocumentVersion.Status.APPROVED)
    for number, status in ((2, "approved"), (3, "draft")):
        DocumentVersion.objects.create(org=org, document=revised, number=number, data={}, created_by=alice, status=status)
    mine_only = document_create(org=other_org, kind=Kind.SECURITY_POLICY, by=charlie)
    documents = [plain, revised]
    found = current_versions(documents)
    assert set(found) == {plain.id, revised.id} and mine_only.id not in found
    for document in documents:
        assert found[document.id] == (current_approved(document), current_draft(document))
    assert [v.number if v else None for v in found[revised.id]] == [2, 3]
    assert found[plain.id][0] is None and found[plain.id][1].number == 1
