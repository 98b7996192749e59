"""The tamper-evident audit chain.

Each entry's hash is HMAC-SHA256, keyed with `settings.AUDIT_KEY` (kept outside the database), over the canonical
JSON (sorted keys, no whitespace, UTF-8) of its sequence number, UTC time, actor, action, object, summary, payload
and the previous entry's hash. Someone who can write the database but does not hold the key cannot recompute a
chain that verifies (GB/T 22239-2019 level 3, 8.1.4.3 d: audit records protected against deletion, change or
overwriting). `AuditHead` holds the last link, so removing entries from the end is detected as well.

An entry made during a web request carries the request's source address in its payload (`ip`), as 8.1.4.3 c
asks: date, time, user, event type, outcome and the other audit-relevant information.
"""

import contextvars
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yingji.core.models import AuditEntry, AuditHead, User

GENESIS_HASH = "0" * 64

# The source address of the request being served, set by `core.middleware.RequestAddressMiddleware`.
current_address: contextvars.ContextVar[str | None] = contextvars.ContextVar("yingji_current_address", default=None)


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)


def entry_hash(
    *,
    seq: int,
    at: datetime,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    summary: str,
    payload: Any,
    prev_hash: str,
    key: str | bytes | None = None,
) -> str:
    """The entry's HMAC-SHA256 under `key` (default: the platform's audit key)."""
    fields = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_name,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "summary": summary,
        "payload": payload,
        "prev_hash": prev_hash,
    }
    secret = settings.AUDIT_KEY if key is None else key
    secret_bytes = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(secret_bytes, canonical_json(fields).encode("utf-8"), hashlib.sha256).hexdigest()


HASHED_FIELDS = ("seq", "at", "actor_name", "action", "object_type", "object_id", "summary", "payload", "prev_hash")


def _hash_of(entry: AuditEntry) -> str:
    return entry_hash(**{name: getattr(entry, name) for name in HASHED_FIELDS})


def audit_append(
    *,
    actor: User | None,
    action: str,
    summary: str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. Call it inside the transaction of the change it records."""
    # Normalise the payload to what the database will give back (dates as strings, tuples as lists).
    clean_payload = json.loads(canonical_json(payload or {}))
    address = current_address.get()
    if address and "ip" not in clean_payload:
        clean_payload["ip"] = address
    object_type = obj._meta.label_lower if obj is not None else ""
    object_id = str(obj.pk) if obj is not None else ""
    actor_name = actor.get_username() if actor is not None and actor.is_authenticated else ""
    with transaction.atomic():
        # Lock the head: appends are serialised so every entry links to the one before it.
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1, defaults={"hash": GENESIS_HASH})
        fields = {
            "seq": head.seq + 1,
            "at": timezone.now(),
            "actor_name": actor_name,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "summary": summary[:300],
            "payload": clean_payload,
            "prev_hash": head.hash,
        }
        digest = entry_hash(**fields)
        entry = AuditEntry.objects.create(actor=actor if actor_name else None, hash=digest, **fields)
        head.seq, head.hash = fields["seq"], digest
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries: int
    first_bad_seq: int | None = None
    problem: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "entries": self.entries, "first_bad_seq": self.first_bad_seq, "problem": self.problem}


def audit_verify() -> ChainReport:
    """Walk the chain in sequence order and report the first entry that breaks it."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(False, count, expected_seq, _("entry %(seq)d is missing") % {"seq": expected_seq})
        if entry.prev_hash != expected_prev:
            problem = _("entry %(seq)d does not link to entry %(before)d") % {"seq": entry.seq, "before": entry.seq - 1}
            return ChainReport(False, count, entry.seq, problem)
        if not hmac.compare_digest(_hash_of(entry), entry.hash):
            return ChainReport(False, count, entry.seq, _("entry %(seq)d was altered") % {"seq": entry.seq})
        expected_prev = entry.hash
        expected_seq += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq > count:
        problem = _("entries %(first)d to %(last)d were cut off the end") % {"first": count + 1, "last": head_seq}
        return ChainReport(False, count, count + 1, problem)
    if head_seq != count or head_hash != expected_prev:
        return ChainReport(False, count, count, _("the chain's head does not match its last entry"))
    return ChainReport(True, count)


def audit_export(*, actor: User | None, what: str, filename: str) -> AuditEntry:
    """Record a download of data (an Excel registry, a Word report): who took what, from which address."""
    return audit_append(
        actor=actor,
        action="core.export.download",
        summary=f"导出 {filename}"[:300],
        payload={"what": what, "file": filename},
    )
