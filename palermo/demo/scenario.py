"""The demo scenario: a Romanian–Italian task force facing a network with a travel-agency front.

Everything is generated from a fixed seed; no real person is described. Records are written through
the services, so the audit trail, encryption and visibility are exactly those of real use.

The story: "Soare Travel" in Iași advertises jobs in Italy. Recruiters (one of them a former victim)
bring women to a bar in Milan and men to a farm near Foggia. Drivers take them through Hungary and
Austria, a forger supplies documents, and a money mover sends earnings home through accounts opened
in the victims' names. The Romanian police and the Italian police share their cases in a joint task
force; the Italian labour inspectorate and a Romanian NGO shelter keep their records to themselves.
"""

from __future__ import annotations

import importlib
import importlib.util
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from palermo.accounts import roles as R
from palermo.accounts import services as account_services
from palermo.accounts.models import Agency, Compartment, TaskForce, User
from palermo.audit import services as audit
from palermo.core import services
from palermo.core.models import Case, Organisation, Person
from palermo.core.pseudonyms import new_pseudonym

SEED = 2026
# Each domain app may add to the scenario with a module defining extend_demo(scenario).
DOMAIN_EXTENSIONS = ("palermo.intake.demo", "palermo.protection.demo", "palermo.intel.demo", "palermo.referral.demo")
DEMO_PASSWORD = "palermo-demo-2026"

AGENCIES = [
    ("ro-police-atu", "Romanian Police — Anti-Trafficking Unit Iași", "LawEnforcement", "RO", "Iași", "Iași",
     "Duty officer ATU Iași, +40 232 000 100"),
    ("ro-ngo-shelter", "Casa Aurora Shelter (NGO)", "NGO", "RO", "Iași", "Iași", "Shelter coordinator, +40 232 000 200"),
    ("ro-prosecutor", "Prosecutor's Office — Organised Crime, Iași", "Prosecutor", "RO", "Iași", "Iași",
     "Duty prosecutor, +40 232 000 300"),
    ("ro-coordinator", "National Anti-Trafficking Coordinator (Romania)", "NationalCoordinator", "RO", "", "Bucharest",
     "Coordinator's office, +40 21 000 0400"),
    ("it-police-milan", "Police — Flying Squad Milan, Anti-Trafficking Section", "LawEnforcement", "IT", "Lombardy",
     "Milan", "Section duty desk, +39 02 0000 500"),
    ("it-labour-foggia", "Labour Inspectorate Foggia", "LabourInspectorate", "IT", "Apulia", "Foggia",
     "Inspection coordinator, +39 0881 000 600"),
    ("it-prosecutor-milan", "Public Prosecutor's Office Milan", "Prosecutor", "IT", "Lombardy", "Milan",
     "Duty prosecutor, +39 02 0000 700"),
    ("oversight-board", "Independent Oversight Board", "OversightBody", "BE", "", "Brussels", "Secretariat"),
]
TASK_FORCE = ("tf-danube-po", "Joint Task Force Danube–Po",
              ["ro-police-atu", "ro-prosecutor", "it-police-milan", "it-prosecutor-milan"])
USERS = [
    # username, agency, roles, clearance
    ("ro.analyst", "ro-police-atu", [R.ANALYST], R.RESTRICTED),
    ("ro.investigator", "ro-police-atu", [R.INVESTIGATOR], R.SECRET),
    ("ro.supervisor", "ro-police-atu", [R.SUPERVISOR], R.SECRET),
    ("ro.admin", "ro-police-atu", [R.ADMINISTRATOR], R.NORMAL),
    ("ngo.hotline", "ro-ngo-shelter", [R.HOTLINE_OPERATOR], R.NORMAL),
    ("ngo.casemanager", "ro-ngo-shelter", [R.CASE_MANAGER], R.RESTRICTED),
    ("ro.prosecutor", "ro-prosecutor", [R.PROSECUTOR], R.RESTRICTED),
    ("ro.coordinator", "ro-coordinator", [R.NATIONAL_COORDINATOR], R.RESTRICTED),
    ("it.investigator", "it-police-milan", [R.INVESTIGATOR], R.RESTRICTED),
    ("it.supervisor", "it-police-milan", [R.SUPERVISOR], R.RESTRICTED),
    ("it.inspector", "it-labour-foggia", [R.INVESTIGATOR], R.RESTRICTED),
    ("it.prosecutor", "it-prosecutor-milan", [R.PROSECUTOR], R.RESTRICTED),
    ("oversight.admin", "oversight-board", [R.ADMINISTRATOR], R.NORMAL),
    ("oversight.auditor", "oversight-board", [R.AUDITOR], R.NORMAL),
]

