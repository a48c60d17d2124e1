"""The members page (roles, tag counts; owners change roles, remove members and invite people) and
the join link `/join/{token}/`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from ..models import Invitation, Project, Role
from ..permissions import can_administer
from ..selectors.invitations import invitation_by_token, invitation_in_project, pending_invitations
from ..selectors.members import membership_of
from ..selectors.projects import memberships_of
from ..services.invitations import (
    invitation_accept,
    invitation_link_create,
    invitation_refusal,
    invitation_revoke,
    invitations_email_send,
    parse_addresses,
    roster_import,
)
from ..services.projects import membership_remove, membership_set
from .htmx import messages_of
from .project_forms import EmailInvitationForm, JoinLinkForm, RoleForm, RosterForm
from .zones import zoned_project

PAGE = "sources/members/members.html"
JOIN = "sources/members/join.html"
INVITATION_SESSION_KEY = "invitation_token"


def _administered(request: HttpRequest, slug: str) -> tuple[Project, str]:
    project, role = zoned_project(request.user, slug)
    if not can_administer(role):
        raise PermissionDenied("Only the project's owners manage its members and invitations.")
    return project, role


def join_url(request: HttpRequest):
    return lambda invitation: request.build_absolute_uri(reverse("join", args=[invitation.token]))


def _with_urls(request: HttpRequest, invitations) -> list[Invitation]:
    url = join_url(request)
    listed = list(invitations)
    for invitation in listed:
        invitation.url = url(invitation)
    return listed


def _page(request: HttpRequest, project: Project, role: str, **forms: Form) -> HttpResponse:
    owner = can_administer(role)
    context = {
        "project": project,
        "role": role,
        "members": memberships_of(project, request.user),
        "can_administer": owner,
        "role_choices": Role.choices,
        "invitations": _with_urls(request, pending_invitations(project)) if owner else [],
        "link_form": forms.get("link_form") or JoinLinkForm(),
        "email_form": forms.get("email_form") or EmailInvitationForm(),
        "roster_form": forms.get("roster_form") or RosterForm(),
    }
    status = 422 if any(form.errors for form in forms.values()) else 200
    return render(request, PAGE, context, status=status)


@login_required
@require_GET
def members(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = zoned_project(request.user, slug)
    return _page(request, project, role)


@login_required
@require_POST
def member_role(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    project, _ = _administered(request, slug)
    membership = membership_of(project, user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles.")
        return redirect("members", slug=project.slug)
    try:
        membership_set(project=project, user=membership.user, role=form.cleaned_data["role"])
    except ValidationError as refusal:
        messages.error(request, messages_of(refusal))
    else:
        messages.success(request, f"{membership.user.get_username()} is now {form.cleaned_data['role']}.")
    return redirect("members", slug=project.slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    project, _ = _administered(request, slug)
    membership = membership_of(project, user_id)
    try:
        membership_remove(project=project, user=membership.user)
    except ValidationError as refusal:
        messages.error(request, messages_of(refusal))
    else:
        messages.success(request, f"Removed {membership.user.get_username()} from the project.")
    return redirect("members", slug=project.slug)


@login_required
@require_POST
def invitation_link_new(request: HttpRequest, slug: str) -> HttpResponse:
    project, role = _administered(request, slug)
    form = JoinLinkForm(request.POST)
    if form.is_valid():
        try:
            invitation_link_create(project=project, created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Join link created: copy it from the list below and share it.")
            return redirect("members", slug=project.slug)
    return _page(request, project, role, link_form=form)


def _invite(request: HttpRequest, slug: str, form_name: str, form: Form, send) -> HttpResponse:
    """Check the form, invite through `send(project, cleaned_data)`, and say how it went; a refusal
    shows next to the form's field, the others left as they were."""
    project, role = _administered(request, slug)
    if form.is_valid():
        try:
            invitations, not_sent = send(project, form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            count = len(invitations)
            messages.success(request, f"Invited {count} {'person' if count == 1 else 'people'}.")
            if not_sent:
                messages.error(
                    request,
                    f"{not_sent} e-mail(s) could not be sent (the mail server refused); the invitations "
                    "are listed below: copy their links.",
                )
            return redirect("members", slug=project.slug)
    return _page(request, project, role, **{form_name: form})


@login_required
@require_POST
def invitation_email_new(request: HttpRequest, slug: str) -> HttpResponse:
    def send(project: Project, data: dict) -> tuple[list[Invitation], int]:
        return invitations_email_send(
            project=project,
            created_by=request.user,
            emails=parse_addresses(data["emails"]),
            role=data["role"],
            join_url=join_url(request),
        )

    return _invite(request, slug, "email_form", EmailInvitationForm(request.POST), send)


@login_required
@require_POST
def roster_upload(request: HttpRequest, slug: str) -> HttpResponse:
    def send(project: Project, data: dict) -> tuple[list[Invitation], int]:
        return roster_import(
            project=project, created_by=request.user, data=data["file"].read(), join_url=join_url(request)
        )

    return _invite(request, slug, "roster_form", RosterForm(request.POST, request.FILES), send)


@login_required
@require_POST
def invitation_remove(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    project, _ = _administered(request, slug)
    invitation_revoke(invitation=invitation_in_project(project, invitation_id))
    messages.success(request, "Invitation revoked: its link no longer lets anyone in.")
    return redirect("members", slug=project.slug)


def _signup_url(next_url: str) -> str:
    """The sign-up page when accounts offer one, else the login page; both come back to `next_url`."""
    try:
        base = reverse("account_signup")
    except NoReverseMatch:
        base = resolve_url(settings.LOGIN_URL)
    return f"{base}?{urlencode({'next': next_url})}"


@require_GET
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Open a join link or e-mail invitation: a signed-in person joins at once; anyone else signs up
    (or logs in) first and comes back here, the invitation remembered in their session."""
    invitation = invitation_by_token(token)
    if not invitation.is_usable:
        return render(
            request, JOIN, {"invitation": invitation, "refusal": invitation_refusal(invitation)}, status=410
        )
    if not request.user.is_authenticated:
        request.session[INVITATION_SESSION_KEY] = token
        return redirect(_signup_url(request.path))
    try:
        membership, joined = invitation_accept(invitation=invitation, user=request.user)
    except ValidationError as refusal:
        return render(request, JOIN, {"invitation": invitation, "refusal": messages_of(refusal)}, status=410)
    request.session.pop(INVITATION_SESSION_KEY, None)
    if joined:
        messages.success(request, f"Welcome to “{invitation.project.name}”: you joined as {membership.role}.")
    else:
        messages.info(
            request, f"You are already a member of “{invitation.project.name}” ({membership.role})."
        )
    return redirect("dashboard", slug=invitation.project.slug)
