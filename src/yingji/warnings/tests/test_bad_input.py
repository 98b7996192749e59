"""Bad input to the warnings API is a 400 with the field named, never a 500."""

import pytest


@pytest.mark.parametrize("field", ["event_type", "level", "headline", "description", "instruction", "area_desc"])
def test_patch_with_null_for_a_required_field_is_a_400(cast, api, bearer, draft, field):
    warning = draft()
    response = api.patch(
        f"/api/v1/warnings/{warning.pk}", {field: None}, content_type="application/json", headers=bearer(cast.duty)
    )
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]


def test_an_anonymous_search_with_a_nul_is_a_400(db, api):
    response = api.get("/api/v1/warnings?q=%00")
    assert response.status_code == 400 and response.json()["detail"] == "不允许包含 NUL 字符"
