"""Confirming a deletion in the admin, on an object's delete page or with "delete
selected" on its list: the page shown after (status 200, redirects followed)."""

from django.urls import reverse


def delete_confirmed(client, obj) -> str:
    name = type(obj)._meta.model_name
    response = client.post(reverse(f"admin:exchanges_{name}_delete", args=[obj.pk]),
                           {"post": "yes"}, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def delete_selected_confirmed(client, objs) -> str:
    name = type(objs[0])._meta.model_name
    response = client.post(reverse(f"admin:exchanges_{name}_changelist"), {
        "action": "delete_selected", "_selected_action": [o.pk for o in objs], "post": "yes",
    }, follow=True)
    assert response.status_code == 200
    return response.content.decode()
