"""Re-hash an existing trail under the chain key (PALERMO_AUDIT_KEY), once.

Entries written before this release carry plain SHA-256 hashes, which anyone with database access can
recompute. The whole trail is first verified as it stands; a broken trail is refused (re-hashing it
would launder the tampering), and the problems are printed. An intact trail is re-hashed under the key
and a closing entry records the last plain hash, so a copy of the old head can still be matched.
A fresh database has nothing to re-hash and needs no key here.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from palermo.audit.chain import GENESIS_HASH, entry_hash, unkeyed_entry_hash, verify_entries

FIELDS = ["id", "seq", "timestamp", "actor_id", "actor_username", "agency_code", "action", "object_type",
          "object_id", "object_label", "purpose", "details", "prev_hash", "hash"]
LIFT = {"postgresql": ["ALTER TABLE audit_auditentry DISABLE TRIGGER USER"],
        "sqlite": ["DROP TRIGGER IF EXISTS audit_entry_no_update"]}
RESTORE = {"postgresql": ["ALTER TABLE audit_auditentry ENABLE TRIGGER USER"], "sqlite": []}


def _rows(AuditEntry):
    return [{**row, "timestamp": row["timestamp"].isoformat()}
            for row in AuditEntry.objects.order_by("seq").values(*FIELDS)]


def rekey(apps, schema_editor):
    rekey_trail(apps.get_model("audit", "AuditEntry"), apps.get_model("audit", "AuditHead"), schema_editor.connection)


def rekey_trail(AuditEntry, AuditHead, connection):
    rows = _rows(AuditEntry)
    if not rows:
        return
    if not settings.PALERMO_AUDIT_KEY:
        raise RuntimeError("PALERMO_AUDIT_KEY must be set to re-hash the existing audit trail under a key "
                           "(`make run` adds it to var/secrets.env).")
    key = settings.PALERMO_AUDIT_KEY.encode("utf-8")
    head = AuditHead.objects.filter(pk=1).values("last_seq", "last_hash").first()
    found = verify_entries(rows, head, key, hash_of=unkeyed_entry_hash)
    if not found.ok:
        raise RuntimeError("the audit trail is already broken; it is not re-hashed, which would hide that:\n"
                           + "\n".join(found.problems[:50]))
    previous = GENESIS_HASH
    with connection.cursor() as cursor:
        for statement in LIFT.get(connection.vendor, []):
            cursor.execute(statement)
        for row in rows:
            row["prev_hash"] = previous
            previous = entry_hash(row, key)
            cursor.execute("UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE id = %s",
                           [row["prev_hash"], previous, row["id"]])
        for statement in RESTORE.get(connection.vendor, []):
            cursor.execute(statement)
    closing = {"seq": rows[-1]["seq"] + 1, "timestamp": timezone.now(), "actor_id": None, "actor_username": "",
               "agency_code": "", "action": "audit_chain_keyed", "object_type": "", "object_id": "",
               "object_label": "", "purpose": "",
               "details": {"unkeyed_head_seq": rows[-1]["seq"], "unkeyed_head_hash": found.last_hash},
               "prev_hash": previous}
    closing["hash"] = entry_hash({**closing, "timestamp": closing["timestamp"].isoformat()}, key)
    AuditEntry.objects.create(**closing)
    AuditHead.objects.filter(pk=1).update(last_seq=closing["seq"], last_hash=closing["hash"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(rekey, migrations.RunPython.noop)]
