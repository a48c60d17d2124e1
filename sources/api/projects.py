"""Projects, their members, and deleting a project in the background."""

from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models import Licence, Membership, Project, ProjectDeletion, Role
from ..models.project import validate_time_zone
from ..selectors.members import active_users, is_member, membership_of, project_with_role
from ..selectors.projects import deletion_of, memberships_of, projects_for_user
from ..services.project_deletion import project_deletion_start
from ..services.projects import membership_remove, membership_set, project_create, project_update
from .errors import errors, list_errors
from .pagination import PagePagination
from .permissions import CanAdminister, CanOwn
from .viewsets import ScopedViewSet


class ProjectSerializer(serializers.ModelSerializer):
    my_role = serializers.ChoiceField(choices=Role.choices, read_only=True, help_text="The caller's role.")
    member_count = serializers.IntegerField(read_only=True)
    source_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "slug",
            "name",
            "description",
            "licence",
            "time_zone",
            "archived",
            "created",
            "my_role",
            "member_count",
            "source_count",
        ]
        read_only_fields = fields


class ProjectCreateSerializer(serializers.Serializer):
    slug = serializers.SlugField(max_length=64)
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True, default="")
    licence = serializers.ChoiceField(choices=Licence.choices, default="", help_text="SPDX id, or blank.")
    time_zone = serializers.CharField(
        max_length=64, default="UTC", validators=[validate_time_zone], help_text="IANA name."
    )


class ProjectUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(allow_blank=True)
    licence = serializers.ChoiceField(choices=Licence.choices, help_text="SPDX id, or blank.")
    time_zone = serializers.CharField(max_length=64, validators=[validate_time_zone], help_text="IANA name.")
    archived = serializers.BooleanField(help_text="Read-only for everyone while true.")


class DeletionSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = ProjectDeletion
        fields = [
            "id",
            "project_slug",
            "project_name",
            "status",
            "done",
            "total",
            "percent",
            "error",
            "created",
            "finished",
        ]
        read_only_fields = fields


class DeletionStartedSerializer(DeletionSerializer):
    job = serializers.URLField(read_only=True, help_text="Where the deletion's progress is.")

    class Meta(DeletionSerializer.Meta):
        fields = ["job", *DeletionSerializer.Meta.fields]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(responses={200: ProjectSerializer(many=True), **list_errors()}),
    retrieve=extend_schema(responses={200: ProjectSerializer, **errors(404)}),
)
class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ScopedViewSet):
    """Any signed-in user may create a project and becomes its owner; only owners change or delete it."""

    output_serializer_class = ProjectSerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    role_rules = {"partial_update": CanOwn, "destroy": CanOwn}

    def get_queryset(self):
        return projects_for_user(self.request.user)

    @extend_schema(request=ProjectCreateSerializer, responses={201: ProjectSerializer, **errors(400, 409)})
    def create(self, request: Request) -> Response:
        data = self.validated(ProjectCreateSerializer)
        project = self.fetched(project_create(owner=request.user, **data))
        return self.respond(project, status.HTTP_201_CREATED)

    @extend_schema(
        request=ProjectUpdateSerializer,
        responses={200: ProjectSerializer, **errors(400, 403, 404)},
        description="Change settings; `archived: true` makes the project read-only for everyone, and "
        "an archived project accepts nothing but `archived: false`.",
    )
    def partial_update(self, request: Request, slug: str) -> Response:
        project = self.get_object()
        data = self.validated(ProjectUpdateSerializer, partial=True)
        return self.respond(self.fetched(project_update(project=project, **data)))

    @extend_schema(
        request=None,
        responses={202: DeletionStartedSerializer, **errors(403, 404, 409)},
        description="Archives the project and deletes everything in it in the background; the answer "
        "(and its `Location`) names the job, whose `status` and `percent` tell the progress.",
    )
    def destroy(self, request: Request, slug: str) -> Response:
        deletion = project_deletion_start(project=self.get_object(), user=request.user)
        url = request.build_absolute_uri(reverse("api:project-deletion", args=[deletion.pk]))
        body = DeletionStartedSerializer(deletion).data | {"job": url}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})


class DeletionView(APIView):
    """`/api/project-deletions/{id}/`: a project deletion's progress, for the owner who started it."""

    @extend_schema(operation_id="project_deletion", responses={200: DeletionSerializer, **errors(404)})
    def get(self, request: Request, pk: int) -> Response:
        return Response(DeletionSerializer(deletion_of(request.user, pk)).data)


class MemberSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    tag_count = serializers.IntegerField(read_only=True, help_text="Their annotations in the project.")

    class Meta:
        model = Membership
        fields = ["user", "username", "role", "tag_count", "created"]
        read_only_fields = fields


class MemberInputSerializer(serializers.Serializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=active_users(), required=False, help_text="The user's id; or give `username`."
    )
    username = serializers.SlugRelatedField(
        slug_field="username",
        queryset=active_users(),
        required=False,
        source="named_user",
        help_text="The user's username; or give `user`.",
    )
    role = serializers.ChoiceField(choices=Role.choices)

    def validate(self, data: dict) -> dict:
        if ("user" in data) == ("named_user" in data):
            raise serializers.ValidationError("Give either `user` (an id) or `username`.")
        return data


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


@extend_schema_view(
    list=extend_schema(responses={200: MemberSerializer(many=True), **list_errors()}),
)
class MemberViewSet(mixins.ListModelMixin, ScopedViewSet):
    """`/api/projects/{slug}/members/`: members may list them; owners add, change and remove them."""

    output_serializer_class = MemberSerializer
    queryset = Membership.objects.none()  # names the model for the schema; rows come from get_queryset
    pagination_class = PagePagination
    lookup_field = "user"
    role_rules = {"create": CanAdminister, "partial_update": CanAdminister, "destroy": CanAdminister}

    def project(self) -> Project:
        return project_with_role(self.request.user, self.kwargs["project_slug"])

    def get_queryset(self):
        return memberships_of(self.project(), self.request.user)

    def fetched_member(self, project: Project, user: AbstractBaseUser) -> Membership:
        return memberships_of(project, self.request.user).get(user=user)

    @extend_schema(
        request=MemberInputSerializer,
        responses={200: MemberSerializer, 201: MemberSerializer, **errors(400, 403, 404)},
        description="Adds the user with the role (201), or changes the role of a member (200).",
    )
    def create(self, request: Request, project_slug: str) -> Response:
        project = self.project()
        self.check_object_permissions(request, project)
        data = self.validated(MemberInputSerializer)
        user: AbstractBaseUser = data.get("user") or data["named_user"]
        is_new = not is_member(project, user)
        membership_set(project=project, user=user, role=data["role"])
        code = status.HTTP_201_CREATED if is_new else status.HTTP_200_OK
        return self.respond(self.fetched_member(project, user), code)

    @extend_schema(
        request=RoleSerializer,
        responses={200: MemberSerializer, **errors(400, 403, 404)},
        description="Changes the member's role; the last owner stays owner.",
    )
    def partial_update(self, request: Request, project_slug: str, user: int) -> Response:
        project = self.project()
        self.check_object_permissions(request, project)
        membership = membership_of(project, user)
        data = self.validated(RoleSerializer)
        membership_set(project=project, user=membership.user, role=data["role"])
        return self.respond(self.fetched_member(project, membership.user))

    @extend_schema(responses={204: None, **errors(400, 403, 404)}, description="Removes the member.")
    def destroy(self, request: Request, project_slug: str, user: int) -> Response:
        project = self.project()
        self.check_object_permissions(request, project)
        membership = membership_of(project, user)
        membership_remove(project=project, user=membership.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
