# Reserved for teachers and classroom exchanges (issue 14); its operations are added with the models they create.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0004_twinning_lifecycle")]

    operations = []
