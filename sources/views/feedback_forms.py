"""Forms of the grades page and of the discussion threads: they check the shape of the input and name
the field at fault; the services (`services.feedback`, `services.discussions`) enforce the rules."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from ..models import Annotation, Criterion, DiscussionDecision, Membership
from ..templatetags.workbench import display_name

NO_KEY = ""


class AnswerKeyForm(forms.Form):
    author = forms.ChoiceField(label="Answer key", required=False)

    def __init__(self, *args, members: list[Membership], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(NO_KEY, "— no answer key —")]
        for member in members:
            tags = f"{member.tag_count} tag{'s' if member.tag_count != 1 else ''} in this session"
            label = f"{display_name(member.user)} · {member.get_role_display().lower()} · {tags}"
            choices.append((str(member.user_id), label))
        self.fields["author"].choices = choices
        self.members = {member.user_id: member.user for member in members}

    def chosen(self):
        """The chosen member, or None for no key."""
        value = self.cleaned_data["author"]
        return self.members[int(value)] if value else None


class CriterionForm(forms.Form):
    name = forms.CharField(max_length=200)
    description = forms.CharField(required=False, max_length=2000)
    max_points = forms.IntegerField(label="Max points", min_value=1, max_value=10000)


class BaseRubricFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        names = [f.cleaned_data["name"].strip() for f in self.kept()]
        if len(set(names)) != len(names):
            raise ValidationError("Criterion names must differ.")

    def kept(self) -> list[CriterionForm]:
        """The rows to save: every filled-in row not marked for removal. The existing criteria count
        whether or not they were edited; a blank row left over for adding one does not."""
        return [f for f in self.forms if f.cleaned_data.get("name") and not self._should_delete_form(f)]

    def criteria(self) -> list[dict]:
        return [
            {
                "name": f.cleaned_data["name"].strip(),
                "description": f.cleaned_data["description"],
                "max_points": f.cleaned_data["max_points"],
            }
            for f in self.kept()
        ]


RubricFormSet = forms.formset_factory(
    CriterionForm, formset=BaseRubricFormSet, extra=1, can_delete=True, max_num=50, validate_max=True
)


def rubric_formset(criteria: list[Criterion], data=None) -> BaseRubricFormSet:
    initial = [{"name": c.name, "description": c.description, "max_points": c.max_points} for c in criteria]
    return RubricFormSet(data, initial=initial, prefix="criteria")


class GradeForm(forms.Form):
    """Points per criterion (blank: not graded on it yet) and written feedback for one participant."""

    feedback = forms.CharField(
        required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3}), label="Written feedback"
    )

    def __init__(self, *args, criteria: list[Criterion], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[self.field_of(criterion.pk)] = forms.DecimalField(
                label=criterion.name,
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(criterion.max_points),
                max_digits=6,
                decimal_places=2,
                widget=forms.NumberInput(
                    attrs={"step": "0.25", "min": "0", "max": str(criterion.max_points)}
                ),
                error_messages={
                    "max_value": f"At most {criterion.max_points} points on {criterion.name}.",
                    "min_value": "Points cannot be negative.",
                },
            )

    @staticmethod
    def field_of(criterion_id: int) -> str:
        return f"points-{criterion_id}"

    def rows(self) -> list[tuple[Criterion, forms.BoundField]]:
        return [(criterion, self[self.field_of(criterion.pk)]) for criterion in self.criteria]

    def scores(self) -> dict[int, Decimal]:
        return {
            c.pk: self.cleaned_data[self.field_of(c.pk)]
            for c in self.criteria
            if self.cleaned_data[self.field_of(c.pk)] is not None
        }


class DiscussionStartForm(forms.Form):
    text = forms.CharField(
        max_length=2000, label="Start a discussion", widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    text = forms.CharField(max_length=2000, label="Reply", widget=forms.Textarea(attrs={"rows": 2}))


VERDICTS = [("", "leave as is"), ("approve", "approve"), ("reject", "reject")]


class DecisionForm(forms.Form):
    """The decision and its reason, and for each tag of the passage and theme: approve, reject or leave."""

    decision = forms.ChoiceField(choices=DiscussionDecision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tags: list[Annotation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.tags = tags
        for tag in tags:
            self.fields[f"tag-{tag.pk}"] = forms.ChoiceField(
                choices=VERDICTS, required=False, widget=forms.RadioSelect, label=f"Tag #{tag.pk}"
            )

    def verdicts(self) -> tuple[list[int], list[int]]:
        approve = [t.pk for t in self.tags if self.cleaned_data.get(f"tag-{t.pk}") == "approve"]
        reject = [t.pk for t in self.tags if self.cleaned_data.get(f"tag-{t.pk}") == "reject"]
        return approve, reject

    def tag_fields(self) -> list[tuple[Annotation, forms.BoundField]]:
        return [(tag, self[f"tag-{tag.pk}"]) for tag in self.tags]


def service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal next to the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)
