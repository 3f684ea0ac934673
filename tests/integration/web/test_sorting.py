"""Long tables sort on the server: ``?sort=<column>&dir=asc|desc``, headers say how (aria-sort).

No JavaScript: each column header is a link. Only allowed columns are honoured; anything
else shows the table in its usual order. The pager keeps the order.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from conftest import sign_in_as

from kit.models.base import utcnow

REFERRALS = "/mentoring/coordinator/referrals"
NEWCOMERS = "/mentoring/coordinator/newcomers"
VOLUNTEERS = "/mentoring/coordinator/volunteers"
AGENCIES = "/mentoring/admin/"


@pytest.fixture
def coordinator(client, factory, db):
    staff = factory.staff("Amara Okafor", roles=("coordinator", "admin"))
    db.commit()
    sign_in_as(client, "staff", staff.id)
    return staff


@pytest.fixture
def three_referrals(factory, db):
    """Three newcomers from three agencies, referred on three days."""
    now = utcnow()
    for days, (given, agency) in enumerate((("Chidi", "Bayside Settlement"),
                                            ("Amina", "Coastal Welcome"),
                                            ("Bashir", "Atlas Newcomers"))):
        factory.referral(factory.newcomer(given, "Tester"), factory.agency(agency),
                         submitted_at=now - timedelta(days=3 - days))
    db.commit()


def body(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return html.unescape(response.get_data(as_text=True))


def order_of(page: str, *names: str) -> list[str]:
    """``names`` in the order they appear in the table's body."""
    rows = page.split("<tbody>", 1)[1]
    return sorted(names, key=rows.index)


def header(page: str, label: str) -> str:
    """The <th> whose link says ``label``."""
    found = re.search(rf'<th scope="col"[^>]*>\s*<a class="kit-sort"[^>]*>{re.escape(label)}'
                      r".*?</th>", page, re.S)
    assert found, f"no sortable header {label!r}"
    return found.group(0)


def test_the_referral_queue_sorts_by_each_column_both_ways(client, coordinator,
                                                           three_referrals) -> None:
    names = ("Amina", "Bashir", "Chidi")
    page = body(client, REFERRALS)
    assert order_of(page, *names) == ["Chidi", "Amina", "Bashir"]  # oldest first
    assert 'aria-sort="ascending"' in header(page, "Referred on")
    assert "aria-sort" not in header(page, "Newcomer")

    page = body(client, f"{REFERRALS}?sort=newcomer&dir=asc")
    assert order_of(page, *names) == ["Amina", "Bashir", "Chidi"]
    assert 'aria-sort="ascending"' in header(page, "Newcomer")
    assert "aria-sort" not in header(page, "Referred on")
    # The sorted column's link turns the order around; the others start ascending.
    assert "sort=newcomer&dir=desc" in header(page, "Newcomer")
    assert "sort=agency&dir=asc" in header(page, "Agency")

    page = body(client, f"{REFERRALS}?sort=newcomer&dir=desc")
    assert order_of(page, *names) == ["Chidi", "Bashir", "Amina"]
    assert 'aria-sort="descending"' in header(page, "Newcomer")
    assert order_of(body(client, f"{REFERRALS}?sort=agency"), *names) == [
        "Bashir", "Chidi", "Amina"]
    assert order_of(body(client, f"{REFERRALS}?sort=submitted&dir=desc"), *names) == [
        "Bashir", "Amina", "Chidi"]


def test_the_queue_keeps_its_filters_in_the_header_links(client, coordinator,
                                                         three_referrals) -> None:
    page = body(client, f"{REFERRALS}?status=all&sort=agency&dir=desc")
    link = header(page, "Newcomer")
    assert "status=all" in link and "sort=newcomer" in link
    # The filter form sends the order along, so filtering does not lose it.
    assert '<input type="hidden" name="sort" value="agency">' in page
    assert '<input type="hidden" name="dir" value="desc">' in page


@pytest.mark.parametrize("query", ["sort=given_name;drop table x", "sort=status%20desc",
                                   "sort=newcomer&dir=sideways", "sort=&dir=desc",
                                   "sort=__class__"])
def test_anything_outside_the_allow_list_gives_the_usual_order(client, coordinator,
                                                               three_referrals, query) -> None:
    page = body(client, f"{REFERRALS}?{query}")
    names = order_of(page, "Amina", "Bashir", "Chidi")
    if "newcomer" in query:  # a known column with an unknown direction: ascending
        assert names == ["Amina", "Bashir", "Chidi"]
    else:
        assert names == ["Chidi", "Amina", "Bashir"]


def test_the_newcomers_list_sorts_by_name_and_agency(client, coordinator,
                                                     three_referrals) -> None:
    names = ("Amina", "Bashir", "Chidi")
    page = body(client, NEWCOMERS)
    assert order_of(page, *names) == ["Amina", "Bashir", "Chidi"]
    assert 'aria-sort="ascending"' in header(page, "Newcomer")
    assert order_of(body(client, f"{NEWCOMERS}?sort=name&dir=desc"), *names) == [
        "Chidi", "Bashir", "Amina"]
    assert order_of(body(client, f"{NEWCOMERS}?sort=agency"), *names) == [
        "Bashir", "Chidi", "Amina"]


@pytest.mark.kit_config(KIT_PAGE_SIZE=2)
def test_the_pager_keeps_the_order(client, coordinator, three_referrals) -> None:
    page = body(client, f"{NEWCOMERS}?sort=name&dir=desc")
    assert order_of(page, "Chidi", "Bashir") == ["Chidi", "Bashir"] and "Amina" not in \
        page.split("<tbody>", 1)[1]
    next_link = re.search(r'href="([^"]+)" rel="next"', page)[1]
    assert "sort=name" in next_link and "dir=desc" in next_link
    assert "Amina" in body(client, next_link).split("<tbody>", 1)[1]


def test_the_volunteers_list_sorts_by_years_and_name(client, coordinator, factory,
                                                     db) -> None:
    for name, years, status in (("Wen Li", 12, "approved"), ("Ana Cruz", 20, "pending"),
                                ("Omar Said", 6, "approved")):
        factory.volunteer(factory.staff(name), status=status, years_experience=years)
    db.commit()
    names = ("Wen Li", "Ana Cruz", "Omar Said")
    page = body(client, VOLUNTEERS)
    assert order_of(page, *names)[0] == "Ana Cruz"  # awaiting approval first
    assert 'aria-sort="ascending"' in header(page, "Status")
    assert order_of(body(client, f"{VOLUNTEERS}?sort=years&dir=desc"), *names) == [
        "Ana Cruz", "Wen Li", "Omar Said"]
    assert order_of(body(client, f"{VOLUNTEERS}?sort=name"), *names) == [
        "Ana Cruz", "Omar Said", "Wen Li"]


def test_the_admin_sorts_agencies_by_their_numbers(client, coordinator, factory, db) -> None:
    busy, quiet = factory.agency("Zenith Services"), factory.agency("Alder Help")
    for n in range(2):
        factory.referral(factory.newcomer(f"N{n}"), busy)
    db.commit()
    page = body(client, AGENCIES)
    assert order_of(page, "Zenith Services", "Alder Help") == ["Alder Help", "Zenith Services"]
    page = body(client, f"{AGENCIES}?sort=referrals&dir=desc")
    assert order_of(page, "Zenith Services", "Alder Help") == ["Zenith Services", "Alder Help"]
    assert 'aria-sort="descending"' in header(page, "Referrals")
    assert quiet.name in page
