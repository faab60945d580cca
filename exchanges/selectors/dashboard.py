"""The participant dashboard: each feature's selector adds its own section."""

from exchanges.selectors.matches import matches_for_dashboard
from exchanges.selectors.rooms import rooms_for_dashboard
from exchanges.selectors.sessions import sessions_for_dashboard


def dashboard_sections(*, participant) -> dict:
    return {
        "matches": matches_for_dashboard(participant=participant),
        "rooms": rooms_for_dashboard(participant=participant),
        "next_sessions": sessions_for_dashboard(participant=participant),
    }
