"""The kit's configuration: every ``KIT_*`` key, its default, its check and its meaning.

The table below is the single source of truth: ``init_app`` applies the defaults, rejects
unknown ``KIT_*`` keys (a typo must not silently fall back to a default) and validates every
value, and ``docs/configuration.md`` is checked against it by a test.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kit.scheduling.settings import check_business_hours_setting, check_holidays_setting

#: Optional blueprints a host can mount (``KIT_BLUEPRINTS`` picks a subset); the core
#: blueprint with sign-in, sign-out and the language switch is always mounted.
ALL_BLUEPRINTS = ("staff", "coordinator", "agency", "newcomer", "admin", "api", "reports")
SUPPORTED_LOCALES = ("en", "fr")


class ConfigError(ValueError):
    """A ``KIT_*`` value is missing, unknown or of the wrong shape; the message names the key."""


@dataclass(frozen=True)
class ConfigKey:
    """One documented configuration key."""

    name: str
    default: Any
    doc: str
    check: Callable[[str, Any], Any]


def _string(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{name} must be a non-empty string, got {value!r}.")
    return value


def _optional_string(name: str, value: Any) -> str | None:
    return None if value is None else _string(name, value)


def _localized_text(name: str, value: Any) -> str | Mapping[str, str]:
    if isinstance(value, Mapping):
        if "en" not in value or not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise ConfigError(f"{name} must map locales to non-empty names, 'en' included, "
                              f"got {value!r}.")
        return dict(value)
    return _string(name, value)


def localized(value: str | Mapping[str, str], locale: str) -> str:
    """A setting given as one string or per language, in ``locale`` (else English)."""
    return value if isinstance(value, str) else value.get(locale, value["en"])


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be True or False, got {value!r}.")
    return value


def _url_prefix(name: str, value: Any) -> str:
    value = _string(name, value) if value != "" else ""
    if value and (not value.startswith("/") or value.endswith("/")):
        raise ConfigError(
            f"{name} must start with '/' and not end with '/' (for example '/mentoring'), "
            f"got {value!r}."
        )
    return value


def _locale(name: str, value: Any) -> str:
    if value not in SUPPORTED_LOCALES:
        raise ConfigError(f"{name} must be one of {', '.join(SUPPORTED_LOCALES)}, got {value!r}.")
    return value


def _locales(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple) or not value:
        raise ConfigError(f"{name} must be a non-empty list of locales, got {value!r}.")
    for item in value:
        _locale(name, item)
    return tuple(value)


def _blueprints(name: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ConfigError(f"{name} must be a list of blueprint names, got {value!r}.")
    unknown = [item for item in value if item not in ALL_BLUEPRINTS]
    if unknown:
        raise ConfigError(
            f"{name} names unknown blueprints {unknown!r}; "
            f"choose from {', '.join(ALL_BLUEPRINTS)}."
        )
    return tuple(value)


def _timezone(name: str, value: Any) -> str:
    try:
        ZoneInfo(_string(name, value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"{name} must be an IANA time zone such as 'America/Vancouver', "
                          f"got {value!r}.") from exc
    return value


def _positive_int(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ConfigError(f"{name} must be a positive whole number, got {value!r}.")
    return value


def _choice(*choices: str) -> Callable[[str, Any], str]:
    def check(name: str, value: Any) -> str:
        if value not in choices:
            raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}.")
        return value
    return check


def _mailbox(name: str, value: Any) -> str:
    from kit.mail import parse_mailbox

    try:
        parse_mailbox(_string(name, value))
    except ValueError as exc:
        raise ConfigError(f"{name} must be one email address such as "
                          f"'Mentoring <mentoring@example.org>', got {value!r}.") from exc
    return value


def _port(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise ConfigError(f"{name} must be a TCP port between 1 and 65535, got {value!r}.")
    return value


def _seconds(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigError(f"{name} must be a positive number of seconds, got {value!r}.")
    return float(value)


def _secret(name: str, value: Any) -> str | None:
    # Unlike the other checks, the message never repeats the value: it is a password.
    if value is not None and (not isinstance(value, str) or not value):
        raise ConfigError(f"{name} must be a non-empty string or None.")
    return value


def _mapping_list(name: str, value: Any) -> tuple[Mapping[str, Any], ...]:
    if isinstance(value, str | Mapping) or not isinstance(value, list | tuple):
        raise ConfigError(f"{name} must be a list of mappings, got {value!r}.")
    for index, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ConfigError(f"{name}[{index}] must be a mapping, got {item!r}.")
    return tuple(value)


def _role_groups(name: str, value: Any) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{name} must be a mapping of role to a list of groups, got {value!r}.")
    for role, groups in value.items():
        if role not in ("staff", "coordinator", "admin"):
            raise ConfigError(f"{name} has unknown role {role!r}; use staff, coordinator, admin.")
        if isinstance(groups, str) or not all(isinstance(g, str) for g in groups):
            raise ConfigError(f"{name}[{role!r}] must be a list of group names.")
    return {role: tuple(groups) for role, groups in value.items()}


def _matching_weights(name: str, value: Any) -> Mapping[str, Any]:
    from kit.matching.weights import Weights

    if not isinstance(value, Mapping):
        raise ConfigError(f"{name} must be a mapping of criterion to points, got {value!r}.")
    try:
        Weights.from_mapping(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"{name}: {exc}.") from exc
    return dict(value)


def _non_negative_number(name: str, value: Any) -> float:
    if (isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0
            or value == float("inf")):
        raise ConfigError(f"{name} must be a number >= 0, got {value!r}.")
    return float(value)


def _share(name: str, value: Any) -> float:
    if (isinstance(value, bool) or not isinstance(value, int | float)
            or not 0 < value <= 1):
        raise ConfigError(f"{name} must be a share above 0 and at most 1 (0.2 is a fifth), "
                          f"got {value!r}.")
    return float(value)


def _checkin_questions(name: str, value: Any) -> tuple[Mapping[str, Any], ...]:
    questions = _mapping_list(name, value)
    keys: set[str] = set()
    for index, question in enumerate(questions):
        key = question.get("key")
        if not isinstance(key, str) or not key.isidentifier() or key in keys:
            raise ConfigError(f"{name}[{index}] needs a unique 'key' made of letters, digits "
                              f"and _, got {key!r}.")
        keys.add(key)
        _localized_text(f"{name}[{index}]['text']", question.get("text"))
        if question.get("kind", "text") not in ("text", "scale"):
            raise ConfigError(f"{name}[{index}]['kind'] must be 'text' or 'scale'.")
    return questions


def _thresholds(name: str, value: Any) -> tuple[int, ...]:
    if (isinstance(value, str) or not isinstance(value, list | tuple) or not value
            or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
            or list(value) != sorted(set(value))):
        raise ConfigError(f"{name} must be a list of increasing positive whole numbers of "
                          f"hours such as [10, 24, 50], got {value!r}.")
    return tuple(value)


KEYS: tuple[ConfigKey, ...] = (
    ConfigKey("KIT_URL_PREFIX", "/mentoring", "URL prefix under which the kit's pages are "
              "mounted in the host application ('' mounts them at the root).", _url_prefix),
    ConfigKey("KIT_BLUEPRINTS", ALL_BLUEPRINTS, "Which of the kit's blueprints this host mounts "
              "(for example only 'agency' on an outward-facing host).", _blueprints),
    ConfigKey("KIT_BASE_TEMPLATE", None, "The host's layout template that every kit page extends; "
              "it must define the blocks 'title', 'head' and 'content'. None uses the kit's own "
              "clean layout.", _optional_string),
    ConfigKey("KIT_DATABASE_URI", "sqlite:///kit.sqlite", "Database used when the host passes no "
              "Flask-SQLAlchemy instance and has none of its own; relative SQLite paths live in "
              "the app's instance folder.", _string),
    ConfigKey("KIT_PROGRAM_NAME", "Mentoring program", "The program's name in page titles and "
              "e-mails: one string for every language, or a mapping of locale to name such as "
              "{'en': 'Newcomer Mentoring Program', 'fr': 'Programme de mentorat'}.",
              _localized_text),
    ConfigKey("KIT_DEFAULT_LOCALE", "en", "Language used when neither the person's preference nor "
              "the browser's Accept-Language names a supported one.", _locale),
    ConfigKey("KIT_LOCALES", SUPPORTED_LOCALES, "Languages offered in the language switch.",
              _locales),
    ConfigKey("KIT_TIMEZONE", "America/Vancouver", "The employer's time zone: sessions, business "
              "hours and reports use it.", _timezone),
    ConfigKey("KIT_BUSINESS_HOURS", {"opens": "08:30", "closes": "16:30", "days": (0, 1, 2, 3, 4)},
              "Business hours in KIT_TIMEZONE: 'opens', 'closes' and 'days' (0 is Monday). A "
              "session outside them gets a warning the mentor must accept.",
              check_business_hours_setting),
    ConfigKey("KIT_HOLIDAYS", "BC", "Holidays that get a warning when scheduling: 'BC' (British "
              "Columbia's rules), a list of ISO dates, or a mapping with 'rules' ('BC' or None), "
              "'add' and 'remove' (lists of dates, e.g. days in lieu).", check_holidays_setting),
    ConfigKey("KIT_SHADOWING_APPROVAL", False, "Job-shadowing visits wait for the host "
              "department manager's approval (a signed link by e-mail) before invitations go.",
              _bool),
    ConfigKey("KIT_REMINDER_HOURS", 24, "Hours before a session when 'flask kit sessions "
              "remind' sends its reminder.", _positive_int),
    ConfigKey("KIT_ATTENDANCE_NUDGE_DAYS", 2, "Days after a session when 'flask kit sessions "
              "nudge' reminds the mentor, once, to mark attendance.", _positive_int),
    ConfigKey("KIT_MATCH_TARGET_HOURS", 24, "Target hours of a match whose cohort and match set "
              "none.", _positive_int),
    ConfigKey("KIT_MATCH_LENGTH_MONTHS", 4, "Length of a match, in months, when it has no "
              "planned end.", _positive_int),
    ConfigKey("KIT_STALL_DAYS", 21, "A match with no session held or scheduled for this many "
              "days is flagged as stalled.", _positive_int),
    ConfigKey("KIT_IDLE_WARNING_DAYS", 28, "Days without any session after which 'flask kit "
              "sessions pace' warns the mentor and the newcomer.", _positive_int),
    ConfigKey("KIT_IDLE_CLOSE_DAYS", 42, "Days without any session after which, both sides "
              "having been warned, the coordinator is asked whether to close the match.",
              _positive_int),
    ConfigKey("KIT_DEMO_MODE", False, "Marks the app as a demo: enables the development sign-in "
              "and a banner. Never set it in production.", _bool),
    ConfigKey("KIT_DEV_SIGN_IN", False, "Offer the development sign-in that lists demo personas. "
              "Refused at start-up unless the app runs in debug or demo mode.", _bool),
    ConfigKey("KIT_NEWCOMER_LINK_MAX_AGE_DAYS", 90, "How many days a newcomer's signed link stays "
              "valid.", _positive_int),
    ConfigKey("KIT_PAGE_SIZE", 25, "Rows per page in long tables.", _positive_int),
    ConfigKey("KIT_CONNECTOR_MIN_INTRODUCTIONS", 3, "Colleagues a connector introduces a "
              "newcomer to, at least, at each 30-minute connector meeting.", _positive_int),
    ConfigKey("KIT_GROUP_MAX_MENTORS", 3, "Mentors who lead one group mentoring event, at most; "
              "an event has at least two (one when this is 1).", _positive_int),
    ConfigKey("KIT_GROUP_MAX_NEWCOMERS", 10, "Seats for newcomers at one group mentoring event, "
              "at most; the default capacity of a new event. Others join its waiting list.",
              _positive_int),
    ConfigKey("KIT_AUTH_PROVIDERS", (), "Sign-in providers for staff: a list of mappings, each "
              "with 'type' ('ldap', 'oidc' or 'proxy'), 'name', 'title' and the provider's own "
              "settings (see docs/auth.md).", _mapping_list),
    ConfigKey("KIT_ROLE_GROUPS", {}, "Directory groups (DNs or SSO group claims) that grant "
              "program roles: a mapping with keys 'staff' (who may take part; empty means every "
              "employee), 'coordinator' and 'admin', each a list of groups.", _role_groups),
    ConfigKey("KIT_INVITATION_MAX_AGE_DAYS", 7, "How many days an agency caseworker's invitation "
              "link stays valid.", _positive_int),
    ConfigKey("KIT_SIGN_IN_MAX_FAILURES", 5, "Failed sign-ins allowed per account within the "
              "lockout window.", _positive_int),
    ConfigKey("KIT_SIGN_IN_MAX_FAILURES_PER_ADDRESS", 20, "Failed sign-ins allowed per network "
              "address within the lockout window.", _positive_int),
    ConfigKey("KIT_SIGN_IN_LOCKOUT_MINUTES", 15, "The window, in minutes, over which failed "
              "sign-ins are counted.", _positive_int),
    ConfigKey("KIT_CONSENT_VERSION", "2026-1", "Version of the consent text agencies show "
              "newcomers; stored with each referral.", _string),
    ConfigKey("KIT_CHECKIN_QUESTIONS", (), "Extra questions of the monthly check-in, beside "
              "satisfaction, what went well and concerns: a list of mappings with 'key', 'text' "
              "(one string or {'en': ..., 'fr': ...}) and 'kind' ('text' or 'scale' for 1 to "
              "5).", _checkin_questions),
    ConfigKey("KIT_RECOGNITION_THRESHOLDS", (10, 24, 50), "Confirmed volunteer hours in a year "
              "that earn each level of the yearly recognition list.", _thresholds),
    ConfigKey("KIT_CERTIFICATE_FONT", None, "A Unicode TrueType font for PDF certificates; None "
              "uses DejaVu Sans (Debian package fonts-dejavu-core).", _optional_string),
    ConfigKey("KIT_REFERRAL_DIGEST", False, "Send coordinators one daily digest of new "
              "referrals ('flask kit referrals digest') instead of one e-mail each.", _bool),
    ConfigKey("KIT_UPLOAD_FOLDER", None, "Folder for résumés, outside static files; None uses "
              "'kit-uploads' in the app's instance folder.", _optional_string),
    ConfigKey("KIT_UPLOAD_MAX_BYTES", 5 * 1024 * 1024, "Largest résumé accepted, in bytes.",
              _positive_int),
    ConfigKey("KIT_API_MAX_BODY_BYTES", 256 * 1024, "Largest API request body, in bytes; "
              "larger ones get 413.", _positive_int),
    ConfigKey("KIT_API_RATE_LIMIT", 120, "API requests allowed per key and minute; more get 429 "
              "with Retry-After.", _positive_int),
    ConfigKey("KIT_FUNDER_MIN_COUNT", 5, "In the funders' export, counts of newcomers from 1 to "
              "this number minus one are written '<5' (for 5) and the shares computed from them "
              "left empty, so that a narrow filter cannot point at people; 1 shows every "
              "count.", _positive_int),
    ConfigKey("KIT_PURGE_AFTER_DAYS", 180, "Days after which referred-back and withdrawn "
              "referrals and their files are purged ('flask kit privacy purge').",
              _positive_int),
    ConfigKey("KIT_DIRECTORY_MAX_DEACTIVATION", 0.2, "Largest share of the active staff "
              "'flask kit directory sync' deactivates in one run; above it nothing changes and "
              "the command exits 3 (a renamed group or a wrong base DN must not switch the "
              "program off).", _share),
    ConfigKey("KIT_MENTOR_MIN_YEARS", 2, "Years in their profession a staff member needs to "
              "volunteer as a mentor.", _positive_int),
    ConfigKey("KIT_MATCHING_WEIGHTS", {}, "Points each matching criterion is worth at most, "
              "over the engine's defaults (keys: occupation, teer, industry, language, french, "
              "goals, location, availability, experience, noc_levels, availability_cap_hours, "
              "experience_scale_years; see docs/matching.md). {} keeps the defaults.",
              _matching_weights),
    ConfigKey("KIT_MATCHING_MIN_SCORE", 0.0, "Smallest score a pair needs to be suggested or "
              "assigned by batch matching (0 allows every pair the hard rules allow).",
              _non_negative_number),
    ConfigKey("KIT_MANAGER_APPROVAL", False, "When True, a volunteer's manager (the directory's "
              "manager attribute) approves their mentoring time on work hours through a signed "
              "link, and a volunteer whose manager declined is not matched.", _bool),
    ConfigKey("KIT_CONTENT_SECURITY_POLICY", "default-src 'self'; script-src 'self'; "
              "style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'self'; "
              "object-src 'none'", "Content-Security-Policy sent with every kit page (no "
              "unsafe-inline); None leaves the header to the host.", _optional_string),
    ConfigKey("KIT_FRAME_ANCESTORS", "'self'", "Who may frame the kit's pages (the CSP "
              "frame-ancestors value), e.g. \"'self' https://portal.city.example\" for an "
              "intranet that frames it; 'none' forbids framing.", _string),
    ConfigKey("KIT_SECURE_COOKIES", True, "Send the session cookie with Secure, HttpOnly and "
              "SameSite=Lax. Set False only for plain-HTTP development.", _bool),
    ConfigKey("KIT_SESSION_IDLE_MINUTES", 30, "Sign a person out after this many minutes without "
              "a request.", _positive_int),
    ConfigKey("KIT_SESSION_MAX_HOURS", 10, "Sign a person out this many hours after signing in, "
              "whatever they do.", _positive_int),
    ConfigKey("KIT_MAIL_BACKEND", "console", "How queued email leaves the outbox: 'smtp' sends "
              "through the KIT_SMTP_* server, 'console' prints it (development and demos).",
              _choice("smtp", "console")),
    ConfigKey("KIT_MAIL_SENDER", "mentoring@localhost", "The From address of the kit's email; "
              "without a display name the program name (KIT_PROGRAM_NAME) is used.", _mailbox),
    ConfigKey("KIT_SMTP_HOST", "localhost", "SMTP server (relay) that sends the kit's email.",
              _string),
    ConfigKey("KIT_SMTP_PORT", 25, "Port of the SMTP server (usually 25, 587 with STARTTLS, "
              "465 with SSL).", _port),
    ConfigKey("KIT_SMTP_SECURITY", "none", "Encryption to the SMTP server: 'none', 'starttls' "
              "(refused, never downgraded, if the server does not offer it) or 'ssl' (implicit "
              "TLS). Certificates are verified. A login over 'none' is refused unless the server "
              "is on this machine.", _choice("none", "starttls", "ssl")),
    ConfigKey("KIT_SMTP_USERNAME", None, "User name for SMTP login; None sends without login.",
              _optional_string),
    ConfigKey("KIT_SMTP_PASSWORD", None, "Password for SMTP login. Never logged or printed; "
              "read it from the environment or a secret store, not from a committed file.",
              _secret),
    ConfigKey("KIT_SMTP_TIMEOUT", 10, "Seconds to wait for the SMTP server to connect or answer "
              "before the run gives up and leaves the messages queued.", _seconds),
    ConfigKey("KIT_OUTBOX_MAX_ATTEMPTS", 12, "Sending attempts before a message is marked "
              "'failed' (kept, shown by 'flask kit outbox status'). Retries wait 1, 2, 4, ... "
              "minutes, at most one hour: 12 attempts span about 6 hours of mail-server outage.",
              _positive_int),
)

KEYS_BY_NAME: Mapping[str, ConfigKey] = {key.name: key for key in KEYS}


def load_config(app_config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the validated ``KIT_*`` settings, defaults filled in.

    Raises :class:`ConfigError` naming the key for an unknown key or a bad value.
    """
    unknown = sorted(k for k in app_config if k.startswith("KIT_") and k not in KEYS_BY_NAME)
    if unknown:
        raise ConfigError(
            f"Unknown configuration key {unknown[0]}; the kit's keys are listed in "
            "docs/configuration.md."
        )
    values = {key.name: key.check(key.name, app_config.get(key.name, key.default)) for key in KEYS}
    if values["KIT_DEV_SIGN_IN"] and not (values["KIT_DEMO_MODE"] or app_config.get("DEBUG")):
        raise ConfigError(
            "KIT_DEV_SIGN_IN lists demo personas that anyone can become; it is refused unless "
            "the app runs in debug mode or KIT_DEMO_MODE is True."
        )
    if values["KIT_DEFAULT_LOCALE"] not in values["KIT_LOCALES"]:
        raise ConfigError("KIT_DEFAULT_LOCALE must be one of KIT_LOCALES.")
    return values
