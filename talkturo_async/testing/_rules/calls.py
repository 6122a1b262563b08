"""FakeTalkturo's rules for the CRM's campaign-side reads.

The call log campaign runs write, the assistants that may place outbound calls, and insights
computed from both.
"""

from __future__ import annotations

from .._routing import Call
from .._store import JSON, Store, now_iso


def list_calls(store: Store, call: Call) -> JSON:
    """Every call campaign runs placed, newest first."""
    return {"success": True, "calls": [dict(c) for c in reversed(store.calls)]}


def list_outbound_assistants(store: Store, call: Call) -> JSON:
    """The assistants with ``outbound_enabled``."""
    found = [a for a in store.assistants.values() if a.get("outbound_enabled")]
    return {"success": True, "assistants": found}


def intelligence(store: Store, call: Call) -> JSON:
    """One answer-rate insight per campaign that placed calls, and one on the open pipeline."""
    insights: list[JSON] = []
    ts = now_iso()
    for campaign_id in dict.fromkeys(c["campaign_id"] for c in store.calls):
        placed = [c for c in store.calls if c["campaign_id"] == campaign_id]
        answered = sum(1 for c in placed if c["outcome"] == "answered")
        rate = round(answered / len(placed), 3)
        name = store.campaigns.get(campaign_id, {}).get("name", campaign_id)
        insights.append(
            {
                "id": f"ins_answer_rate_{campaign_id}",
                "type": "answer_rate",
                "title": f"{name}: {answered} of {len(placed)} calls answered",
                "summary": f"Answer rate {rate:.0%} over {len(placed)} calls.",
                "campaign_id": campaign_id,
                "value": rate,
                "created_at": ts,
            }
        )
    if store.opportunities:
        total = sum(o.get("value") or 0 for o in store.opportunities.values())
        insights.append(
            {
                "id": "ins_pipeline",
                "type": "pipeline_value",
                "title": f"{len(store.opportunities)} opportunities in the pipeline",
                "summary": f"Open pipeline worth {total} in total.",
                "campaign_id": None,
                "value": total,
                "created_at": ts,
            }
        )
    return {"success": True, "insights": insights}
