"""The hidden-danger closed loop as data (闭环: 排查 → 整改 → 验收 → 销号).

reported → rectifying (rectification assigned with the "five in place": measures, responsible person, funds,
deadline, interim safety measures) → rectified (photo evidence) → accepted (verified) or back to rectifying
(returned with reasons) → closed (销号). Who may take each step is data too; a major hidden danger is on the
supervised list (挂牌督办) and only the bureau may close it.
"""

from yingji.core.commands import Transitions
from yingji.core.roles import Role
from yingji.risk.models import DangerStatus as S

DANGER = Transitions(
    {
        S.REPORTED: (S.RECTIFYING,),
        S.RECTIFYING: (S.RECTIFIED,),
        S.RECTIFIED: (S.ACCEPTED, S.RECTIFYING),
        S.ACCEPTED: (S.CLOSED,),
        S.CLOSED: (),
    }
)

AUTHORITIES = (Role.ADMIN, Role.INSPECTOR, Role.STREET_OFFICER)
BUREAU = (Role.ADMIN, Role.INSPECTOR)

# Who may move a hidden danger into each status (a superuser holds every role). The enterprise plans and does
# its rectification; verification and closure are the authorities' (the enterprise cannot sign off its own work).
MOVE_ROLES: dict[str, tuple[str, ...]] = {
    S.RECTIFYING: (*AUTHORITIES, Role.ENTERPRISE_MANAGER),
    S.RECTIFIED: (*AUTHORITIES, Role.ENTERPRISE_MANAGER),
    S.ACCEPTED: AUTHORITIES,
    S.CLOSED: AUTHORITIES,
}
# Returning a rectification (rectified → rectifying) is a verifier's decision.
RETURN_ROLES = AUTHORITIES
# A major hidden danger (挂牌督办) is closed by the bureau only.
MAJOR_CLOSE_ROLES = BUREAU


def roles_for(current: str, target: str, *, major: bool) -> tuple[str, ...]:
    """Who may move a hidden danger from `current` to `target`."""
    if current == S.RECTIFIED and target == S.RECTIFYING:
        return RETURN_ROLES
    if target == S.CLOSED and major:
        return MAJOR_CLOSE_ROLES
    return MOVE_ROLES.get(target, ())
