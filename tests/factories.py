import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from sources.models import (
    Annotation,
    Claim,
    Evidence,
    Membership,
    Passage,
    Project,
    Relation,
    Role,
    Session,
    Source,
    Theme,
)

PASSWORD = "pw-for-tests"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    slug = factory.Sequence(lambda n: f"project-{n}")
    name = factory.Sequence(lambda n: f"Project {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.ANNOTATOR


class SourceFactory(factory.django.DjangoModelFactory):
    """A source whose text is its passages joined by blank lines, as the ingester makes them."""

    class Meta:
        model = Source
        skip_postgeneration_save = True

    project = factory.SubFactory(ProjectFactory)
    title = factory.Sequence(lambda n: f"Source {n}")
    authors = factory.LazyFunction(lambda: ["Doe J."])
    year = 2020
    language = "en"
    text = ""
    sha256 = factory.Sequence(lambda n: f"{n:064x}")

    @factory.post_generation
    def paragraphs(obj, create, extracted, **kwargs):
        """SourceFactory(paragraphs=["First.", "Second."]) creates the passages and the text."""
        if not create or not extracted:
            return
        offset, texts = 0, []
        passages = []
        for ordinal, text in enumerate(extracted):
            passages.append(
                Passage(
                    source=obj,
                    ordinal=ordinal,
                    kind="paragraph",
                    text=text,
                    language="en",
                    start=offset,
                    end=offset + len(text),
                )
            )
            texts.append(text)
            offset += len(text) + 2
        obj.text = "\n\n".join(texts)
        obj.save(update_fields=["text"])
        Passage.objects.bulk_create(passages)


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    source = factory.SubFactory(SourceFactory)
    ordinal = factory.Sequence(lambda n: n)
    kind = "paragraph"
    text = "China uses the SCO to fight terrorism, separatism and extremism."
    language = "en"
    start = 0
    end = factory.LazyAttribute(lambda p: p.start + len(p.text))


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    project = factory.SubFactory(ProjectFactory)
    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.LazyAttribute(lambda t: t.slug.replace("-", " ").title())
    color = "#4c6ef5"


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Annotation

    passage = factory.SubFactory(PassageFactory)
    theme = factory.SubFactory(ThemeFactory, project=factory.SelfAttribute("..passage.source.project"))
    author = factory.SubFactory(UserFactory)
    start = None
    end = None
    quote = factory.LazyAttribute(lambda a: a.passage.text[a.start : a.end] if a.start is not None else "")


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claim

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Claim number {n} about the SCO.")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    passage = factory.SubFactory(PassageFactory, source__project=factory.SelfAttribute("...claim.project"))
    relation = Relation.SUPPORTS
    author = factory.SubFactory(UserFactory)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Session {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=1))
