"""Live updates: services publish events on a channel; open pages receive them as server-sent events.

Fan-out between processes: PostgreSQL LISTEN/NOTIFY when the database is PostgreSQL, Redis pub/sub when
YINGJI_REDIS_URL is set (it wins over PostgreSQL), and on the embedded SQLite default a small table that each web
process polls, so events of the worker and ingest processes reach the pages too. Every event carries the org path
it belongs to, so a client only receives what its data scope lets it see.

Publish after the change is committed: `transaction.on_commit(lambda: publish("duty", "incident", {...},
scope=org.path))`. The stream (`stream`, served at /live/<channel>/) answers only under ASGI (`yingji serve`);
under WSGI it tells the browser to retry later.
"""

import asyncio
import json
import logging
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.handlers.asgi import ASGIRequest
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, StreamingHttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from yingji.core.models import LiveEvent
from yingji.core.scopes import scope_root
from yingji.core.services import token_authenticate

log = logging.getLogger("yingji.live")

PG_CHANNEL = "yingji_live"
REDIS_PREFIX = "yingji:live:"
HEARTBEAT_S = 15.0
READY_TIMEOUT_S = 5.0
# NOTIFY payloads are limited to 8000 bytes; events are small summaries, pages fetch details themselves.
MAX_MESSAGE_BYTES = 7900
# How often a web process looks for new events in the table (the SQLite default): well within the 2 s promise.
TABLE_POLL_S = 0.3
# How often an open stream checks that its user is still signed in, active and (for a token) not revoked.
RECHECK_S = 2.0


@dataclass(frozen=True)
class Event:
    """One published event: `scope` is the org path it belongs to ("" = district-wide)."""

    channel: str
    event: str
    data: dict[str, Any]
    scope: str = ""

    def encode(self) -> str:
        return json.dumps(
            {"c": self.channel, "e": self.event, "d": self.data, "s": self.scope},
            cls=DjangoJSONEncoder,
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, raw: str | bytes) -> "Event":
        message = json.loads(raw)
        return cls(channel=message["c"], event=message["e"], data=message["d"], scope=message.get("s", ""))

    def sse(self) -> str:
        payload = json.dumps(self.data, cls=DjangoJSONEncoder, ensure_ascii=False)
        return f"event: {self.event}\ndata: {payload}\n\n"


@dataclass(eq=False)
class Subscriber:
    channel: str
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(maxsize=1000))


