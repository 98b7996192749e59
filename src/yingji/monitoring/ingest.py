"""Telemetry ingest: parse messages, store readings in batches, judge them against the rules in memory,
and raise, escalate, repeat and clear alarms.

The same engine serves MQTT (`yingji ingest`, see `mqtt.py`) and `POST /api/v1/telemetry`. A message it
cannot use goes to the dead-letter table with the reason; it never stops ingest. Readings are stored once
per (device, metric, time): the primary key drops re-deliveries, and rules judge only readings newer than
the last one judged, so a re-delivered message neither duplicates a row nor counts twice in an alarm.
"""

import json
import logging
import math
import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from django.db import DataError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from yingji.core.errors import Conflict
from yingji.monitoring.adapters import adapt
from yingji.monitoring.conf import TOPIC_PREFIX
from yingji.monitoring.hydrology import flood_response_check, rainstorm_criteria
from yingji.monitoring.metrics import METRIC_CODE_MAX, RAIN_WINDOWS, RAINSTORM_SIGNAL
from yingji.monitoring.models import OPEN_STATUSES, Alarm, DeadLetter, Device, DeviceStatus, Reading, Rule
from yingji.monitoring.rainfall import DEFAULT_CRITERIA, signal_rank, station_signal
from yingji.monitoring.rules import RANK, Direction, RuleKind, RuleSpec, applicable_rules, evaluate
from yingji.monitoring.selectors import rule_specs
from yingji.monitoring.services import AlarmRef, alarm_clear, alarm_escalate, alarm_raise

# The metric of river, lake and reservoir levels, whose stage crossings may change the 三防 response level.
LEVEL_METRIC = "water_level_m"
log = logging.getLogger("yingji.ingest")

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
MAX_AHEAD = timedelta(minutes=10)
# Checked with fullmatch: `$` would let a final newline through ("temp_c\n"), which breaks a COPY row.
METRIC_NAME = re.compile(r"[a-z][a-z0-9_]*")
# A device code names a row: printable text without control characters (NUL is refused by PostgreSQL).
DEVICE_CODE = re.compile(r"[^\x00-\x1f\x7f]{1,64}")
MAX_PAYLOAD = 64 * 1024
MAX_METRICS = 64
# No sensor reports beyond this; larger values are typing or encoding errors, and their sums overflow.
MAX_VALUE = 1e12


LAST_SEEN_STEP = timedelta(seconds=10)
READING_ROWS_PER_INSERT = 500
READING_COLUMNS = "monitoring_reading (device_id, metric, ts, value)"


def insert_readings(rows: Sequence[tuple[int, str, Any, float]]) -> None:
    """Store (device id, metric, time adapted for the database, value) rows, skipping ones already stored.
    Raw SQL, not the ORM: bulk_create spends more on building model instances than the database spends on
    the rows, and ingest's throughput is this function's. On PostgreSQL one COPY per batch, its text built
    here (metric codes are plain identifiers, see METRIC_NAME; values are finite floats), which is several
    times cheaper than psycopg's row-by-row writer. A batch holding a reading already stored (a re-delivery
    after a restart) makes the COPY fail on the primary key, and is then written again with
    INSERT … ON CONFLICT DO NOTHING."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        data = "".join([f"{device_id}\t{metric}\t{ts}\t{value!r}\n" for device_id, metric, ts, value in rows])
        try:
            with transaction.atomic(), connection.cursor() as cursor, connection.wrap_database_errors:
                with cursor.cursor.copy(f"COPY {READING_COLUMNS} FROM STDIN") as copy:
                    copy.write(data)
            return
        except IntegrityError:
            pass
        verb, tail = "INSERT INTO", " ON CONFLICT DO NOTHING"
    else:
        verb, tail = "INSERT OR IGNORE INTO", ""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), READING_ROWS_PER_INSERT):
            chunk = rows[start : start + READING_ROWS_PER_INSERT]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"{verb} {READING_COLUMNS} VALUES {values}{tail}",  # noqa: S608 (placeholders only)
                [field for row in chunk for field in row],
            )


class BadMessage(ValueError):
    """A message ingest cannot use; the text is the dead letter's reason."""


class Envelope(NamedTuple):
    """One message as it arrived: over MQTT the body is the raw payload and the device comes from the
    topic; over HTTP the body is one decoded item naming its device. (Tuples: ingest makes one per message.)"""

    source: str
    label: str
    body: Any
    device_code: str | None = None
    error: str = ""


