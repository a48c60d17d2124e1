"""The grades page of a session, for its instructors: the answer key, the rubric, each participant's
grade, releasing the grades to the students and the gradebook as CSV.

Each form posts to its own URL. For htmx the answer is the section it changed (a grade: that
participant's card, so the other cards keep what is typed in them); a plain form post is redirected
back to the page, or shown again with its errors."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from ..models import Project, Session
from ..permissions import can_review
from ..selectors.feedback import (
    answer_key_candidates,
    session_of_project,
    session_participants,
    session_sources,
)
from ..selectors.grades import GradeView, grades_visible_to, rubric_of
from ..selectors.projects import project_for_user
from ..services.feedback import answer_key_set, grade_set, grades_release, rubric_set
from ..templatetags.feedback import points
from .feedback_forms import AnswerKeyForm, GradeForm, rubric_formset, service_errors
from .htmx import flash, is_htmx

GRADES = "sources/grades/grades.html"


@dataclass
class GradeSheet:
    """One participant's card: their grade so far and the form to change it."""

    participant: object
    grade: GradeView | None
    form: GradeForm


def _lead_session(request: HttpRequest, slug: str, session_id: int) -> tuple[Project, str, Session]:
    project, role = project_for_user(request.user, slug)
    if not can_review(role):
        raise PermissionDenied("Only the project's owners and instructors grade.")
    return project, role, session_of_project(project, session_id)


def _grade_form(criteria: list, participant_id: int, grade: GradeView | None, data=None) -> GradeForm:
    initial = {}
    if grade is not None:
        initial = {
            GradeForm.field_of(s.criterion): points(s.points) for s in grade.scores if s.points is not None
        }
        initial["feedback"] = grade.feedback
    return GradeForm(data, initial=initial, criteria=criteria, prefix=f"grade-{participant_id}")


def _grades_url(project: Project, session: Session, anchor: str = "") -> str:
    url = reverse("session-grades", args=[project.slug, session.pk])
    return f"{url}#{anchor}" if anchor else url


def grades_context(
    request: HttpRequest,
    project: Project,
    role: str,
    session: Session,
    *,
    key_form: AnswerKeyForm | None = None,
    rubric=None,
    bound: GradeForm | None = None,
    bound_for: int | None = None,
) -> dict:
    """Everything the page shows, in a fixed number of queries; a bound form with errors replaces
    the fresh one of its section."""
    criteria = list(rubric_of(session))
    grades = {g.user: g for g in grades_visible_to(session, request.user, role)}
    members = answer_key_candidates(session)
    if key_form is None:
        key_form = AnswerKeyForm(initial={"author": session.answer_key_author_id or ""}, members=members)
    sheets = []
    for person in session_participants(session):
        grade = grades.get(person.pk)
        form = (
            bound if bound is not None and bound_for == person.pk else _grade_form(criteria, person.pk, grade)
        )
        sheets.append(GradeSheet(person, grade, form))
    key_member = next((m for m in members if m.user_id == session.answer_key_author_id), None)
    return {
        "project": project,
        "role": role,
        "session": session,
        "criteria": criteria,
        "rubric": rubric if rubric is not None else rubric_formset(criteria),
        "key_form": key_form,
        "key_member": key_member,
        "sources": session_sources(session),
        "sheets": sheets,
        "release": _release_state(list(grades.values()), len(sheets)),
    }


def _release_state(grades: list[GradeView], participants: int) -> dict:
    released = [g.released_at for g in grades if g.released_at is not None]
    return {
        "participants": participants,
        "graded": len(grades),
        "released": len(released),
        "waiting": len(grades) - len(released),
        "last": max(released, default=None),
    }


