"""Training's periodic job: certificate expiry reminders (ours and team members'), once per certificate."""

from django.utils import timezone

from yingji.core.worker import periodic
from yingji.training.services import certificates_remind


@periodic(every_s=6 * 3600)
def remind_expiring_certificates() -> int:
    return certificates_remind(today=timezone.localdate())
