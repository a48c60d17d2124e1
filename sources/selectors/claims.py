"""Claims and evidence as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from ..models import Claim, Evidence
from .annotations import blind_hidden_from
from .scoping import member_project_ids, with_my_role


def claims_for_user(user: AbstractBaseUser) -> QuerySet[Claim]:
    if not user.is_authenticated:
        return Claim.objects.none()
    claims = Claim.objects.filter(project__in=member_project_ids(user)).order_by("id")
    return with_my_role(claims, user, "project")


def evidence_for_user(user: AbstractBaseUser) -> QuerySet[Evidence]:
    """Evidence links of the caller's projects; a link resting on an annotation that a blind session
    hides from the caller is hidden with it."""
    if not user.is_authenticated:
        return Evidence.objects.none()
    evidence = (
        Evidence.objects.filter(claim__project__in=member_project_ids(user))
        .exclude(blind_hidden_from(user, prefix="annotation__"))
        .order_by("id")
    )
    return with_my_role(evidence, user, "claim__project")


def claims_with_evidence(
    claims: QuerySet[Claim],
    user: AbstractBaseUser,
    *,
    passage: int | None = None,
    relation: str | None = None,
) -> QuerySet[Claim]:
    """Claims having one evidence link the caller may see on `passage` and/or of `relation`."""
    links = evidence_for_user(user).filter(claim=OuterRef("pk"))
    if passage is not None:
        links = links.filter(passage=passage)
    if relation is not None:
        links = links.filter(relation=relation)
    return claims.filter(Exists(links))
