"""The pages of classroom feedback (issue 7) under /p/<slug>/: a session's feedback and grades,
disagreement threads, and history with restore (included from urls.py)."""

from django.urls import path

from . import discussions, feedback, grades, history

SESSION = "sessions/<int:session_id>/"

urlpatterns = [
    path(f"{SESSION}feedback/", feedback.feedback, name="session-feedback"),
    path(f"{SESSION}grades/", grades.grades, name="session-grades"),
    path(f"{SESSION}grades/answer-key/", grades.answer_key, name="session-answer-key"),
    path(f"{SESSION}grades/rubric/", grades.rubric, name="session-rubric"),
    path(f"{SESSION}grades/release/", grades.release, name="session-grades-release"),
    path(f"{SESSION}grades/<int:user_id>/", grades.grade, name="session-grade"),
    path("discussions/", discussions.discussions, name="discussions"),
    path("discussions/<int:discussion_id>/replies/", discussions.discussion_reply, name="discussion-reply"),
    path("discussions/<int:discussion_id>/decide/", discussions.discussion_settle, name="discussion-decide"),
    path("history/", history.history, name="history"),
    path("history/<str:entry_id>/restore/", history.history_restore_entry, name="history-restore"),
]
