"""The plan lifecycle: every allowed move, the refused ones (409 naming the allowed), review and versions."""

import pytest

from yingji.core.errors import Conflict, NotAllowed
from yingji.plans import services
from yingji.plans.lifecycle import PLAN
from yingji.plans.models import Conclusion, PlanStatus, PlanVersion

S = PlanStatus


def test_draft_to_review_freezes_a_version_and_opens_a_review(make_plan, commander):
    plan = make_plan()
    plan = services.plan_transition(by=commander, plan=plan, to=S.UNDER_REVIEW)
    assert plan.status == S.UNDER_REVIEW and plan.version == 1
    assert PlanVersion.objects.get(plan=plan, number=1).text.startswith("# 储罐区泄漏现场处置方案")
    review = plan.reviews.get()
    assert review.version == 1 and review.concluded_at is None


def test_approval_needs_a_passing_conclusion(make_plan, commander):
    plan = make_plan(status=S.UNDER_REVIEW)
    with pytest.raises(Conflict, match="has not concluded"):
        services.plan_transition(by=commander, plan=plan, to=S.APPROVED)
    services.plan_review_update(by=commander, plan=plan, conclusion=Conclusion.FAIL, comments="职责不清")
    with pytest.raises(Conflict):
        services.plan_transition(by=commander, plan=plan, to=S.APPROVED)
    services.plan_review_update(by=commander, plan=plan, conclusion=Conclusion.REVISE)
    plan = services.plan_transition(by=commander, plan=plan, to=S.APPROVED)
    assert plan.status == S.APPROVED and plan.approved_at is not None
    assert plan.reviews.get().concluded_by == commander


def test_review_may_return_the_plan_to_draft(make_plan, commander):
    plan = make_plan(status=S.UNDER_REVIEW)
    plan = services.plan_transition(by=commander, plan=plan, to=S.DRAFT)
    assert plan.status == S.DRAFT
    assert plan.reviews.get().conclusion == Conclusion.FAIL


def test_every_allowed_move_from_filed_on(make_plan, commander, cast):
    plan = make_plan(status=S.FILED)
    assert plan.filing_number
    plan = services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.REVISING)
    services.plan_body_set(by=cast.enterprise_manager, plan=plan, body={"steps": [], "roles": []})
    with pytest.raises(Conflict, match="without response steps"):
        services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.UNDER_REVIEW)
    plan = services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.ABOLISHED)
    assert plan.status == S.ABOLISHED


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (S.DRAFT, S.APPROVED),
        (S.DRAFT, S.FILED),
        (S.UNDER_REVIEW, S.FILED),
        (S.APPROVED, S.DRAFT),
        (S.FILED, S.APPROVED),
        (S.FILED, S.DRAFT),
    ],
)
def test_invalid_moves_are_409_naming_the_allowed(make_plan, commander, start, target):
    plan = make_plan(status=start)
    with pytest.raises(Conflict) as caught:
        services.plan_transition(by=commander, plan=plan, to=target)
    assert caught.value.extra["allowed"] == list(PLAN.allowed(start))
    assert ", ".join(PLAN.allowed(start)) in caught.value.detail and target in caught.value.detail


def test_abolished_is_final(make_plan, commander):
    plan = make_plan(status=S.APPROVED)
    plan = services.plan_transition(by=commander, plan=plan, to=S.ABOLISHED)
    for target in S.values:
        with pytest.raises(Conflict) as caught:
            services.plan_transition(by=commander, plan=plan, to=target)
        assert caught.value.extra["allowed"] == []


def test_enterprise_may_not_approve_or_file_its_own_plan(make_plan, cast, commander):
    plan = make_plan(status=S.UNDER_REVIEW)
    with pytest.raises(NotAllowed):
        services.plan_review_update(by=cast.enterprise_manager, plan=plan, conclusion=Conclusion.PASS)
    services.plan_review_update(by=commander, plan=plan, conclusion=Conclusion.PASS)
    with pytest.raises(NotAllowed):
        services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.APPROVED)
    plan = services.plan_transition(by=commander, plan=plan, to=S.APPROVED)
    with pytest.raises(NotAllowed):
        services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.FILED)


def test_body_cannot_change_once_approved(make_plan):
    plan = make_plan(status=S.APPROVED)
    with pytest.raises(Conflict, match="cannot be edited"):
        services.plan_update(by=None, plan=plan, title="改名")


def test_versions_diff_readably(make_plan, commander, cast):
    from yingji.plans.selectors import version_diff

    plan = make_plan(status=S.FILED)
    plan = services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.REVISING)
    body = {
        "roles": [{"name": "总指挥", "duties": "决定启动和终止响应"}],
        "tiers": [{"level": "IV", "trigger": "少量泄漏"}],
        "steps": [{"level": "IV", "role": "总指挥", "order": 1, "action": "赶赴现场确认险情"}],
    }
    services.plan_body_set(by=cast.enterprise_manager, plan=plan, body=body)
    plan = services.plan_transition(by=cast.enterprise_manager, plan=plan, to=S.UNDER_REVIEW)
    assert plan.version == 2
    diff = version_diff(plan=plan, old=1, new=2)
    assert diff[0] == "--- v1" and diff[1] == "+++ v2"
    assert "-- 现场处置组 李明 13900000002: 关阀堵漏、警戒疏散" in diff
    assert "-- IV级: 少量泄漏，可在岗位处置" in diff and "+- IV级: 少量泄漏" in diff
    assert " - IV级 / 总指挥 / 1. 赶赴现场确认险情" in diff or "+- IV级 / 总指挥 / 1. 赶赴现场确认险情" in diff
