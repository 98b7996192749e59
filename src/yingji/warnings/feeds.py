"""The public Atom 1.0 feed of warnings in force, each entry linking to the warning's public page and to its
CAP 1.2 message; other agencies and the public portal read it without signing in. A browser opening the feed
gets the same entries as a page (views.feed); Chromium is removing XSLT, so an xml-stylesheet would not last."""

from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.translation import gettext_lazy as _
from django.utils.xmlutils import SimplerXMLGenerator

from yingji.warnings import cap
from yingji.warnings.models import EarlyWarning
from yingji.warnings.selectors import warning_current


class CapAtomFeed(Atom1Feed):
    """Atom with a rel="alternate" link of type application/cap+xml in each entry, and the summary as plain text:
    a warning's description is what its author typed, never markup for a reader to render."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        handler.addQuickElement("link", "", {"rel": "alternate", "type": cap.MIME_TYPE, "href": item["cap_url"]})


def _public_url(name: str, fallback: str, *args: int) -> str:
    """The public portal's page when the portal is installed (it sits above this app and is reached by URL name
    only, never imported), else the staff page."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return reverse(fallback, args=args)


class CurrentWarningsFeed(Feed):
    feed_type = CapAtomFeed
    title = _("Huangshigang District: warnings in force")
    subtitle = _("Early warnings published and not yet expired or cancelled, each as a CAP 1.2 message.")

    def link(self) -> str:
        return _public_url("public:warnings", "warnings:list")

    def items(self) -> QuerySet[EarlyWarning]:
        # A drill's warnings stay inside the platform.
        return warning_current().filter(exercise=False)[:200]

    def item_title(self, item: EarlyWarning) -> str:
        return item.headline

    def item_description(self, item: EarlyWarning) -> str:
        return item.description

    def item_link(self, item: EarlyWarning) -> str:
        """The warning's public page: the feed is public, so its links must open without signing in."""
        return _public_url("public:warning", "warnings:detail", item.pk)

    def item_guid(self, item: EarlyWarning) -> str:
        return f"urn:cap:{item.sender}:{item.identifier}"

    def item_guid_is_permalink(self, item: EarlyWarning) -> bool:
        return False

    def item_pubdate(self, item: EarlyWarning) -> datetime | None:
        return item.sent

    def item_updateddate(self, item: EarlyWarning) -> datetime | None:
        return item.sent

    def item_author_name(self, item: EarlyWarning) -> str:
        return item.sender_name

    def item_categories(self, item: EarlyWarning) -> list[str]:
        return [item.get_event_type_display(), item.get_level_display()]

    def item_extra_kwargs(self, item: EarlyWarning) -> dict[str, str]:
        return {"cap_url": self._request.build_absolute_uri(f"/api/v1/warnings/{item.pk}/cap")}

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        self._request = request
        return super().get_feed(obj, request)
