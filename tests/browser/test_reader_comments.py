"""Comments in the reader's margin, in a real browser: write one, edit it in place, delete it while a
colleague's reply keeps the thread readable (docs/collaboration.md, "Comments")."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from sources.models import Comment
from sources.services.comments import comment_create

from .reader_team import open_reader, source_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_comment_is_written_edited_and_deleted_in_the_margin(page, reader_team):
    source = source_of(reader_team, ["Energy and security meet in Central Asia.", "Pipelines."])
    open_reader(page, source, "annotator1")
    passage = page.locator("#passage-0")
    passage.locator(".comment-new summary").click()
    passage.get_by_label("Comment on passage 0").fill("Is this about enrgy?")
    passage.get_by_role("button", name="Post").click()
    expect(passage.locator(".comment .comment-text")).to_have_text("Is this about enrgy?")

    passage.locator(".comment-edit summary").click()
    passage.get_by_label("Your comment").fill("Is this about energy?")
    passage.get_by_role("button", name="Save").click()
    expect(passage.locator(".comment .comment-text")).to_have_text("Is this about energy?")
    expect(passage.locator(".comment-meta")).to_contain_text("edited")

    mine = Comment.objects.get()
    colleague = get_user_model().objects.get(username="annotator2")
    comment_create(passage=mine.passage, author=colleague, text="Yes, and security.", parent=mine)
    page.reload()
    page.wait_for_selector("html.js")
    passage.get_by_role("button", name="Delete the comment “Is this about energy?”").click()
    expect(passage.locator(".comment-deleted")).to_contain_text("Comment deleted")
    expect(passage.locator(".comment.is-reply .comment-text")).to_have_text("Yes, and security.")
    expect(passage).not_to_contain_text("Is this about energy?")
    expect(passage.locator(".comment.is-reply").get_by_role("button", name="Delete")).to_have_count(0)
