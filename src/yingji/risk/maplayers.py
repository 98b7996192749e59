"""The four-colour risk layer of the one map: each enterprise coloured by its highest risk point."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from yingji.core.maplayers import FeatureCollection, LayerInfo
from yingji.core.models import User
from yingji.risk.lec import COLOUR_HEX, COLOUR_LABELS, COLOURS, NOT_ASSESSED_HEX
from yingji.risk.selectors import four_colour_features


def risk_layer(user: User) -> FeatureCollection:
    return {"type": "FeatureCollection", "features": four_colour_features(user=user)}


LAYERS: dict[str, Callable[[Any], FeatureCollection]] = {"risk": risk_layer}

# Its toggle on the one map, with the four colours (and "not assessed") as its legend.
INFO = {
    "risk": LayerInfo(
        _("Four-colour risk map"),
        colour=NOT_ASSESSED_HEX,
        legend=(*((COLOUR_HEX[c], COLOUR_LABELS[c]) for c in COLOURS), (NOT_ASSESSED_HEX, _("Not assessed"))),
        order=25,
    )
}
