"""The rule endpoints: LEC, matrix, GB 18218 identification and the credit-code check."""

from yingji.risk.tests.conftest import JSON


def post(api, bearer, user, url, body):
    return api.post(url, body, content_type=JSON, headers=bearer(user))


def test_lec_endpoint(cast, api, bearer):
    answer = post(api, bearer, cast.duty, "/api/v1/risk/lec", {"l": 3, "e": 6, "c": 15})
    assert answer.status_code == 200
    assert answer.json() == {"d": 270.0, "band": "high", "band_label": "高度危险，需立即整改", "colour": "orange"}


def test_lec_value_outside_table_names_field(cast, api, bearer):
    answer = post(api, bearer, cast.duty, "/api/v1/risk/lec", {"l": 4, "e": 6, "c": 15})
    assert answer.status_code == 400 and "l" in answer.json()["errors"]


def test_matrix_endpoint_and_bounds(cast, api, bearer):
    assert post(api, bearer, cast.duty, "/api/v1/risk/matrix", {"likelihood": 4, "severity": 5}).json() == {
        "score": 20,
        "colour": "red",
    }
    bad = post(api, bearer, cast.duty, "/api/v1/risk/matrix", {"likelihood": 6, "severity": 5})
    assert bad.status_code == 400 and "likelihood" in bad.json()["errors"]


def test_identify_endpoint(cast, api, bearer):
    answer = post(
        api,
        bearer,
        cast.duty,
        "/api/v1/hazards/identify",
        {"items": [{"name": "液氯", "quantity_t": 20}], "exposed_people": 120},
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["s"] == 4 and body["is_major"] and body["alpha"] == 2.0 and body["r"] == 32
    assert body["grade"] == 3 and body["grade_label"] == "三级"
    assert body["items"][0]["q_crit"] == 5 and body["items"][0]["beta"] == 4


def test_identify_exact_one(cast, api, bearer):
    items = [
        {"name": "氢", "category": "W2", "quantity_t": "0.5"},
        {"name": "氨", "quantity_t": "2"},
        {"name": "苯", "category": "W5.1", "quantity_t": "35"},
    ]
    body = post(api, bearer, cast.duty, "/api/v1/hazards/identify", {"items": items, "exposed_people": 0}).json()
    assert body["s"] == 1 and body["is_major"] is True


def test_identify_bad_items_name_the_item(cast, api, bearer):
    unknown = post(api, bearer, cast.duty, "/api/v1/hazards/identify", {"items": [{"name": "未知物", "quantity_t": 1}]})
    assert unknown.status_code == 400 and "items.0.name" in unknown.json()["errors"]
    negative = post(
        api, bearer, cast.duty, "/api/v1/hazards/identify",
        {"items": [{"name": "氯", "quantity_t": 1}, {"name": "氨", "quantity_t": -2}]},
    )  # fmt: skip
    assert negative.status_code == 400 and "items.1.quantity_t" in negative.json()["errors"]


def test_rules_need_authentication(api):
    assert api.post("/api/v1/risk/lec", {"l": 3, "e": 6, "c": 15}, content_type=JSON).status_code == 401


def test_uscc_check(cast, api, bearer):
    good = post(api, bearer, cast.duty, "/api/v1/enterprises/check-uscc", {"uscc": "91350100m000100y43"}).json()
    assert good == {"uscc": "91350100M000100Y43", "valid": True, "problem": None}
    bad = post(api, bearer, cast.duty, "/api/v1/enterprises/check-uscc", {"uscc": "91350100M000100Y4O"}).json()
    assert bad["valid"] is False and "O" in bad["problem"]