RO_GIVEN_F = ["Andreea", "Ioana", "Elena", "Maria", "Alina", "Roxana", "Cristina", "Daniela", "Bianca", "Larisa",
              "Mihaela", "Florentina", "Gabriela", "Simona"]
RO_GIVEN_M = ["Andrei", "Ionuț", "Mihai", "Florin", "Cătălin", "Bogdan", "Marius", "Sorin", "Vasile", "Costel",
              "Dorin", "Gheorghe", "Lucian", "Nelu"]
RO_FAMILY = ["Munteanu", "Ciobanu", "Rusu", "Lungu", "Moraru", "Cojocaru", "Ursu", "Sârbu", "Toma", "Bălan",
             "Zaharia", "Neagu", "Oprea", "Tudose", "Vlad", "Chiriac", "Pavel", "Iftimie"]
BG_GIVEN = [("Стефан", "Stefan"), ("Николай", "Nikolay"), ("Петя", "Petya"), ("Десислава", "Desislava")]
BG_FAMILY = [("Иванов", "Ivanov"), ("Георгиев", "Georgiev"), ("Петрова", "Petrova"), ("Стоянова", "Stoyanova")]
IT_GIVEN = ["Salvatore", "Giuseppe", "Antonio", "Rosario", "Carmine"]
IT_FAMILY = ["Esposito", "Russo", "Ferrara", "Greco", "Lombardi", "Marino"]


@dataclass
class Scenario:
    rng: random.Random
    agencies: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    persons: dict[str, Person] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    used_names: set[tuple[str, str]] = field(default_factory=set)

    def name(self, given: list[str], family: list[str]) -> tuple[str, str]:
        while True:
            pair = (self.rng.choice(given), self.rng.choice(family))
            if pair not in self.used_names:
                self.used_names.add(pair)
                return pair

    def phone(self, country: str) -> str:
        if country == "IT":
            return f"+39 3{self.rng.randrange(20, 49)} {self.rng.randrange(100, 999)} {self.rng.randrange(1000, 9999)}"
        return f"+40 7{self.rng.randrange(20, 89)} {self.rng.randrange(100, 999)} {self.rng.randrange(100, 999)}"

    def account(self) -> str:
        return "RO" + f"{self.rng.randrange(10, 99)}" + "DEMO" + "".join(str(self.rng.randrange(10)) for _ in range(16))


def is_loaded() -> bool:
    return Agency.objects.filter(code=AGENCIES[0][0]).exists()


def load(stdout=None) -> Scenario:
    """Creates the scenario once; raises if it is already there (use `palermo demo load` which checks)."""
    rng = random.Random(SEED)
    s = Scenario(rng=rng)
    with transaction.atomic():
        _organisation_setup(s)
        _network(s)
        for extension in DOMAIN_EXTENSIONS:
            if importlib.util.find_spec(extension):
                importlib.import_module(extension).extend_demo(s)
    if stdout:
        stdout.write(f"demo loaded: {len(s.persons)} persons, {len(s.organisations)} organisations, {len(s.cases)} cases")
    return s


