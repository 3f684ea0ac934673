"""Demo employees of the City of Port Alder, their volunteer profiles, and the partner agencies."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from kit.demo.context import DemoContext, Person, ascii_slug
from kit.demo.people import (
    AGENCIES,
    CULTURES_BY_KEY,
    DEPARTMENT_LOCATION,
    DEPARTMENTS,
    DEPARTMENTS_BY_CODE,
    FEATURED_PEOPLE,
    JOB_TITLES,
    OTHER_JOB_TITLES,
    PROFESSIONS,
    STAFF_CULTURE_WEIGHTS,
    STAFF_EMAIL_DOMAIN,
    VOLUNTEER_MOTIVATIONS,
    WORK_LOCATIONS,
)
from kit.models import (
    Agency,
    AgencyUser,
    AvailabilityWindow,
    StaffMember,
    StaffRole,
    VolunteerLanguage,
    VolunteerProfile,
)

STAFF_COUNT = 168
#: Staff members who hold one of the program's professions, per profession.
PROFESSIONALS_PER_NOC = 7
#: Volunteers per profession: enough that every profession can be matched.
VOLUNTEERS_PER_NOC = (4, 5)
#: Volunteer statuses, drawn in this proportion.
VOLUNTEER_STATUS_WEIGHTS = {"approved": 70, "pending": 14, "paused": 8, "withdrawn": 8}


@dataclass
class StaffData:
    """What later steps need: coordinators, volunteers by profession, agency caseworkers."""

    staff: list[StaffMember] = field(default_factory=list)
    coordinators: list[StaffMember] = field(default_factory=list)
    admin: StaffMember | None = None
    volunteers: list[VolunteerProfile] = field(default_factory=list)
    by_department: dict[str, list[StaffMember]] = field(default_factory=dict)
    agencies: list[Agency] = field(default_factory=list)
    agency_users: dict[int, list[AgencyUser]] = field(default_factory=dict)

    def colleagues_of(self, member: StaffMember) -> list[StaffMember]:
        """The other people of ``member``'s department."""
        for members in self.by_department.values():
            if member in members:
                return [other for other in members if other is not member]
        return []


def _staff_member(ctx: DemoContext, person: Person, department: str, title: str,
                  number: int) -> StaffMember:
    uid = ascii_slug((person.given.split()[-1] if person.culture.family_first
                      else person.given)[:1] + person.family) or ascii_slug(person.given)
    french = person.culture.prefers_french or ctx.rng.random() < 0.04
    return StaffMember(
        directory_id=f"{uid}{number:03d}",
        email=ctx.email(person, STAFF_EMAIL_DOMAIN),
        display_name=person.full_name,
        department=DEPARTMENTS_BY_CODE[department].name_en,
        title=title,
        work_location=WORK_LOCATIONS[DEPARTMENT_LOCATION[department]].name,
        employee_number=f"E{104_200 + number * 37:06d}",
        preferred_locale="fr" if french else "en",
        created_at=ctx.days_ago(400 + number),
        last_sign_in_at=ctx.days_ago(ctx.rng.randint(0, 60), hour=ctx.rng.randint(8, 16)),
    )


def seed_staff(session: Session, ctx: DemoContext) -> StaffData:
    """Create the employees: featured people, professionals, other staff, and their roles."""
    data = StaffData()
    rng = ctx.rng
    plan: list[tuple[Person, str, str, str]] = []  # person, department, title, noc or ""
    featured_roles: dict[str, str] = {}
    featured_nocs = iter(("21300", "21232", "21202"))
    featured = [(Person(CULTURES_BY_KEY[culture_key], given, family), role)
                for culture_key, given, family, role in FEATURED_PEOPLE]
    for person, _role in featured:
        ctx.claim_name(person)  # before anyone random can be given the same name
    for person, role in featured:
        if role == "newcomer":
            continue
        if role == "mentor":
            noc = next(featured_nocs)
            profession = next(p for p in PROFESSIONS if p.noc_code == noc)
            plan.append((person, profession.departments[0], JOB_TITLES[noc][0], noc))
        elif role == "admin":
            plan.append((person, "ITS", "Business Systems Manager", ""))
        else:
            plan.append((person, "HRS", "Mentoring Program Coordinator", ""))
        featured_roles[person.full_name] = role
    for profession in PROFESSIONS:
        already = sum(1 for *_rest, noc in plan if noc == profession.noc_code)
        for _index in range(PROFESSIONALS_PER_NOC - already):
            plan.append((ctx.person(STAFF_CULTURE_WEIGHTS), rng.choice(profession.departments),
                         rng.choice(JOB_TITLES[profession.noc_code]), profession.noc_code))
    department_codes = [department.code for department in DEPARTMENTS]
    while len(plan) < STAFF_COUNT:
        plan.append((ctx.person(STAFF_CULTURE_WEIGHTS), rng.choice(department_codes),
                     rng.choice(OTHER_JOB_TITLES), ""))

    professionals: dict[str, list[tuple[StaffMember, Person]]] = {}
    for number, (person, department, title, noc) in enumerate(plan, start=1):
        member = _staff_member(ctx, person, department, title, number)
        if noc:
            professionals.setdefault(noc, []).append((member, person))
        data.staff.append(member)
        data.by_department.setdefault(department, []).append(member)
        role = featured_roles.get(person.full_name)
        if role in ("coordinator", "admin"):
            member.roles.append(StaffRole(role=role))
            if role == "coordinator":
                data.coordinators.append(member)
            else:
                data.admin = member
    # The first person of each department is its manager in the directory.
    for members in data.by_department.values():
        for member in members[1:]:
            member.manager_directory_id = members[0].directory_id
    # One former employee: directory sync marked them inactive.
    leaver = data.staff[-1]
    leaver.is_active = False
    leaver.inactive_since = ctx.days_ago(45)
    session.add_all(data.staff)
    session.flush()

    mentors = {person.full_name for person, *_rest in plan
               if featured_roles.get(person.full_name) == "mentor"}
    for noc, members in professionals.items():
        rng.shuffle(members)
        members.sort(key=lambda pair: pair[1].full_name not in mentors)  # featured ones first
        count = rng.randint(*VOLUNTEERS_PER_NOC)
        for position, (member, person) in enumerate(members[:count]):
            # The first two of each profession are approved, so that every one can be matched.
            status = "approved" if position < 2 else _weighted(ctx, VOLUNTEER_STATUS_WEIGHTS)
            data.volunteers.append(_volunteer(ctx, data, member, person, noc, status))
    session.add_all(data.volunteers)
    _seed_agencies(session, ctx, data)
    session.flush()
    return data


