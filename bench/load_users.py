"""The simulated people of the load benchmark (a locustfile; `bench/load.py` runs it).

Annotators read a source in the reader, tag spans through the API and search; instructors review
(the queue page, then approving a draft through the API) and now and then ask for a background
export, whose job fragment they poll once a second, as the export page does, until the file can be
downloaded. Everyone works in the project that `bench/load.py` prepared and described in the file
named by LOAD_PLAN; each simulated user is one account, logged in beforehand, and talks to one of
the app processes in LOAD_HOSTS (round robin), as a load balancer would spread them.

The app runs in its production shape (DEBUG off, behind a TLS proxy): the requests carry
`X-Forwarded-Proto: https` and the proxy's `Origin`, and the Secure cookies are kept over the plain
HTTP of 127.0.0.1, the proxy's side of the connection."""

import itertools
import json
import os
import random
import re
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import gevent
from locust import HttpUser, between, constant, task

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text(encoding="utf-8"))
HOSTS = os.environ["LOAD_HOSTS"].split(",")
# Think time between two actions: about ten times as busy as a student who reads and tags.
THINK = between(1, 3)
EXPORT_WAIT_SECONDS = 120
JOB_ID = re.compile(r'id="job-(\d+)"')

_next_host = itertools.cycle(HOSTS)
_next_account = {role: itertools.cycle(PLAN["accounts"][role]) for role in PLAN["accounts"]}
SLUG = PLAN["project"]["slug"]


class Member(HttpUser):
    abstract = True
    role = ""
    wait_time = THINK

    def on_start(self) -> None:
        self.host = next(_next_host)
        self.client.base_url = self.host
        self.client.cookies.set_policy(DefaultCookiePolicy(secure_protocols=("https", "http")))
        account = next(_next_account[self.role])
        self.client.cookies.set("sessionid", account["session"])
        self.client.cookies.set("csrftoken", account["csrf"])
        self.client.headers.update(
            {"X-Forwarded-Proto": "https", "Origin": self.host.replace("http://", "https://")}
        )
        self.csrf = account["csrf"]
        self.rng = random.Random()

    def api_post(self, path: str, body: dict, *, name: str) -> None:
        self.client.post(path, json=body, headers={"X-CSRFToken": self.csrf}, name=name)


class Annotator(Member):
    role = "annotator"
    weight = 9

    @task(4)
    def read(self) -> None:
        source = self.rng.choice(PLAN["sources"])
        self.client.get(f"/p/{SLUG}/sources/{source}/", name="reader page")

    @task(3)
    def tag(self) -> None:
        passage_id, length = self.rng.choice(PLAN["passages"])
        start = self.rng.randrange(0, length - 1)
        end = min(length, start + self.rng.randrange(5, 80))
        body = {"passage": passage_id, "theme": self.rng.choice(PLAN["themes"]), "start": start, "end": end}
        self.api_post("/api/annotations/", body, name="tag (API POST)")

    @task(2)
    def search(self) -> None:
        word = self.rng.choice(PLAN["words"])
        self.client.get(f"/p/{SLUG}/search/", params={"q": word}, name="search page")

    @task(1)
    def own_tags(self) -> None:
        self.client.get("/api/annotations/", params={"project": SLUG}, name="annotations (API list)")


class Instructor(Member):
    role = "instructor"
    weight = 1

    @task(4)
    def review_queue(self) -> None:
        self.client.get(f"/p/{SLUG}/review/", name="review page")

    @task(4)
    def approve(self) -> None:
        drafts = self.client.get(
            "/api/annotations/",
            params={"project": SLUG, "status": "draft"},
            name="annotations (API list)",
        )
        found = drafts.json().get("results", []) if drafts.ok else []
        if found:
            body = {"annotation": self.rng.choice(found)["id"], "decision": "approve"}
            self.api_post("/api/reviews/", body, name="review (API POST)")

    @task(1)
    def export(self) -> None:
        headers = {"X-CSRFToken": self.csrf, "HX-Request": "true"}
        started = self.client.post(
            f"/p/{SLUG}/export/jobs/", data={"format": "jsonl"}, headers=headers, name="export requested"
        )
        found = JOB_ID.search(started.text) if started.ok else None
        if found is None:
            return
        job = f"/p/{SLUG}/export/jobs/{found.group(1)}/"
        for _ in range(EXPORT_WAIT_SECONDS):
            fragment = self.client.get(job, headers={"HX-Request": "true"}, name="export job (poll)")
            if not fragment.ok or "Download" in fragment.text:
                break
            gevent.sleep(1)
        self.client.get(f"{job}file/", name="export download")


class BareView(HttpUser):
    """The floor: `/healthz`, which answers without the database, through the same gunicorn and
    middleware (sessions, CSRF, structured logs, metrics) as every page."""

    wait_time = constant(0)

    def on_start(self) -> None:
        self.client.base_url = next(_next_host)

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="bare view (/healthz)")
