"""The partnership: its partner organisations, people, and boards with their subgroups."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from cspplan.constraints import in_choices


class Partnership(models.Model):
    """One borough's Community Safety Partnership. An installation can hold many."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=100, blank=True)
    slug = models.SlugField(max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HEALTH = "health", "Health"
    FIRE = "fire", "Fire and rescue"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    CRIMINAL_JUSTICE = "criminal_justice", "Criminal justice"
    EDUCATION = "education", "Education"
    HOUSING = "housing", "Housing"
    GOVERNMENT = "government", "Regional or national government"
    BUSINESS = "business", "Business"
    OTHER = "other", "Other"


class Organisation(models.Model):
    """A partner body. Organisations are shared: the MPS sits on every London CSP, and is
    linked to each partnership it works with (`partnerships`)."""

    Kind = OrganisationKind

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=50, blank=True, help_text="The abbreviation partners use, e.g. LBBD, MPS."
    )
    kind = models.CharField(
        max_length=20, choices=OrganisationKind.choices, default=OrganisationKind.OTHER
    )
    aliases = models.JSONField(
        default=list,
        blank=True,
        help_text="Other spellings plans use for this organisation, so imported text matches.",
    )
    partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="organisations",
        help_text="The partnerships it works with (a shared body such as the MPS: each one). "
        "A workbook imported into a plan names only its partnership's organisations.",
    )

    # The partnerships decide whose imports may name it, so each row keeps them too.
    history = HistoricalRecords(m2m_fields=["partnerships"])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["short_name"],
                condition=~Q(short_name=""),
                name="organisation_short_name_unique",
            ),
            in_choices("kind", OrganisationKind, "organisation_kind_valid"),
        ]

    def __str__(self):
        return self.short_name or self.name


class Role(models.TextChoices):
    """What a person may do when they sign in; `actions.permissions` decides from it."""

    OFFICER = "officer", "Officer: updates the actions they or their organisation lead"
    CHAIR = "chair", "Chair: sees the boards they chair or sit on, and their subgroups"
    ANALYST = "analyst", "Analyst: imports, exports and edits their partnerships' plans"
    ADMINISTRATOR = (
        "administrator",
        "Administrator: everything in their partnerships, and the admin",
    )
    # The London Violence Reduction Unit: reads every partnership's VRU plan, changes nothing.
    VRU = "vru", "VRU: reads every partnership's VRU plans at OFFICIAL; changes nothing"


class Person(models.Model):
    """Someone who can lead actions or sit on a board, optionally a user of the site."""

    Role = Role

    name = models.CharField(max_length=200)
    post_title = models.CharField(max_length=300, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    email = models.EmailField(blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    role = models.CharField(
        max_length=20,
        choices=Role.choices,
        default=Role.OFFICER,
        help_text="What they may do when signed in (only matters with a user account).",
    )
    partnerships = models.ManyToManyField(
        Partnership,
        blank=True,
        related_name="people",
        help_text="The partnerships whose plans they work on; people may work across several.",
    )

    # The partnerships decide what the person may see, so each row keeps them too.
    history = HistoricalRecords(m2m_fields=["partnerships"])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["name"])]
        constraints = [in_choices("role", Role, "person_role_valid")]

    def __str__(self):
        return self.name


class BoardKind(models.TextChoices):
    BOARD = "board", "Board"
    PRIORITY_GROUP = "priority_group", "Priority delivery group"
    SUBGROUP = "subgroup", "Subgroup"
    PANEL = "panel", "Panel"
    OPERATIONAL_GROUP = "operational_group", "Operational sub-group"


class Board(models.Model):
    """A board, priority group, subgroup or panel.

    Boards form a tree through `parent`, so Barking & Dagenham's board and subgroups and
    Havering's three tiers (board, priority delivery groups, operational sub-groups) fit the
    same model.
    """

    Kind = BoardKind

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="boards")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100)
    kind = models.CharField(max_length=20, choices=BoardKind.choices, default=BoardKind.BOARD)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(
        blank=True,
        help_text="Purpose, remit and terms of reference, as the partnership wrote them.",
    )
    order = models.PositiveIntegerField(default=0)
    members = models.ManyToManyField(Person, through="Membership", related_name="boards")

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="board_slug_unique"),
            models.UniqueConstraint(fields=["partnership", "name"], name="board_name_unique"),
            in_choices("kind", BoardKind, "board_kind_valid"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # A parent in another partnership, or a loop in the tree, cannot be expressed as a
        # database constraint, so it is checked here (and by the services that save boards).
        if self.parent is None:
            return
        if self.parent.partnership_id != self.partnership_id:
            raise ValidationError({"parent": "A subgroup must belong to the same partnership."})
        node = self.parent
        while node is not None:
            if node.pk == self.pk:
                raise ValidationError({"parent": "A board cannot sit under itself."})
            node = node.parent


class MembershipRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    DEPUTY_CHAIR = "deputy_chair", "Deputy chair"
    MEMBER = "member", "Member"
    ADVISER = "adviser", "Adviser"


class Membership(models.Model):
    Role = MembershipRole

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    # Holding the chair (or deputy chair) for the time being, as "(Interim Chair)" or "chaired
    # on an interim basis" say: a board may have its chair and an interim chair beside them.
    interim = models.BooleanField(
        default=False, help_text="An interim chair or deputy chair, holding it for now."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["board", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["board", "person"], name="membership_unique"),
            in_choices("role", MembershipRole, "membership_role_valid"),
            models.CheckConstraint(
                condition=Q(interim=False)
                | Q(role__in=[MembershipRole.CHAIR, MembershipRole.DEPUTY_CHAIR]),
                name="membership_interim_chairs_only",
                violation_error_message="Only a chair or deputy chair can be interim.",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.role_label}, {self.board})"

    @property
    def role_label(self) -> str:
        """The role as people say it: "Chair", "Interim chair", "Member"."""
        label = self.get_role_display()
        return f"Interim {label.lower()}" if self.interim else label
