"""FakeTalkturo's rules, one module per API group: plain functions ``rule(store, call) -> JSON``.

A rule reads its :class:`~talkturo_async.testing._routing.Call`, checks it against the API's
rules, changes the :class:`~talkturo_async.testing._store.Store` and returns the answer body, or
raises ``FakeHTTPError``. Rules know nothing of HTTP; ``_routes.py`` says which route runs which.
"""
