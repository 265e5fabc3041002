"""Create the demo sign-ins and print them. For demonstrations only, never in production."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEMO_ADMIN = ("admin", "cspplan-demo-admin")


class Command(BaseCommand):
    help = "Create (or reset) the demo administrator and print its credentials. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users have known passwords: create them only with DEBUG=1.")
        username, password = DEMO_ADMIN
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            "\nDemo sign-in (demo data only, never use these in production):\n"
            f"  administrator  username: {username}  password: {password}\n"
        )
