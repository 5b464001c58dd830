"""actor1/actor2 are filled only where the sentence makes the roles plain (our own sentences)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from search.event_roles import roles

ACTORS = [("coalition", ["التحالف", "التحالف الدولي"]), ("isis", ["تنظيم داعش", "داعش"]),
          ("army", ["الجيش"])]


@pytest.mark.parametrize("text, expected", [
    ("شنت طائرات التحالف الدولي غارات على مواقع لتنظيم داعش قرب البوكمال.", ("coalition", "isis")),
    ("واستهدفت طائرات التحالف تجمعات داعش في البادية.", ("coalition", "isis")),
    ("تبنى تنظيم داعش تفجير سيارة مفخخة ضد الجيش في الموصل.", ("isis", "army")),
    ("قصف الجيش بلدات في الريف الغربي ليلاً.", ("army", "")),
    ("وذكرت مصادر محلية أن الاشتباكات استمرت، فيما هاجم تنظيم داعش نقاطاً للجيش.", ("isis", "")),
])
def test_an_opening_attack_verb_names_actor1_and_a_target_cue_actor2(text, expected):
    assert roles(text, ACTORS) == expected


@pytest.mark.parametrize("text", [
    "بعد عامين على المعارك التي طردت تنظيم داعش من المدينة.",  # the group is the object
    "وقال التحالف إن داعش هاجم مواقعه.",  # a speaker, and subject-first prose
    "أعلن الجيش مقتل خمسة من عناصر داعش.",  # no attack verb opens the clause
    "اشتباكات بين الجيش وتنظيم داعش في الريف الشرقي.",  # a clash: no one is the attacker
])
def test_unclear_roles_stay_empty(text):
    assert roles(text, ACTORS) == ("", "")


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="شنتالتحفدعيمو ،.ضد", max_size=200))
def test_any_text_gives_known_ids_or_nothing(text):
    actor1, actor2 = roles(text, ACTORS)
    assert actor1 in ("", "coalition", "isis", "army") and actor2 in ("", "coalition", "isis", "army")
    assert not actor2 or actor1 and actor1 != actor2
