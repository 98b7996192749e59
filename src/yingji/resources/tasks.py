"""The resources' periodic jobs: tell each warehouse's staff about stock below minimum and expired batches."""

from collections import defaultdict

from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yingji.core.models import Notification, User
from yingji.core.notify import notify
from yingji.core.worker import periodic
from yingji.resources.models import StockBalance, StockLot, Warehouse

CATEGORY = "stock"


@periodic(every_s=6 * 3600)
def stock_alerts_notify() -> int:
    """Notify the staff of each warehouse's owner unit, once a day per warehouse and kind of alert, of stock
    below its minimum and of batches past their expiry date. Returns how many notifications were sent."""
    today = timezone.localdate()
    low: dict[int, list[StockBalance]] = defaultdict(list)
    for balance in StockBalance.objects.filter(minimum__gt=0, quantity__lt=F("minimum")).select_related("item"):
        low[balance.warehouse_id].append(balance)
    expired: dict[int, list[StockLot]] = defaultdict(list)
    for lot in StockLot.objects.filter(quantity__gt=0, expiry__lt=today).select_related("item"):
        expired[lot.warehouse_id].append(lot)
    warehouses = Warehouse.objects.filter(pk__in=set(low) | set(expired), active=True).select_related("org")
    sent = 0
    with translation.override("zh-hans"):
        for warehouse in warehouses:
            staff = list(User.objects.filter(org=warehouse.org, is_active=True))
            link = reverse("resources:warehouse-detail", args=[warehouse.pk])
            if low.get(warehouse.pk):
                title = _("Stock below minimum at %(warehouse)s") % {"warehouse": warehouse.name}
                body = "\n".join(
                    _("%(item)s: %(n)d %(unit)s (minimum %(min)d)")
                    % {"item": b.item.name, "n": b.quantity, "unit": b.item.unit, "min": b.minimum}
                    for b in low[warehouse.pk]
                )
                sent += _notify_once(staff, title, body, link)
            if expired.get(warehouse.pk):
                title = _("Expired batches at %(warehouse)s") % {"warehouse": warehouse.name}
                body = "\n".join(
                    _("%(item)s batch %(batch)s expired on %(date)s: %(n)d %(unit)s")
                    % {
                        "item": lot.item.name,
                        "batch": lot.batch or "—",
                        "date": lot.expiry,
                        "n": lot.quantity,
                        "unit": lot.item.unit,
                    }
                    for lot in expired[warehouse.pk]
                )
                sent += _notify_once(staff, title, body, link)
    return sent


def _notify_once(staff: list[User], title: str, body: str, link: str) -> int:
    """Notify those who have not had this very alert today: the job runs several times a day."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    told = set(
        Notification.objects.filter(category=CATEGORY, title=title, created_at__gte=start).values_list(
            "recipient_id", flat=True
        )
    )
    return len(
        notify(recipients=[u for u in staff if u.pk not in told], title=title, body=body, link=link, category=CATEGORY)
    )
