"""`make run` on a machine with an older var/secrets.env adds the audit keys and keeps the others."""

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from palermo.local_secrets import ensure


def test_missing_keys_are_added_and_existing_ones_kept(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text("# generated earlier\nPALERMO_FIELD_KEY=existing-field-key\nDJANGO_SECRET_KEY=existing\n")
    assert ensure(path) == ["PALERMO_AUDIT_KEY", "PALERMO_AUDIT_SIGNING_KEY"]
    values = dict(line.split("=", 1) for line in path.read_text().splitlines() if not line.startswith("#"))
    assert values["PALERMO_FIELD_KEY"] == "existing-field-key" and values["DJANGO_SECRET_KEY"] == "existing"
    assert len(values["PALERMO_AUDIT_KEY"]) >= 40
    Ed25519PrivateKey.from_private_bytes(base64.urlsafe_b64decode(values["PALERMO_AUDIT_SIGNING_KEY"]))
    assert ensure(path) == [] and path.stat().st_mode & 0o777 == 0o600


def test_a_new_machine_gets_every_key(tmp_path):
    path = tmp_path / "var" / "secrets.env"
    assert len(ensure(path)) == 4 and path.stat().st_mode & 0o777 == 0o600
