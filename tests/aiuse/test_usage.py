"""Use by department: the usage log's use-case tags counted per use case and department (owners only)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sonae.aicheck.models import AiUsage
from sonae.aicheck.services import usage_record

pytestmark = pytest.mark.django_db


def test_the_matrix_counts_tagged_uses(alice_client, bob_client, org, bob):
    for department in ("sales", "sales", "hr"):
        usage_record(org=org, user=bob, channel=AiUsage.Channel.PAGE, outcome=AiUsage.Outcome.CHECKED,
                     use_case="meeting-minutes", department=department)
    usage_record(org=org, user=bob, channel=AiUsage.Channel.GATEWAY, outcome=AiUsage.Outcome.SENT, use_case="research")
    usage_record(org=org, user=bob, channel=AiUsage.Channel.GATEWAY, outcome=AiUsage.Outcome.SENT)  # untagged: not counted
    response = alice_client.get(reverse("aiuse_usage", args=[org.id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "議事録の作成と共有" in html and "調べものと要約" in html and "部署の指定なし" in html
    table = html[html.index("uc-matrix"):]
    assert table.index("営業") < table.index("人事")  # departments in catalogue order
    assert "<td><strong>3</strong></td>" in table and "<td><strong>1</strong></td>" in table
    assert bob_client.get(reverse("aiuse_usage", args=[org.id])).status_code == 403


def test_an_empty_or_odd_month(alice_client, org):
    for month in ("", "2020-01", "9999-99", "<script>"):
        response = alice_client.get(reverse("aiuse_usage", args=[org.id]), {"month": month})
        assert response.status_code == 200 and "<script>" not in response.content.decode()
