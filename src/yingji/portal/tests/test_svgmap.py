"""The route map drawn without JavaScript: fitted, north up, equal scale."""

from yingji.portal.svgmap import route_svg


def test_route_fits_the_box_north_up_with_a_round_scale_bar():
    # 1 km east then 1 km north.
    drawing = route_svg([[115.0, 30.0], [115.0104, 30.0], [115.0104, 30.009]], width=320, height=200, pad=14)
    points = [tuple(map(float, p.split(","))) for p in drawing["points"].split()]
    assert all(14 - 0.1 <= x <= 306 + 0.1 and 14 - 0.1 <= y <= 186 + 0.1 for x, y in points)
    (x0, y0), (x1, y1), (x2, y2) = points
    assert x1 > x0 and abs(y1 - y0) < 0.1  # east is right
    assert y2 < y1 and abs(x2 - x1) < 0.1  # north is up
    assert abs((x1 - x0) - (y1 - y2)) < 3  # the same scale both ways
    assert drawing["bar_m"] in (50, 100, 200, 250, 500, 1000, 2000, 5000)
    assert drawing["end_anchor"] == "end"


def test_no_route_draws_nothing():
    assert route_svg([]) == {}