class Parsed(NamedTuple):
    device_code: str
    ts: datetime
    metrics: dict[str, float]


@dataclass
class IngestResult:
    accepted: int = 0
    rejected: int = 0
    readings: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    raised: int = 0
    cleared: int = 0


def device_code_from_topic(topic: str) -> str:
    """`yingji/telemetry/<device_code>` → the device code."""
    if not topic.startswith(TOPIC_PREFIX):
        raise BadMessage(f"topic {topic!r} is not under {TOPIC_PREFIX}")
    code = topic[len(TOPIC_PREFIX) :]
    if not code or "/" in code or not valid_device_code(code):
        raise BadMessage(f"topic {topic!r} does not end in one device code")
    return code


def valid_device_code(code: Any) -> bool:
    """A device code ingest may look up: 1-64 characters, no control characters, encodable as UTF-8."""
    if not isinstance(code, str) or not DEVICE_CODE.fullmatch(code):
        return False
    try:
        code.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape
        return False
    return True


def parse_time(value: Any, *, now: datetime) -> datetime:
    """An ISO 8601 time with its offset, or epoch milliseconds; not before 2000 nor over 10 minutes ahead."""
    if isinstance(value, str):
        if len(value) > 64 or not value.isprintable():
            raise BadMessage(f"ts {value[:40]!r} is not ISO 8601")
        try:
            ts = datetime.fromisoformat(value)
        except ValueError:
            ts = _parse_loose_time(value)
        if ts.tzinfo is None:
            raise BadMessage("ts needs a UTC offset (Z or +08:00)")
    elif isinstance(value, bool) or value is None:
        raise BadMessage("ts is missing or not a time")
    elif isinstance(value, int | float):
        if not math.isfinite(value):
            raise BadMessage("ts is not a finite number")
        try:
            ts = datetime.fromtimestamp(value / 1000.0, tz=UTC)
        except (OverflowError, OSError, ValueError):
            raise BadMessage(f"ts {value} is out of range") from None
    else:
        raise BadMessage("ts must be ISO 8601 text or epoch milliseconds")
    if ts < EARLIEST or ts > now + MAX_AHEAD:
        raise BadMessage(f"ts {ts.isoformat()} is implausible")
    return ts


def _parse_loose_time(value: str) -> datetime:
    """The slow path for times `datetime.fromisoformat` refuses (surrounding blanks, Django's looser forms)."""
    ts: datetime | None
    try:
        ts = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            ts = parse_datetime(value.strip())
        except ValueError:
            ts = None
    if ts is None:
        raise BadMessage(f"ts {value[:40]!r} is not ISO 8601")
    return ts


# Metric names already checked against METRIC_NAME: a fleet uses a few dozen, and the regex per reading
# showed in profiles. Bounded so a stream of made-up names cannot grow it without end.
_VALID_NAMES: set[str] = set()
_VALID_NAMES_MAX = 4096


def parse_metrics(value: Any) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        raise BadMessage("metrics must be a non-empty object")
    if len(value) > MAX_METRICS:
        raise BadMessage(f"more than {MAX_METRICS} metrics")
    metrics = {}
    for name, number in value.items():
        if name not in _VALID_NAMES:
            if not isinstance(name, str) or len(name) > METRIC_CODE_MAX or not METRIC_NAME.fullmatch(name):
                raise BadMessage(f"metric name {str(name)[:40]!r} is not valid")
            if len(_VALID_NAMES) < _VALID_NAMES_MAX:
                _VALID_NAMES.add(name)
        kind = type(number)
        if kind is not float and (kind is bool or not isinstance(number, int | float)):
            raise BadMessage(f"metric {name} is not a finite number")
        try:
            number = float(number)
        except OverflowError:
            raise BadMessage(f"metric {name} is not a finite number") from None
        if not math.isfinite(number):
            raise BadMessage(f"metric {name} is not a finite number")
        if abs(number) > MAX_VALUE:
            raise BadMessage(f"metric {name} is out of range (at most {MAX_VALUE:g} in size)")
        metrics[name] = number
    return metrics


