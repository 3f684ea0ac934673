"""The SVG charts: well-formed, named for screen readers, bars in proportion, no script."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

from kit.reporting.charts import Series, bar_chart, line_chart, stacked_bar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    # The kit's own output, not untrusted input.
    return ElementTree.fromstring(str(markup))  # noqa: S314


def bars(svg: ElementTree.Element) -> list[ElementTree.Element]:
    return [rect for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "kit-bar"]


def test_a_chart_is_an_image_named_by_its_title_and_description():
    svg = parse(bar_chart("c1", "Hours <per> department", "Top 3 & others",
                          [("Parks & Rec", 10), ("<Finance>", 5)]))
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "c1-title c1-desc"
    assert svg.find(f"{SVG}title").text == "Hours <per> department"
    assert svg.find(f"{SVG}title").get("id") == "c1-title"
    assert svg.find(f"{SVG}desc").text == "Top 3 & others"
    labels = [t.text for t in svg.iter(f"{SVG}text")]
    assert "Parks & Rec" in labels and "<Finance>" in labels


@pytest.mark.parametrize("horizontal", [True, False])
def test_bar_lengths_are_proportional_to_the_values(horizontal):
    svg = parse(bar_chart("c", "t", "d", [("a", 40), ("b", 10), ("c", 30), ("d", 0)],
                          horizontal=horizontal))
    size = "width" if horizontal else "height"
    lengths = [float(rect.get(size)) for rect in bars(svg)]
    assert lengths[1] == pytest.approx(lengths[0] / 4)
    assert lengths[2] == pytest.approx(lengths[0] * 3 / 4)
    assert lengths[3] == 0
    if not horizontal:  # vertical bars stand on one baseline
        bottoms = {round(float(r.get("y")) + float(r.get("height")), 2) for r in bars(svg)}
        assert len(bottoms) == 1


def test_an_empty_or_all_zero_chart_still_parses():
    assert bars(parse(bar_chart("c", "t", "d", []))) == []
    assert [float(r.get("width")) for r in bars(parse(bar_chart("c", "t", "d", [("a", 0)])))] \
        == [0.0]


def test_stacked_segments_follow_each_other_in_proportion():
    svg = parse(stacked_bar_chart("s", "t", "d", ["Engineering", "Health"],
                                  [Series("On track", [3, 1]), Series("Stalled", [1, 0])]))
    segments = bars(svg)
    assert len(segments) == 3  # a zero segment is not drawn
    first, second, third = (float(r.get("width")) for r in segments)
    assert first == pytest.approx(3 * second)
    assert float(segments[1].get("x")) == pytest.approx(float(segments[0].get("x")) + first)
    assert third == pytest.approx(second)
    legend = [t.text for t in svg.iter(f"{SVG}text")]
    assert "On track" in legend and "Stalled" in legend


def test_a_line_chart_breaks_where_a_value_is_missing():
    svg = parse(line_chart("l", "t", "d", ["2026-01", "2026-02", "2026-03", "2026-04"],
                           [Series("Mentors", [4, 5, None, 3]), Series("Newcomers", [2, 3, 4, 5])],
                           low=1, high=5))
    lines = list(svg.iter(f"{SVG}polyline"))
    assert len(lines) == 2  # the mentors' single point after the gap draws no line
    assert len(list(svg.iter(f"{SVG}circle"))) == 7
    ys = [float(p.split(",")[1]) for p in lines[1].get("points").split()]
    assert ys == sorted(ys, reverse=True)  # rising scores go up the page


def test_no_script_and_no_external_reference():
    for markup in (bar_chart("a", "t", "d", [("x", 1)]),
                   stacked_bar_chart("b", "t", "d", ["x"], [Series("s", [1])]),
                   line_chart("c", "t", "d", ["x", "y"], [Series("s", [1, 2])])):
        text = str(markup)
        assert "<script" not in text and "href" not in text and "http://" not in text.replace(
            'xmlns="http://www.w3.org/2000/svg"', "")
