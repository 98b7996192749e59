"""The stock ledger: arithmetic, batches first-expiring-first-out, and the never-negative rule."""

from datetime import date

import pytest
import time_machine

from yingji.core.errors import NotAllowed, ValidationFailed
from yingji.core.models import AuditEntry
from yingji.resources import selectors, services
from yingji.resources.models import StockBalance, StockLot, StockMovement


def on_hand(warehouse, item) -> int:
    return StockBalance.objects.get(warehouse=warehouse, item=item).quantity


def assert_ledger_matches(warehouse, item) -> None:
    assert on_hand(warehouse, item) == selectors.stock_on_hand_from_ledger(warehouse=warehouse, item=item)
    lots = sum(StockLot.objects.filter(warehouse=warehouse, item=item).values_list("quantity", flat=True))
    assert lots == on_hand(warehouse, item)


def test_receipts_and_withdrawals_add_up(stock, cast):
    wh, water = stock.warehouse_a, stock.water
    services.stock_receive(by=cast.admin, warehouse=wh, item=water, quantity=100, reason="采购入库", batch="B1")
    services.stock_receive(by=cast.admin, warehouse=wh, item=water, quantity=50, reason="捐赠入库", batch="B2")
    (out,) = services.stock_withdraw(
        by=cast.admin, warehouse=wh, item=water, quantity=30, reason="防汛调用", batch="B2"
    )
    assert out.delta == -30 and out.balance_after == 120 and out.actor == cast.admin
    assert on_hand(wh, water) == 120
    assert_ledger_matches(wh, water)
    assert AuditEntry.objects.filter(action="resources.stockmovement.withdraw").count() == 1


@time_machine.travel("2026-06-01 09:00 +0800", tick=False)
def test_withdrawal_takes_the_first_expiring_batch_and_skips_expired_ones(stock, cast):
    wh, water = stock.warehouse_a, stock.water
    services.stock_receive(
        by=None, warehouse=wh, item=water, quantity=10, reason="入库", batch="OLD", expiry=date(2026, 5, 1)
    )
    services.stock_receive(
        by=None, warehouse=wh, item=water, quantity=10, reason="入库", batch="LATE", expiry=date(2027, 1, 1)
    )
    services.stock_receive(
        by=None, warehouse=wh, item=water, quantity=10, reason="入库", batch="SOON", expiry=date(2026, 7, 1)
    )
    moves = services.stock_withdraw(by=None, warehouse=wh, item=water, quantity=15, reason="调用")
    assert [(m.batch, m.delta) for m in moves] == [("SOON", -10), ("LATE", -5)]
    # The expired batch is not issued: 5 usable remain although 15 are on hand.
    with pytest.raises(ValidationFailed) as exc:
        services.stock_withdraw(by=None, warehouse=wh, item=water, quantity=6, reason="调用")
    assert "5" in exc.value.errors["quantity"][0]
    assert [lot.batch for lot in selectors.lots_expired(user=cast.admin)] == ["OLD"]
    assert_ledger_matches(wh, water)


def test_withdrawing_more_than_on_hand_fails_and_writes_nothing(stock, cast):
    wh, tent = stock.warehouse_a, stock.tent
    services.stock_receive(by=None, warehouse=wh, item=tent, quantity=5, reason="入库")
    before = StockMovement.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.stock_withdraw(by=None, warehouse=wh, item=tent, quantity=6, reason="调用")
    assert "quantity" in exc.value.errors
    assert StockMovement.objects.count() == before and on_hand(wh, tent) == 5


def test_adjustment_cannot_take_a_batch_below_zero(stock):
    wh, tent = stock.warehouse_a, stock.tent
    services.stock_receive(by=None, warehouse=wh, item=tent, quantity=5, reason="入库", batch="T1")
    services.stock_adjust(by=None, warehouse=wh, item=tent, delta=-2, reason="盘点损耗", batch="T1")
    with pytest.raises(ValidationFailed) as exc:
        services.stock_adjust(by=None, warehouse=wh, item=tent, delta=-4, reason="盘点", batch="T1")
    assert "delta" in exc.value.errors
    assert on_hand(wh, tent) == 3
    assert_ledger_matches(wh, tent)


