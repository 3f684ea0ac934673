"""The kit's data model: every table, all prefixed ``kit_``, in :data:`Base.metadata`."""

from kit.models.agencies import Agency, AgencyApiKey, AgencyUser
from kit.models.audit import AuditEvent
from kit.models.base import Base, TimestampMixin, UTCDateTime, enable_sqlite_foreign_keys, utcnow
from kit.models.calendar_feeds import CalendarFeed
from kit.models.checkins import CheckIn
from kit.models.cohorts import Cohort
from kit.models.connectors import ConnectorIntroduction
from kit.models.hours import HoursEntry, HoursRevision
from kit.models.hours_month import HoursMonth

# Importing it registers the flush events that keep kit_hours_month in step with the entries.
from kit.models.hours_tracking import BulkHoursWriteError
from kit.models.intake import ApiRateWindow, EligibilityRule, IdempotencyRecord, NewcomerDocument
from kit.models.match_rules import MatchPairRule
from kit.models.matches import Match, MatchStatusChange
from kit.models.newcomers import Newcomer, NewcomerLanguage, NewcomerLink
from kit.models.occupations import Occupation
from kit.models.outbox import OutboxMessage
from kit.models.outcomes import Outcome
from kit.models.people import (
    AvailabilityWindow,
    StaffMember,
    StaffRole,
    VolunteerLanguage,
    VolunteerProfile,
)
from kit.models.referrals import EligibilityResult, Referral, ReferralStatusChange
from kit.models.sessions import MentoringSession, SessionAttendee, SessionType
from kit.models.sign_in import SignInAttempt, UsedToken

__all__ = [
    "Agency",
    "AgencyApiKey",
    "AgencyUser",
    "ApiRateWindow",
    "AuditEvent",
    "AvailabilityWindow",
    "Base",
    "BulkHoursWriteError",
    "CalendarFeed",
    "CheckIn",
    "Cohort",
    "ConnectorIntroduction",
    "EligibilityResult",
    "EligibilityRule",
    "HoursEntry",
    "HoursMonth",
    "HoursRevision",
    "IdempotencyRecord",
    "Match",
    "MatchPairRule",
    "MatchStatusChange",
    "MentoringSession",
    "Newcomer",
    "NewcomerDocument",
    "NewcomerLanguage",
    "NewcomerLink",
    "Occupation",
    "OutboxMessage",
    "Outcome",
    "Referral",
    "ReferralStatusChange",
    "SessionAttendee",
    "SessionType",
    "SignInAttempt",
    "StaffMember",
    "StaffRole",
    "TimestampMixin",
    "UTCDateTime",
    "UsedToken",
    "VolunteerLanguage",
    "VolunteerProfile",
    "enable_sqlite_foreign_keys",
    "utcnow",
]
