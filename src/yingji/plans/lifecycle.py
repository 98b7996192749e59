"""The plan lifecycle as data (review and filing, 生产安全事故应急预案管理办法 arts. 21-28; GB/T 29639-2020 ch. 4).

draft → under review (experts comment and conclude) → approved → filed with the district → being revised → under
review again; a plan in force may be abolished. A plan returned by the review goes back to draft.
"""

from yingji.core.commands import Transitions
from yingji.plans.models import PlanStatus as S

PLAN = Transitions(
    {
        S.DRAFT: (S.UNDER_REVIEW, S.ABOLISHED),
        S.UNDER_REVIEW: (S.APPROVED, S.DRAFT),
        S.APPROVED: (S.FILED, S.REVISING, S.ABOLISHED),
        S.FILED: (S.REVISING, S.ABOLISHED),
        S.REVISING: (S.UNDER_REVIEW, S.ABOLISHED),
        S.ABOLISHED: (),
    }
)

# The permission each move needs: authors submit, revise and abolish their plans; the bureau reviews and files.
PERMISSION: dict[str, str] = {
    S.UNDER_REVIEW: "plans.change_plan",
    S.DRAFT: "plans.review_plan",
    S.APPROVED: "plans.review_plan",
    S.FILED: "plans.file_plan",
    S.REVISING: "plans.change_plan",
    S.ABOLISHED: "plans.change_plan",
}

# Only a draft, or a plan being revised, may have its body edited.
EDITABLE = (S.DRAFT, S.REVISING)
