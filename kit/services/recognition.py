"""Recognition: bilingual certificates of completion and the yearly list of volunteers.

The certificate is a PDF in English and French at once (the reader's language first): each
half is rendered under its own locale from the kit's catalogs. It embeds
a Unicode TrueType font (DejaVu Sans by default, Debian package ``fonts-dejavu-core``) so that
names such as "Nguyễn Thị Lan" or "Zoë O'Brien" print as they are written.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import force_locale
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from kit.i18n import lazy_gettext
from kit.models import HoursEntry, Match, StaffMember, VolunteerProfile
from kit.services.mail_compose import mail_context

#: Where Debian and other systems put DejaVu Sans.
DEFAULT_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
)
_BABEL_LOCALES = {"en": "en_CA", "fr": "fr_CA"}
#: The certificate's sentences, translated through the kit's catalogs like every other string.
TEXT = {
    "title": lazy_gettext("Certificate of completion"),
    "intro": lazy_gettext("This certifies that"),
    "newcomer": lazy_gettext("completed workplace mentoring with %(program)s"),
    "mentor": lazy_gettext("volunteered as a mentor with %(program)s"),
    "period": lazy_gettext("from %(start)s to %(end)s, for %(hours)s hours."),
    "thanks": lazy_gettext("Thank you for your commitment."),
}


class CertificateError(Exception):
    """No certificate: the match is not completed, not the person's, or the font is missing."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class Certificate:
    """What a certificate says."""

    name: str
    role: str  # 'newcomer' or 'mentor'
    hours: Decimal
    start: date
    end: date
    program: dict[str, str]  # locale -> the program's name


@dataclass(frozen=True)
class RecognitionRow:
    """A volunteer on the yearly recognition list: confirmed hours and the level reached."""

    staff_id: int
    name: str
    department: str | None
    email: str
    hours: Decimal
    level: int


def find_font(configured: str | None = None) -> Path:
    """The certificate's TrueType font: ``KIT_CERTIFICATE_FONT`` or DejaVu Sans."""
    candidates = (configured,) if configured else DEFAULT_FONTS
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise CertificateError("font", (
        f"No Unicode font for certificates: {configured} does not exist." if configured else
        "No Unicode font for certificates: install the Debian package fonts-dejavu-core "
        f"(looked for {', '.join(DEFAULT_FONTS)}) or set KIT_CERTIFICATE_FONT to a .ttf file."))


def _hours_text(hours: Decimal, locale: str) -> str:
    return format_decimal(hours, format="#,##0.##", locale=_BABEL_LOCALES[locale])


def certificate_lines(cert: Certificate, locale: str) -> list[str]:
    """The certificate's text in one language, line by line."""
    babel_locale = _BABEL_LOCALES[locale]
    # Both languages go on one page: each is rendered under its own locale.
    with mail_context(), force_locale(locale):
        return [
            str(TEXT["title"]), str(TEXT["intro"]), cert.name,
            str(TEXT[cert.role]) % {"program": cert.program.get(locale) or cert.program["en"]},
            str(TEXT["period"]) % {
                "start": format_date(cert.start, "long", locale=babel_locale),
                "end": format_date(cert.end, "long", locale=babel_locale),
                "hours": _hours_text(cert.hours, locale)},
            str(TEXT["thanks"]),
        ]


def certificate_pdf(cert: Certificate, font: Path, first_locale: str = "en") -> bytes:
    """The bilingual PDF: one page, the reader's language first."""
    from fpdf import FPDF  # imported here: only this download needs it

    pdf = FPDF(orientation="L", format="Letter")
    pdf.set_title(" / ".join(certificate_lines(cert, loc)[0] for loc in ("en", "fr")))
    pdf.set_author(cert.program.get("en", ""))
    pdf.add_font("KitSans", "", str(font))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_draw_color(40, 80, 120)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    order = [first_locale] + [loc for loc in ("en", "fr") if loc != first_locale]
    pdf.set_y(22)
    for index, locale in enumerate(order):
        title, intro, name, role, period, thanks = certificate_lines(cert, locale)
        for text, size, gap in ((title, 22, 11), (intro, 12, 7), (name, 20, 10),
                                (role, 12, 6), (period, 12, 6), (thanks, 11, 6)):
            pdf.set_font("KitSans", size=size)
            pdf.multi_cell(0, gap, text, align="C", new_x="LMARGIN", new_y="NEXT")
        if index == 0:
            pdf.ln(6)
            pdf.line(60, pdf.get_y(), pdf.w - 60, pdf.get_y())
            pdf.ln(8)
    return bytes(pdf.output())


