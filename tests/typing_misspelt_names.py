"""Type checkers refuse a misspelt name of the package's lazily imported names (never run).

``nox -s typing`` checks this file with ``mypy --strict`` and pyright. Every ignore below must
be needed: were a lazy package's module ``__getattr__`` visible to the type checkers, each name
would be ``Any`` and the ignore unused, which mypy (``warn_unused_ignores``, part of
``--strict``) and pyright (``reportUnnecessaryTypeIgnoreComment``, on for this file) report. The
correctly spelt names below must type-check as what they are.
"""
# pyright: reportUnnecessaryTypeIgnoreComment=true

from __future__ import annotations

import talkturo_async
import talkturo_async.doctor
import talkturo_async.models
import talkturo_async.resources
import talkturo_async.resources.contacts
import talkturo_async.resources.flows
import talkturo_async.webhooks
from talkturo_async import Contcat  # type: ignore[attr-defined]
from talkturo_async.models import Cmapaign  # type: ignore[attr-defined]
from talkturo_async.webhooks import WebhookReciever  # type: ignore[attr-defined]


def misspelt() -> list[object]:
    return [
        Contcat,
        Cmapaign,
        WebhookReciever,
        talkturo_async.Flw,  # type: ignore[attr-defined]
        talkturo_async.models.FlowRn,  # type: ignore[attr-defined]
        talkturo_async.resources.Flowz,  # type: ignore[attr-defined]
        talkturo_async.webhooks.MemoryDedupStore,  # type: ignore[attr-defined]
    ]


def spelt_right() -> tuple[type[object], ...]:
    version: str = talkturo_async.__version__
    assert version
    return (
        talkturo_async.Flow,
        talkturo_async.models.Campaign,
        talkturo_async.models.flows.FlowRun,
        talkturo_async.resources.flows.Flows,
        talkturo_async.webhooks.WebhookReceiver,
        talkturo_async.webhooks.MemoryDedupeStore,
        talkturo_async.doctor.DoctorReport,
    )


def assign_a_group(
    tk: talkturo_async.Talkturo, contacts: talkturo_async.resources.contacts.Contacts
) -> talkturo_async.resources.contacts.Contacts:
    """A group is a plain ``Contacts`` attribute to type checkers: a double can be assigned."""
    tk.contacts = contacts
    return tk.with_options(timeout=1).contacts
