from django.urls import path

from exchanges.views import programs

# Included before exchanges.urls.matching so that "new" is not read as a program's slug.
urlpatterns = [
    path("programs/new/", programs.program_new, name="program_new"),
    path("programs/<slug:slug>/edit/", programs.program_edit, name="program_edit"),
]
