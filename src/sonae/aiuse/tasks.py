"""Background work: rebuilding an organisation's Q&A index when a document version is approved or a rule
file is uploaded or withdrawn (queued with transaction.on_commit, so the worker sees the change)."""

from __future__ import annotations

import logging

from huey.contrib.djhuey import db_task

from sonae.orgs.models import Organisation

log = logging.getLogger(__name__)


@db_task()
def rebuild_rules_index(org_id: int) -> int:
    """Returns the number of passages indexed (0 when the organisation is gone)."""
    from .services import rules_index_rebuild

    org = Organisation.objects.filter(pk=org_id).first()
    if org is None:
        return 0
    stored, _index = rules_index_rebuild(org=org)
    return stored.passages
