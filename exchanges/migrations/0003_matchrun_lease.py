# Reserved for the matching-run lease (issue 11, faults); its operations are added with the models they create.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0002_attendance_open_connections")]

    operations = []
