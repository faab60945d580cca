# Reserved for the twinning lifecycle (issue 12); its operations are added with the models they create.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0003_matchrun_lease")]

    operations = []
