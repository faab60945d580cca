from exchanges.models.audit import AuditEvent
from exchanges.models.class_sessions import ClassSessionProposal, TeacherCalendar
from exchanges.models.classrooms import (
    Classroom,
    ClassroomExchange,
    ClassroomLanguage,
    PartnerRequest,
    SchoolHours,
    TermHoliday,
)
from exchanges.models.lifecycle import TwinningStatusChange
from exchanges.models.matches import Block, BlockedAddress, Match, MatchRun
from exchanges.models.metrics import (
    ActiveDay,
    LanguageDay,
    MatchDay,
    MessageDay,
    ParticipantSummary,
    PeopleDay,
    PresenceInterval,
    ProfileDay,
    RegisterPeopleDay,
    RoomMessageDay,
    SessionDay,
    SessionSummary,
    SummaryMark,
)
from exchanges.models.notifications import Notification
from exchanges.models.people import (
    AvailabilityWindow,
    Interest,
    Level,
    Participant,
    ParticipantLanguage,
)
from exchanges.models.places import City, Twinning
from exchanges.models.programs import Program
from exchanges.models.pupil_pairing import PupilGroup, PupilPairing
from exchanges.models.rooms import Correction, Message, Presence, Report, Room, RoomMember
from exchanges.models.sessions import Attendance, Reminder, Session, SlotProposal
from exchanges.models.teachers import TeacherApplication
from exchanges.models.users import Role, User
from exchanges.models.wall import ExchangeRetention, WallComment, WallImage, WallPost

__all__ = [
    "ActiveDay",
    "Attendance",
    "AuditEvent",
    "AvailabilityWindow",
    "Block",
    "BlockedAddress",
    "City",
    "ClassSessionProposal",
    "Classroom",
    "ClassroomExchange",
    "ClassroomLanguage",
    "Correction",
    "ExchangeRetention",
    "Interest",
    "Level",
    "LanguageDay",
    "Match",
    "MatchDay",
    "MatchRun",
    "Message",
    "MessageDay",
    "Notification",
    "Participant",
    "ParticipantLanguage",
    "ParticipantSummary",
    "PeopleDay",
    "RegisterPeopleDay",
    "PartnerRequest",
    "Presence",
    "PresenceInterval",
    "ProfileDay",
    "Program",
    "PupilGroup",
    "PupilPairing",
    "Reminder",
    "Report",
    "Role",
    "Room",
    "RoomMessageDay",
    "RoomMember",
    "SchoolHours",
    "Session",
    "SessionDay",
    "SessionSummary",
    "SlotProposal",
    "SummaryMark",
    "TeacherApplication",
    "TeacherCalendar",
    "TermHoliday",
    "Twinning",
    "TwinningStatusChange",
    "User",
    "WallComment",
    "WallImage",
    "WallPost",
]
