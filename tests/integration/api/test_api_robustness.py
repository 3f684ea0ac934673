"""Safe retries (Idempotency-Key), size and type limits, malformed bodies and the rate limit."""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from api.support import BASE, REFERRAL, api_client, error_of
from kit import get_state
from kit.models import IdempotencyRecord, Referral
from kit.models.base import utcnow
from kit.services import api_guard


def test_a_retry_with_the_same_key_returns_the_first_answer(api, db) -> None:
    headers = {"Idempotency-Key": "intake-2026-0042"}
    first = api.post("/referrals", REFERRAL, headers=headers)
    retry = api.post("/referrals", REFERRAL, headers=headers)
    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert db.query(Referral).count() == 1


def test_the_same_key_with_another_body_is_refused(api, db) -> None:
    headers = {"Idempotency-Key": "intake-2026-0042"}
    api.post("/referrals", REFERRAL, headers=headers)
    response = api.post("/referrals", {**REFERRAL, "given_name": "Someone else"},
                        headers=headers)
    assert response.status_code == 422
    assert error_of(response)["code"] == "idempotency_key_reused"
    assert db.query(Referral).count() == 1


def test_keys_belong_to_one_api_key(api, client, factory, db) -> None:
    other = api_client(client, factory, db, factory.agency("Pacific Bridges"))
    headers = {"Idempotency-Key": "same-words"}
    mine = api.post("/referrals", REFERRAL, headers=headers)
    theirs = other.post("/referrals", {**REFERRAL, "email": "x@mail.example"}, headers=headers)
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]


def test_a_failed_request_does_not_use_up_the_key(api, db) -> None:
    headers = {"Idempotency-Key": "fix-and-retry"}
    failed = api.post("/referrals", {**REFERRAL, "email": "nope"}, headers=headers)
    assert failed.status_code == 422
    assert db.query(IdempotencyRecord).count() == 0
    assert api.post("/referrals", REFERRAL, headers=headers).status_code == 201


def test_updates_and_withdrawals_are_idempotent_too(api, db) -> None:
    draft = api.refer(submit=False)
    put = {"Idempotency-Key": "put-1"}
    first = api.put(f"/referrals/{draft['id']}", REFERRAL, headers=put)
    retry = api.put(f"/referrals/{draft['id']}", REFERRAL, headers=put)
    assert first.status_code == retry.status_code == 200
    assert retry.get_json() == first.get_json()
    withdraw = {"Idempotency-Key": "withdraw-1"}
    assert api.post(f"/referrals/{draft['id']}/withdraw", headers=withdraw).status_code == 200
    assert api.post(f"/referrals/{draft['id']}/withdraw", headers=withdraw).status_code == 200
    history = db.get(Referral, draft["id"]).status_changes
    assert [c.to_status for c in history].count("withdrawn") == 1