@login_required
@require_GET
def grades(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    project, role, session = _lead_session(request, slug, session_id)
    return render(request, GRADES, grades_context(request, project, role, session))


def _section(
    request: HttpRequest, context: dict, partial: str, message: str, status: int = 200
) -> HttpResponse:
    """An htmx answer: the changed section, and the status line swapped out of band."""
    response = render(request, f"{GRADES}#{partial}", context, status=status)
    if message:
        response.write(flash(request, message, "ok" if status == 200 else "error", oob=True))
    return response


def _invalid(
    request: HttpRequest,
    context: dict,
    partial: str,
    message: str = "Please correct the fields marked below.",
) -> HttpResponse:
    if is_htmx(request):
        return _section(request, context, partial, message, status=422)
    messages.error(request, message)
    return render(request, GRADES, context, status=422)


def _saved(request: HttpRequest, context: dict, partial: str, message: str, url: str) -> HttpResponse:
    if is_htmx(request):
        return _section(request, context, partial, message)
    messages.success(request, message)
    return redirect(url)


@login_required
@require_POST
def answer_key(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    project, role, session = _lead_session(request, slug, session_id)
    form = AnswerKeyForm(request.POST, members=answer_key_candidates(session))
    if form.is_valid():
        try:
            session = answer_key_set(session=session, author=form.chosen())
        except ValidationError as error:
            service_errors(form, error)
    if form.errors:
        return _invalid(request, grades_context(request, project, role, session, key_form=form), "answer-key")
    session = session_of_project(project, session.pk)
    author = session.answer_key_author
    message = (
        f"The answer key is now {author.get_username()}'s tags." if author else "The answer key is removed."
    )
    context = grades_context(request, project, role, session)
    return _saved(request, context, "answer-key", message, _grades_url(project, session, "answer-key"))


@login_required
@require_POST
def rubric(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    project, role, session = _lead_session(request, slug, session_id)
    formset = rubric_formset(list(rubric_of(session)), data=request.POST)
    if formset.is_valid():
        try:
            rubric_set(session=session, criteria=formset.criteria())
        except ValidationError as error:
            formset.non_form_errors().extend(error.messages)
    if not formset.is_valid() or formset.non_form_errors():
        return _invalid(request, grades_context(request, project, role, session, rubric=formset), "gradebook")
    count = len(formset.criteria())
    message = f"Rubric saved: {count} criteri{'on' if count == 1 else 'a'}."
    context = grades_context(request, project, role, session)
    return _saved(request, context, "gradebook", message, _grades_url(project, session, "rubric"))


@login_required
@require_POST
def grade(request: HttpRequest, slug: str, session_id: int, user_id: int) -> HttpResponse:
    project, role, session = _lead_session(request, slug, session_id)
    participant = next((p for p in session_participants(session) if p.pk == user_id), None)
    if participant is None:
        raise Http404("No such participant in this session.")
    form = _grade_form(list(rubric_of(session)), user_id, None, data=request.POST)
    if form.is_valid():
        try:
            grade_set(
                session=session,
                annotator=participant,
                graded_by=request.user,
                scores=form.scores(),
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as error:
            service_errors(form, error)
    context_args = {"bound": form, "bound_for": user_id} if form.errors else {}
    context = grades_context(request, project, role, session, **context_args)
    context["sheet"] = next(s for s in context["sheets"] if s.participant.pk == user_id)
    if form.errors:
        return _invalid(
            request, context, "sheet", f"The grade of {participant.get_username()} was not saved."
        )
    message = f"Saved the grade of {participant.get_username()}."
    response = _saved(request, context, "sheet", message, _grades_url(project, session, f"grade-{user_id}"))
    if is_htmx(request):  # the counts and the Release button change with the new grade
        context["release_oob"] = True
        response.write(render_to_string(f"{GRADES}#release", context, request=request))
    return response


@login_required
@require_POST
def release(request: HttpRequest, slug: str, session_id: int) -> HttpResponse:
    project, role, session = _lead_session(request, slug, session_id)
    count = grades_release(session=session, released_by=request.user)
    if count:
        message = f"Released {count} grade{'s' if count != 1 else ''}: the students see them now."
    else:
        message = "There were no new grades to release."
    context = grades_context(request, project, role, session)
    context["states_out_of_band"] = True  # every card's "released" badge changes with this section
    return _saved(request, context, "release", message, _grades_url(project, session, "release"))