def parse_body(body: Any, *, device_code: str | None, now: datetime) -> Parsed:
    """Decode and check one message: `{"ts": …, "metrics": {…}}` (plus `"device"` over HTTP)."""
    if isinstance(body, bytes | bytearray):
        if len(body) > MAX_PAYLOAD:
            raise BadMessage("payload larger than 64 KiB")
        try:
            body = json.loads(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise BadMessage("payload is not UTF-8") from None
        except json.JSONDecodeError as exc:
            raise BadMessage(f"payload is not JSON: {exc.msg} at {exc.pos}") from None
    if not isinstance(body, dict):
        raise BadMessage("payload must be a JSON object")
    try:
        body = adapt(body)
    except ValueError as exc:
        raise BadMessage(str(exc)) from None
    if device_code is None:
        device_code = body.get("device")
        if not isinstance(device_code, str) or not device_code:
            raise BadMessage("device is missing")
        if not valid_device_code(device_code):
            raise BadMessage("device is not a valid device code")
    return Parsed(device_code, parse_time(body.get("ts"), now=now), parse_metrics(body.get("metrics")))


def storable(text: str) -> str:
    """Text any database stores: NUL and lone surrogates (which PostgreSQL and UTF-8 refuse) escaped."""
    if "\x00" in text:
        text = text.replace("\x00", "\\x00")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", errors="backslashreplace").decode("utf-8")
    return text


def _payload_text(body: Any) -> str:
    if isinstance(body, bytes | bytearray):
        return storable(bytes(body[:4000]).decode("utf-8", errors="replace"))
    try:
        return storable(json.dumps(body, ensure_ascii=False, default=str)[:4000])
    except (TypeError, ValueError):
        return storable(repr(body)[:4000])


def dead_letter(envelope: Envelope, reason: str) -> DeadLetter:
    return DeadLetter(
        source=envelope.source,
        topic=storable(envelope.label[:200]),
        payload=_payload_text(envelope.body),
        reason=storable(reason[:300]),
    )


class Extremes:
    """The minimum and maximum of the last `span_s` seconds of values (monotonic deques, O(1) amortised per
    value): all a rate rule needs of its window, however densely a device reports."""

    def __init__(self, span_s: int) -> None:
        self.span = timedelta(seconds=span_s)
        self.low: deque[tuple[datetime, float]] = deque()
        self.high: deque[tuple[datetime, float]] = deque()

    def push(self, at: datetime, value: float) -> None:
        while self.low and self.low[-1][1] >= value:
            self.low.pop()
        self.low.append((at, value))
        while self.high and self.high[-1][1] <= value:
            self.high.pop()
        self.high.append((at, value))

    def points(self, at: datetime) -> list[tuple[datetime, float]]:
        """The window's lowest and highest points as of `at` (empty when nothing is within it)."""
        cutoff = at - self.span
        for side in (self.low, self.high):
            while side and side[0][0] < cutoff:
                side.popleft()
        return [self.low[0], self.high[0]] if self.low else []


@dataclass
class _Repeat:
    count: int
    value: float
    at: datetime
    peak: float
    direction: str


class IngestEngine:
    """Stores and judges batches of messages; keeps rules, devices and open alarms in memory and
    reloads them every `cache_ttl_s` seconds (rule edits and people's alarm actions show up then)."""

    def __init__(self, *, cache_ttl_s: float = 30.0, clock: Callable[[], datetime] = timezone.now) -> None:
        self.cache_ttl_s = cache_ttl_s
        self.clock = clock
        self._loaded_at = -math.inf
        self.devices: dict[str, Device | None] = {}
        self.specs: list[RuleSpec] = []
        self.rules: dict[int, Rule] = {}
        self.open: dict[tuple[int, int], AlarmRef] = {}
        self._applicable: dict[tuple[int, str], list[RuleSpec]] = {}
        self._plans: dict[tuple[int, str], list[tuple[RuleSpec, Extremes | None]]] = {}
        self._last_ts: dict[tuple[int, str], datetime] = {}
        self._rain: dict[int, deque[tuple[datetime, float]]] = {}
        self._seen_written: dict[int, datetime] = {}
        self._extremes_by_key: dict[tuple[int, str, int], Extremes] = {}
        self.criteria = DEFAULT_CRITERIA

    # Caches -------------------------------------------------------------------------------------

    def refresh(self, *, force: bool = False) -> None:
        if not force and time.monotonic() - self._loaded_at < self.cache_ttl_s:
            return
        self.specs = rule_specs()
        self.criteria = rainstorm_criteria()
        self.rules = {r.pk: r for r in Rule.objects.filter(active=True)}
        self.devices = {}
        self._applicable = {}
        self._plans = {}
        self.open = {}
        rows = Alarm.objects.filter(status__in=OPEN_STATUSES).values(
            "id", "device_id", "rule_id", "level", "metric", "last_at"
        )
        for a in rows:
            self.open[(a["device_id"], a["rule_id"])] = AlarmRef(a["id"], a["level"])
            # A fresh process must not count a re-delivered reading into an open alarm a second time.
            key = (a["device_id"], a["metric"])
            if a["metric"] and (key not in self._last_ts or self._last_ts[key] < a["last_at"]):
                self._last_ts[key] = a["last_at"]
        self._loaded_at = time.monotonic()

    def _load_devices(self, codes: set[str]) -> None:
        missing = codes - self.devices.keys()
        if not missing:
            return
        found = {d.code: d for d in Device.objects.filter(code__in=missing, active=True)}
        for code in missing:
            self.devices[code] = found.get(code)

    def _rules_for(self, device: Device, metric: str) -> list[RuleSpec]:
        key = (device.id, metric)
        rules = self._applicable.get(key)
        if rules is None:
            rules = applicable_rules(self.specs, device_id=device.id, device_type=device.type, metric=metric)
            self._applicable[key] = rules
        return rules

    def _plan(self, device: Device, metric: str, at: datetime) -> list[tuple[RuleSpec, Extremes | None]]:
        """The value rules judging one metric of one device, each with its rate window (None for a
        threshold), worked out once per cache period: judging is per reading, so this is the hot path."""
        key = (device.id, metric)
        plan = self._plans.get(key)
        if plan is None:
            plan = [
                (spec, self._extremes(device, metric, spec.window_s, at) if spec.kind == RuleKind.RATE else None)
                for spec in self._rules_for(device, metric)
            ]
            self._plans[key] = plan
        return plan

    @staticmethod
    def _stored(device: Device, metric: str, before: datetime, span_s: int) -> list[tuple[datetime, float]]:
        """A metric's stored values of the `span_s` seconds before `before`: what a fresh process (or an
        HTTP request) starts its rate windows and rain totals from."""
        since = before - timedelta(seconds=span_s)
        rows = Reading.objects.filter(device_id=device.pk, metric=metric, ts__gte=since, ts__lt=before)
        return list(rows.order_by("ts").values_list("ts", "value"))

    def _rain_window(self, device: Device, before: datetime) -> deque[tuple[datetime, float]]:
        window = self._rain.get(device.pk)
        if window is None:
            window = deque(self._stored(device, "rain_mm", before, max(RAIN_WINDOWS.values())))
            self._rain[device.pk] = window
        return window

    def _extremes(self, device: Device, metric: str, span_s: int, before: datetime) -> Extremes:
        key = (device.pk, metric, span_s)
        extremes = self._extremes_by_key.get(key)
        if extremes is None:
            extremes = Extremes(span_s)
            for t, v in self._stored(device, metric, before, span_s):
                extremes.push(t, v)
            self._extremes_by_key[key] = extremes
        return extremes

    # Ingest -------------------------------------------------------------------------------------

    def ingest(self, envelopes: Sequence[Envelope], *, allowed: Callable[[Device], bool] | None = None) -> IngestResult:
        """Store one batch in one transaction, then judge it. Returns what was accepted and rejected."""
        self.refresh()
        now = self.clock()
        result = IngestResult()
        parsed: list[tuple[int, Envelope, Parsed | None, str]] = []
        codes: set[str] = set()
        for index, envelope in enumerate(envelopes):
            if envelope.error:
                parsed.append((index, envelope, None, envelope.error))
                continue
            try:
                item = parse_body(envelope.body, device_code=envelope.device_code, now=now)
            except BadMessage as exc:
                parsed.append((index, envelope, None, str(exc)))
                continue
            parsed.append((index, envelope, item, ""))
            codes.add(item.device_code)
        self._load_devices(codes)

        rows: list[tuple[int, str, Any, float]] = []
        append = rows.append
        adapt = connection.ops.adapt_datetimefield_value
        devices = self.devices
        seen_written = self._seen_written
        dead: list[DeadLetter] = []
        good: list[tuple[Device, Parsed]] = []
        stored: list[tuple[int, Envelope, list[tuple[int, str, Any, float]]]] = []
        seen: dict[int, Device] = {}
        for index, envelope, message, reason in parsed:
            device = devices.get(message.device_code) if message else None
            if message is not None and (device is None or (allowed is not None and not allowed(device))):
                reason = f"unknown device {message.device_code[:64]!r}"
            if reason or message is None or device is None:
                result.rejected += 1
                result.errors.append((index, reason))
                dead.append(dead_letter(envelope, reason))
                continue
            device_id, ts, metrics = device.id, message.ts, message.metrics
            result.accepted += 1
            result.readings += len(metrics)
            stored_ts = adapt(ts)
            start = len(rows)
            for metric, value in metrics.items():
                append((device_id, metric, stored_ts, value))
            stored.append((index, envelope, rows[start:]))
            good.append((device, message))
            if device.last_seen_at is None or ts > device.last_seen_at:
                device.last_seen_at = ts
            last_seen = device.last_seen_at
            written = seen_written.get(device_id)
            # Last-seen is kept to LAST_SEEN_STEP: rewriting every device row on every batch would cost more
            # than storing the readings.
            if device.status != DeviceStatus.ONLINE or written is None or last_seen - written >= LAST_SEEN_STEP:
                device.status = DeviceStatus.ONLINE
                seen[device_id] = device

        try:
            with transaction.atomic():
                insert_readings(rows)
                if dead:
                    DeadLetter.objects.bulk_create(dead)
                if seen:
                    Device.objects.bulk_update(list(seen.values()), ["last_seen_at", "status"])
        except (DataError, IntegrityError, ValueError):
            # Something in the batch the checks above let through and the database refuses: store message by
            # message so only the culprit goes to the dead letters. (An outage is an OperationalError and
            # propagates: the batch is then not acknowledged and comes again.)
            refused = self._store_one_by_one(stored, dead, seen, result)
            good = [pair for pair, (index, _e, _r) in zip(good, stored, strict=True) if index not in refused]
        for device in seen.values():
            assert device.last_seen_at is not None  # set from the batch above
            seen_written[device.id] = device.last_seen_at

        good.sort(key=lambda pair: pair[1].ts)
        self._judge(good, result)
        return result

    @staticmethod
    def _store_one_by_one(
        stored: list[tuple[int, Envelope, list[tuple[int, str, Any, float]]]],
        dead: list[DeadLetter],
        seen: dict[int, Device],
        result: IngestResult,
    ) -> set[int]:
        """Store each message in its own savepoint; those the database refuses become dead letters.
        Returns the indexes of the refused messages."""
        refused: set[int] = set()
        with transaction.atomic():
            for index, envelope, rows in stored:
                try:
                    with transaction.atomic():
                        insert_readings(rows)
                except (DataError, IntegrityError, ValueError) as exc:
                    reason = f"the database refused the message: {type(exc).__name__}: {str(exc)[:200]}"
                    refused.add(index)
                    result.accepted -= 1
                    result.readings -= len(rows)
                    result.rejected += 1
                    result.errors.append((index, reason))
                    dead.append(dead_letter(envelope, reason))
            DeadLetter.objects.bulk_create(dead)
            if seen:
                Device.objects.bulk_update(list(seen.values()), ["last_seen_at", "status"])
        result.errors.sort()
        return refused

    # Judging ------------------------------------------------------------------------------------

    def _judge(self, good: list[tuple[Device, Parsed]], result: IngestResult) -> None:
        repeats: dict[int, _Repeat] = {}
        last_ts = self._last_ts
        plans = self._plans
        levels_moved = False
        for device, item in good:
            device_id, at = device.id, item.ts
            for metric, value in item.metrics.items():
                key = (device_id, metric)
                last = last_ts.get(key)
                if last is not None and at <= last:
                    continue  # re-delivered or late: stored, but already judged past it
                last_ts[key] = at
                try:
                    plan = plans.get(key)
                    if plan is None:
                        plan = self._plan(device, metric, at)
                    if plan:
                        moved = self._judge_value(device, metric, value, at, result, repeats, plan)
                        levels_moved = levels_moved or (moved and metric == LEVEL_METRIC)
                    if metric == "rain_mm":
                        self._judge_rain(device, value, at, result, repeats)
                except (OperationalError, InterfaceError):
                    raise  # the database is away: the batch is not acknowledged and comes again
                except Exception:
                    # A reading that trips the judging (a bug, a rule no value fits) is stored and logged; it
                    # must not hold up the batch, which the broker would otherwise re-deliver for ever.
                    log.exception("judging %s %s=%r at %s failed", device.code, metric, value, at.isoformat())
        self._flush_repeats(repeats)
        if levels_moved:
            # A level station crossed a stage (its level rule's alarm changed): the 三防 response may change with it.
            try:
                flood_response_check(now=self.clock())
            except (OperationalError, InterfaceError):
                raise
            except Exception:
                log.exception("checking the flood response failed")

    def _judge_rain(self, device: Device, value: float, at: datetime, result: IngestResult, repeats: dict) -> None:
        derived = [m for m in RAIN_WINDOWS if self._rules_for(device, m)]
        signal_rules = self._rules_for(device, RAINSTORM_SIGNAL)
        if not derived and not signal_rules:
            return
        longest = max(RAIN_WINDOWS.values())
        window = self._rain_window(device, at)
        window.append((at, value))
        while window and (at - window[0][0]).total_seconds() >= longest:
            window.popleft()
        for metric in derived:
            span = RAIN_WINDOWS[metric]
            total = sum(v for t, v in window if (at - t).total_seconds() < span)
            self._judge_value(device, metric, round(total, 3), at, result, repeats, self._plan(device, metric, at))
        if signal_rules:
            # The rainstorm signal (rank 0-4) judged like any metric: its rule raises, escalates and clears it.
            totals = {
                c.hours: round(sum(v for t, v in window if (at - t).total_seconds() < c.hours * 3600), 3)
                for c in self.criteria
            }
            rank = signal_rank(station_signal(totals, self.criteria))
            plan = self._plan(device, RAINSTORM_SIGNAL, at)
            self._judge_value(device, RAINSTORM_SIGNAL, float(rank), at, result, repeats, plan)

    def _judge_value(
        self,
        device: Device,
        metric: str,
        value: float,
        at: datetime,
        result: IngestResult,
        repeats: dict[int, _Repeat],
        plan: list[tuple[RuleSpec, Extremes | None]],
    ) -> bool:
        """Judge one value by the rules in `plan`; True when an alarm was raised, escalated or cleared."""
        device_id = device.id
        moved = False
        for spec, extremes in plan:
            key = (device_id, spec.id)
            ref = self.open.get(key)
            current = ref.level if ref else None
            window = extremes.points(at) if extremes is not None else ()
            level = evaluate(spec, value=value, at=at, current=current, window=window)
            if level is None:
                if ref is not None:
                    self.open.pop(key, None)
                    if alarm_clear(alarm_id=ref.id, at=at, value=value):
                        result.cleared += 1
                        moved = True
                    repeats.pop(ref.id, None)
                continue
            if ref is None:
                ref = alarm_raise(
                    device=device, rule=self.rules[spec.id], metric=metric, level=level, value=value, at=at
                )
                self.open[key] = ref
                result.raised += int(ref.created)
                if ref.created:
                    moved = True
                    continue
            if RANK[level] > RANK[ref.level]:
                moved = True
                try:
                    self.open[key] = alarm_escalate(alarm_id=ref.id, level=level, value=value, at=at)
                except Conflict:  # closed by a person meanwhile: the next reading raises a new alarm
                    self.open.pop(key, None)
                continue
            repeat = repeats.get(ref.id)
            if repeat is None:
                repeats[ref.id] = _Repeat(1, value, at, value, spec.direction)
            else:
                repeat.count += 1
                repeat.value, repeat.at = value, at
                worse = value > repeat.peak if spec.direction == Direction.ABOVE else value < repeat.peak
                repeat.peak = value if worse else repeat.peak
        for _spec, extremes in plan:
            if extremes is not None:
                extremes.push(at, value)
        return moved

    def _flush_repeats(self, repeats: dict[int, _Repeat]) -> None:
        for alarm_id, repeat in repeats.items():
            peak = Greatest if repeat.direction == Direction.ABOVE else Least
            updated = Alarm.objects.filter(pk=alarm_id, status__in=OPEN_STATUSES).update(
                repeat_count=F("repeat_count") + repeat.count,
                value=repeat.value,
                last_at=repeat.at,
                peak_value=peak(F("peak_value"), repeat.peak),
            )
            if not updated:
                # Closed by a person since the cache was loaded: forget it so the next reading raises anew.
                self.open = {k: v for k, v in self.open.items() if v.id != alarm_id}