def _organisation_setup(s: Scenario) -> None:
    platform_admin = User.objects.create_superuser("admin", password=DEMO_PASSWORD, roles=[R.ADMINISTRATOR])
    audit.record(platform_admin, "demo_setup", details={"seed": SEED})
    for code, name, kind, country, region, city, contact in AGENCIES:
        # Demo agencies sign in with the printed password alone; README says how to switch the policy on.
        s.agencies[code] = Agency.objects.create(code=code, name=name, agency_type=kind, country=country,
                                                 region=region, city=city, contact_point=contact,
                                                 mfa_required=False)
    tf_code, tf_name, members = TASK_FORCE
    task_force = TaskForce.objects.create(code=tf_code, name=tf_name)
    task_force.agencies.set([s.agencies[c] for c in members])
    for username, agency, roles, clearance in USERS:
        if not s.agencies[agency].is_oversight_body:
            s.users[username] = User.objects.create_user(username, password=DEMO_PASSWORD, agency=s.agencies[agency],
                                                         roles=roles, clearance=clearance)
    _appoint_oversight_staff(s, platform_admin)
    platform_admin.agency = s.agencies["ro-police-atu"]
    platform_admin.save(update_fields=["agency"])
    iris = Compartment.objects.create(name="Operation Iris — team leaders", owner_agency=s.agencies["ro-police-atu"])
    iris.members.set([s.users["ro.investigator"], s.users["ro.supervisor"]])


def _appoint_oversight_staff(s: Scenario, platform_admin: User) -> None:
    """Through the grant rule, as a real deployment would: the platform superuser appoints the oversight
    body's administrator, who appoints its auditors — so the grant history shows how oversight was staffed."""
    staff = {username: (agency, roles, clearance) for username, agency, roles, clearance in USERS}

    def appoint(appointer: User, username: str) -> None:
        agency, roles, clearance = staff[username]
        s.users[username] = account_services.create_user(
            appointer, {"username": username, "password": DEMO_PASSWORD, "roles": roles, "clearance": clearance},
            agency=s.agencies[agency])

    appoint(platform_admin, "oversight.admin")
    appoint(s.users["oversight.admin"], "oversight.auditor")


def _person(s: Scenario, key: str, actor: str, given: str, family: str, *, dob: str, gender: str,
            citizenship: list[str], sensitivity: str = R.NORMAL, aliases: list[dict] | None = None,
            language: str = "ro") -> Person:
    user = s.users[actor]
    clean = services.validate_person({
        "given_name": given, "family_name": family, "date_of_birth": dob, "gender": gender,
        "citizenship": citizenship, "sensitivity": sensitivity, "aliases": aliases or [],
        "source_ref": f"{user.agency.code.upper()}-P{len(s.persons) + 1:03d}", "primary_language": language,
    }, user, today=date(2026, 11, 1))
    clean["pseudonym"] = _demo_pseudonym(s)
    with transaction.atomic():
        person = services.save_person(user, clean)
        audit.record(user, "create", person, details={"aliases": len(clean["aliases"])})
    s.persons[key] = person
    return person


def _consent(actor: User, person: Person, purpose: str, language: str) -> None:
    """Victims decide who sees their record: the demo asks them before it shares."""
    from palermo.protection.services import record_consent

    record_consent(actor, person, {"purpose": purpose, "method": "written", "language": language,
                                   "interpreter": "" if language == "ro" else "vetted interpreter"})


def _demo_pseudonym(s: Scenario) -> str:
    taken = {p.pseudonym for p in s.persons.values()}
    while True:
        candidate = new_pseudonym(s.rng)
        if candidate not in taken:
            return candidate


def _dob(s: Scenario, low: int, high: int) -> str:
    born = date(2026, 1, 1) - timedelta(days=365 * s.rng.randrange(low, high) + s.rng.randrange(365))
    return born.isoformat()


