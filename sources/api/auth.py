"""Token sign-in and sign-out.

`POST /api/auth/token/` with username (or e-mail) and password answers a new token and its expiry;
`POST /api/auth/logout/` revokes the token the request is signed with, `POST /api/auth/logoutall/`
every token of the user. Failed sign-ins count towards the same lockout as the login page
(sources/lockout.py): at the limit the answer is 429 with Retry-After, even for the right password."""

from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox.auth import TokenAuthentication
from knox.models import AuthToken
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..services.tokens import token_issue, tokens_revoke_all
from .errors import errors


class CredentialsSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=254, help_text="Username or e-mail address.")
    password = serializers.CharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})


TOKEN_RESPONSE = inline_serializer(
    "Token",
    {
        "token": serializers.CharField(help_text="Send as `Authorization: Token <token>`; shown only once."),
        "expiry": serializers.DateTimeField(help_text="When the token stops working."),
    },
)
LOCKED_OUT = OpenApiResponse(
    inline_serializer(
        "LockedOut", {"detail": serializers.CharField(), "retry_after": serializers.IntegerField()}
    ),
    description="Too many failed sign-ins for this account or from this address; see `Retry-After`.",
)
SIGNED_OUT = OpenApiResponse(description="Signed out; the token(s) no longer work.")


class TokenView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        request=CredentialsSerializer,
        responses={200: TOKEN_RESPONSE, **errors(400, signed_in=False), 429: LOCKED_OUT},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The Django request, not DRF's wrapper: the lockout marks it, and its middleware answers 429.
        # allauth's backend takes an e-mail address given as the username too.
        user = authenticate(request._request, **serializer.validated_data)
        if user is None:
            raise exceptions.ValidationError(
                {"non_field_errors": ["Unable to log in with the username (or e-mail) and password given."]}
            )
        token, expiry = token_issue(user=user)
        user_logged_in.send(sender=type(user), request=request._request, user=user)
        return Response({"token": token, "expiry": serializers.DateTimeField().to_representation(expiry)})


class LogoutView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: SIGNED_OUT, **errors(401)})
    def post(self, request: Request) -> Response:
        if not isinstance(request.auth, AuthToken):
            raise exceptions.NotAuthenticated("Sign this request with the token to revoke.")
        request.auth.delete()
        return Response(status=204)


class LogoutAllView(APIView):
    """Revokes every token of the user; a browser session (with its CSRF token) may do it too."""

    @extend_schema(request=None, responses={204: SIGNED_OUT, **errors(401)})
    def post(self, request: Request) -> Response:
        tokens_revoke_all(user=request.user)
        return Response(status=204)
