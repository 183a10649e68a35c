"""Fill the items' copy of their published guide (``LocalItem.guide_version`` / ``guide_published_at``, added empty by
the catalogue's migration of the same name) from the standards table: one ``UPDATE … FROM`` over the published
versions — a single hash join, seconds for the largest province, on PostgreSQL and on SQLite (3.33 or later).
Going back leaves the copy as it is (the catalogue's migration drops the columns)."""

from django.db import migrations

FILL = """
UPDATE catalogue_localitem
SET guide_version = s.version, guide_published_at = s.published_at
FROM standards_itemstandard AS s
WHERE s.local_item_id = catalogue_localitem.id AND s.state = 'published'
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0008_published_guide_on_item"),
        ("standards", "0005_guide_import_origin"),
    ]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True)]
