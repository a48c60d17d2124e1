from django.urls import path

from . import projects

urlpatterns = [
    path("", projects.project_list, name="home"),
]
