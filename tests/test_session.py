"""Joining, personal links, solo sessions and the reveal filter."""

from __future__ import annotations

import os

import pytest

from widgets import keys
from widgets.session import (
    JoinError,
    View,
    Viewer,
    join,
    participant_from_token,
    plan_withdrawal,
    query_params,
    solo_session,
    withdraw,
)
from widgets.store import NotAllowed, NotFound
from widgets.validation import show_time

from .helpers import as_pool_kernel


def test_join_codes_avoid_look_alikes_and_forgive_typing():
    for _ in range(200):
        code = keys.new_join_code()
        assert keys.is_valid_code(code)
        assert not set(code) & set("0O1IL2Z5S8B")
    assert keys.normalise_code(" ack-34 x ") == "ACK34X"


def test_join_with_a_sloppily_typed_code(live):
    code = live.session.code
    typed = f" {code[:3].lower()} - {code[3:]} "
    person, token = join(live.store, typed, "Dee", named_ok=True)
    assert person.session_id == live.session.id
    assert participant_from_token(live.store, token) == person
    assert live.store.participant_by_token_hash(token) is None  # only the hash is stored


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "six-character code"), ("abc", "not a session code"), ("QQQQQQ", "No session")],
)
def test_bad_codes_get_a_clear_message(live, code, message):
    with pytest.raises(JoinError, match=message):
        join(live.store, code, "Dee")


def test_names_over_the_limit_are_refused_not_cut(live):
    with pytest.raises(JoinError, match="81 characters long; the limit is 80"):
        join(live.store, live.session.code, "x" * 81)
    with pytest.raises(JoinError, match="empty"):
        join(live.store, live.session.code, "   ")


def test_anonymous_people_are_never_named(live):
    person, _ = join(live.store, live.session.code, "Secret", anonymous=True, named_ok=True)
    assert person.display_name is None and not person.named_ok


def test_solo_sessions_are_remembered_and_cannot_be_joined(store):
    s1, p1 = solo_session(store)
    s2, p2 = solo_session(store)
    assert (s1.id, p1) == (s2.id, p2)
    assert s1.solo
    with pytest.raises(JoinError):
        join(store, s1.code, "Intruder")
    # The one person runs their own stages without any key.
    assert store.move_stage(s1.id, "readiness", "open", None).state == "open"


def test_query_params_reads_voila_env(monkeypatch):
    monkeypatch.setenv("QUERY_STRING", "p=abc&code=XY&p=ignored")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    assert query_params() == {"p": "abc", "code": "XY"}
    monkeypatch.delenv("QUERY_STRING")
    assert query_params() == {}


def test_a_preheated_kernel_waits_for_its_request_once(monkeypatch):
    """Voila sends a preheated kernel its request once: a second wait would never end."""
    from widgets import urls

    asked = []

    def wait_for_request():
        asked.append(1)
        assert len(asked) == 1, "waited for the request twice"
        os.environ["QUERY_STRING"] = "p=abc"

    monkeypatch.setattr(urls, "wait_for_request", wait_for_request)
    as_pool_kernel(monkeypatch)
    assert query_params() == {"p": "abc"}
    assert query_params() == {"p": "abc"}
    assert asked == [1]


def _vote(live, values):
    store, s, k = live.store, live.session, live.key
    store.move_stage(s.id, "readiness", "open", k)
    for (person, _), v in zip(live.people, values, strict=True):
        store.submit(s.id, person.id, "readiness", "mission", v, f"{person.id}-{v}")


def test_the_reveal_filter_hides_votes_until_reveal(live):
    store, s, k = live.store, live.session, live.key
    _vote(live, [1, 3, 5])
    asha = live.people[0][0]
    views = {
        "facilitator": View(store, s, Viewer("facilitator", key=k)),
        "participant": View(store, s, Viewer("participant", participant_id=asha.id)),
        "room": View(store, s, Viewer("room")),
    }
    for view in views.values():
        assert view.group_answers("readiness") == []
    assert views["participant"].my_answers("readiness") == {"mission": 1}
    assert views["room"].my_answers("readiness") == {}
    # The facilitator sees who has answered, never what.
    prog = views["facilitator"].progress("readiness")
    assert (prog.answered, prog.names) == (3, ("Asha", "Ben", "Chen"))
    assert views["room"].progress("readiness").names == ()
    store.move_stage(s.id, "readiness", "close", k)
    store.move_stage(s.id, "readiness", "reveal", k)
    for view in views.values():
        got = sorted((name or "-", a.value) for name, a in view.group_answers("readiness"))
        # Ben did not agree to be named; Asha and Chen did.
        assert got == [("-", 3), ("Asha", 1), ("Chen", 5)]


def test_a_new_round_is_private_again_and_the_old_one_stays_revealed(live):
    store, s, k = live.store, live.session, live.key
    _vote(live, [1, 3, 5])
    store.move_stage(s.id, "readiness", "close", k)
    store.move_stage(s.id, "readiness", "reveal", k)
    store.move_stage(s.id, "readiness", "new_round", k)
    store.submit(s.id, live.people[0][0].id, "readiness", "mission", 4, "round2")
    room = View(store, s, Viewer("room"))
    assert room.group_answers("readiness") == []
    assert len(room.group_answers("readiness", round=1)) == 3


