"""API tokens (django-rest-knox): issued per sign-in, stored as a hash only, revoked together.

Every sign-in gets its own token, so one client (a script, a notebook) can be signed out without the
others; each expires after `TOKEN_TTL_DAYS`. A new password revokes them all, whichever way it was
set (the password change or reset pages, the admin, `manage.py changepassword`)."""

from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from knox.models import get_token_model


def token_issue(*, user: AbstractBaseUser) -> tuple[str, datetime]:
    """A new token for `user` and its expiry; the clear token exists only in this answer."""
    instance, token = get_token_model().objects.create(user=user)
    return token, instance.expiry


def tokens_revoke_all(*, user: AbstractBaseUser) -> int:
    deleted, _ = get_token_model().objects.filter(user=user).delete()
    return deleted


def revoke_tokens_on_new_password(sender: type, instance: AbstractBaseUser, **kwargs: Any) -> None:
    """pre_save of the user model: a stored password hash about to change revokes every token.

    Saves that name their fields and leave the password out (last_login at each sign-in) skip the
    comparison, so it costs a query only when the password may have changed."""
    update_fields = kwargs.get("update_fields")
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = get_user_model().objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if stored is not None and stored != instance.password:
        tokens_revoke_all(user=instance)
