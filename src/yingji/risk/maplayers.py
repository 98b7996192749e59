"""The four-colour risk layer of the one map: each enterprise coloured by its highest risk point."""

from collections.abc import Callable
from typing import Any

from yingji.risk.selectors import four_colour_features


def risk_layer(user: Any) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": four_colour_features(user=user)}


LAYERS: dict[str, Callable[[Any], dict[str, Any]]] = {"risk": risk_layer}
