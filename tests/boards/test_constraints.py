import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from boards.models import Board, Membership, Organisation
from tests.factories import BoardFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_short_names_are_unique_but_may_be_blank():
    OrganisationFactory(short_name="MPS")
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganisationFactory(short_name="MPS")
    OrganisationFactory(short_name="")
    OrganisationFactory(short_name="")
    assert Organisation.objects.filter(short_name="").count() == 2


def test_organisation_kind_must_be_known():
    organisation = OrganisationFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=organisation.pk).update(kind="club")


def test_board_slug_is_unique_within_a_partnership_only():
    board = BoardFactory(slug="ivolt")
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardFactory(partnership=board.partnership, slug="ivolt")
    BoardFactory(slug="ivolt")  # another partnership
    assert Board.objects.filter(slug="ivolt").count() == 2


def test_membership_role_is_known_and_one_per_board_and_person():
    membership = MembershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=membership.pk).update(role="king")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(board=membership.board, person=membership.person)


def test_subgroups_nest_to_any_depth():
    board = BoardFactory()
    group = BoardFactory(partnership=board.partnership, parent=board)
    panel = BoardFactory(partnership=board.partnership, parent=group)
    assert (panel.parent, panel.parent.parent, board.parent) == (group, board, None)
    panel.full_clean()


def test_a_subgroup_cannot_sit_under_itself_or_in_another_partnership():
    board = BoardFactory()
    child = BoardFactory(partnership=board.partnership, parent=board)
    board.parent = child
    with pytest.raises(ValidationError, match="under itself"):
        board.clean()
    stranger = BoardFactory(parent=None)
    stranger.parent = board
    with pytest.raises(ValidationError, match="same partnership"):
        stranger.clean()


def test_only_a_chair_or_deputy_chair_can_be_interim():
    chair = MembershipFactory(role=Membership.Role.CHAIR, interim=True)
    MembershipFactory(board=chair.board, role=Membership.Role.CHAIR)  # its chair beside it
    MembershipFactory(role=Membership.Role.DEPUTY_CHAIR, interim=True)
    member = MembershipFactory(role=Membership.Role.MEMBER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(pk=member.pk).update(interim=True)
    member.interim = True
    with pytest.raises(ValidationError, match="Only a chair or deputy chair can be interim"):
        member.full_clean()
