from yingji.core.models import Notification, Subscription
from yingji.demo.services import demo_load
from yingji.warnings.demo import demo_load_warnings
from yingji.warnings.models import EarlyWarning, Status


def test_demo_warnings_load_once_and_reach_subscribers(db):
    demo_load(password="Demo-Password-2026", out=lambda s: None)
    assert demo_load_warnings(seed=2021, out=lambda s: None) == {"warnings": 3, "subscriptions": 7}
    statuses = dict(EarlyWarning.objects.values_list("event_type", "status"))
    assert statuses == {"rainstorm": Status.PUBLISHED, "forest_fire": Status.PUBLISHED, "fog": Status.DRAFT}
    # The orange forest-fire warning reached the duty officer and the commander; the street officer of
    # 黄石港街道 heard of the rainstorm in their street.
    heard = set(Notification.objects.values_list("recipient__username", "title"))
    assert ("duty", "花湖街道山林地带森林火险橙色预警") in heard and (
        "commander",
        "花湖街道山林地带森林火险橙色预警",
    ) in heard
    assert ("street", "黄石港区气象台发布暴雨黄色预警") in heard and (
        "duty",
        "黄石港区气象台发布暴雨黄色预警",
    ) not in heard
    assert demo_load_warnings(seed=2021, out=lambda s: None) == {"warnings": 0, "subscriptions": 0}
    assert EarlyWarning.objects.count() == 3 and Subscription.objects.count() == 7
