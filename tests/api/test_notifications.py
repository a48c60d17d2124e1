"""What people are told: a rejected tag (with the reviewer's comment), a released grade, an
invitation to an account that exists; and who gets e-mail, sent by the background worker."""

from django.core import mail
from django_tasks_db.models import DBTaskResult

from sources.models import MailChoice, Notification, NotificationSettings
from sources.services.notifications import mail_choose, mail_wanted, notification_mail

from .conftest import World, url


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_rejected_tag_tells_its_author_why(world: World, api_as):
    response = api_as(world.team.instructor).post(
        url("review-list"), {"annotation": world.annotation.pk, "decision": "reject", "comment": "Not here."}
    )
    assert response.status_code == 201
    (told,) = Notification.objects.filter(recipient=world.team.annotator2)
    assert told.kind == "tag_rejected" and told.text.endswith("rejected: Not here.")
    assert told.actor == world.team.instructor and told.project == world.team.project
    assert kinds_of(world.team.annotator) == []


def test_releasing_grades_tells_each_graded_student(world: World, api_as):
    lead = api_as(world.team.instructor)
    for student in (world.team.annotator, world.team.annotator2):
        path = url("session-grade", pk=world.session.pk, user_id=student.pk)
        assert lead.put(path, {"scores": {}, "feedback": "Good."}, format="json").status_code == 200
    assert lead.post(url("session-grades-release", pk=world.session.pk)).status_code == 200
    assert kinds_of(world.team.annotator) == kinds_of(world.team.annotator2) == ["grade_released"]
    lead.post(url("session-grades-release", pk=world.session.pk))  # nothing new released, nobody told again
    assert Notification.objects.filter(kind="grade_released").count() == 2


def test_an_invitation_to_an_address_with_an_account_reaches_its_bell(world: World, api_as):
    world.team.outsider.email = "outsider@example.org"
    world.team.outsider.save()
    response = api_as(world.team.owner).post(
        url("project-invitations", slug="class"),
        {"kind": "email", "emails": ["Outsider@example.org", "new@example.org"], "role": "annotator"},
        format="json",
    )
    assert response.status_code == 201, response.content
    (told,) = Notification.objects.filter(kind="invitation")
    assert told.recipient == world.team.outsider and told.url.startswith("/join/")


def test_students_get_no_mail_until_they_opt_in_and_leads_do(world: World):
    assert not mail_wanted(world.team.annotator)
    assert mail_wanted(world.team.instructor)
    mail_choose(user=world.team.annotator, mail=MailChoice.IMMEDIATE)
    mail_choose(user=world.team.instructor, mail=MailChoice.OFF)
    assert mail_wanted(world.team.annotator) and not mail_wanted(world.team.instructor)
    assert NotificationSettings.objects.count() == 2


def test_a_mention_of_someone_who_wants_mail_is_sent_once_by_the_worker(
    world: World, api_as, django_capture_on_commit_callbacks
):
    team = world.team
    team.annotator2.email = "a2@example.org"
    team.annotator2.save()
    mail_choose(user=team.annotator2, mail=MailChoice.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=True):
        api_as(team.annotator).post(
            url("comment-list"), {"passage": world.passages[0].pk, "text": "@annotator2 look"}, format="json"
        )
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="notification_mail_task")
    notification = Notification.objects.get(recipient=team.annotator2)
    assert queued.args_kwargs["args"] == [notification.pk]
    assert mail.outbox == []  # the request only queued it
    assert notification_mail(notification_id=notification.pk) is True
    assert notification_mail(notification_id=notification.pk) is False  # once
    (sent,) = mail.outbox
    assert sent.to == ["a2@example.org"] and "annotator mentioned you: @annotator2 look" in sent.body
    assert f"#passage-{world.passages[0].ordinal}" in sent.body