class Hub:
    """This process's subscribers by channel; delivery is thread-safe (publishers may be sync threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscriber]] = {}

    def subscribe(self, channel: str) -> Subscriber:
        subscriber = Subscriber(channel=channel, loop=asyncio.get_running_loop())
        with self._lock:
            self._subscribers.setdefault(channel, set()).add(subscriber)
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.get(subscriber.channel, set()).discard(subscriber)

    def deliver(self, event: Event) -> None:
        with self._lock:
            targets = list(self._subscribers.get(event.channel, ()))
        for subscriber in targets:
            try:
                subscriber.loop.call_soon_threadsafe(_offer, subscriber.queue, event)
            except RuntimeError:  # the subscriber's loop has closed
                self.unsubscribe(subscriber)


def _offer(queue: asyncio.Queue, event: Event) -> None:
    # A client that stopped reading loses events rather than holding the process's memory.
    if not queue.full():
        queue.put_nowait(event)


HUB = Hub()


def redis_url() -> str:
    return settings.REDIS_URL


def backend() -> str:
    """Which fan-out is in use: "redis", "postgres" or "table"."""
    if redis_url():
        return "redis"
    return "postgres" if connection.vendor == "postgresql" else "table"


def publish(channel: str, event: str, data: dict[str, Any], *, scope: str = "") -> None:
    """Send an event to every open stream of `channel` whose user may see `scope` (an org path).

    Call it from `transaction.on_commit`. A failure to push is logged, never raised: the change is committed and
    pages catch up when they reconnect.
    """
    message = Event(channel=channel, event=event, data=data, scope=scope)
    try:
        kind = backend()
        raw = message.encode()
        if len(raw.encode("utf-8")) > MAX_MESSAGE_BYTES:
            raise ValueError(f"live event {event} is too large ({len(raw)} characters)")
        if kind == "redis":
            _redis_publisher().publish(REDIS_PREFIX + channel, raw)
        elif kind == "table":
            LiveEvent.objects.create(channel=channel, event=event, data=json.loads(raw)["d"], scope=scope)
        else:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_notify(%s, %s)", [PG_CHANNEL, raw])
    except Exception:
        log.exception("live push of %s on %s failed", event, channel)


_redis_clients: dict[str, Any] = {}


def _redis_publisher() -> Any:
    import redis

    url = redis_url()
    if url not in _redis_clients:
        _redis_clients[url] = redis.Redis.from_url(url, socket_timeout=5)
    return _redis_clients[url]


def _pg_conninfo() -> str:
    from psycopg.conninfo import make_conninfo

    db = settings.DATABASES["default"]
    params = {"dbname": db.get("NAME"), "user": db.get("USER"), "password": db.get("PASSWORD")}
    params |= {"host": db.get("HOST"), "port": str(db.get("PORT") or "")}
    return make_conninfo(**{key: value for key, value in params.items() if value})


async def _listen_postgres(ready: asyncio.Event) -> None:
    import psycopg

    async with await psycopg.AsyncConnection.connect(_pg_conninfo(), autocommit=True) as conn:
        await conn.execute(f"LISTEN {PG_CHANNEL}")
        ready.set()
        async for notice in conn.notifies():
            HUB.deliver(Event.decode(notice.payload))


async def _listen_redis(ready: asyncio.Event) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(redis_url())
    try:
        async with client.pubsub() as pubsub:
            await pubsub.psubscribe(REDIS_PREFIX + "*")
            ready.set()
            async for message in pubsub.listen():
                if message["type"] == "pmessage":
                    HUB.deliver(Event.decode(message["data"]))
    finally:
        await client.aclose()


def _table_after(last_id: int) -> list[LiveEvent]:
    return list(LiveEvent.objects.filter(id__gt=last_id).order_by("id")[:500])


async def _listen_table(ready: asyncio.Event) -> None:
    last = await sync_to_async(lambda: LiveEvent.objects.aggregate(last=Max("id"))["last"] or 0)()
    ready.set()
    while True:
        await asyncio.sleep(TABLE_POLL_S)
        for row in await sync_to_async(_table_after)(last):
            HUB.deliver(Event(channel=row.channel, event=row.event, data=row.data, scope=row.scope))
            last = row.id


LISTENERS = {"postgres": _listen_postgres, "redis": _listen_redis, "table": _listen_table}


@dataclass
class Relay:
    """The one task per process that listens on PostgreSQL, Redis or the table and hands events to the hub."""

    kind: str
    task: asyncio.Task
    ready: asyncio.Event


_relay: Relay | None = None


async def _relay_forever(kind: str, ready: asyncio.Event) -> None:
    listen = LISTENERS[kind]
    while True:
        try:
            await listen(ready)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("live relay (%s) lost its connection; reconnecting", kind)
        ready.clear()
        await asyncio.sleep(1.0)


async def ensure_relay() -> None:
    """Start this process's relay, and wait until it listens."""
    global _relay
    kind = await sync_to_async(backend)()
    loop = asyncio.get_running_loop()
    if _relay is None or _relay.kind != kind or _relay.task.done() or _relay.task.get_loop() is not loop:
        if _relay is not None and not _relay.task.done() and not _relay.task.get_loop().is_closed():
            _relay.task.get_loop().call_soon_threadsafe(_relay.task.cancel)
        ready = asyncio.Event()
        _relay = Relay(kind=kind, task=loop.create_task(_relay_forever(kind, ready)), ready=ready)
    await asyncio.wait_for(_relay.ready.wait(), READY_TIMEOUT_S)


