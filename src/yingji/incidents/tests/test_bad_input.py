"""Bad input to the incidents API is a 400 with the field named, never a 500."""

import pytest

BIG = 2**63


@pytest.mark.parametrize(
    "body",
    [{"title": None}, {"deaths": None}, {"source": None}, {"address": None}, {"description": None}, {"lat": None}],
)
def test_patch_with_null_for_a_required_field_is_a_400(cast, api, bearer, record, body):
    incident = record()
    response = api.patch(
        f"/api/v1/incidents/{incident.pk}", body, content_type="application/json", headers=bearer(cast.duty)
    )
    if body == {"lat": None}:  # a location may be cleared (with its longitude: the pair rule says so)
        assert response.status_code in (200, 400), response.content
    else:
        assert response.status_code == 400, response.content
        assert list(response.json()["errors"]) == list(body)


def test_ids_beyond_the_database_range_are_not_found(cast, api, bearer):
    for path in (f"/api/v1/incidents/{BIG}", f"/api/v1/tasks/{BIG}", f"/api/v1/reports/{BIG}/docx"):
        response = api.get(path, headers=bearer(cast.duty))
        assert response.status_code in (404, 405) and response.json()["detail"], path


def test_a_raw_nan_latitude_is_a_400(cast, api, bearer, record):
    incident = record()
    response = api.patch(
        f"/api/v1/incidents/{incident.pk}",
        '{"lat": NaN, "lon": 115.08}',
        content_type="application/json",
        headers=bearer(cast.duty),
    )
    assert response.status_code == 400 and "body" in response.json()["errors"]


def test_documents_with_control_characters_are_still_written():
    from docx import Document

    from yingji.incidents.docx_writer import _run

    paragraph = Document().add_paragraph()
    assert _run(paragraph, "泄漏\x01报告\x1b").text == "泄漏报告"
