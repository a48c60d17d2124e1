"""The claims board, and linking passages to claims as evidence from the reader."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ..models import Passage, Project, Session
from ..permissions import can_annotate, can_change_own_or_others
from ..selectors.claims_board import claim_choices, claims_board, evidence_in_project, last_linked_claim_id
from ..selectors.projects import project_for_user
from ..selectors.reader import ReaderPassage, annotation_in_project, project_themes, reader_passage, themes_of
from ..services.claims import claim_create, evidence_delete
from ..services.errors import ConflictError, StaleVersionError
from ..services.evidence_links import evidence_link_create
from .forms import NEW, ClaimForm, LinkForm
from .htmx import error_response, flash, is_htmx, messages_of, status_of, trigger
from .reader import passage_response, passage_url, reading_session
from .themes import theme_version

BOARD = "sources/claims/board.html"
LINK = "sources/claims/link.html"
WRITE_ERRORS = (ValidationError, ConflictError, StaleVersionError)


def claims_url(project: Project, claim_id: int | None = None) -> str:
    url = reverse("claims", args=[project.slug])
    return f"{url}#claim-{claim_id}" if claim_id else url


def board_context(request: HttpRequest, project: Project, role: str) -> dict:
    themes = themes_of(project)
    cards = claims_board(request.user, project)
    for card in cards:
        for group in card.groups:
            for evidence in group.evidence:
                evidence.removable = can_change_own_or_others(role, request.user, evidence.author_id)
    return {
        "project": project,
        "role": role,
        "cards": cards,
        "themes": themes,
        "theme_version": theme_version(themes),
        "can_annotate": can_annotate(role),
    }


@login_required
@require_http_methods(["GET", "POST"])
def board(request: HttpRequest, slug: str) -> HttpResponse:
    """GET the board (its #board fragment for htmx); POST a new claim."""
    project, role = project_for_user(request.user, slug)
    if request.method == "GET":
        return render(
            request, f"{BOARD}#board" if is_htmx(request) else BOARD, board_context(request, project, role)
        )
    if not can_annotate(role):
        raise PermissionDenied("Observers read; they do not add claims.")
    form = ClaimForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors["text"])
        claim = claim_create(project=project, author=request.user, text=form.cleaned_data["text"])
    except WRITE_ERRORS as error:
        if is_htmx(request):
            return error_response(request, error)
        messages.error(request, messages_of(error))
        return redirect(claims_url(project))
    if not is_htmx(request):
        messages.success(request, "Claim added.")
        return redirect(claims_url(project, claim.pk))
    response = render(request, f"{BOARD}#board", board_context(request, project, role))
    response.write(flash(request, "Claim added.", oob=True))
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, slug: str, evidence_id: int) -> HttpResponse:
    project, role = project_for_user(request.user, slug)
    evidence = evidence_in_project(request.user, project, evidence_id)
    if not can_change_own_or_others(role, request.user, evidence.author_id):
        raise PermissionDenied("You may remove only your own evidence links.")
    evidence_delete(evidence=evidence)
    if not is_htmx(request):
        messages.success(request, "Evidence link removed.")
        return redirect(claims_url(project, evidence.claim_id))
    response = render(request, f"{BOARD}#board", board_context(request, project, role))
    response.write(flash(request, "Evidence link removed.", oob=True))
    return response


def _selection(
    passage: Passage, start: str | int | None, end: str | int | None
) -> tuple[int, int, str] | None:
    """The selected span (from the query string, or the form's initial integers), if it is a real,
    non-empty span of the passage. Offset 0 is a real offset, not a missing one."""
    try:
        first, last = int(str(start)), int(str(end))
    except ValueError:
        return None
    if 0 <= first < last <= len(passage.text):
        return first, last, passage.text[first:last]
    return None


def link_context(project: Project, item: ReaderPassage, form: LinkForm, session: Session | None) -> dict:
    passage = item.passage
    values = form.data if form.is_bound else form.initial
    selection = _selection(passage, values.get("start"), values.get("end"))
    return {
        "project": project,
        "passage": passage,
        "form": form,
        "spans": item.span_tags,
        "selection": selection,
        "claims": form.claims,
        "themes": form.fields["theme"].queryset,
        "new": NEW,
        # In a session, the link, and the claim or tag it makes, belong to it.
        "scope": f"?session={session.pk}" if session is not None else "",
    }


def _initial(request: HttpRequest, project: Project, item: ReaderPassage, claims) -> dict:
    """Preselect the span tag matching the selection (the caller's own first) and the claim the
    caller linked to last, so linking a run of passages to one claim is a key and a click each."""
    selection = _selection(item.passage, request.GET.get("start"), request.GET.get("end"))
    initial: dict = {"evidence": ""}
    if selection is not None:
        start, end, quote = selection
        initial.update(start=start, end=end, quote=quote, evidence=NEW)
        matching = [a for a in item.span_tags if (a.start, a.end) == (start, end)]
        matching.sort(key=lambda a: a.author_id != request.user.pk)
        if matching:
            initial["evidence"] = str(matching[0].pk)
    initial["claim"] = str(
        last_linked_claim_id(request.user, project) or claims.values_list("pk", flat=True).first() or NEW
    )
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def link(request: HttpRequest, slug: str, passage_id: int) -> HttpResponse:
    """GET the link form (the dialog's body for htmx, a page otherwise); POST the evidence link."""
    project, role = project_for_user(request.user, slug)
    if not can_annotate(role):
        raise PermissionDenied("Observers read; they do not link evidence.")
    session = reading_session(request, project, role)
    item = reader_passage(request.user, project, passage_id, session)
    passage = item.passage
    claims = claim_choices(request.user, project)
    themes = project_themes(project)
    template = f"{LINK}#link_form" if is_htmx(request) else LINK
    if request.method == "GET":
        form = LinkForm(initial=_initial(request, project, item, claims), themes=themes, claims=claims)
        return render(request, template, link_context(project, item, form, session))

    form = LinkForm(request.POST, themes=themes, claims=claims)
    error: Exception | None = None
    if form.is_valid():
        data = form.cleaned_data
        choice = data["evidence"]
        annotation = None
        if choice not in ("", NEW):
            annotation = annotation_in_project(request.user, project, int(choice) if choice.isdigit() else 0)
        try:
            evidence = evidence_link_create(
                passage=passage,
                author=request.user,
                relation=data["relation"],
                claim=data["claim"],
                claim_text=data["claim_text"] if data["claim"] is None else "",
                annotation=annotation,
                theme=data["theme"] if choice == NEW else None,
                start=data["start"] if choice == NEW else None,
                end=data["end"] if choice == NEW else None,
                quote=(data["quote"] or None) if choice == NEW else None,
                note=data["note"],
                session=session,
            )
        except WRITE_ERRORS as exc:
            error = exc
            form.add_error(None, messages_of(exc))
    if error is not None or form.errors:
        status = status_of(error) if error is not None else 422
        return render(request, template, link_context(project, item, form, session), status=status)

    message = f"Linked passage {passage.ordinal} to the claim as {evidence.get_relation_display().lower()}."
    if not is_htmx(request):
        messages.success(request, message)
        return redirect(passage_url(project, passage.source_id, passage.ordinal, session))
    response = passage_response(request, project, role, passage.pk, message, session)
    response["HX-Retarget"] = f"#passage-{passage.ordinal}"
    response["HX-Reswap"] = "outerHTML"
    return trigger(response, "evidence-linked", {"evidence": evidence.pk, "claim": evidence.claim_id})