@pytest.mark.parametrize("key", ["", "x" * 101, "two words", "clé"])
def test_a_malformed_idempotency_key_is_refused(api, db, key) -> None:
    response = api.post("/referrals", REFERRAL, headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_idempotency_key"
    assert db.query(Referral).count() == 0


@pytest.mark.postgres
def test_concurrent_retries_create_one_referral(app: Flask, api, db, monkeypatch,
                                                request) -> None:
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; run with --db=postgresql")
    from kit.blueprints.api import views

    original = views.notify_new_referral
    started = threading.Event()

    def slow_notify(session, referral):  # holds the first transaction open a while
        started.set()
        threading.Event().wait(0.5)
        return original(session, referral)

    monkeypatch.setattr(views, "notify_new_referral", slow_notify)
    answers: list[tuple[int, dict, str | None]] = []

    def send() -> None:
        response = app.test_client().post(
            f"{BASE}/referrals", data=json.dumps(REFERRAL), content_type="application/json",
            headers={"Authorization": f"Bearer {api.secret}", "Idempotency-Key": "race-1"})
        answers.append((response.status_code, response.get_json(),
                        response.headers.get("Idempotent-Replayed")))

    first = threading.Thread(target=send)
    first.start()
    assert started.wait(5)
    second = threading.Thread(target=send)
    second.start()
    first.join()
    second.join()
    assert [status for status, _body, _replayed in answers] == [201, 201]
    assert answers[0][1] == answers[1][1]
    assert [replayed for _status, _body, replayed in answers] == [None, "true"]
    db.expire_all()
    assert db.query(Referral).count() == 1


@pytest.mark.kit_config(KIT_API_MAX_BODY_BYTES=2000)
def test_a_body_over_the_limit_is_refused_before_it_is_read(api, db) -> None:
    big = {**REFERRAL, "career_goal": "x" * 3000}
    response = api.post("/referrals", big)
    assert response.status_code == 413 and error_of(response)["code"] == "payload_too_large"
    assert "2000" in error_of(response)["message"]
    assert db.query(Referral).count() == 0


@pytest.mark.kit_config(KIT_API_MAX_BODY_BYTES=2000)
def test_a_body_without_length_is_read_only_up_to_the_limit(api) -> None:
    big = json.dumps({**REFERRAL, "career_goal": "x" * 3000}).encode()
    response = api.client.post(
        f"{BASE}/referrals", input_stream=io.BytesIO(big), content_type="application/json",
        headers={"Authorization": f"Bearer {api.secret}"},
        environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413


def test_a_body_that_is_not_json_is_refused(api) -> None:
    wrong_type = api.post("/referrals", raw=b"given_name=Lan", content_type="text/plain")
    assert wrong_type.status_code == 415
    assert error_of(wrong_type)["code"] == "unsupported_media_type"
    for raw in (b'{"given_name": ', b"\xff\xfe{", b'{"clb_reading": NaN}'):
        broken = api.post("/referrals", raw=raw)
        assert broken.status_code == 400 and error_of(broken)["code"] == "invalid_json", raw
    for body in ([REFERRAL], "text", 3, None):
        response = api.post("/referrals", raw=json.dumps(body).encode())
        assert response.status_code == 400 and error_of(response)["code"] == "invalid_body"


def test_a_vendor_json_type_is_accepted(api) -> None:
    response = api.post("/referrals", REFERRAL, content_type="application/vnd.kit+json")
    assert response.status_code == 201


@pytest.mark.kit_config(KIT_API_RATE_LIMIT=3)
def test_the_rate_limit_answers_429_with_retry_after(api, client, factory, db,
                                                     monkeypatch) -> None:
    moment = datetime(2026, 11, 22, 9, 30, 15, tzinfo=UTC)
    monkeypatch.setattr(api_guard, "utcnow", lambda: moment)
    for _ in range(3):
        assert api.get("/referrals").status_code == 200
    limited = api.get("/referrals")
    assert limited.status_code == 429 and error_of(limited)["code"] == "rate_limited"
    assert limited.headers["Retry-After"] == "45"
    other = api_client(client, factory, db, factory.agency("Pacific Bridges"))
    assert other.get("/referrals").status_code == 200
    moment = datetime(2026, 11, 22, 9, 31, 0, tzinfo=UTC)
    assert api.get("/referrals").status_code == 200


def test_the_rate_limit_is_counted_in_the_database(api, db) -> None:
    from kit.models import ApiRateWindow

    api.get("/referrals")
    api.get("/referrals")
    assert sum(row.count for row in db.query(ApiRateWindow)) == 2
    assert get_state().config["KIT_API_RATE_LIMIT"] == 120


def test_a_key_is_free_again_after_the_replay_period(api, db) -> None:
    headers = {"Idempotency-Key": "yearly-check"}
    first = api.post("/referrals", REFERRAL, headers=headers)
    record = db.query(IdempotencyRecord).one()
    record.created_at = record.created_at - api_guard.IDEMPOTENCY_TTL - timedelta(minutes=1)
    db.commit()
    second = api.post("/referrals", {**REFERRAL, "email": "new@mail.example"}, headers=headers)
    assert second.status_code == 201 and second.get_json()["id"] != first.get_json()["id"]
    assert db.query(IdempotencyRecord).count() == 1
    assert api_guard.purge_idempotency_records(
        db, now=utcnow() + api_guard.IDEMPOTENCY_TTL + timedelta(minutes=1)) == 1
