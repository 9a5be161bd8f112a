"""Helpers for the public API tests: users made through the services, and an httpx
client that holds their bearer token."""

from __future__ import annotations

import time

import httpx

from tests.helpers import PASSWORD


def client_for(base_url: str, email: str | None = None, token: str | None = None) -> httpx.Client:
    """A client authenticated with a JWT from /api/auth/token (or `token`), or anonymous."""
    client = httpx.Client(base_url=base_url, timeout=20)
    if email:
        response = client.post("/api/auth/token", json={"email": email, "password": PASSWORD})
        assert response.status_code == 200, response.text
        token = response.json()["access_token"]
    if token:
        client.headers["Authorization"] = f"Bearer {token}"
    return client


def buy_first(client: httpx.Client, area_code: str = "415", key: str | None = None) -> dict:
    offer = client.get("/api/twilio/numbers/available", params={"area_code": area_code})
    assert offer.status_code == 200, offer.text
    response = client.post(
        "/api/twilio/numbers",
        json={"phone_number": offer.json()[0]["phone_number"]},
        headers={"Idempotency-Key": key or f"buy-{time.monotonic_ns()}"},
    )
    assert response.status_code == 201, response.text
    return response.json()
