from yingji.demo.services import demo_load
from yingji.portal.demo import demo_load_portal


def test_demo_portal_loads_once_and_shows_publicly(db, client):
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    assert demo_load_portal(seed=2021, out=lambda s: None) == {"articles": 6, "questions": 4, "leads": 1}
    assert not any(demo_load_portal(seed=2021, out=lambda s: None).values())
    assert "怎样查找最近的避难场所" in client.get("/public/faq/").content.decode()
    assert "心肺复苏" in client.get("/public/articles/").content.decode()
