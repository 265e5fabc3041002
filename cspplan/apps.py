from django.apps import AppConfig


class CspplanConfig(AppConfig):
    """The project's own infrastructure, an app only so that it can connect signals."""

    name = "cspplan"
    verbose_name = "cspplan"

    def ready(self):
        from cspplan import idle_sessions

        idle_sessions.connect()
