"""Refuse UPDATE and DELETE of audit entries on SQLite as on PostgreSQL (and TRUNCATE there), and the
deletion of the chain head; the statements live in palermo.audit.guards."""

from django.db import migrations

from palermo.audit import guards

OLD_SQLITE_GUARD = ["DROP TRIGGER IF EXISTS audit_entry_no_update;"]
OLD_POSTGRESQL_GUARD = ["DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;",
                        "DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;"]


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    old = {"sqlite": OLD_SQLITE_GUARD, "postgresql": OLD_POSTGRESQL_GUARD}.get(vendor, [])
    for statement in old + guards.up_statements(vendor):
        schema_editor.execute(statement)


def down(apps, schema_editor):
    for statement in guards.down_statements(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_audit_chain_keyed")]
    operations = [migrations.RunPython(up, down)]
