"""Plans on top of the fixed cast: a commander who reviews and files, and a quick way to build a plan."""

from collections.abc import Callable
from typing import Any

import pytest

from yingji.conftest import PASSWORD
from yingji.core.models import OrgUnit, User
from yingji.core.roles import Role
from yingji.core.services import user_create
from yingji.plans import services
from yingji.plans.models import Conclusion, Plan, PlanStatus

BODY: dict[str, Any] = {
    "sections": [{"part": "general", "heading": "适用范围", "body": "适用于本单位危险化学品泄漏事故。"}],
    "roles": [
        {"name": "总指挥", "duties": "决定启动和终止响应", "contact": "王强", "phone": "13900000001"},
        {"name": "现场处置组", "duties": "关阀堵漏、警戒疏散", "contact": "李明", "phone": "13900000002"},
    ],
    "tiers": [
        {"level": "IV", "trigger": "少量泄漏，可在岗位处置"},
        {"level": "II", "trigger": "大量泄漏或人员中毒"},
    ],
    "steps": [
        {"level": "IV", "role": "现场处置组", "order": 1, "action": "关闭泄漏点上游阀门", "due_minutes": 5},
        {"level": "IV", "role": "总指挥", "order": 1, "action": "赶赴现场确认险情", "due_minutes": 15},
        {"level": "II", "role": "总指挥", "order": 1, "action": "启动二级响应，请求区应急局支援", "due_minutes": 10},
        {"level": "II", "role": "现场处置组", "order": 1, "action": "疏散下风向 500 米内人员", "due_minutes": 20},
        {"level": "II", "role": "现场处置组", "order": 2, "action": "设置警戒区"},
    ],
    "reporting": [
        {
            "role": "总指挥",
            "what": "事故简要情况",
            "recipient": "黄石港区应急管理局",
            "phone": "0714-6200000",
            "within_minutes": 60,
        }
    ],
    "annexes": [{"title": "应急物资装备名录", "body": "堵漏工具 2 套"}],
}


@pytest.fixture
def commander(cast) -> User:
    return user_create(by=None, username="t_commander", password=PASSWORD, org=cast.bureau, roles=[Role.COMMANDER])


@pytest.fixture
def make_plan(cast, commander) -> Callable[..., Plan]:
    """A plan with the standard body, moved to `status` through the real lifecycle."""

    def make(
        *,
        org: OrgUnit | None = None,
        level: str = "enterprise_onsite",
        title: str = "储罐区泄漏现场处置方案",
        incident_types: tuple[str, ...] = ("hazchem_leak",),
        status: str = PlanStatus.DRAFT,
        body: dict[str, Any] | None = None,
    ) -> Plan:
        plan = services.plan_create(
            by=None, org=org or cast.enterprise_x, title=title, level=level, incident_types=incident_types
        )
        plan = services.plan_body_set(by=None, plan=plan, body=BODY if body is None else body)
        path = {
            PlanStatus.DRAFT: [],
            PlanStatus.UNDER_REVIEW: [PlanStatus.UNDER_REVIEW],
            PlanStatus.APPROVED: [PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED],
            PlanStatus.FILED: [PlanStatus.UNDER_REVIEW, PlanStatus.APPROVED, PlanStatus.FILED],
        }[status]
        for target in path:
            if target == PlanStatus.APPROVED:
                services.plan_review_update(by=commander, plan=plan, conclusion=Conclusion.PASS, comments="同意")
            plan = services.plan_transition(by=commander, plan=plan, to=target)
        return plan

    return make