def test_transfer_moves_batches_with_their_expiry(stock):
    source, target, water = stock.warehouse_a, stock.warehouse_b, stock.water
    services.stock_receive(
        by=None, warehouse=source, item=water, quantity=40, reason="入库", batch="W1", expiry=date(2030, 1, 1)
    )
    moves = services.stock_transfer(by=None, source=source, target=target, item=water, quantity=25, reason="支援乙街道")
    assert [(m.kind, m.delta) for m in moves] == [("transfer_out", -25), ("transfer_in", 25)]
    assert moves[0].transfer_ref == moves[1].transfer_ref != ""
    assert StockLot.objects.get(warehouse=target, item=water, batch="W1").expiry == date(2030, 1, 1)
    assert (on_hand(source, water), on_hand(target, water)) == (15, 25)
    assert_ledger_matches(source, water)
    assert_ledger_matches(target, water)


def test_receiving_a_batch_again_with_another_expiry_is_refused(stock):
    wh, water = stock.warehouse_a, stock.water
    services.stock_receive(
        by=None, warehouse=wh, item=water, quantity=1, reason="入库", batch="X", expiry=date(2030, 1, 1)
    )
    with pytest.raises(ValidationFailed) as exc:
        services.stock_receive(
            by=None, warehouse=wh, item=water, quantity=1, reason="入库", batch="X", expiry=date(2031, 1, 1)
        )
    assert "expiry" in exc.value.errors


@pytest.mark.parametrize("quantity", [0, -3])
def test_quantity_must_be_positive(stock, quantity):
    with pytest.raises(ValidationFailed) as exc:
        services.stock_receive(by=None, warehouse=stock.warehouse_a, item=stock.water, quantity=quantity, reason="入库")
    assert "quantity" in exc.value.errors


def test_reason_is_required(stock):
    with pytest.raises(ValidationFailed) as exc:
        services.stock_receive(by=None, warehouse=stock.warehouse_a, item=stock.water, quantity=1, reason="  ")
    assert "reason" in exc.value.errors


def test_street_officer_cannot_move_another_streets_stock(stock, cast):
    with pytest.raises(ValidationFailed) as exc:
        services.stock_receive(
            by=cast.street_officer, warehouse=stock.warehouse_b, item=stock.water, quantity=1, reason="入库"
        )
    assert "warehouse" in exc.value.errors
    services.stock_receive(
        by=cast.street_officer, warehouse=stock.warehouse_a, item=stock.water, quantity=1, reason="入库"
    )


def test_inspector_role_may_not_issue_stock(stock, cast):
    # The duty officer may issue stock; an enterprise manager may not touch a street's warehouse.
    services.stock_receive(by=cast.duty, warehouse=stock.warehouse_a, item=stock.water, quantity=2, reason="入库")
    with pytest.raises(ValidationFailed):
        services.stock_withdraw(
            by=cast.enterprise_manager, warehouse=stock.warehouse_a, item=stock.water, quantity=1, reason="x"
        )
    with pytest.raises(NotAllowed):
        services.stock_adjust(by=cast.duty, warehouse=stock.warehouse_a, item=stock.water, delta=1, reason="盘点")


def test_minimum_stock_raises_an_alert_below_it(stock, cast):
    wh, tent = stock.warehouse_a, stock.tent
    services.stock_receive(by=None, warehouse=wh, item=tent, quantity=5, reason="入库")
    services.stock_minimum_set(by=cast.street_officer, warehouse=wh, item=tent, minimum=10)
    assert [(b.warehouse, b.item) for b in selectors.stock_below_minimum(user=cast.street_officer)] == [(wh, tent)]
    assert list(selectors.stock_below_minimum(user=cast.enterprise_manager)) == []
    services.stock_receive(by=None, warehouse=wh, item=tent, quantity=5, reason="入库")
    assert list(selectors.stock_below_minimum(user=cast.street_officer)) == []


def test_database_refuses_a_negative_balance_written_around_the_service(stock):
    from django.db import IntegrityError, transaction

    services.stock_receive(by=None, warehouse=stock.warehouse_a, item=stock.water, quantity=1, reason="入库")
    with pytest.raises(IntegrityError), transaction.atomic():
        StockBalance.objects.filter(warehouse=stock.warehouse_a).update(quantity=-1)
