"""A class roster: CSV with the columns `name,email,role`, one person a line, header first.

Every line is checked and every problem reported with its line number, so a teacher fixes the
file once; a roster with any problem yields nothing (the caller then invites nobody)."""

import csv
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

COLUMNS = ("name", "email", "role")
MAX_BYTES = 1_000_000
MAX_PEOPLE = 2000


@dataclass(frozen=True)
class RosterEntry:
    line: int
    name: str
    email: str
    role: str


class RosterError(ValueError):
    """Every problem of a roster, one `line N: ...` message each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def read_roster(data: bytes, *, roles: tuple[str, ...]) -> list[RosterEntry]:
    if len(data) > MAX_BYTES:
        raise RosterError([f"The roster is larger than {MAX_BYTES // 1000} kB; split it."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterError(
            [f"The roster is not UTF-8 text (byte {exc.start}); save it as CSV UTF-8."]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if tuple(header) != COLUMNS:
        raise RosterError([f"line 1: the header must be `{','.join(COLUMNS)}`, not `{','.join(header)}`."])
    entries, problems, seen = [], [], {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                problems.append(f"line {line}: expected 3 cells (name, email, role), found {len(row)}.")
                continue
            name, email, role = (cell.strip() for cell in row)
            role = role.lower()
            try:
                validate_email(email)
            except ValidationError:
                problems.append(f"line {line}: '{email}' is not an e-mail address.")
            if role not in roles:
                problems.append(f"line {line}: unknown role '{role}'; use one of {', '.join(roles)}.")
            if email.lower() in seen:
                problems.append(f"line {line}: {email} is already on line {seen[email.lower()]}.")
            seen.setdefault(email.lower(), line)
            entries.append(RosterEntry(line=line, name=name, email=email, role=role))
            if len(entries) > MAX_PEOPLE:
                raise RosterError([f"The roster lists more than {MAX_PEOPLE} people; split it."])
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: {exc}.")
    if problems:
        raise RosterError(problems)
    if not entries:
        raise RosterError(["The roster lists nobody: add one line per person under the header."])
    return entries