def _weighted(ctx: DemoContext, weights: dict[str, int]) -> str:
    return ctx.rng.choices(list(weights), list(weights.values()))[0]


def _volunteer(ctx: DemoContext, data: StaffData, member: StaffMember, person: Person,
               noc: str, status: str) -> VolunteerProfile:
    rng = ctx.rng
    signed_up = ctx.days_ago(rng.randint(150, 420))
    profile = VolunteerProfile(
        staff=member,
        noc_code=noc,
        naics_sector="913",  # local, municipal and regional public administration
        years_experience=rng.randint(3, 28),
        capacity=rng.choice((1, 1, 2, 2, 3)),
        offers_one_on_one=True,
        offers_connector=rng.random() < 0.4,
        offers_group=rng.random() < 0.25,
        goals_text=rng.choice(VOLUNTEER_MOTIVATIONS),
        status=status,
        created_at=signed_up,
    )
    if status != "pending":
        profile.approved_by = rng.choice(data.coordinators)
        profile.approved_at = signed_up + timedelta(days=rng.randint(2, 10))
        profile.commitment_acknowledged_at = profile.approved_at
        profile.orientation_on = (profile.approved_at + timedelta(days=14)).date()
    languages = {"en", *person.culture.languages[:rng.choice((1, 2))]}
    if member.preferred_locale == "fr":
        languages.add("fr")
    profile.languages = [VolunteerLanguage(language=code) for code in sorted(languages)]
    for day in sorted(rng.sample(range(5), rng.randint(1, 3))):  # weekdays, Monday is 0
        start, length = rng.choice((9, 10, 13, 14)), rng.choice((1, 2, 3))
        profile.availability.append(
            AvailabilityWindow(weekday=day, start_minute=start * 60,
                               end_minute=(start + length) * 60))
    return profile


def _seed_agencies(session: Session, ctx: DemoContext, data: StaffData) -> None:
    # One hash of a password nobody knows, shared: hashing is slow on purpose, and the demo
    # signs caseworkers in through the development page anyway.
    unknown_password_hash = generate_password_hash(secrets.token_urlsafe(24))
    for number, spec in enumerate(AGENCIES):
        agency = Agency(
            name=spec.name,
            email=f"referrals@{spec.email_domain}",
            phone=f"+1 236 555 01{10 + number:02d}",
            region="Port Alder" if number % 2 == 0 else "Greater Port Alder",
            created_at=ctx.days_ago(500),
        )
        users = []
        for culture_key, given, family in spec.contacts:
            person = Person(CULTURES_BY_KEY[culture_key], given, family)
            ctx.claim_name(person)
            users.append(AgencyUser(
                email=ctx.email(person, spec.email_domain),
                display_name=person.full_name,
                preferred_locale=spec.language,
                invited_at=ctx.days_ago(300 + number),
                last_sign_in_at=ctx.days_ago(ctx.rng.randint(0, 20)),
            ))
        # The first caseworker accepted the invitation; the second one has not yet.
        users[0].password_hash = unknown_password_hash
        agency.users = users
        data.agencies.append(agency)
        session.add(agency)
    session.flush()
    for agency in data.agencies:
        data.agency_users[agency.id] = agency.users
