"""Small counts of people are hidden in figures that leave the program."""

from __future__ import annotations

from decimal import Decimal

from kit.reporting.exports import Table
from kit.reporting.suppression import Counted, is_small, suppress
from kit.reporting.tables import FUNNEL_COUNTED, OUTCOMES_COUNTED, SATISFACTION_COUNTED

FUNNEL = Counted(frozenset({1, 2}), {3: 2})


def table(*rows: list[object]) -> Table:
    return Table("Funnel", ["Agency", "Referred", "Employed", "Employed (%)"], list(rows))


def test_counts_of_one_to_four_are_written_less_than_five_and_their_shares_emptied() -> None:
    shown = suppress(table(["Harbourview", 12, 3, Decimal("25.0")],
                           ["Pacific Bridges", 40, 10, Decimal("25.0")],
                           ["Tiny", 2, 0, Decimal("0.0")]), FUNNEL, 5)
    assert shown.rows == [["Harbourview", 12, "<5", None],
                          ["Pacific Bridges", 40, 10, Decimal("25.0")],
                          ["Tiny", "<5", 0, Decimal("0.0")]]  # zero says nothing of anyone
    assert shown.title == "Funnel" and shown.headings[1] == "Referred"


def test_a_minimum_of_one_shows_everything_and_text_is_never_a_count() -> None:
    rows = [["Harbourview", 1, 1, Decimal("100.0")]]
    assert suppress(table(*rows), FUNNEL, 1).rows == rows
    assert not is_small(True, 5) and not is_small("3", 5) and not is_small(Decimal(3), 5)
    assert is_small(4, 5) and not is_small(5, 5) and not is_small(0, 5)


def test_the_report_tables_declare_their_count_and_share_columns() -> None:
    # Funnel: referred, then (count, share) for accepted, matched, completed, employed.
    assert FUNNEL_COUNTED.counts == frozenset({1, 2, 4, 6, 8})
    assert dict(FUNNEL_COUNTED.derived) == {3: 2, 5: 4, 7: 6, 9: 8}
    # Outcomes: (count, share) for close, 3, 6 and 12 months.
    assert OUTCOMES_COUNTED.counts == frozenset({1, 3, 5, 7})
    assert dict(OUTCOMES_COUNTED.derived) == {2: 1, 4: 3, 6: 5, 8: 7}
    # Satisfaction: answers, average (from answers), five scores, concerns.
    assert SATISFACTION_COUNTED.counts == frozenset({1, 3, 4, 5, 6, 7, 8})
    assert dict(SATISFACTION_COUNTED.derived) == {2: 1}
