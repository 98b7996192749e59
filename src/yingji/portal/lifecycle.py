"""Lifecycles of the portal's records as data.

A lead (public hazard report): new → reviewing → incident (handed to the duty desk as an incident) or dismissed;
a new lead may be turned into an incident or dismissed at once. An article: draft → published → archived.
"""

from yingji.core.commands import Transitions

LEAD = Transitions(
    {
        "new": ("reviewing", "incident", "dismissed"),
        "reviewing": ("incident", "dismissed"),
        "incident": (),
        "dismissed": (),
    }
)

ARTICLE = Transitions({"draft": ("published", "archived"), "published": ("archived",), "archived": ()})
