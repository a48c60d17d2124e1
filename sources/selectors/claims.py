"""Claims and evidence as the caller may see them."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet

from ..models import Claim, Evidence
from .scoping import member_project_ids, with_my_role
from .visibility import visible_to


def claims_for_user(user: AbstractBaseUser) -> QuerySet[Claim]:
    if not user.is_authenticated:
        return Claim.objects.none()
    """Claims of the caller's projects; one written in a blind session is hidden with it."""
    claims = visible_to(user, Claim.objects.filter(project__in=member_project_ids(user))).order_by("id")
    return with_my_role(claims, user, "project")


def evidence_for_user(user: AbstractBaseUser) -> QuerySet[Evidence]:
    """Evidence links of the caller's projects, without those a blind session hides (with the span
    they rest on or the claim they support, or of their own)."""
    if not user.is_authenticated:
        return Evidence.objects.none()
    evidence = visible_to(user, Evidence.objects.filter(claim__project__in=member_project_ids(user)))
    evidence = evidence.order_by("id")
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
