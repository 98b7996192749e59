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

# Who may take each action (a superuser holds every role).
ACTION_ROLES: dict[str, tuple[str, ...]] = {
    EDIT: (Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER),
    APPROVE: (Role.ADMIN, Role.COMMANDER),
    PUBLISH: (Role.ADMIN, Role.COMMANDER, Role.DUTY_OFFICER),
    UPDATE: (Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER, Role.STREET_OFFICER),
    CANCEL: (Role.ADMIN, Role.COMMANDER),
}
DRAFT_ROLES = ACTION_ROLES[EDIT]
IMPORT_ROLES = (Role.ADMIN, Role.DUTY_OFFICER, Role.COMMANDER)


def allowed_actions(*, status: str, msg_type: str, source: str) -> tuple[str, ...]:
    """The actions a warning in this state allows. A Cancel message and another agency's message are
    final here: only their issuer changes them, by sending a new message."""
    if msg_type == "Cancel" or source == "external":
        return ()
    return TRANSITIONS.get(status, ())


def roles_for(action: str, *, status: str) -> tuple[str, ...]:
    """Who may take an action: discarding an unpublished draft is the drafters' business, cancelling a
    published warning the commander's."""
    if action == CANCEL and status != "published":
        return ACTION_ROLES[EDIT]
    return ACTION_ROLES[action]
