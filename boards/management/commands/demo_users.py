"""Create the demo sign-ins, one per role, and print them. For demonstrations only.

Each demo user (but the administrator) signs in as a person from the seed documents, in the
role their post suggests, so that their pages show real actions: the officer leads actions in
Barking & Dagenham's VRU plan, the chair chairs its CSP Board, and the analyst is its CSP
policy officer. The VRU's user is no one in the seed documents: it signs in as a person
named for the role (an account, not an invented individual) of the London Violence
Reduction Unit, which the seed documents name. Run `load_demo` first.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from boards.models import Organisation, Partnership, Person, Role
from boards.services import person_create, person_edit
from cspplan.origin import RecordedCommand

PARTNERSHIP = "barking-dagenham"

# username, password, role, the seed person they sign in as (None: no person)
DEMO_USERS = [
    ("admin", "cspplan-demo-admin", Role.ADMINISTRATOR, None),
    ("officer", "cspplan-demo-officer", Role.OFFICER, "Angie Fuller"),
    ("chair", "cspplan-demo-chair", Role.CHAIR, "Councillor Mullane"),
    ("analyst", "cspplan-demo-analyst", Role.ANALYST, "Jade Hodgson"),
    ("vru", "cspplan-demo-vru", Role.VRU, None),
]

# The roles whose demo user signs in as a person named for the role, not a seed person:
# role: (the person's name, their organisation as the seed documents name it).
ROLE_ACCOUNTS = {Role.VRU: ("VRU demo account", "London Violence Reduction Unit")}


class Command(RecordedCommand):
    help = "Create (or reset) a demo user per role and print their credentials. DEBUG only."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users have known passwords: create them only with DEBUG=1.")
        partnership = Partnership.objects.filter(slug=PARTNERSHIP).first()
        if partnership is None:
            raise CommandError("Load the demo data first: python manage.py load_demo")
        with transaction.atomic():
            lines = [self._make(partnership, *demo) for demo in DEMO_USERS]
        self.stdout.write(
            "\nDemo sign-ins (demo data only, never use these in production):\n"
            + "\n".join(lines)
            + "\n"
        )

    def _make(self, partnership, username, password, role, person_name) -> str:
        user, _ = get_user_model().objects.get_or_create(username=username)
        administrator = role == Role.ADMINISTRATOR
        user.is_staff = user.is_superuser = administrator
        user.set_password(password)
        user.save()
        who = "no person"
        if role in ROLE_ACCOUNTS:
            person = self._role_account(*ROLE_ACCOUNTS[role])
            person_name = person.name
        if person_name:
            person = Person.objects.filter(name=person_name).first()
            if person is None:
                raise CommandError(f"{person_name} is not in the demo data: run load_demo.")
            # Through the services, one history row per person changed, in the name of
            # whoever ran the command (cspplan.origin).
            for earlier in Person.objects.filter(user=user).exclude(pk=person.pk):
                person_edit(person=earlier, user=None, account=None)
            # The VRU reads every partnership's plans whatever its own: it is given none.
            partnerships = [] if role == Role.VRU else [*person.partnerships.all(), partnership]
            person_edit(
                person=person, user=None, account=user, role=role, partnerships=partnerships
            )
            who = f"{person.name}, {person.post_title or 'no post title'} ({person.organisation})"
        label = role.label.split(":")[0].lower()
        return f"  {label:<14} username: {username:<8} password: {password:<22} {who}"

    def _role_account(self, name: str, organisation_name: str) -> Person:
        person = Person.objects.filter(name=name).first()
        if person is not None:
            return person
        organisation = Organisation.objects.filter(name=organisation_name).first()
        if organisation is None:
            raise CommandError(f"{organisation_name} is not in the demo data: run load_demo.")
        return person_create(user=None, name=name, organisation=organisation)
