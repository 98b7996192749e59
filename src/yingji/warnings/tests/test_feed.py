"""The public Atom feed: warnings in force, each with a CAP link, without sign-in."""

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone
from lxml import etree

from yingji.warnings import services

ATOM = "{http://www.w3.org/2005/Atom}"


def publish(commander, draft, **fields):
    warning = services.warning_approve(by=commander, warning=draft(**fields))
    return services.warning_publish(by=commander, warning=warning)


def entries(client: Client) -> list:
    response = client.get("/warnings/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    return etree.fromstring(response.content).findall(f"{ATOM}entry")


def test_feed_lists_current_warnings_with_cap_links_without_sign_in(cast, commander, draft):
    current = publish(commander, draft, headline="暴雨黄色预警")
    cancelled = publish(commander, draft, headline="大雾蓝色预警", event_type="fog", level="blue")
    services.warning_cancel(by=commander, warning=cancelled)
    draft(headline="尚未审批的草稿")
    client = Client()
    (entry,) = entries(client)
    assert entry.findtext(f"{ATOM}title") == "暴雨黄色预警"
    assert entry.findtext(f"{ATOM}id") == f"urn:cap:{current.sender}:{current.identifier}"
    (cap_link,) = [link for link in entry.findall(f"{ATOM}link") if link.get("type") == "application/cap+xml"]
    assert cap_link.get("rel") == "alternate"
    assert cap_link.get("href") == f"http://testserver/api/v1/warnings/{current.pk}/cap"
    cap = client.get(f"/api/v1/warnings/{current.pk}/cap")
    assert cap.status_code == 200 and cap.content == current.cap_xml.encode()


def test_expired_warnings_leave_the_feed(cast, commander, draft):
    publish(commander, draft, expires=timezone.now() + timedelta(hours=2))
    assert len(entries(Client())) == 1
    with time_machine.travel(timezone.now() + timedelta(hours=3)):
        assert entries(Client()) == []


def test_updated_warning_is_replaced_in_the_feed(cast, commander, draft):
    original = publish(commander, draft)
    # The duty officer drafts the raise to orange; the commander, a second person, approves it.
    update = services.warning_update(by=cast.duty, warning=original, level="orange", headline="暴雨橙色预警")
    services.warning_approve(by=commander, warning=update)
    services.warning_publish(by=commander, warning=update)
    assert [e.findtext(f"{ATOM}title") for e in entries(Client())] == ["暴雨橙色预警"]


def test_summary_is_plain_text_not_html(cast, commander, draft):
    # Issue 10: the summary was type="html", so a reader would render markup typed into a description.
    publish(commander, draft, description='请注意 <img src=x onerror="alert(1)"> 防范')
    (entry,) = entries(Client())
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text == '请注意 <img src=x onerror="alert(1)"> 防范'


def test_entries_link_to_the_public_page_which_opens_without_sign_in(cast, commander, draft):
    current = publish(commander, draft, headline="暴雨黄色预警")
    client = Client()
    (entry,) = entries(client)
    (page_link,) = [link for link in entry.findall(f"{ATOM}link") if link.get("type") is None]
    assert page_link.get("rel") == "alternate"
    assert page_link.get("href") == f"http://testserver/public/warnings/{current.pk}/"
    response = client.get(f"/public/warnings/{current.pk}/")
    assert response.status_code == 200 and "暴雨黄色预警" in response.content.decode()
    # The staff page it used to link to asks for a sign-in.
    assert client.get(f"/warnings/{current.pk}/").status_code == 302


def test_a_browser_opening_the_feed_gets_a_readable_page(cast, commander, draft):
    current = publish(commander, draft, headline="暴雨黄色预警", description="<b>不是标记</b>")
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = Client().get("/warnings/feed.atom", headers={"Accept": browser})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    html = response.content.decode()
    assert f'href="http://testserver/public/warnings/{current.pk}/"' in html
    assert f'href="http://testserver/api/v1/warnings/{current.pk}/cap"' in html
    assert "&lt;b&gt;不是标记&lt;/b&gt;" in html and "<b>不是标记" not in html
    assert 'type="application/atom+xml"' in html
    # A feed reader asking for Atom (or anything) still gets the Atom document.
    for accept in ["application/atom+xml", "*/*", "application/atom+xml,text/html;q=0.5"]:
        reader = Client().get("/warnings/feed.atom", headers={"Accept": accept})
        assert reader["Content-Type"].startswith("application/atom+xml"), accept
        assert etree.fromstring(reader.content).tag == f"{ATOM}feed"
