"""Invitations: join links, e-mail invitations and rosters, and who joins through them."""

# ruff: noqa: RUF001

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sources.models import Invitation, Membership
from sources.services.invitations import (
    invitation_accept,
    invitation_link_create,
    invitation_revoke,
    invitations_email_send,
    parse_addresses,
    roster_import,
)
from sources.services.projects import membership_remove, membership_set

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def join_url(invitation: Invitation) -> str:
    return f"https://annot.example/join/{invitation.token}/"


def test_a_join_link_lets_anyone_in_with_its_role_until_revoked(team):
    link = invitation_link_create(project=team.project, created_by=team.owner, role="annotator")
    first, second = UserFactory(username="student1"), UserFactory(username="student2")
    for student in (first, second):
        membership, joined = invitation_accept(invitation=link, user=student)
        assert (membership.role, joined) == ("annotator", True)
    link.refresh_from_db()
    assert link.uses == 2
    invitation_revoke(invitation=link)
    with pytest.raises(ValidationError, match="revoked"):
        invitation_accept(invitation=link, user=UserFactory(username="late"))


def test_an_expired_link_refuses_and_an_expiry_in_the_past_is_refused(team):
    with pytest.raises(ValidationError) as refused:
        invitation_link_create(
            project=team.project,
            created_by=team.owner,
            role="annotator",
            expires_at=timezone.now() - timedelta(minutes=1),
        )
    assert "expires_at" in refused.value.message_dict
    link = invitation_link_create(
        project=team.project,
        created_by=team.owner,
        role="observer",
        expires_at=timezone.now() + timedelta(hours=1),
    )
    Invitation.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    link.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        invitation_accept(invitation=link, user=UserFactory(username="late"))


def test_a_join_link_never_makes_an_owner(team):
    with pytest.raises(ValidationError) as refused:
        invitation_link_create(project=team.project, created_by=team.owner, role="owner")
    assert "role" in refused.value.message_dict


def test_a_member_who_opens_a_link_keeps_their_role(team):
    link = invitation_link_create(project=team.project, created_by=team.owner, role="observer")
    membership, joined = invitation_accept(invitation=link, user=team.instructor)
    assert (membership.role, joined) == ("instructor", False)


def test_email_invitations_are_mailed_used_once_and_sent_again_without_duplicates(team, mailoutbox):
    invitations, not_sent = invitations_email_send(
        project=team.project,
        created_by=team.owner,
        emails=["ada@example.org", "bob@example.org"],
        role="annotator",
        join_url=join_url,
    )
    assert not_sent == 0
    assert [mail.to for mail in mailoutbox] == [["ada@example.org"], ["bob@example.org"]]
    assert join_url(invitations[0]) in mailoutbox[0].body
    again, _ = invitations_email_send(
        project=team.project,
        created_by=team.owner,
        emails=["ada@example.org"],
        role="instructor",
        join_url=join_url,
    )
    assert again[0].pk == invitations[0].pk and again[0].role == "instructor"
    assert Invitation.objects.filter(email="ada@example.org").count() == 1

    ada = UserFactory(username="ada")
    invitation_accept(invitation=again[0], user=ada)
    assert Membership.objects.get(project=team.project, user=ada).role == "instructor"
    with pytest.raises(ValidationError, match="already used"):
        invitation_accept(invitation=again[0], user=UserFactory(username="someone-else"))


def test_addresses_are_split_and_every_wrong_one_named():
    assert parse_addresses("a@example.org, b@example.org\nc@example.org; a@example.org") == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
    ]
    with pytest.raises(ValidationError, match="not-one, nor-this"):
        parse_addresses("a@example.org not-one nor-this")


def test_a_roster_invites_everyone_on_it_in_one_step(team, mailoutbox):
    roster = (
        "name,email,role\nАйгерим Сейткали,aigerim@example.kz,annotator\nBob Ray,bob@example.org,Observer\n"
    )
    invitations, _ = roster_import(
        project=team.project, created_by=team.owner, data=roster.encode("utf-8-sig"), join_url=join_url
    )
    assert [(i.name, i.email, i.role) for i in invitations] == [
        ("Айгерим Сейткали", "aigerim@example.kz", "annotator"),
        ("Bob Ray", "bob@example.org", "observer"),
    ]
    assert "Hello Айгерим Сейткали" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("roster", "problem"),
    [
        (b"email,name,role\na@example.org,A,annotator\n", "line 1: the header must be"),
        (b"name,email,role\nA,a@example.org\n", "line 2: expected 3 cells"),
        (
            b"name,email,role\nA,a@example.org,annotator\nB,a@example.org,observer\n",
            "line 3: a@example.org is already",
        ),
        (b"name,email,role\n", "lists nobody"),
        (b"name,email,role\nA,\xff@example.org,annotator\n", "not UTF-8"),
    ],
)
def test_a_wrong_roster_names_the_line_and_invites_nobody(team, mailoutbox, roster, problem):
    with pytest.raises(ValidationError) as refused:
        roster_import(project=team.project, created_by=team.owner, data=roster, join_url=join_url)
    assert any(problem in message for message in refused.value.message_dict["file"])
    assert not Invitation.objects.exists()
    assert not mailoutbox


def test_the_last_owner_can_be_neither_demoted_nor_removed(team):
    with pytest.raises(ValidationError, match="at least one owner"):
        membership_set(project=team.project, user=team.owner, role="instructor")
    with pytest.raises(ValidationError, match="at least one owner"):
        membership_remove(project=team.project, user=team.owner)
    membership_set(project=team.project, user=team.instructor, role="owner")
    membership_remove(project=team.project, user=team.owner)
    assert not Membership.objects.filter(project=team.project, user=team.owner).exists()
