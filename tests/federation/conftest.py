import pytest

from palermo.accounts import roles as R
from palermo.accounts.models import Agency, User
from palermo.federation import services


@pytest.fixture
def operators():
    agency = Agency.objects.create(code="ro-police", name="Police", agency_type="LawEnforcement", country="RO")
    root = User.objects.create_superuser("platform.admin", password="x" * 12, roles=[R.ADMINISTRATOR])
    agency_admin = User.objects.create_user("agency.admin", password="x" * 12, agency=agency,
                                            roles=[R.ADMINISTRATOR])
    return root, agency_admin


@pytest.fixture
def initialised(operators):
    root, _ = operators
    services.init_instance(root, instance_id="ro.palermo.test", name="Palermo Romania",
                           url="https://ro.palermo.test/", country="RO", contact_point="ATU duty desk")
    return root
