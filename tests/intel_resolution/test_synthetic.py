"""The synthetic multi-agency person generator: deterministic, complete, and with realistic name
frequencies (many family names per culture, few people sharing a whole name)."""

import random
from collections import Counter, defaultdict

import pytest

from palermo.intel.resolution import synthetic
from palermo.intel.resolution.records import INPUT_COLUMNS, OPTIONAL_COLUMNS
from palermo.intel.resolution.synthetic import SEED, generate

COLUMNS = {*INPUT_COLUMNS, *OPTIONAL_COLUMNS}
CULTURES = {"ua", "gr", "ge", "am", "ar", "cn", "th", "ng"}


@pytest.fixture(scope="module")
def people():
    """25,000 invented people: the population behind generate(50_000)."""
    return synthetic._people(25_000, random.Random(SEED))


def test_same_seed_same_output_and_another_seed_differs():
    first, second, other = generate(3_000, seed=5), generate(3_000, seed=5), generate(3_000, seed=6)
    assert first == second
    assert first[0] != other[0]
    names = {(r["full_name"], r["given_name"], r["family_name"]) for r in first[0]}
    other_names = {(r["full_name"], r["given_name"], r["family_name"]) for r in other[0]}
    assert len(names & other_names) < len(names) // 2


@pytest.mark.parametrize("count", [1, 7, 1_001])
def test_exactly_n_records_each_with_unique_id_truth_and_the_same_columns(count):
    records, truth = generate(count, seed=3)
    assert len(records) == count
    ids = [r["record_id"] for r in records]
    assert len(set(ids)) == count
    assert set(truth) == set(ids)
    assert all(set(r) == COLUMNS for r in records)
    assert all(isinstance(v, str) for r in records for v in r.values())


def test_every_culture_and_its_script_appear():
    records, _ = generate(4_000, seed=2)
    text = " ".join(r["full_name"] + " " + r["family_name"] for r in records)
    for sample in ("і", "ό", "შ", "յ", "ال", "王", "สุข"):
        assert any(char in text for char in sample), sample
    people = synthetic._people(2_000, random.Random(2))
    assert {p.culture for p in people} == CULTURES


def test_a_whole_name_is_shared_by_only_a_handful_of_people(people):
    shared = Counter((p.culture, p.given[0], p.family_native) for p in people)
    (_, most), *_ = shared.most_common(1)
    assert most <= 12, shared.most_common(3)


def test_each_culture_uses_hundreds_of_family_names_and_none_dominates(people):
    family = defaultdict(Counter)
    for p in people:
        family[p.culture][p.family_native] += 1
    for culture, counts in family.items():
        total = sum(counts.values())
        top_share = counts.most_common(1)[0][1] / total
        if culture == "cn":  # about 100 real surnames, Li/Wang/Zhang each about 7-9 %
            assert len(counts) >= 80 and 0.04 <= top_share <= 0.12, (culture, len(counts), top_share)
        else:
            assert len(counts) >= 250 and top_share <= 0.03, (culture, len(counts), top_share)


def test_family_name_pools_are_composed_in_the_native_script():
    for culture, script_letter in (("ua", "ь"), ("gr", "ο"), ("ge", "ი"), ("am", "ա"), ("ar", "ا")):
        names, weights = synthetic._family_pool(culture)
        assert len(names) >= 250
        assert weights == sorted(weights)
        assert sum(script_letter in name.male for name in names) > len(names) // 4 or culture == "ua"
    greek = {name.male: name for name in synthetic._family_pool("gr")[0]}
    assert greek["Παπαδόπουλος"].female == "Παπαδοπούλου"
    assert "Papadopoulos" in greek["Παπαδόπουλος"].latin_male
    assert "Papadopulu" in greek["Παπαδόπουλος"].latin_female
    georgian = {name.male: name for name in synthetic._family_pool("ge")[0]}
    assert set(georgian["გელაშვილი"].latin_male) >= {"Gelashvili", "Gelaschwili", "Gelachvili"}
    armenian = {name.male: name for name in synthetic._family_pool("am")[0]}
    assert set(armenian["Պետրոսյան"].latin_male) >= {"Petrosyan", "Petrosian", "Petrosjan"}
    arabic = {name.male: name for name in synthetic._family_pool("ar")[0]}
    assert set(arabic["المنصور"].latin_male) >= {"Al-Mansour", "El Mansur", "Mansour"}
    chinese = {name.male: name for name in synthetic._family_pool("cn")[0]}
    assert set(chinese["张"].latin_male) >= {"Zhang", "Chang"}


