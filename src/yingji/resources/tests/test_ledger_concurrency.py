"""Two withdrawals at once on real connections: the balance row's lock serialises them, so the second sees
what the first left and fails cleanly instead of driving the stock below zero."""

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection, transaction

from yingji.core.errors import ValidationFailed
from yingji.resources import selectors, services
from yingji.resources.models import StockBalance, StockMovement

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def production_database(tmp_path) -> Iterator[None]:
    """Let other threads' connections meet the database as production does. PostgreSQL: as it is. SQLite: the
    test database lives in memory with a shared cache, where a second writer fails at once ("table is locked")
    instead of waiting; copy it to a file, where WAL, IMMEDIATE transactions and the busy timeout apply."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    path = tmp_path / "ledger.sqlite3"
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    # Thread connections are built from this shared settings dict; this thread keeps its open connection.
    memory_name = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = memory_name


def in_thread(func: Callable[[], Any]) -> Any:
    """Run `func` on a connection of its own (the one production_database set up) and return its result."""
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["value"] = func()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return result["value"]


def wait_until_blocked(timeout_s: float = 10.0) -> None:
    """Return once another connection waits on a lock (PostgreSQL), or after a short pause (SQLite, whose
    second writer waits inside BEGIN IMMEDIATE where no catalogue can show it)."""
    if connection.vendor != "postgresql":
        time.sleep(0.3)
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0] > 0:
                return
        time.sleep(0.02)
    raise AssertionError("the second withdrawal never waited for the first one's lock")


def test_two_concurrent_withdrawals_cannot_overdraw(stock, cast, tmp_path):
    wh, water = stock.warehouse_a, stock.water
    services.stock_receive(by=cast.duty, warehouse=wh, item=water, quantity=10, reason="入库")
    with production_database(tmp_path):
        race(cast, wh, water)
        balance, ledger, reasons = in_thread(
            lambda: (
                StockBalance.objects.get(warehouse=wh, item=water).quantity,
                selectors.stock_on_hand_from_ledger(warehouse=wh, item=water),
                list(StockMovement.objects.filter(kind="out").values_list("reason", flat=True)),
            )
        )
    assert (balance, ledger, reasons) == (3, 3, ["一号调用"])


def race(cast, wh, water) -> None:
    """Withdraw 7 of 10 twice at once: the first holds its transaction open until the second is waiting."""
    first_holds_lock, release_first, second_started = threading.Event(), threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                services.stock_withdraw(by=cast.duty, warehouse=wh, item=water, quantity=7, reason="一号调用")
                first_holds_lock.set()
                release_first.wait(20)
            outcome["first"] = "ok"
        except Exception as exc:  # noqa: BLE001 - the test reports whatever happened
            outcome["first"] = exc
        finally:
            connection.close()

    def second() -> None:
        first_holds_lock.wait(20)
        second_started.set()
        try:
            services.stock_withdraw(by=cast.duty, warehouse=wh, item=water, quantity=7, reason="二号调用")
            outcome["second"] = "ok"
        except Exception as exc:  # noqa: BLE001
            outcome["second"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    assert first_holds_lock.wait(20) and second_started.wait(20)
    wait_until_blocked()
    # While the first transaction is open the second one has written nothing.
    assert "second" not in outcome
    release_first.set()
    for thread in threads:
        thread.join(30)

    assert outcome["first"] == "ok"
    assert isinstance(outcome["second"], ValidationFailed), outcome["second"]
    assert "3" in outcome["second"].errors["quantity"][0]
