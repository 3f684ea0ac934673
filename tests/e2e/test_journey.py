"""The program's journey in a real browser, once in English and once in French.

The steps live in e2e_journey.py (referral, acceptance, volunteering, approval) and
e2e_journey_later.py (matching, sessions, hours, report, certificate), each a function that
plays one person doing one thing. A step whose pages the kit does not have yet ends the
journey there, so the journey grows as the program does. Every page shown is screenshot to
tests/e2e/screenshots/<lang>/ and checked with axe-core (WCAG 2.1 AA).
"""

from __future__ import annotations

import pytest

import e2e.e2e_journey_later  # noqa: F401 - appends the later steps, in order, to STEPS
from e2e.e2e_journey import STEPS
from e2e.e2e_support import Journey

#: The steps every version of the kit must run; the others run when their pages exist.
CORE_STEPS = 4


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_program_journey(lang: str, browser, live_server, screenshots,
                             record_property) -> None:
    journey = Journey(browser, live_server, lang, screenshots)
    ran = []
    try:
        for current in STEPS:
            missing = [e for e in current.needs if e not in live_server.app.view_functions]
            if missing:  # the rest of the program is not built yet: the journey ends here
                record_property("journey_stopped_at", f"{current.name} (needs {missing})")
                break
            current.run(journey)
            ran.append(current.name)
    finally:
        journey.close()
    assert ran[:CORE_STEPS] == [s.name for s in STEPS[:CORE_STEPS]]
    assert not journey.problems, "accessibility problems:\n" + journey.report()
