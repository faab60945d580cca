from django.urls import path

from exchanges.views import wall

urlpatterns = [
    path("exchanges/<int:exchange_id>/wall/", wall.wall, name="wall"),
    path("exchanges/<int:exchange_id>/wall/posts/", wall.wall_post, name="wall_post"),
    path("exchanges/<int:exchange_id>/wall/posts/<int:post_id>/approve/",
         wall.wall_post_decision, {"decision": "approve"}, name="wall_post_approve"),
    path("exchanges/<int:exchange_id>/wall/posts/<int:post_id>/reject/",
         wall.wall_post_decision, {"decision": "reject"}, name="wall_post_reject"),
    path("exchanges/<int:exchange_id>/wall/posts/<int:post_id>/comments/",
         wall.wall_comment, name="wall_comment"),
    path("exchanges/<int:exchange_id>/wall/images/<int:image_id>/", wall.wall_image,
         name="wall_image"),
    path("exchanges/<int:exchange_id>/wall/export/", wall.wall_export, name="wall_export"),
]
