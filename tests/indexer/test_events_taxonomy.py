"""The ACLED taxonomy file: every type and sub-event type, stable ids, both labels."""

from __future__ import annotations

import re

from indexer.events.taxonomy import taxonomy

ACLED = {
    "battles": {"armed_clash", "government_regains_territory", "non_state_actor_overtakes_territory"},
    "explosions_remote_violence": {"chemical_weapon", "air_drone_strike", "suicide_bomb",
                                   "shelling_artillery_missile_attack", "remote_explosive_landmine_ied", "grenade"},
    "violence_against_civilians": {"sexual_violence", "attack", "abduction_forced_disappearance"},
    "protests": {"peaceful_protest", "protest_with_intervention", "excessive_force_against_protesters"},
    "riots": {"violent_demonstration", "mob_violence"},
    "strategic_developments": {"agreement", "arrests", "change_to_group_activity", "disrupted_weapons_use",
                               "headquarters_or_base_established", "looting_property_destruction",
                               "non_violent_transfer_of_territory", "other"},
}
ARABIC = re.compile(r"[\u0600-\u06ff]")


def test_every_acled_type_and_sub_event_type_is_listed_with_its_parent() -> None:
    tax = taxonomy()
    assert set(tax.types) == set(ACLED)
    assert {s: k.parent for s, k in tax.subtypes.items()} == {s: t for t, subs in ACLED.items() for s in subs}


def test_ids_are_the_snake_case_of_the_english_name() -> None:
    for kind in list(taxonomy().types.values()) + list(taxonomy().subtypes.values()):
        assert kind.id == re.sub(r"[^a-z0-9]+", "_", kind.label_en.lower()).strip("_")
        assert ARABIC.search(kind.label_ar) and kind.definition


def test_a_type_expands_to_its_sub_events() -> None:
    tax = taxonomy()
    assert set(tax.expand("riots")) == {"violent_demonstration", "mob_violence"}
    assert tax.expand("air_drone_strike") == ["air_drone_strike"]
    assert tax.expand("nonsense") == []
