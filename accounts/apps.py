from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in safely: the lock-out after wrong passwords, the password reset limits and
    the second factor (TOTP with recovery codes)."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import signals  # noqa: F401  (connects the receivers)
