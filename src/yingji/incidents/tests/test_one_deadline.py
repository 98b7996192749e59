"""One deadline: the incident page, the desk, the print page and the Word file show the same due time."""

import io

import pytest
import time_machine
from django.test import Client
from docx import Document

from yingji.conftest import PASSWORD
from yingji.incidents.tests.conftest import local

pytestmark = pytest.mark.django_db


def test_the_initial_reports_deadline_reads_the_same_everywhere(cast, record):
    with time_machine.travel(local(2026, 5, 1, 14, 3), tick=False):
        incident = record(occurred_at=local(2026, 5, 1, 13, 50))
        report = incident.reports.get()
        client = Client()
        client.login(username="t_duty", password=PASSWORD)
        due, later = "16:03", "17:03"
        assert report.due_at == local(2026, 5, 1, 16, 3)
        page = client.get(f"/incidents/{incident.pk}/").content.decode()
        desk = client.get("/incidents/").content.decode()
        printed = client.get(f"/incidents/reports/{report.pk}/").content.decode()
        word = client.get(f"/incidents/reports/{report.pk}/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
    for shown in (page, desk, printed, text):
        assert due in shown
    for shown in (printed, text):
        assert later not in shown
