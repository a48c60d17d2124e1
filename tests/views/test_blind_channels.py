"""Every channel — API URL, page URL, export format, background export, release, history — walked
for what a blind session hides (docs/sessions.md, "Blind sessions").

One annotator (the writer) works in a blind session: a tag with a note, a claim, an evidence link
with a note, a discussion, a comment on a passage naming the reader; an instructor comments on the
tag in a review. Each piece carries a marker
string. Another annotator (the reader) asks every channel for it: no marker may reach them while
either of the two has not submitted, and once both have, each channel shows the markers it shows
at all. A URL of `sources` (API or page) or an export format without a row here fails
`test_every_channel_has_a_row`: add the channel's rows to CHANNELS."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from sources.models import ExportJob
from sources.services.exports import FORMATS, export_job_run
from sources.services.recommender_training import recommenders_train
from sources.services.sessions import session_submit

from ..factories import SourceFactory
from .blind_world import MARKERS, PHASES, C, D, E, M, R, T, World, api_client, body_text

# --- how to ask a channel ------------------------------------------------------------------------------

Request = Callable[[World, Client, APIClient], HttpResponse]


def page(name: str, *args: Callable[[World], Any], query: Callable[[World], dict] | None = None) -> Request:
    """GET a page; `args` give the URL's arguments after the project slug."""

    def ask(w: World, client: Client, api: APIClient) -> HttpResponse:
        url = reverse(name, args=[w.slug, *(arg(w) for arg in args)])
        return client.get(url, query(w) if query else {})

    return ask


def post(
    name: str,
    *args: Callable[[World], Any],
    data: Callable[[World], dict] = lambda w: {},
    query: Callable[[World], str] = lambda w: "",
) -> Request:
    """POST a page form (as htmx does, so the answer is the fragment the page swaps in)."""

    def ask(w: World, client: Client, api: APIClient) -> HttpResponse:
        url = reverse(name, args=[w.slug, *(arg(w) for arg in args)]) + query(w)
        return client.post(url, data(w), headers={"HX-Request": "true"})

    return ask


def api(
    name: str,
    method: str = "get",
    kwargs: Callable[[World], dict] = lambda w: {},
    data: Callable[[World], dict] | None = None,
) -> Request:
    def ask(w: World, client: Client, api: APIClient) -> HttpResponse:
        url = reverse(f"api:{name}", kwargs=kwargs(w) or None)
        body = data(w) if data else None
        return getattr(api, method)(url, body, format="json" if method != "get" else None)

    return ask


def slug(w: World) -> dict:
    return {"slug": w.slug}


def pk(attr: str) -> Callable[[World], dict]:
    return lambda w: {"pk": getattr(w, attr).pk}


def obj(attr: str) -> Callable[[World], int]:
    return lambda w: getattr(w, attr).pk


def session_id(w: World) -> int:
    return w.session.pk


def first_passage(w: World) -> int:
    return w.passages[0].pk


def source_id(w: World) -> int:
    return w.passages[0].source_id


def reader_id(w: World) -> int:
    return w.reader.pk


def disagreement(w: World) -> dict:
    return {"passage": w.passages[0].pk, "theme": w.energy.pk, "session": w.session.pk}


def disagreement_query(w: World) -> str:
    return f"?passage={w.passages[0].pk}&theme={w.energy.pk}&session={w.session.pk}"


def in_session(w: World) -> dict:
    return {"session": w.session.pk}


def reply(w: World) -> dict:
    return {f"comment-{w.discussion.pk}-text": "A reply."}


def history_of(model: str, attr: str) -> Callable[[World], dict]:
    return lambda w: {"model": model, "id": getattr(w, attr).pk}


def new_span(w: World) -> dict:
    """A one-character span the reader has not tagged yet in this phase, outside the session."""
    return {"theme": w.energy.pk, "start": 10 + w.phase, "end": 11 + w.phase}


