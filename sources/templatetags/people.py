"""People's names on the pages: `{{ user|person }}`, with `{{ user|initials }}` as a badge beside it.

A name is what a person gave at sign-up (`get_full_name()`), else their username. Initials alone
collide in any class of thirty, so a page never shows them without the name."""

from django import template
from django.contrib.auth.models import AbstractBaseUser

register = template.Library()


@register.filter
def person(user: AbstractBaseUser | None) -> str:
    if user is None:
        return "someone"
    return user.get_full_name().strip() or user.get_username()


@register.filter
def initials(user: AbstractBaseUser | None) -> str:
    """First letters of the first and last words of the name ("Aigerim Sadykova" -> "AS"); the first
    two letters of a one-word name or username ("observer" -> "OB")."""
    if user is None:
        return "?"
    words = person(user).split()
    if len(words) >= 2:
        return (words[0][0] + words[-1][0]).upper()
    return words[0][:2].upper() if words else "?"
