"""FakeTalkturo's rules for phone numbers.

Search, purchase (with an activation delay), list, get and release. Purchases cost ``number_price``
credits.
"""

from __future__ import annotations

import hashlib

from .._routing import Call
from .._store import JSON, FakeHTTPError, Store, now_iso
from ._params import is_object, paginate, required

COUNTRY_PREFIXES = {"US": "+1", "CA": "+1", "GB": "+44", "DE": "+49", "AU": "+61"}
CITY_CODES = {"GB": "20", "DE": "30", "AU": "2"}


def find_number(store: Store, number_id: str) -> JSON:
    """The number (404 if unknown), turned ``active`` once its activation delay has passed."""
    number = store.get_or_404(store.phone_numbers, number_id, "Phone number")
    due = store.number_activation_due.get(number_id)
    if due is not None and store.clock() >= due:
        number["status"] = "active"
        del store.number_activation_due[number_id]
    return number


def search_numbers(store: Store, call: Call) -> JSON:
    """Numbers for sale, derived from the seed; never one this account already owns."""
    filters = call.body.get("filters")
    if not is_object(filters):
        raise FakeHTTPError(400, "filters is required")
    required(filters, "countryCode")
    country = str(filters["countryCode"]).upper()
    area = filters.get("areaCode")
    kind = filters.get("numberType") or "local"
    limit = filters.get("limit", 20)
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= 100:
        raise FakeHTTPError(400, "filters.limit must be an integer from 1 to 100")
    if kind not in ("local", "toll-free"):
        raise FakeHTTPError(400, "filters.numberType must be local or toll-free")
    if country not in COUNTRY_PREFIXES:
        raise FakeHTTPError(400, f"numbers are not available in {country}")
    if area is not None and (
        country not in ("US", "CA") or not str(area).isdigit() or len(str(area)) != 3
    ):
        raise FakeHTTPError(400, "filters.areaCode must be 3 digits and is for US/CA only")
    if kind == "toll-free":
        head = COUNTRY_PREFIXES[country] + "800"
    elif COUNTRY_PREFIXES[country] == "+1":
        head = "+1" + str(area or "415")
    else:
        head = COUNTRY_PREFIXES[country] + CITY_CODES[country]
    owned = {n["phone_number"] for n in store.phone_numbers.values()}
    digest = hashlib.sha256(f"{store.seed}|{head}".encode()).digest()
    numbers: list[JSON] = []
    i = 0
    while len(numbers) < limit and i < 1000:
        tail = (int.from_bytes(digest[:4], "big") + i * 7919) % 10_000
        candidate = f"{head}555{tail:04d}"
        i += 1
        if candidate in owned or any(n["phoneNumber"] == candidate for n in numbers):
            continue
        numbers.append(
            {
                "phoneNumber": candidate,
                "monthlyPrice": store.number_price,
                "setupPrice": store.number_price,
                "features": ["voice", "sms"] if kind == "local" else ["voice"],
            }
        )
    return {"success": True, "numbers": numbers, "provider": "telnyx", "count": len(numbers)}


def purchase_number(store: Store, call: Call) -> JSON:
    """Buy an E.164 number: 409 if owned, 402 without credit; it starts ``purchasing``."""
    body = call.body
    required(body, "phoneNumber", "teamId")
    store.check_team_access(body["teamId"])
    e164 = body["phoneNumber"]
    if not isinstance(e164, str) or not e164.startswith("+") or not e164[1:].isdigit():
        raise FakeHTTPError(400, "phoneNumber must be E.164")
    if any(n["phone_number"] == e164 for n in store.phone_numbers.values()):
        raise FakeHTTPError(409, "Number already exists")
    price = float(store.number_price)
    if store.credits < price:
        raise FakeHTTPError(402, "Insufficient balance", balance=store.credits, required=price)
    store.credits = round(store.credits - price, 4)
    number: JSON = {
        "id": store.new_id("pn"),
        "phone_number": e164,
        "status": "purchasing",
        "team_id": body["teamId"],
        "assistant_id": None,
        "assistant_name": None,
        "provider": "telnyx",
        "ownership_type": "platform",
        "provider_account_id": None,
        "features": ["voice", "sms"],
        "country_code": "US" if e164.startswith("+1") else None,
        "is_trial": False,
        "trial_expires_at": None,
        "message": "Number purchase in progress",
        "created_by_user_id": store.account_id,
        "created_by_email": None,
        "created_by_name": None,
        "created_at": now_iso(),
    }
    store.phone_numbers[number["id"]] = number
    store.number_activation_due[number["id"]] = store.clock() + store.activation_delay
    eligibility = {
        "currentCount": len(store.phone_numbers),
        "maxAllowed": 100,
        "hasSubscription": True,
        "planName": "Fake",
    }
    return {"success": True, "phoneNumber": dict(number), "eligibility": eligibility}


def list_numbers(store: Store, call: Call) -> JSON:
    """The team's numbers, one page."""
    required(call.query, "teamId")
    store.check_team_access(call.query["teamId"])
    rows = [find_number(store, i) for i in list(store.phone_numbers)]
    return paginate(rows, call.query, "numbers", store.max_page_size)


def get_number(store: Store, call: Call) -> JSON:
    """One number."""
    return {"success": True, "phoneNumber": find_number(store, call.id)}


def release_number(store: Store, call: Call) -> JSON:
    """Release a number (the ``account`` query parameter, if given, must be this account)."""
    find_number(store, call.id)
    store.check_account_slug(call.query.get("account"))
    del store.phone_numbers[call.id]
    store.number_activation_due.pop(call.id, None)
    return {"success": True, "message": "Phone number released"}
