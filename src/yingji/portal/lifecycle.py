"""Lifecycles of the portal's records as data.

A lead (public hazard report): new → reviewing → incident (handed to the duty desk as an incident), danger
(accepted as a hidden danger of an enterprise; the risk app's closed loop follows) or dismissed; a new lead may be
handled at once. An article: draft → published → archived.
"""

from yingji.core.commands import Transitions

LEAD = Transitions(
    {
        "new": ("reviewing", "incident", "danger", "dismissed"),
        "reviewing": ("incident", "danger", "dismissed"),
        "incident": (),
        "danger": (),
        "dismissed": (),
    }
)

ARTICLE = Transitions({"draft": ("published", "archived"), "published": ("archived",), "archived": ()})
