"""The early-warning lifecycle as data: which actions each status allows, and who may take them.

draft → approved → published → updated (an Update message replaced it) / cancelled (a Cancel message
withdrew it); a draft or an approved warning may be edited (an edit sends it back to draft) or discarded.
Approval is a commander's (or an administrator's) decision.
"""

from yingji.core.roles import Role

EDIT, APPROVE, PUBLISH, UPDATE, CANCEL = "edit", "approve", "publish", "update", "cancel"

TRANSITIONS: dict[str, tuple[str, ...]] = {
    "draft": (EDIT, APPROVE, CANCEL),
    "approved": (EDIT, PUBLISH, CANCEL),
    "published": (UPDATE, CANCEL),
    "updated": (),
    "cancelled": (),
}

# The permission each action needs (granted to roles in WarningsConfig.ready(), as in every other app).
DRAFT_PERM = "warnings.add_earlywarning"
IMPORT_PERM = "warnings.import_earlywarning"
ACTION_PERMS: dict[str, str] = {
    EDIT: "warnings.change_earlywarning",
    APPROVE: "warnings.approve_earlywarning",
    PUBLISH: "warnings.publish_earlywarning",
    UPDATE: "warnings.change_earlywarning",
    CANCEL: "warnings.cancel_earlywarning",
}
_DRAFTERS = (Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER)
# Which roles hold each permission.
PERM_ROLES: dict[str, tuple[str, ...]] = {
    DRAFT_PERM: _DRAFTERS,
    "warnings.change_earlywarning": _DRAFTERS,
    "warnings.approve_earlywarning": (Role.ADMIN, Role.COMMANDER),
    "warnings.publish_earlywarning": (Role.ADMIN, Role.COMMANDER, Role.DUTY_OFFICER),
    "warnings.cancel_earlywarning": (Role.ADMIN, Role.COMMANDER),
    IMPORT_PERM: (Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER),
}


def allowed_actions(*, status: str, msg_type: str, source: str) -> tuple[str, ...]:
    """The actions a warning in this state allows. A Cancel message and another agency's message are
    final here: only their issuer changes them, by sending a new message."""
    if msg_type == "Cancel" or source == "external":
        return ()
    return TRANSITIONS.get(status, ())


def perm_for(action: str, *, status: str) -> str:
    """The permission an action needs: discarding an unpublished draft is the drafters' business, cancelling a
    published warning the commander's."""
    if action == CANCEL and status != "published":
        return ACTION_PERMS[EDIT]
    return ACTION_PERMS[action]


def needs_second_person(level: str, levels: list[str]) -> bool:
    """Whether a warning of `level` must be approved by someone other than its author (the two-person rule)."""
    return level in levels