def download(fmt: str) -> Request:
    return page("export-download", query=lambda w: {"format": fmt})


def api_export(fmt: str) -> Request:
    def ask(w: World, client: Client, api: APIClient) -> HttpResponse:
        return api.get(reverse("api:project-export", kwargs={"slug": w.slug}), {"format": fmt})

    return ask


def own_job(fmt: str) -> Request:
    """The reader's own background export, run now, then downloaded."""

    def ask(w: World, client: Client, api: APIClient) -> HttpResponse:
        started = client.post(reverse("export-job-new", args=[w.slug]), {"format": fmt})
        assert started.status_code == 302
        job = ExportJob.objects.filter(requested_by=w.reader).latest("id")
        export_job_run(job_id=job.pk)
        return client.get(reverse("export-job-file", args=[w.slug, job.pk]))

    return ask


def job_status(w: World, client: Client, api: APIClient) -> HttpResponse:
    client.post(reverse("export-job-new", args=[w.slug]), {"format": "jsonl"})
    job = ExportJob.objects.filter(requested_by=w.reader).latest("id")
    export_job_run(job_id=job.pk)
    return client.get(reverse("export-job", args=[w.slug, job.pk]))


def release_file(w: World, client: Client, api: APIClient) -> HttpResponse:
    return client.get(reverse("release-file", args=[w.slug, w.release.number]))


def trained(ask: Request) -> Request:
    """Ask after training the project's recommenders on all its work as it stands: what they learnt
    from the blind session must not show."""

    def asked(w: World, client: Client, api: APIClient) -> HttpResponse:
        recommenders_train(project=w.team.project)
        return ask(w, client, api)

    return asked


LEARNT = "suggestions and figures learnt from work outside blind sessions only"

ALL = frozenset(MARKERS)
NONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Channel:
    name: str  # URL name: "api:<name>" for the API, the page's name otherwise
    shows: frozenset[str]  # the markers the reader sees here once both submitted
    request: Request | None = None  # None: not asked, `why` says why it carries no session content
    why: str = ""
    label: str = ""
    format: str = ""  # the export format this row asks for

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.name, self.label) if part)


# What each export format shows of the session's work, once it may: its tags' notes, claims' text,
# evidence links' notes, discussions.
EXPORT_SHOWS: dict[str, tuple[frozenset[str], str]] = {
    "csv": (frozenset({"tag"}), "a row per tag"),
    "jsonl": (
        frozenset({"tag", "claim", "evidence", "discussion", "comment"}),
        "a line per passage with all of it",
    ),
    "parquet": (frozenset({"tag"}), "a row per tag"),
    "qdpx": (frozenset({"tag"}), "codings with their notes"),
    "qdc": (frozenset(), "the codebook only"),
    "aif": (frozenset({"claim"}), "claims and the passages linked to them"),
    "bib": (frozenset(), "the sources only"),
    "w3c": (frozenset({"tag", "comment"}), "an Annotation per tag (its note a commenting body) and comment"),
    "brat": (frozenset({"tag"}), "a T line per tag, its note an AnnotatorNotes line"),
    "xmi": (frozenset({"tag"}), "a Theme span per tag, its note a feature"),
}


def exports(name: str) -> list["Channel"]:
    """A row per export format for the export channel `name`."""
    return [
        Channel(name, shows, label=fmt, format=fmt, why=why) for fmt, (shows, why) in EXPORT_SHOWS.items()
    ]


LEADS_ONLY = "owners and instructors only: the reader (an annotator) is refused"
OWNERS_ONLY = "owners only: the reader (an annotator) is refused"
NO_CONTENT = "no annotations, claims, evidence, discussions or reviews in it"
COUNTS_ONLY = "counts of passages and tags, never their notes; test_analysis_blind checks the counts"


def everything(w: World) -> dict:
    """Every status, so that the writer's draft work would count if it were not hidden."""
    return {"status": "all"}


