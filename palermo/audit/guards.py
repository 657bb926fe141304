"""The database's own refusal to change the audit trail: triggers that refuse UPDATE and DELETE of
entries (and TRUNCATE on PostgreSQL) and the deletion of the head, on SQLite and PostgreSQL alike.

They stop accidents and casual edits; someone who can drop a trigger can still change rows, which the
keyed chain and the signed checkpoints then reveal (`palermo audit verify`). Production deployments
should also revoke UPDATE, DELETE and TRUNCATE on the audit tables from the application's role.
"""

POSTGRESQL_UP = """
CREATE OR REPLACE FUNCTION palermo_audit_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'the audit trail is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION palermo_audit_append_only();
CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
  FOR EACH ROW EXECUTE FUNCTION palermo_audit_append_only();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
  FOR EACH STATEMENT EXECUTE FUNCTION palermo_audit_append_only();
CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead
  FOR EACH ROW EXECUTE FUNCTION palermo_audit_append_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
  FOR EACH STATEMENT EXECUTE FUNCTION palermo_audit_append_only();
"""
POSTGRESQL_DOWN = """
DROP TRIGGER IF EXISTS audit_entry_no_update ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_delete ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP TRIGGER IF EXISTS audit_head_no_delete ON audit_audithead;
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead;
DROP FUNCTION IF EXISTS palermo_audit_append_only();
"""
SQLITE_UP = [
    "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    "CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
    "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_audithead "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
    "DROP TRIGGER IF EXISTS audit_head_no_delete;",
]


def up_statements(vendor: str) -> list[str]:
    return {"postgresql": [POSTGRESQL_UP], "sqlite": SQLITE_UP}.get(vendor, [])


def down_statements(vendor: str) -> list[str]:
    return {"postgresql": [POSTGRESQL_DOWN], "sqlite": SQLITE_DOWN}.get(vendor, [])