def test_households_share_family_name_phone_and_address_but_not_person(people):
    households = defaultdict(list)
    for p in people:
        households[p.household].append(p)
    larger = [members for members in households.values() if len(members) > 1]
    assert len(larger) > 1_000
    for members in larger:
        assert len({p.person_id for p in members}) == len(members)
        assert len({p.phone for p in members}) == 1
        assert len({p.address for p in members}) == 1
        for gender in "mf":
            assert len({p.family_native for p in members if p.gender == gender}) <= 1
        assert len({p.given[0] for p in members}) == len(members)


def test_greek_and_ukrainian_family_names_are_gendered(people):
    differing = Counter()
    for culture in ("gr", "ua"):
        households = defaultdict(list)
        for p in people:
            if p.culture == culture:
                households[p.household].append(p)
        for members in households.values():
            male = {p.family_native for p in members if p.gender == "m"}
            female = {p.family_native for p in members if p.gender == "f"}
            if male and female and male != female:
                differing[culture] += 1
                (his,), (hers,) = male, female
                assert (his.endswith("ος") and hers.endswith("ου")) or his[-2:] != hers[-2:]
    assert differing["gr"] >= 50 and differing["ua"] >= 50, differing


def test_chinese_given_names_are_one_or_two_characters_with_joined_and_hyphenated_pinyin(people):
    chinese = [p for p in people if p.culture == "cn"]
    lengths = Counter(len(p.given[0]) for p in chinese)
    assert set(lengths) == {1, 2} and lengths[2] > lengths[1]
    assert len({p.given[0] for p in chinese}) > 300
    two = next(p for p in chinese if len(p.given[0]) == 2)
    joined, _, hyphenated, *_ = two.given[1].split("|")
    assert "-" not in joined and hyphenated.replace("-", "").lower() == joined.lower()


def test_latin_renderings_come_from_competing_systems(people):
    ukrainian = next(p for p in people if p.culture == "ua" and "ч" in p.family_native.lower())
    assert len(set(ukrainian.family_latin)) >= 3  # Ukrainian/Russian ch, German tsch, French tch
    thai = [p for p in people if p.culture == "th"]
    assert sum(p.family_latin[0] != p.family_latin[1] for p in thai) > len(thai) // 2


def test_a_person_records_change_over_time_phone_address_and_misrecorded_fields(people):
    """People get a new SIM or move: some records carry a second phone or another address; a few
    record the wrong gender or nationality. Dates of birth are spread, not piled on one cut-off."""
    with_own_phone = [p for p in people if p.own_phone]
    with_other_address = [p for p in people if p.other_address]
    assert 0.2 < len(with_own_phone) / len(people) < 0.4
    assert 0.15 < len(with_other_address) / len(people) < 0.35
    assert all(p.own_phone != p.phone for p in with_own_phone)
    assert max(Counter(p.dob for p in people).values()) < 20
    records, truth = generate(20_000)
    by_person = {p.person_id: p for p in synthetic._people(10_000, random.Random(SEED))}
    phones = Counter(
        "own"
        if by_person[truth[r["record_id"]]].own_phone
        and r["phone"][-9:] == by_person[truth[r["record_id"]]].own_phone[-9:]
        else "household"
        for r in records
        if r["phone"]
    )
    assert 0.05 < phones["own"] / sum(phones.values()) < 0.3