def analysis_api(name: str, query: Callable[[World], dict] = everything) -> Request:
    return api(f"project-analysis-{name}", kwargs=slug, data=query)


def analysis_download(chart: str, fmt: str) -> "Channel":
    """One analysis chart's download: the claim map names claims, the others are counts."""
    ask = page("analysis-download", lambda w: chart, lambda w: fmt, query=everything)
    if chart == "claims":
        return Channel("analysis-download", frozenset({C}), ask, label=f"{chart}-{fmt}", why="claims' text")
    return Channel("analysis-download", NONE, ask, label=f"{chart}-{fmt}", why=COUNTS_ONLY)


def both_sources(w: World) -> dict:
    """The world's source against a second one, in Kazakh (made the first time)."""
    if not w.team.project.sources.filter(language="kk").exists():
        SourceFactory(project=w.team.project, language="kk", paragraphs=["The SCO and trade."])
    return {"status": "all", "by": "language", "a": "en", "b": "kk"}


# fmt: off
CHANNELS = [
    # --- the API ---
    Channel("api:token", NONE, why="signs in: answers a token"),
    Channel("api:logout", NONE, why="revokes the token used; answers no content"),
    Channel("api:logoutall", NONE, why="revokes the caller's tokens; answers no content"),
    Channel("api:index", NONE, api("index")),
    Channel("api:project-deletion", NONE, why="a deletion's progress, for the owner who asked only"),
    Channel("api:project-invitations", NONE, why=OWNERS_ONLY),
    Channel("api:project-invitation", NONE, why="DELETE only, " + OWNERS_ONLY),
    Channel("api:project-roster", NONE, why="POST only, " + OWNERS_ONLY),
    Channel("api:project-codebook", NONE, api("project-codebook", kwargs=slug)),
    Channel("api:source-job", NONE, why="a source upload's progress, " + LEADS_ONLY),
    Channel("api:theme-anchors", NONE, why="POST only, " + LEADS_ONLY),
    Channel("api:theme-anchor", NONE, why="DELETE only, " + LEADS_ONLY),
    Channel("api:theme-merge", NONE, why="POST only, " + LEADS_ONLY),
    Channel("api:schema", NONE, why="the OpenAPI document"),
    Channel("api:docs", NONE, why="the Swagger UI page"),
    Channel("api:project-list", NONE, api("project-list")),
    Channel("api:project-detail", NONE, api("project-detail", kwargs=slug)),
    Channel("api:member-list", NONE, api("member-list", kwargs=lambda w: {"project_slug": w.slug})),
    Channel("api:member-detail", NONE, why="DELETE only, " + LEADS_ONLY),
    Channel("api:source-list", NONE, api("source-list")),
    Channel("api:source-detail", NONE, api("source-detail", kwargs=lambda w: {"pk": source_id(w)})),
    Channel("api:passage-list", NONE, api("passage-list")),
    Channel("api:passage-detail", NONE, api("passage-detail", kwargs=lambda w: {"pk": first_passage(w)})),
    Channel("api:theme-list", NONE, api("theme-list")),
    Channel("api:theme-detail", NONE, api("theme-detail", kwargs=pk("energy"))),
    Channel("api:annotation-list", frozenset({T}), api("annotation-list")),
    Channel("api:annotation-detail", frozenset({T}), api("annotation-detail", kwargs=pk("tag"))),
    Channel("api:claim-list", frozenset({C}), api("claim-list")),
    Channel("api:claim-detail", frozenset({C}), api("claim-detail", kwargs=pk("claim"))),
    Channel("api:evidence-list", frozenset({E}), api("evidence-list")),
    Channel("api:evidence-detail", frozenset({E}), api("evidence-detail", kwargs=pk("evidence"))),
    Channel("api:review-list", frozenset({R}), api("review-list")),
    Channel("api:review-detail", frozenset({R}), api("review-detail", kwargs=pk("review"))),
    Channel("api:review-bulk", NONE, why=LEADS_ONLY),
    Channel("api:session-list", NONE, api("session-list")),
    Channel("api:session-detail", NONE, api("session-detail", kwargs=pk("session"))),
    Channel("api:session-progress", NONE, api("session-progress", kwargs=pk("session")),
            why="counts of tagged passages per participant, never their content"),
    Channel("api:session-submit", NONE, why="submitting is the step between the phases; it answers counts"),
    Channel("api:session-answer-key", NONE, why=LEADS_ONLY),
    Channel("api:session-scores", NONE, api("session-scores", kwargs=pk("session")),
            why="an annotator's own scores against the key, once the session closed"),
    Channel("api:session-rubric", NONE, api("session-rubric", kwargs=pk("session"))),
    Channel("api:session-grades", NONE, api("session-grades", kwargs=pk("session"))),
    Channel("api:session-grade", NONE, why=LEADS_ONLY),
    Channel("api:session-grades-release", NONE, why=LEADS_ONLY),
    Channel("api:session-gradebook", NONE, api("session-gradebook", kwargs=pk("session")), why=LEADS_ONLY),
    Channel("api:discussion-list", frozenset({D}), api("discussion-list")),
    Channel("api:discussion-detail", frozenset({D}), api("discussion-detail", kwargs=pk("discussion"))),
    Channel("api:discussion-comments", frozenset({D}), api(
        "discussion-comments", "post", kwargs=pk("discussion"), data=lambda w: {"text": "A reply."})),
    Channel("api:discussion-decide", NONE, why=LEADS_ONLY),
    Channel("api:project-agreement", NONE, api("project-agreement", kwargs=slug), why=LEADS_ONLY),
    Channel("api:history", frozenset({T}), api("history", data=history_of("annotation", "tag")), label="tag"),
    Channel("api:history", frozenset({E}), api("history", data=history_of("evidence", "evidence")),
            label="evidence"),
    Channel("api:history", frozenset({C}), api("history", data=history_of("claim", "claim")), label="claim"),
    Channel("api:history", frozenset({M}), api("history", data=history_of("comment", "comment")),
            label="comment"),
    Channel("api:history-restore", NONE, why=LEADS_ONLY),
    *exports("api:project-export"),
    Channel("api:project-import", NONE, why=LEADS_ONLY),
    *(
        Channel(f"api:project-analysis-{name}", NONE, analysis_api(name), why=COUNTS_ONLY)
        for name in ("matrix", "cooccurrence", "timeline")
    ),
    Channel("api:project-analysis-claims", frozenset({C}), analysis_api("claims"),
            why="claims' text; evidence only as counts per source and relation"),
    Channel("api:project-analysis-compare", NONE, analysis_api("compare", both_sources), why=COUNTS_ONLY),
    Channel("api:suggestion-list", NONE, trained(api("suggestion-list")), why=LEARNT),
    Channel("api:suggestion-accept", NONE, why="POST only: answers the caller's own new tag"),
    Channel("api:suggestion-reject", NONE, why="POST only: answers no content"),
    Channel("api:project-recommenders", NONE, trained(api("project-recommenders", kwargs=slug)), why=LEARNT),
    Channel("api:project-events", NONE,
            api("project-events", kwargs=slug, data=lambda w: {"last_event_id": 0}),
            why="kinds and ids only, no text; which events reach whom is tested in tests/api/test_events.py"),
    Channel("api:project-presence", NONE,
            api("project-presence", kwargs=lambda w: {"slug": w.slug, "source": source_id(w)}),
            why="who reads which passage, never their work (tests/api/test_presence.py)"),
    Channel("api:comment-list", frozenset({M}), api("comment-list")),
    Channel("api:comment-detail", frozenset({M}), api("comment-detail", kwargs=pk("comment"))),
    Channel("api:comment-resolve", NONE, why="POST only: resolves a comment thread"),
    Channel("api:comment-reopen", NONE, why="POST only: reopens a comment thread"),
    Channel("api:notification-list", NONE, api("notification-list"),
            why="the reader's own notifications: replies, mentions, their rejected tags, grades"),
    Channel("api:notification-read", NONE, why="POST only: marks the caller's own notification read"),
    # --- the pages ---
    Channel("home", NONE, lambda w, c, a: c.get(reverse("home"))),
    Channel("codebook", NONE, page("codebook"), why="themes, rules, anchors; tag counts of visible tags"),
    Channel("codebook-export", NONE, page("codebook-export", query=lambda w: {"format": "json"}),
            why="the codebook file: themes, rules, anchors"),
    Channel("members", NONE, page("members"), why="members, roles and counts of the tags the reader may see"),
    Channel("project-new", NONE, why="a form for a new project: no project content"),
    Channel("join", NONE, why="joins a project by an invitation's token, then redirects"),
    Channel("project-deletion", NONE, why="a deletion's progress, for the owner who asked only"),
    *(
        Channel(name, NONE, why=OWNERS_ONLY)
        for name in (
            "project-settings", "project-archive", "project-delete", "member-role", "member-remove",
            "invitation-link-new", "invitation-email-new", "invitation-roster", "invitation-revoke",
        )
    ),
    Channel("undo", NONE, why="POST only: takes back the caller's own last change"),
    Channel("theme-rules", NONE, page("theme-rules", obj("energy")), why="a theme's rules and anchors"),
    *(
        Channel(name, NONE, why=LEADS_ONLY)
        for name in (
            "codebook-import", "codebook-merge", "theme-edit", "theme-move",
            "theme-delete", "theme-anchor-new", "theme-anchor-delete", "source-new", "source-confirm",
            "source-upload", "source-edit", "source-delete", "source-restore",
        )
    ),
    Channel("dashboard", frozenset({C}), page("dashboard")),
    Channel("theme-stylesheet", NONE, page("theme-stylesheet"), why="the codebook's colours"),
    Channel("reader", frozenset({T, C, R, M}), page("reader", source_id)),
    Channel("reader", frozenset({T, C, R, M}), page("reader", source_id, query=in_session),
            label="in-session"),
    Channel("annotation-new", frozenset({T, C, R, M}), post("annotation-new", first_passage, data=new_span),
            why="answers the passage as the reader now sees it"),
    Channel("annotation-edit", NONE, page("annotation-edit", obj("tag")),
            why="someone else's tag: 404 while hidden, then refused"),
    Channel("annotation-delete", NONE, post("annotation-delete", obj("tag")),
            why="someone else's tag: 404 while hidden, then refused"),
    Channel("evidence-link", frozenset({C}), page("evidence-link", first_passage)),
    Channel("claims", frozenset({C, E}), page("claims")),
    Channel("evidence-delete", NONE, post("evidence-delete", obj("evidence")),
            why="someone else's link: 404 while hidden, then refused"),
    Channel("search", NONE, page("search", query=lambda w: {"q": "SCO"}),
            why="passage texts and tag counts; the counts are tested in test_blind_call_sites"),
    Channel("export", NONE, page("export"), why="how many tags an export holds, never their content"),
    *exports("export-download"),
    Channel("export-job-new", NONE, post("export-job-new", data=lambda w: {"format": "jsonl"}),
            why="queues the job; the file is the export-job-file rows"),
    Channel("export-job", NONE, job_status, why="the job's progress"),
    *exports("export-job-file"),
    Channel("release-new", NONE, why=LEADS_ONLY),
    Channel("annotations-import", NONE, why="POST only, " + LEADS_ONLY),
    Channel("release-file", frozenset({C}), release_file,
            why="an instructor's release: refused while it holds work hidden from the reader"),
    Channel("sessions", NONE, page("sessions")),
    Channel("session-new", NONE, why=LEADS_ONLY),
    Channel("session", NONE, page("session", session_id)),
    Channel("session-edit", NONE, why=LEADS_ONLY),
    Channel("session-submit", NONE, post("session-submit", session_id),
            why="unconfirmed, it is refused; confirmed, it is the step between the phases"),
    Channel("review", NONE, page("review"), why=LEADS_ONLY),
    Channel("review-bulk", NONE, why=LEADS_ONLY),
    Channel("review-decide", NONE, why=LEADS_ONLY),
    Channel("compare", NONE, page("compare", query=lambda w: {"session": w.session.pk}), why=LEADS_ONLY),
    Channel("compare-decide", NONE, why=LEADS_ONLY),
    Channel("compare-edit", NONE, why=LEADS_ONLY),
    Channel("agreement", NONE, page("agreement"), why=LEADS_ONLY),
    Channel("analysis", frozenset({C}), page("analysis", query=everything),
            why="the claim map names claims; everything else is counts (test_analysis_blind)"),
    *(
        analysis_download(chart, fmt)
        for chart in ("matrix", "cooccurrence", "claims", "compare", "timeline")
        for fmt in ("svg", "csv")
    ),
    Channel("session-feedback", NONE, page("session-feedback", session_id),
            why="the reader's own tags against the answer key, once the session closed"),
    Channel("session-grades", NONE, why=LEADS_ONLY),
    Channel("session-answer-key", NONE, why=LEADS_ONLY),
    Channel("session-rubric", NONE, why=LEADS_ONLY),
    Channel("session-grades-release", NONE, why=LEADS_ONLY),
    Channel("session-grade", NONE, why=LEADS_ONLY),
    Channel("discussions", frozenset({D}), page("discussions", query=disagreement)),
    Channel("discussion-reply", frozenset({D}), post(
        "discussion-reply", obj("discussion"), query=disagreement_query,
        data=reply)),
    Channel("discussion-decide", NONE, why=LEADS_ONLY),
    Channel("history", frozenset({T, D}), page("history", query=history_of("annotation", "tag")),
            label="tag", why="a tag's history lists the discussions of its passage and theme"),
    Channel("history", frozenset({C, E}), page("history", query=history_of("evidence", "evidence")),
            label="evidence"),
    Channel("history", frozenset({C}), page("history", query=history_of("claim", "claim")), label="claim"),
    Channel("history", frozenset({M}), page("history", query=history_of("comment", "comment")),
            label="comment"),
    Channel("history", NONE, page("history"), label="deleted", why="what was deleted lately: " + LEADS_ONLY),
    Channel("history-restore", NONE, why=LEADS_ONLY),
    Channel("suggestions", NONE, why=LEADS_ONLY),
    *(
        Channel(name, NONE, why="POST only, " + LEADS_ONLY)
        for name in (
            "suggestions-threshold", "suggestions-train", "suggestions-bulk", "suggestions-bulk-undo",
        )
    ),
    Channel("suggestion-accept", NONE, why="POST only: answers the passage as the reader now sees it, "
            "whose rows are the reader's"),
    Channel("suggestion-reject", NONE, why="POST only: answers the passage, as suggestion-accept"),
    Channel("reader", frozenset({T, C, R, M}), trained(page("reader", source_id)), label="suggested",
            why=LEARNT),
    Channel("comment-new", frozenset({T, C, R, M}),
            post("comment-new", first_passage, data=lambda w: {"text": "Hm."}),
            why="answers the re-rendered passage, as tagging does"),
    Channel("comment-toggle", NONE, why="POST only: resolves or reopens a thread, answers the passage"),
    Channel("comment-edit", NONE, post("comment-edit", obj("comment"), data=lambda w: {"text": "Mine."}),
            why="someone else's comment: 404 while hidden, then refused"),
    Channel("comment-delete", NONE, post("comment-delete", obj("comment")),
            why="someone else's comment: 404 while hidden, then refused"),
    Channel("comments", frozenset({M}), page("comments")),
    Channel("notifications", NONE, lambda w, c, a: c.get(reverse("notifications")),
            why="the reader's own notifications: the writer's mention of them in the session is never sent"),
    Channel("notifications-read", NONE, why="POST only: marks the caller's notifications read"),
    Channel("notification-settings", NONE, lambda w, c, a: c.get(reverse("notification-settings")),
            why="the caller's e-mail choice"),
]
# fmt: on

