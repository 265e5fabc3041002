"""A board's meetings pages (meetings.views.meetings)."""