def _certificate(db: Session, match: Match | None, role: str, name: str, staff_id: int,
                 program: dict[str, str]) -> Certificate:
    if match is None:
        raise CertificateError("not_found")
    if match.status != "closed" or match.close_reason != "completed" or not match.started_on:
        raise CertificateError("not_completed")
    hours = db.scalar(select(func.coalesce(func.sum(HoursEntry.hours), 0)).where(
        HoursEntry.match_id == match.id, HoursEntry.staff_id == staff_id,
        HoursEntry.status == "confirmed"))
    end = match.closed_at.date() if match.closed_at else match.planned_end_on or match.started_on
    return Certificate(name, role, Decimal(hours or 0), match.started_on, end, program)


def newcomer_certificate(db: Session, newcomer_id: int, match_id: int,
                         program: dict[str, str]) -> Certificate:
    """The newcomer's certificate for a completed match of theirs; CertificateError otherwise."""
    row = db.execute(select(Match, VolunteerProfile.staff_id)
                     .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
                     .where(Match.id == match_id, Match.newcomer_id == newcomer_id)).first()
    if row is None:
        raise CertificateError("not_found")
    match, mentor_id = row
    return _certificate(db, match, "newcomer", match.newcomer.display_name, mentor_id, program)


def mentor_certificate(db: Session, staff_id: int, match_id: int,
                       program: dict[str, str]) -> Certificate:
    """The mentor's certificate for a completed match of theirs; CertificateError otherwise."""
    row = db.execute(select(Match, StaffMember.display_name)
                     .join(VolunteerProfile, VolunteerProfile.id == Match.volunteer_id)
                     .join(StaffMember, StaffMember.id == VolunteerProfile.staff_id)
                     .where(Match.id == match_id, StaffMember.id == staff_id)).first()
    if row is None:
        raise CertificateError("not_found")
    match, name = row
    return _certificate(db, match, "mentor", name, staff_id, program)


def recognition_list(db: Session, year: int, thresholds: Sequence[int]
                     ) -> list[RecognitionRow]:
    """Volunteers whose confirmed hours in ``year`` reach a threshold, most hours first.

    Summed and levelled by the database (GROUP BY, HAVING, CASE), not row by row here.
    """
    if not thresholds:
        return []
    total = func.sum(HoursEntry.hours)
    level = case(*((total >= t, literal(t)) for t in sorted(thresholds, reverse=True)),
                 else_=literal(0))
    rows = db.execute(
        select(StaffMember.id, StaffMember.display_name, StaffMember.department,
               StaffMember.email, total.label("hours"), level.label("level"))
        .join(HoursEntry, HoursEntry.staff_id == StaffMember.id)
        .where(and_(HoursEntry.status == "confirmed",
                    HoursEntry.worked_on >= date(year, 1, 1),
                    HoursEntry.worked_on <= date(year, 12, 31)))
        .group_by(StaffMember.id, StaffMember.display_name, StaffMember.department,
                  StaffMember.email)
        .having(total >= min(thresholds))
        .order_by(total.desc(), StaffMember.display_name, StaffMember.id)).all()
    return [RecognitionRow(r.id, r.display_name, r.department, r.email, Decimal(r.hours),
                           int(r.level)) for r in rows]


def recognition_csv(rows: Sequence[RecognitionRow], headings: Sequence[str]) -> str:
    """The list as CSV with the reader's-language ``headings`` (name, department, e-mail,
    hours, level)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headings)
    for row in rows:
        writer.writerow([_safe(row.name), _safe(row.department or ""), _safe(row.email),
                         f"{row.hours.normalize():f}", row.level])
    return out.getvalue()


def _safe(value: str) -> str:
    # A cell starting with =, +, - or @ would run as a formula in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
