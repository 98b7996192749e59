"""The periodic stock alert tells the warehouse's staff, once a day."""

from datetime import date

import time_machine

from yingji.core.models import Notification
from yingji.resources import services
from yingji.resources.tasks import stock_alerts_notify


@time_machine.travel("2026-06-01 09:00 +0800", tick=False)
def test_stock_alerts_reach_the_warehouses_staff_once_a_day(stock, cast):
    wh = stock.warehouse_a
    services.stock_receive(by=None, warehouse=wh, item=stock.tent, quantity=3, reason="入库")
    services.stock_minimum_set(by=None, warehouse=wh, item=stock.tent, minimum=10)
    services.stock_receive(
        by=None, warehouse=wh, item=stock.water, quantity=5, reason="入库", batch="W0", expiry=date(2026, 5, 1)
    )
    assert stock_alerts_notify() == 2
    titles = set(Notification.objects.filter(recipient=cast.street_officer).values_list("title", flat=True))
    assert titles == {"甲街道物资储备库 库存低于最低储备", "甲街道物资储备库 有过期批次"}
    # Street B's warehouse has no alert, and the district's staff are not the warehouse's staff.
    assert not Notification.objects.filter(recipient=cast.duty).exists()
    assert stock_alerts_notify() == 0
