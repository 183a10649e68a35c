"""Database-level guarantees the catalogue relies on, whatever path writes the rows (services, admin, bulk inserts,
raw SQL):

- every code inserted into the general or local items is also inserted into ``catalogue_issuedcode``, whose primary
  key refuses a code issued before — so a code is never reused, also after its item is cancelled or removed;
- a code, once stored, cannot be changed;
- on PostgreSQL, trigram indexes serve the name search of the catalogue browser and the public lists.
"""

from django.db import migrations

TABLES = {"catalogue_generalitem": "general", "catalogue_localitem": "local"}

POSTGRES_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION catalogue_register_code() RETURNS trigger AS $$
    BEGIN
        INSERT INTO catalogue_issuedcode (code, kind, issued_at) VALUES (NEW.code, TG_ARGV[0], now());
        RETURN NEW;
    EXCEPTION WHEN unique_violation THEN
        RAISE unique_violation USING MESSAGE = format('code %s was issued before and may never be reused', NEW.code);
    END
    $$ LANGUAGE plpgsql;
    """,
    """
    CREATE OR REPLACE FUNCTION catalogue_code_immutable() RETURNS trigger AS $$
    BEGIN
        IF NEW.code <> OLD.code THEN
            RAISE EXCEPTION 'code % is immutable', OLD.code USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql;
    """,
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS catalogue_localitem_name_trgm ON catalogue_localitem USING gin (name gin_trgm_ops);",
    "CREATE INDEX IF NOT EXISTS catalogue_generalitem_name_trgm ON catalogue_generalitem USING gin (name gin_trgm_ops);",
]
for table, kind in TABLES.items():
    POSTGRES_FORWARD += [
        f"CREATE TRIGGER {table}_register_code AFTER INSERT ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION catalogue_register_code('{kind}');",
        f"CREATE TRIGGER {table}_code_immutable BEFORE UPDATE OF code ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION catalogue_code_immutable();",
    ]

POSTGRES_BACKWARD = [f"DROP TRIGGER IF EXISTS {t}_register_code ON {t};" for t in TABLES] + [
    f"DROP TRIGGER IF EXISTS {t}_code_immutable ON {t};" for t in TABLES
] + [
    "DROP FUNCTION IF EXISTS catalogue_register_code();",
    "DROP FUNCTION IF EXISTS catalogue_code_immutable();",
    "DROP INDEX IF EXISTS catalogue_localitem_name_trgm;",
    "DROP INDEX IF EXISTS catalogue_generalitem_name_trgm;",
]

SQLITE_FORWARD = []
for table, kind in TABLES.items():
    SQLITE_FORWARD += [
        f"CREATE TRIGGER {table}_register_code AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO catalogue_issuedcode (code, kind, issued_at) VALUES (NEW.code, '{kind}', CURRENT_TIMESTAMP); END;",
        f"CREATE TRIGGER {table}_code_immutable BEFORE UPDATE OF code ON {table} "
        f"WHEN NEW.code <> OLD.code BEGIN SELECT RAISE(ABORT, 'code is immutable'); END;",
    ]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {t}_register_code;" for t in TABLES] + [
    f"DROP TRIGGER IF EXISTS {t}_code_immutable;" for t in TABLES
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
