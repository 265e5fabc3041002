from django.apps import AppConfig


class RolloverConfig(AppConfig):
    name = "rollover"
    verbose_name = "The annual cycle"
