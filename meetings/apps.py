from django.apps import AppConfig


def _last_held(board, today):
    from meetings.selectors import last_held_meeting

    meeting = last_held_meeting(board, today)
    return meeting.date if meeting else None


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = "Board meetings"

    def ready(self):
        # "Since the last meeting" on reporting's pages counts from the board's last held
        # meeting: reporting cannot import this app (the layers), so it is told how here.
        from reporting.since import set_last_meeting_rule

        set_last_meeting_rule(_last_held)
