"""The one map offers the four-colour layer as a toggle with the four colours as its legend."""

from django.utils import translation

from yingji.core.maplayers import LAYERS, VIEW_LAYERS, offered_layers
from yingji.risk.lec import COLOUR_HEX


def test_the_one_map_offers_the_risk_layer_with_its_four_colours() -> None:
    with translation.override("zh-hans"):
        offered = {layer["name"]: layer for layer in offered_layers()}
    risk = offered["risk"]
    assert risk["label"] == "安全风险四色分布图"
    assert risk["legend"] == [
        [COLOUR_HEX["red"], "重大风险（红）"],
        [COLOUR_HEX["orange"], "较大风险（橙）"],
        [COLOUR_HEX["yellow"], "一般风险（黄）"],
        [COLOUR_HEX["blue"], "低风险（蓝）"],
        ["#98a2b3", "未评估"],
    ]
    assert not risk["shown"] and not risk["areas"] and not risk["cluster"]


def test_every_offered_layer_is_registered_and_none_is_the_base_map() -> None:
    names = [layer["name"] for layer in offered_layers()]
    assert set(names) <= set(LAYERS) and not set(names) & VIEW_LAYERS
    assert len(names) == len(set(names))
    # The resource layers come first, in the order people know them; the street areas last.
    assert names[:5] == ["teams", "experts", "equipment", "warehouses", "shelters"] and names[-1] == "streets"