def _network(s: Scenario) -> None:
    U = s.users
    ro, it, lab, ngo = U["ro.investigator"], U["it.investigator"], U["it.inspector"], U["ngo.casemanager"]
    R_ = R.RESTRICTED

    # Organisations
    org_specs = [
        ("travel", "ro.investigator", "Soare Travel SRL", "TravelAgency", "RO", "Iași", True, "RO-J22-0417"),
        ("transfer", "ro.investigator", "Rapid Transfer Point", "MoneyTransferAgent", "RO", "Iași", False, "RO-J22-0933"),
        ("jobs", "ro.investigator", "Euro Job Consult", "RecruitmentAgency", "BG", "Ruse", True, "BG-203118"),
        ("bar", "it.investigator", "Bar Luna", "BarOrNightclub", "IT", "Milan", True, "IT-MI-88121"),
        ("farm", "it.inspector", "Azienda Agricola Tavoliere", "Farm", "IT", "Foggia", False, "IT-FG-40517"),
    ]
    for key, actor, name, kind, country, city, front, reg in org_specs:
        s.organisations[key] = services.create_organisation(U[actor], {
            "name": name, "org_type": kind, "country": country, "city": city, "suspected_front": front,
            "registration_number": reg, "address": f"{s.rng.randrange(1, 120)} Strada/Via Demo, {city}",
        })

    # Cases
    case_specs = [
        ("ro_network", ro, "RO-ATU-2026-014", "Soare Travel network", ["SexualExploitation", "ForcedLabour"],
         ["FalsePromises", "DebtBondage", "WithholdsDocuments", "TakesEarnings"],
         ["ThroughAnOnlineAdvertisement", "ThroughARecruitmentAgency", "ThroughAnIntimatePartner"], R.NORMAL, None,
         "Recruitment through a travel agency front in Iași for bar work in Milan and farm work near Foggia."),
        ("it_bar", it, "IT-SM-2026-031", "Bar Luna, Milan", ["SexualExploitation"],
         ["DebtBondage", "PhysicalThreats", "TakesEarnings"], ["ThroughARecruitmentAgency"], R.NORMAL, None,
         "Women recruited in Romania and Bulgaria, held in flats above the bar; earnings taken to repay 'travel debts'."),
        ("it_farm", lab, "IT-ITL-2026-007", "Azienda Agricola Tavoliere", ["ForcedLabour"],
         ["ExcessiveWorkingHours", "WithholdsDocuments", "DebtBondage", "WithholdsNecessities"],
         ["ThroughAnOnlineAdvertisement"], R.NORMAL, None,
         "Inspection found workers housed in containers, paid far below the contract, passports kept by the gangmaster."),
        ("ngo_support", ngo, "RO-NGO-2026-102", "Support: women returned from Milan", ["SexualExploitation"],
         [], [], R_, None, "Shelter and support for survivors returned from Italy."),
    ]
    for key, actor, ref, title, expl, means, methods, sens, comp, summary in case_specs:
        s.cases[key] = services.create_case(actor, {
            "reference": ref, "title": title, "exploitation_types": expl, "means_of_control": means,
            "recruitment_methods": methods, "sensitivity": sens, "compartment": comp, "summary": summary,
            "opened_on": "2026-03-02" if key != "ngo_support" else "2026-06-15",
        })
    iris = Compartment.objects.get(name="Operation Iris — team leaders")
    s.cases["operation"] = services.create_case(ro, {
        "reference": "RO-ATU-2026-015", "title": "Operation Iris (arrest phase)", "sensitivity": R.SECRET,
        "compartment": iris, "exploitation_types": ["SexualExploitation", "ForcedLabour"], "opened_on": "2026-10-01",
        "summary": "Coordinated action against the leadership of the Soare Travel network. Team leaders only.",
    })

    # Network persons (owned by the Romanian police unless noted)
    leader = _person(s, "leader", "ro.investigator", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 45, 55),
                     gender="Masculine", citizenship=["RO"], sensitivity=R_,
                     aliases=[{"name": "Nașul", "source": "intercept summary 2026-04", "kind": "Nickname"}])
    former_victim = _person(s, "recruiter_former_victim", "ro.investigator", *s.name(RO_GIVEN_F, RO_FAMILY),
                            dob=_dob(s, 24, 28), gender="Feminine", citizenship=["RO"], sensitivity=R_)
    recruiter_ro = _person(s, "recruiter_ro", "ro.investigator", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 28, 35),
                           gender="Masculine", citizenship=["RO"],
                           aliases=[{"name": "Flo Boss", "source": "Facebook profile", "kind": "Alias"}])
    bg_given, bg_family = BG_GIVEN[0], BG_FAMILY[0]
    recruiter_bg = _person(s, "recruiter_bg", "ro.investigator", bg_given[1], bg_family[1], dob=_dob(s, 30, 40),
                           gender="Masculine", citizenship=["BG"], language="bg",
                           aliases=[{"name": f"{bg_given[0]} {bg_family[0]}", "source": "Bulgarian ID card copy",
                                     "kind": "LegalName"}])
    drivers = [_person(s, f"driver{i}", "ro.investigator", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 30, 50),
                       gender="Masculine", citizenship=["RO"]) for i in (1, 2)]
    forger = _person(s, "forger", "ro.investigator", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 40, 60),
                     gender="Masculine", citizenship=["RO", "MD"], sensitivity=R_,
                     aliases=[{"name": "Artistul", "source": "informant debrief (graded B2)", "kind": "Nickname"}])
    money = _person(s, "money_mover", "ro.investigator", *s.name(RO_GIVEN_F, RO_FAMILY), dob=_dob(s, 35, 45),
                    gender="Feminine", citizenship=["RO"])
    agent = _person(s, "travel_agent", "ro.investigator", *s.name(RO_GIVEN_F, RO_FAMILY), dob=_dob(s, 35, 50),
                    gender="Feminine", citizenship=["RO"])
    official = _person(s, "official", "ro.investigator", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 35, 55),
                       gender="Masculine", citizenship=["RO"], sensitivity=R_)
    bar_manager = _person(s, "bar_manager", "it.investigator", *s.name(IT_GIVEN, IT_FAMILY), dob=_dob(s, 40, 55),
                          gender="Masculine", citizenship=["IT"], language="it")
    gangmaster = _person(s, "gangmaster", "it.inspector", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 35, 50),
                         gender="Masculine", citizenship=["RO"])

    # Victims: women exploited in Milan (RO police records, restricted), men on the farm (labour inspectorate)
    women = []
    for i in range(7):
        given, family = s.name(RO_GIVEN_F, RO_FAMILY) if i < 5 else (BG_GIVEN[2 + i % 2][1], BG_FAMILY[2 + i % 2][1])
        dob = "~16" if i == 6 else _dob(s, 19, 26)
        women.append(_person(s, f"woman{i}", "ro.investigator", given, family, dob=dob, gender="Feminine",
                             citizenship=["BG" if i >= 5 else "RO"], sensitivity=R_, language="bg" if i >= 5 else "ro"))
    men = [_person(s, f"worker{i}", "it.inspector", *s.name(RO_GIVEN_M, RO_FAMILY), dob=_dob(s, 20, 45),
                   gender="Masculine", citizenship=["RO"], sensitivity=R_) for i in range(7)]
    # The NGO's own records of three of the women (different spellings: for entity resolution later)
    ngo_records = []
    for i in (0, 1, 5):
        original = women[i]
        spelled = original.family_name.replace("ș", "s").replace("ă", "a").replace("â", "a")
        ngo_records.append(_person(s, f"ngo_woman{i}", "ngo.casemanager", original.given_name, spelled,
                                   dob=(original.date_of_birth or {}).get("value", "")[:4] or "~20",
                                   gender="Feminine", citizenship=list(original.citizenship), sensitivity=R_,
                                   language=original.primary_language))
    witnesses = [_person(s, f"witness{i}", "it.investigator", *s.name(IT_GIVEN, IT_FAMILY), dob=_dob(s, 30, 60),
                         gender="Masculine", citizenship=["IT"], language="it") for i in (1, 2)]
    reporters = [
        _person(s, "reporter_hotline", "ngo.hotline", "", "", dob="", gender="NonSpecified", citizenship=[]),
        _person(s, "reporter_neighbour", "it.investigator", *s.name(IT_GIVEN, IT_FAMILY), dob=_dob(s, 50, 70),
                gender="Masculine", citizenship=["IT"], language="it"),
    ]

    # Roles (non-exclusive, dated)
    network, bar, farm, ngo_case = s.cases["ro_network"], s.cases["it_bar"], s.cases["it_farm"], s.cases["ngo_support"]
    role = services.add_person_role
    role(ro, leader, "Suspect", case=network, perpetrator_roles=["Leader", "Exploiter"], started_on=date(2026, 3, 2))
    role(ro, former_victim, "PresumedVictim", started_on=date(2021, 5, 1), ended_on=date(2022, 9, 30),
         source="earlier case file, Iași 2021")
    role(ro, former_victim, "Suspect", case=network, perpetrator_roles=["RecruiterOrIntermediary"],
         started_on=date(2026, 3, 2), source="victim statements 2026")
    role(ro, recruiter_ro, "Suspect", case=network, perpetrator_roles=["RecruiterOrIntermediary"], started_on=date(2026, 3, 2))
    role(ro, recruiter_bg, "Suspect", case=network, perpetrator_roles=["RecruiterOrIntermediary", "Broker"],
         started_on=date(2026, 3, 20))
    for d in drivers:
        role(ro, d, "Suspect", case=network, perpetrator_roles=["Transporter", "Driver"], started_on=date(2026, 4, 2))
    role(ro, forger, "Suspect", case=network, perpetrator_roles=["DocumentForger"], started_on=date(2026, 4, 20))
    role(ro, money, "Suspect", case=network, perpetrator_roles=["MoneyHandler"], started_on=date(2026, 5, 5))
    role(ro, agent, "Suspect", case=network, perpetrator_roles=["TravelAgent"], started_on=date(2026, 3, 2))
    role(ro, official, "Suspect", case=network, perpetrator_roles=["CorruptOfficial"], started_on=date(2026, 6, 1))
    role(it, bar_manager, "Suspect", case=bar, perpetrator_roles=["Exploiter", "HarbouredIndividual"],
         started_on=date(2026, 3, 10))
    role(lab, gangmaster, "Suspect", case=farm, perpetrator_roles=["Exploiter", "RecruiterOrIntermediary"],
         started_on=date(2026, 3, 15))
    for w in women:
        role(ro, w, "PresumedVictim", case=network, started_on=date(2026, 4, 1))
    for w in women[:4]:
        role(ro, w, "IdentifiedVictim", case=network, started_on=date(2026, 7, 1), source="decision of the prosecutor")
    for m in men:
        role(lab, m, "PresumedVictim", case=farm, started_on=date(2026, 3, 15))
    for n in ngo_records:
        role(ngo, n, "IdentifiedVictim", case=ngo_case, started_on=date(2026, 6, 15))
    for w in witnesses:
        role(it, w, "Witness", case=bar, started_on=date(2026, 3, 12))
    role(U["ngo.hotline"], reporters[0], "Reporter", started_on=date(2026, 2, 20), source="hotline call")
    role(it, reporters[1], "Reporter", case=bar, started_on=date(2026, 3, 1), source="call to 112")
    role(ro, leader, "Suspect", case=s.cases["operation"], perpetrator_roles=["Leader"], started_on=date(2026, 10, 1))

    # Timeline
    events = [
        (ro, network, "Recruitment", "2025-11-10", "Iași", "RO", "Online adverts for 'bar hostess in Italy, €2,000/month'."),
        (ro, network, "Recruitment", "2025-12-02", "Ruse", "BG", "Recruitment through Euro Job Consult."),
        (ro, network, "Transit", "2026-01-14", "Nădlac border crossing", "RO", "Minibus with forged work contracts."),
        (ro, network, "Transit", "2026-01-15", "Vienna", "AT", "Overnight stop; documents collected by the driver."),
        (ro, network, "Exploitation", "2026-01-17", "Milan", "IT", "Women held in flats above Bar Luna."),
        (ro, network, "Exploitation", "2026-02-01", "Foggia", "IT", "Men working 14-hour days on the farm."),
        (it, bar, "Exploitation", "2026-02-20", "Milan", "IT", "Neighbour reports women never leaving the flats."),
        (it, bar, "Exit", "2026-03-12", "Milan", "IT", "Inspection of Bar Luna; five women identified."),
        (lab, farm, "Exploitation", "2026-03-15", "Foggia", "IT", "Labour inspection; passports found in the office."),
        (ngo, ngo_case, "Exit", "2026-06-15", "Iași", "RO", "Three women returned and placed in the shelter."),
    ]
    for actor, case, stage, when, place, country, text in events:
        services.add_case_event(actor, case, {"stage": stage, "occurred_on": when, "place": place,
                                              "country": country, "description": text})
    services.link_organisation(ro, network, s.organisations["travel"], "front for recruitment")
    services.link_organisation(ro, network, s.organisations["transfer"], "money sent home in victims' names")
    services.link_organisation(ro, network, s.organisations["jobs"], "recruitment in Bulgaria")
    services.link_organisation(it, bar, s.organisations["bar"], "place of exploitation")
    services.link_organisation(lab, farm, s.organisations["farm"], "place of exploitation")

    # Selectors, with provenance
    forger_phone = s.phone("RO")
    services.add_selector(ro, forger, "phone", forger_phone, source="seized phone of a driver, contacts list",
                          observed_on=date(2026, 5, 2))
    services.add_selector(it, bar_manager, "phone", forger_phone, source="call records of Bar Luna's landline",
                          observed_on=date(2026, 3, 20))
    leader_phone = s.phone("RO")
    services.add_selector(ro, leader, "phone", leader_phone, source="intercept authorisation 2026/117")
    services.add_selector(ro, s.organisations["travel"], "phone", leader_phone, source="advert in local newspaper")
    services.add_selector(ro, s.organisations["travel"], "url", "soare-travel-demo.example/joburi-italia",
                          source="online advert archive")
    services.add_selector(ro, recruiter_ro, "handle", "flo.boss.demo", qualifier="facebook", source="victim statement")
    services.add_selector(ro, recruiter_bg, "email", "euro.jobs.demo@example.com", source="Euro Job Consult flyer")
    services.add_selector(ro, s.organisations["jobs"], "email", "euro.jobs.demo@example.com", source="company register")
    for d in drivers:
        services.add_selector(ro, d, "vehicle", f"IS {s.rng.randrange(10, 99)} {''.join(s.rng.choice('ABCDEFGHKLMNPRSTUVXZ') for _ in range(3))}",
                              qualifier="RO", source="border crossing records")
    money_account = s.account()
    services.add_selector(ro, money, "account", money_account, source="money transfer records")
    for w in women[:5]:
        account = s.account()
        services.add_selector(ro, w, "account", account, source="money transfer records (opened in her name)")
        services.add_selector(ro, money, "account", account, source="money transfer records (operated by)")
        services.add_selector(ro, w, "phone", s.phone("IT"), source="victim statement", observed_on=date(2026, 4, 3))
    services.add_selector(it, witnesses[0], "phone", s.phone("IT"), source="witness statement")
    services.add_selector(ro, forger, "identity_document", f"{s.rng.randrange(100000, 999999)}",
                          qualifier="MD", source="forged passport found at the flat")
    for m in men[:3]:
        services.add_selector(lab, m, "identity_document", f"{s.rng.choice('ABCDEFGHKLMNPRSTUVXZ')}{s.rng.choice('ABCDEFGHKLMNPRSTUVXZ')}{s.rng.randrange(100000, 999999)}",
                              qualifier="RO", source="passport held by the gangmaster")
    services.add_selector(lab, gangmaster, "phone", s.phone("IT"), source="labour inspection interview")

    # Sharing: the task force sees the two police cases and the network's core; the rest stays home.
    tf = TaskForce.objects.get(code=TASK_FORCE[0])
    restrictions = "Intelligence only: not for use as evidence without the originator's consent; no onward sharing."
    for obj in [network, leader, recruiter_ro, recruiter_bg, *drivers, forger, money, agent,
                s.organisations["travel"], s.organisations["transfer"], s.organisations["jobs"]]:
        services.share(ro, obj, to_task_force=tf, purpose="joint investigation of the Soare Travel network",
                       use_restrictions=restrictions)
    shared_holders = [leader, recruiter_ro, recruiter_bg, *drivers, forger, money, agent,
                      s.organisations["travel"], s.organisations["transfer"], s.organisations["jobs"]]
    for selector in sorted({link.selector for h in shared_holders for link in h.selector_links.all()}, key=lambda x: x.pk):
        services.share(ro, selector, to_task_force=tf, purpose="joint investigation of the Soare Travel network",
                       use_restrictions=restrictions)
    for obj in [bar, bar_manager, s.organisations["bar"], *witnesses]:
        services.share(it, obj, to_task_force=tf, purpose="joint investigation of the Soare Travel network",
                       use_restrictions="Witness identities: Italian prosecutor's authorisation needed before contact.")
    for w in women[:5]:
        _consent(ro, w, "sharing_abroad", "ro")
        services.share(ro, w, to_agency=s.agencies["it-police-milan"], purpose="victim identification in Milan",
                       use_restrictions="Protection purposes only; do not contact without a case manager present.")
    services.share(ro, network, to_agency=s.agencies["ro-coordinator"], purpose="national statistics and coordination")
