"""Risk grading of a hazard: the LEC method (作业条件危险性评价法, Graham–Kinney), D = L × E × C, and the 5 × 5
likelihood × severity matrix (R = L × S), each mapped onto the four colours of the dual-prevention mechanism
(安委办〔2016〕11号: 重大/较大/一般/低风险 shown red/orange/yellow/blue).

No national standard fixes the band edges, so they are data (`LecBands`, `MatrixBands`) that a deployment may
change (settings `RISK_LEC_BANDS`, `RISK_MATRIX_BANDS`, see risk/conf.py). The defaults follow the common
provincial practice: D > 320 red, 160 ≤ D ≤ 320 orange, 70 ≤ D < 160 yellow, D < 70 blue; R 20-25 red,
9-16 orange, 4-8 yellow, 1-3 blue. Arithmetic is decimal so that a product such as 0.1 × 10 × 100 is exact.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

RED, ORANGE, YELLOW, BLUE = "red", "orange", "yellow", "blue"
COLOURS = (RED, ORANGE, YELLOW, BLUE)  # most severe first
COLOUR_RANK = {colour: rank for rank, colour in enumerate(reversed(COLOURS))}  # blue 0 … red 3
COLOUR_LABELS = {RED: _("Major risk (red)"), ORANGE: _("Higher risk (orange)"), YELLOW: _("General risk (yellow)"),
                 BLUE: _("Low risk (blue)")}  # fmt: skip
COLOUR_HEX = {RED: "#d92d20", ORANGE: "#f79009", YELLOW: "#facc15", BLUE: "#2e90fa"}
NOT_ASSESSED_HEX = "#98a2b3"  # an enterprise without an assessed risk point

# The score tables of the LEC method: each factor takes one of these values.
L_VALUES: dict[Decimal, str] = {
    Decimal("10"): "完全可以预料",
    Decimal("6"): "相当可能",
    Decimal("3"): "可能，但不经常",
    Decimal("1"): "可能性小，完全意外",
    Decimal("0.5"): "很不可能，可以设想",
    Decimal("0.2"): "极不可能",
    Decimal("0.1"): "实际不可能",
}
E_VALUES: dict[Decimal, str] = {
    Decimal("10"): "连续暴露",
    Decimal("6"): "每天工作时间内暴露",
    Decimal("3"): "每周一次或偶然暴露",
    Decimal("2"): "每月一次暴露",
    Decimal("1"): "每年几次暴露",
    Decimal("0.5"): "非常罕见地暴露",
}
C_VALUES: dict[Decimal, str] = {
    Decimal("100"): "大灾难，许多人死亡",
    Decimal("40"): "灾难，数人死亡",
    Decimal("15"): "非常严重，一人死亡",
    Decimal("7"): "严重，重伤",
    Decimal("3"): "重大，致残",
    Decimal("1"): "引人注目，需要救护",
}
LIKELIHOOD_LABELS = {1: "基本不可能", 2: "较不可能", 3: "可能", 4: "很可能", 5: "极有可能"}
SEVERITY_LABELS = {
    1: "一人轻微伤害",
    2: "一人需急救或多人轻微伤害",
    3: "一人严重伤害",
    4: "多人严重伤害",
    5: "一人死亡",
}

# The danger classes of D (危险程度), most dangerous first.
BAND_LABELS = {
    "extreme": "极其危险，不能继续作业",
    "high": "高度危险，需立即整改",
    "substantial": "显著危险，需要整改",
    "possible": "一般危险，需要注意",
    "slight": "稍有危险，可以接受",
}


@dataclass(frozen=True)
class Edge:
    """A lower edge of a colour band: D above `value` (or equal to it, when `inclusive`) reaches `colour`."""

    colour: str
    value: Decimal
    inclusive: bool = True

    def reached_by(self, score: Decimal) -> bool:
        return score >= self.value if self.inclusive else score > self.value


@dataclass(frozen=True)
class LecBands:
    """Colour edges for D, most severe first; below the last edge is blue. `slight_up_to` splits blue into
    "possible" (一般危险) and "slight" (稍有危险): the worked examples put D = 20 in "slight"."""

    edges: Sequence[Edge] = (
        Edge(RED, Decimal("320"), inclusive=False),
        Edge(ORANGE, Decimal("160")),
        Edge(YELLOW, Decimal("70")),
    )
    slight_up_to: Decimal = Decimal("20")


@dataclass(frozen=True)
class MatrixBands:
    """Colour edges for R = likelihood × severity, most severe first (inclusive); below the last is blue."""

    edges: Sequence[Edge] = (Edge(RED, Decimal("20")), Edge(ORANGE, Decimal("9")), Edge(YELLOW, Decimal("4")))


DEFAULT_LEC_BANDS = LecBands()
DEFAULT_MATRIX_BANDS = MatrixBands()


@dataclass(frozen=True)
class LecResult:
    d: Decimal
    band: str
    colour: str

    @property
    def band_label(self) -> str:
        return BAND_LABELS[self.band]


@dataclass(frozen=True)
class MatrixResult:
    score: int
    colour: str


def _colour(score: Decimal, edges: Sequence[Edge]) -> str:
    for edge in edges:
        if edge.reached_by(score):
            return edge.colour
    return BLUE


def lec_colour(d: Decimal | int | float | str, bands: LecBands = DEFAULT_LEC_BANDS) -> str:
    """The colour of a danger score D (any value, so edges can be tested directly)."""
    return _colour(Decimal(str(d)), bands.edges)


def lec_band(d: Decimal | int | float | str, bands: LecBands = DEFAULT_LEC_BANDS) -> str:
    """The danger class of D: extreme/high/substantial follow the colour edges; blue splits at `slight_up_to`."""
    score = Decimal(str(d))
    colour = _colour(score, bands.edges)
    if colour != BLUE:
        return {RED: "extreme", ORANGE: "high", YELLOW: "substantial"}[colour]
    return "slight" if score <= bands.slight_up_to else "possible"


def lec(
    l: Decimal | int | float | str,  # noqa: E741 - the method's own letter
    e: Decimal | int | float | str,
    c: Decimal | int | float | str,
    bands: LecBands = DEFAULT_LEC_BANDS,
) -> LecResult:
    """D = L × E × C with each factor from its score table; raises ValueError naming the factor otherwise."""
    factors = {}
    for name, raw, table in (("l", l, L_VALUES), ("e", e, E_VALUES), ("c", c, C_VALUES)):
        value = Decimal(str(raw))
        if value not in table:
            allowed = ", ".join(format(v.normalize(), "f") for v in table)
            raise ValueError(name, f"{name.upper()} must be one of {allowed}")
        factors[name] = value
    d = (factors["l"] * factors["e"] * factors["c"]).normalize()
    d = d.quantize(Decimal(1)) if d == d.to_integral_value() else d
    return LecResult(d=d, band=lec_band(d, bands), colour=lec_colour(d, bands))


def matrix(likelihood: int, severity: int, bands: MatrixBands = DEFAULT_MATRIX_BANDS) -> MatrixResult:
    """R = likelihood × severity on the 5 × 5 matrix; raises ValueError naming the factor outside 1-5."""
    for name, value in (("likelihood", likelihood), ("severity", severity)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(name, f"{name} must be a whole number from 1 to 5")
    score = likelihood * severity
    return MatrixResult(score=score, colour=_colour(Decimal(score), bands.edges))


def highest(colours: Sequence[str]) -> str | None:
    """The most severe of some colours (None for none)."""
    present = [c for c in colours if c in COLOUR_RANK]
    return max(present, key=COLOUR_RANK.__getitem__) if present else None
