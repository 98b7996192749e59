from django.db import connection

from yingji import __version__


def test_health_needs_no_auth_and_names_the_database(db, api):
    response = api.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": __version__, "database": connection.vendor}
    assert response.json()["database"] in {"sqlite", "postgresql"}
