"""The duty desk's commands, one transaction each, every change audited, logged on the incident's timeline and
pushed live after commit. They live in modules by what they do; this module is the app's one public surface for
them, so other apps (monitoring's alarm receiver, plans' activation, the portal) import from here."""

from yingji.incidents.command import COMMAND_FIELDS, incident_command, review_save, task_create, task_set_status
from yingji.incidents.dispatch import dispatch_create, dispatch_set_status, material_issue
from yingji.incidents.intake import (
    CASUALTY_FIELDS,
    DETAIL_FIELDS,
    incident_change,
    incident_close,
    incident_create,
    incident_merge,
    incident_note,
    incident_set_status,
    incident_update,
)
from yingji.incidents.lifecycle import dispatch_allowed
from yingji.incidents.proposals import proposal_attach, proposal_confirm, proposal_dismiss, proposal_from_alarm
from yingji.incidents.reporting import escalation_recipients, report_add, report_send, reports_escalate_overdue
from yingji.incidents.roster import handover_create, shift_create
from yingji.incidents.selectors import dispatch_recommend, incident_summary
from yingji.incidents.timeline import LIVE_CHANNEL, timeline_append

__all__ = [
    "CASUALTY_FIELDS",
    "COMMAND_FIELDS",
    "DETAIL_FIELDS",
    "LIVE_CHANNEL",
    "dispatch_allowed",
    "dispatch_create",
    "dispatch_recommend",
    "dispatch_set_status",
    "escalation_recipients",
    "handover_create",
    "incident_change",
    "incident_close",
    "incident_command",
    "incident_create",
    "incident_merge",
    "incident_note",
    "incident_set_status",
    "incident_summary",
    "incident_update",
    "material_issue",
    "proposal_attach",
    "proposal_confirm",
    "proposal_dismiss",
    "proposal_from_alarm",
    "report_add",
    "report_send",
    "reports_escalate_overdue",
    "review_save",
    "shift_create",
    "task_create",
    "task_set_status",
    "timeline_append",
]
