"""Lifecycles of relief records as data.

A street's reports on an event follow the stages of the natural-disaster statistics: an initial report, then the
verified figures, then the final figures; a stage is filed once (a correction is the next stage). An award
(compensation or reward) is submitted, then approved or rejected. An event is open, then closed.
"""

from yingji.core.commands import Transitions

STAGES = Transitions({"": ("initial",), "initial": ("verified",), "verified": ("final",), "final": ()}, field="stage")
AWARD = Transitions({"submitted": ("approved", "rejected"), "approved": (), "rejected": ()})
EVENT = Transitions({"open": ("closed",), "closed": ()})
