"""Make the trail append-only in the database itself, not only in the ORM.

PostgreSQL refuses UPDATE and DELETE of entries. SQLite refuses UPDATE; a DELETE there is still
caught by `palermo audit verify` (broken chain), because Django's test flush on SQLite deletes rows.
Production deployments should also revoke UPDATE/DELETE/TRUNCATE on audit tables from the app role.
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION palermo_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION palermo_audit_append_only();
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION palermo_audit_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;
DROP FUNCTION IF EXISTS palermo_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_entry_no_update;"


def _run(sql_by_vendor):
    def run(apps, schema_editor):
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [
        migrations.RunPython(_run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
                             _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})),
    ]