def test_hidden_names_never_show(live):
    store, s, k = live.store, live.session, live.key
    _vote(live, [1, 3, 5])
    store.hide_participant_name(live.people[0][0].id, k)
    store.move_stage(s.id, "readiness", "close", k)
    store.move_stage(s.id, "readiness", "reveal", k)
    fac = View(store, s, Viewer("facilitator", key=k))
    assert "Asha" not in [n for n, _ in fac.group_answers("readiness")]
    assert "(name hidden)" in fac.progress("readiness").names


def test_a_forged_facilitator_view_is_refused(live):
    with pytest.raises(NotAllowed):
        View(live.store, live.session, Viewer("facilitator", key="forged"))
    with pytest.raises(NotAllowed):
        View(live.store, live.session, Viewer("room")).roster()


def test_revealed_rounds_are_read_once_but_a_withdrawal_still_shows(live):
    store, s, k = live.store, live.session, live.key
    _vote(live, [1, 3, 5])
    store.move_stage(s.id, "readiness", "close", k)
    store.move_stage(s.id, "readiness", "reveal", k)
    room = View(store, s, Viewer("room"))
    assert len(room.group_answers("readiness")) == 3
    reads = []
    real = store.latest_answers
    store.latest_answers = lambda *a, **kw: reads.append(1) or real(*a, **kw)
    assert len(room.group_answers("readiness")) == 3
    assert reads == []  # frozen: served from the view's cache
    from widgets.store import schema

    with store.engine.begin() as conn:  # as a data-protection withdrawal would
        conn.execute(schema.submissions.delete().where(
            schema.submissions.c.participant_id == live.people[0][0].id))
    assert len(room.group_answers("readiness")) == 2


def test_a_deleted_solo_session_is_simply_made_again(store):
    first, _ = solo_session(store)
    store.delete_session(first.id, key=None)  # a solo leader needs no key for their own
    again, person = solo_session(store)
    assert again.code != first.code and again.solo and person.display_name == "You"
    store.set_setting("solo_session_id", "not a number")
    assert solo_session(store)[0].solo


def test_a_remembered_id_now_used_by_a_live_session_is_not_taken_as_solo(store,
                                                                           facilitator_key):
    live_session = store.create_session("Board", facilitator_key)
    join(store, live_session.code, "Asha")
    store.set_setting("solo_session_id", str(live_session.id))
    session, _ = solo_session(store)
    assert session.solo and session.id != live_session.id


def test_a_withdrawal_says_what_goes_before_anything_goes_and_needs_the_key(live):
    """One definition for `conductor withdraw` and the console's Remove: the same words,
    the same store call, the key checked by the store."""
    store, session, key = live.store, live.session, live.key
    twin, twin_token = join(store, session.code, "Asha", named_ok=True)
    store.move_stage(session.id, "readiness", "open", key)
    store.submit(session.id, twin.id, "readiness", "mission", 3, "t1")
    store.submit(session.id, twin.id, "readiness", "mission", 4, "t2")
    plan = plan_withdrawal(store, session, twin.id)
    assert plan.answers == 2
    when = show_time(twin.joined_at)
    assert plan.question().startswith(
        f"This removes the 2 answers, name and personal link of “Asha” (joined {when}) in "
        f"session {session.code}, for good.")
    assert len(store.participants(session.id)) == 4  # asking removed nothing
    with pytest.raises(NotAllowed):
        withdraw(store, plan, "guessed")
    assert withdraw(store, plan, key).startswith(
        f"Removed the 2 answers, name and personal link of “Asha” (joined {when})")
    assert [p.display_name for p in store.participants(session.id)] == ["Asha", "Ben", "Chen"]
    assert store.count_submissions(session.id) == 0
    assert participant_from_token(store, twin_token) is None


def test_a_withdrawal_names_an_anonymous_or_hidden_person_by_when_they_joined(live):
    """The facilitator must tell two Ashas apart, hidden names too: the name and the time."""
    store, session, key = live.store, live.session, live.key
    ghost, _ = join(store, session.code, anonymous=True)
    ghostly = plan_withdrawal(store, session, ghost.id)
    assert (f"the personal link of an anonymous participant (joined "
            f"{show_time(ghost.joined_at)})") in ghostly.what
    twin, _ = join(store, session.code, "Asha", named_ok=True)
    store.hide_participant_name(twin.id, key)
    hidden = plan_withdrawal(store, session, twin.id)
    assert f"“Asha” (joined {show_time(twin.joined_at)})" in hidden.question()
    assert "hidden" not in hidden.question()


def test_the_one_time_format_is_local_and_says_the_day(local_time):
    """The console, Remove… and `conductor withdraw` all show times through one formatter,
    in the machine's own time zone, with the day spelled out."""
    from datetime import UTC, datetime

    assert show_time(datetime(2025, 4, 3, 9, 5, tzinfo=UTC)) == "3 Apr 2025 at 14:35"


def test_a_withdrawal_acts_only_on_the_session_it_names(live):
    store, key = live.store, live.key
    other = store.create_session("Another board", key)
    stranger, _ = join(store, other.code, "Zed")
    with pytest.raises(NotFound):
        plan_withdrawal(store, live.session, stranger.id)
    with pytest.raises(NotFound):  # the store checks it too
        store.withdraw_participant(stranger.id, key, session_id=live.session.id)
    assert len(store.participants(other.id)) == 1