FORMAT_REQUESTS = {"api:project-export": api_export, "export-download": download, "export-job-file": own_job}


def requests_of(channel: Channel) -> list[Request]:
    if channel.format:
        return [FORMAT_REQUESTS[channel.name](channel.format)]
    return [channel.request] if channel.request is not None else []


def seen(w: World, channel: Channel) -> tuple[set[str], list[int]]:
    client, api_as_reader = Client(), api_client(w.reader)
    client.force_login(w.reader)
    found: set[str] = set()
    statuses = []
    for ask in requests_of(channel):
        response = ask(w, client, api_as_reader)
        statuses.append(response.status_code)
        text = body_text(response)
        found |= {kind for kind, marker in MARKERS.items() if marker in text}
    return found, statuses


@pytest.mark.parametrize("channel", CHANNELS, ids=[c.id for c in CHANNELS])
def test_a_blind_sessions_work_reaches_a_colleague_only_after_both_submitted(world: World, channel: Channel):
    if not requests_of(channel):
        assert channel.why and not channel.shows, "A row that asks nothing must say why, and show nothing."
        return
    for phase, step in enumerate(PHASES):
        world.phase = phase
        if step == "the reader submitted":
            session_submit(session=world.session, user=world.reader)
        if step == "both submitted":
            session_submit(session=world.session, user=world.writer)
        found, statuses = seen(world, channel)
        expected = channel.shows if step == "both submitted" else set()
        assert found == expected, (
            f"{step}: saw {sorted(found)} (status {statuses}), expected {sorted(expected)}"
        )