def visible(event_scope: str, root_path: str | None) -> bool:
    """Whether a client whose scope root has `root_path` (None: the whole district) may see the event."""
    return root_path is None or (bool(event_scope) and event_scope.startswith(root_path))


@dataclass(frozen=True)
class Credential:
    """What let a stream in: a session (its key and the user's session hash) or a bearer token."""

    user_id: int
    session_key: str | None = None
    session_hash: str = ""
    token: str | None = None


def _user_and_root(request: HttpRequest) -> tuple[Any, str | None, Credential]:
    """The signed-in (or bearer) user, their scope root's path and the credential to re-check; raises LookupError
    without a user and PermissionError when they see nothing."""
    user = request.user if request.user.is_authenticated else None
    header = request.headers.get("Authorization", "")
    credential = None
    if user is not None:
        credential = Credential(
            user_id=user.pk, session_key=request.session.session_key, session_hash=user.get_session_auth_hash()
        )
    elif header.startswith("Bearer "):
        raw = header.removeprefix("Bearer ").strip()
        user = token_authenticate(raw)
        if user is not None:
            credential = Credential(user_id=user.pk, token=raw)
    if user is None or credential is None or not user.is_active:
        raise LookupError("authentication required")
    root = scope_root(user)
    return user, (root.path if root is not None else None), credential


def still_allowed(credential: Credential) -> bool:
    """Whether the stream's user may still listen: the token is not revoked, or the session still exists (not signed
    out, not expired, password not changed); and the user is still active."""
    from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY

    from yingji.core.models import User

    if credential.token is not None:
        user = token_authenticate(credential.token)
        return user is not None and user.pk == credential.user_id
    if not credential.session_key:
        return False
    store = import_module(settings.SESSION_ENGINE).SessionStore(credential.session_key)
    if str(store.get(SESSION_KEY)) != str(credential.user_id):
        return False
    user = User.objects.filter(pk=credential.user_id, is_active=True).first()
    return user is not None and constant_time_compare(store.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash())


async def _events(channel: str, root_path: str | None, credential: Credential) -> AsyncIterator[str]:
    subscriber = HUB.subscribe(channel)
    loop = asyncio.get_running_loop()
    try:
        await ensure_relay()
        yield "retry: 3000\n\n"
        # "ready" tells the page it is connected, so it can refresh what it may have missed while away.
        yield "event: ready\ndata: {}\n\n"
        last_check = last_sent = loop.time()
        while True:
            try:
                event = await asyncio.wait_for(subscriber.queue.get(), RECHECK_S)
            except TimeoutError:
                event = None
            now = loop.time()
            if now - last_check >= RECHECK_S:
                last_check = now
                # Signed out, token revoked, user deactivated: the stream ends within seconds (GB/T 22239-2019
                # 8.1.4.1: a session ends with the sign-out, not when the client chooses to go).
                if not await sync_to_async(still_allowed)(credential):
                    yield "event: signed-out\ndata: {}\n\n"
                    return
            if event is None:
                if now - last_sent >= HEARTBEAT_S:
                    last_sent = now
                    yield ": keep-alive\n\n"
                continue
            if visible(event.scope, root_path):
                last_sent = now
                yield event.sse()
    finally:
        HUB.unsubscribe(subscriber)


@login_not_required
async def stream(request: HttpRequest, channel: str) -> HttpResponseBase:
    """Server-sent events of one channel, filtered to the user's data scope (session or bearer token)."""
    try:
        _user, root_path, credential = await sync_to_async(_user_and_root)(request)
    except LookupError:
        return JsonResponse({"detail": _("authentication required")}, status=401)
    except PermissionError:
        return JsonResponse({"detail": _("not found")}, status=404)
    if not isinstance(request, ASGIRequest):
        # A WSGI server would buffer an endless stream: ask the browser to come back later instead.
        return HttpResponse("retry: 60000\n\n", content_type="text/event-stream")
    return StreamingHttpResponse(
        _events(channel, root_path, credential),
        content_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
