from exchanges.models.audit import AuditEvent
from exchanges.models.classrooms import Classroom, ClassroomExchange
from exchanges.models.matches import Block, Match, MatchRun
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
from exchanges.models.rooms import Correction, Message, Presence, Report, Room, RoomMember
from exchanges.models.sessions import Attendance, Reminder, Session, SlotProposal
from exchanges.models.users import Role, User

__all__ = [
    "Attendance",
    "AuditEvent",
    "AvailabilityWindow",
    "Block",
    "City",
    "Classroom",
    "ClassroomExchange",
    "Correction",
    "Interest",
    "Level",
    "Match",
    "MatchRun",
    "Message",
    "Notification",
    "Participant",
    "ParticipantLanguage",
    "Presence",
    "Program",
    "Reminder",
    "Report",
    "Role",
    "Room",
    "RoomMember",
    "Session",
    "SlotProposal",
    "Twinning",
    "User",
]