def channel_urls() -> set[str]:
    """The name of every URL of the API's and the pages' URL confs (`sources.api.urls`,
    `sources.views.urls` and what they include; API names as "api:<name>"), from the resolver."""
    found: set[str] = set()

    def walk(patterns: list, namespace: str, ours: bool) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                module = getattr(pattern.urlconf_module, "__name__", "")
                walk(
                    pattern.url_patterns,
                    pattern.namespace or namespace,
                    ours or module.startswith("sources."),
                )
            elif isinstance(pattern, URLPattern) and ours:
                found.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", False)
    return found


def test_every_channel_has_a_row() -> None:
    missing = channel_urls() - {c.name for c in CHANNELS}
    assert not missing, f"Add rows to CHANNELS for {sorted(missing)}"
    stale = {c.name for c in CHANNELS} - channel_urls()
    assert not stale, f"Rows for URLs that do not exist: {sorted(stale)}"


@pytest.mark.parametrize("name", sorted(FORMAT_REQUESTS))
def test_every_export_format_has_a_row_in_every_export_channel(name: str) -> None:
    walked = {c.format for c in CHANNELS if c.name == name}
    assert walked == set(FORMATS), f"{name}: add {sorted(set(FORMATS) - walked)} to EXPORT_SHOWS"


def test_the_writer_submitting_alone_shows_nothing_to_a_reader_who_has_not(world: World):
    session_submit(session=world.session, user=world.writer)
    for channel in CHANNELS:
        if channel.id in {"api:project-export-jsonl", "reader", "claims", "dashboard", "api:discussion-list"}:
            found, statuses = seen(world, channel)
            assert found == set(), f"{channel.id}: saw {sorted(found)} (status {statuses})"
