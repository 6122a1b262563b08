"""What ``import talkturo_async`` loads: no API group until it is used (issue #15, import cost).

The import-time checks run in a new interpreter each (``sys.executable -c ...``), so what this
process has already imported does not hide anything. Nothing here is timed:
``benchmarks/bench_import.py`` measures the cost.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from typing import Any

import pytest

import talkturo_async
import talkturo_async.models
import talkturo_async.resources
from talkturo_async import ServerError, Talkturo
from talkturo_async.testing import FakeTalkturo

# Every group's module, found on disk, so a group added later is covered without editing this.
MODEL_MODULES = sorted(
    f"talkturo_async.models.{m.name}"
    for m in pkgutil.iter_modules(talkturo_async.models.__path__)
    if not m.name.startswith("_")
)
RESOURCE_MODULES = sorted(
    f"talkturo_async.resources.{m.name}"
    for m in pkgutil.iter_modules(talkturo_async.resources.__path__)
    if not m.name.startswith("_")
)
HEAVY = ("aiohttp", "cattrs", "tenacity")


def run_fresh(code: str) -> Any:
    """Run ``code`` in a new interpreter; return the JSON it printed on its last line."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


MAKE_CLIENT = """
import json, sys
import talkturo_async
tk = talkturo_async.Talkturo('tk_test_x', base_url='http://127.0.0.1:1')
def loaded():
    return sorted(m for m in sys.modules if m.startswith('talkturo_async') or m in {heavy!r})
"""


def test_import_and_client_load_no_group_and_no_heavy_dependency() -> None:
    """``import talkturo_async; Talkturo(...)`` imports no group's models or resource module.

    Nor aiohttp, cattrs or tenacity (the first request imports those). ``models._base`` (the
    ``Model`` base) may be loaded; no group's module is.
    """
    assert "talkturo_async.models.flows" in MODEL_MODULES  # the walk found the groups
    assert "talkturo_async.resources.flows" in RESOURCE_MODULES
    loaded = run_fresh(MAKE_CLIENT.format(heavy=HEAVY) + "print(json.dumps(loaded()))")
    assert "talkturo_async._client" in loaded  # the snapshot is of a working import
    groups = set(MODEL_MODULES) | set(RESOURCE_MODULES)
    assert sorted(groups.intersection(loaded)) == []
    assert [name for name in HEAVY if name in loaded] == []


def test_first_access_to_a_group_imports_that_group_only() -> None:
    """``tk.flows`` imports the flows resource and models, and no other group's."""
    code = MAKE_CLIENT.format(heavy=HEAVY) + (
        "before = loaded()\n"
        "group = tk.flows\n"
        "same = tk.flows is group and tk.__dict__['flows'] is group\n"
        "print(json.dumps([before, loaded(), type(group).__name__, group._client is tk, same]))"
    )
    before, after, kind, bound, cached = run_fresh(code)
    assert "talkturo_async.resources.flows" not in before
    assert kind == "Flows"
    assert bound  # the group sends through this client
    assert cached  # built once, then a plain attribute of the client
    new = set(after) - set(before)
    assert {"talkturo_async.resources.flows", "talkturo_async.models.flows"} <= new
    others = (set(MODEL_MODULES) | set(RESOURCE_MODULES)) - {
        "talkturo_async.resources.flows",
        "talkturo_async.resources.flow_integrations",  # tk.flows.integrations / .secrets
        "talkturo_async.models.flows",
    }
    assert sorted(others & new) == []


RESOLVE_ALL = """
import importlib, json, pkgutil
import talkturo_async, talkturo_async.models as models
first = {}  # each name read through the package before anything else imports its module
for package in (talkturo_async, models):
    for name in package.__all__:
        first[package.__name__ + "." + name] = getattr(package, name)
cached = [  # __version__ is read afresh each time
    key for key in first
    if key != "talkturo_async.__version__"
    and key.rpartition(".")[2] not in vars(importlib.import_module(key.rpartition(".")[0]))
]
defined = {}  # name -> the object each module defining it holds
for info in pkgutil.iter_modules(models.__path__):
    module = importlib.import_module("talkturo_async.models." + info.name)
    for name, value in vars(module).items():
        defined.setdefault(name, []).append(value)
wrong = []
for key, value in first.items():
    package, _, name = key.rpartition(".")
    if package == "talkturo_async.models" or name in models.__all__:
        if not any(value is other for other in defined.get(name, [])):
            wrong.append(key)
        if package == "talkturo_async" and value is not getattr(models, name):
            wrong.append(key + " (not talkturo_async.models." + name + ")")
star = {}
exec("from talkturo_async.models import *", star)
star_names = sorted(set(star) - {"__builtins__"})
print(json.dumps([wrong, cached, star_names, sorted(set(models.__all__) - set(dir(models)))]))
"""


def test_every_exported_name_resolves_to_the_object_of_its_defining_module() -> None:
    """Each name of ``talkturo_async.__all__`` and ``models.__all__`` reads lazily and correctly.

    It is the very object of the ``models`` submodule that defines it (``talkturo_async.Campaign``
    is ``talkturo_async.models.campaigns.Campaign``), stored in the package once read, and
    ``from talkturo_async.models import *`` and ``dir()`` give every name.
    """
    wrong, not_cached, star, missing_from_dir = run_fresh(RESOLVE_ALL)
    assert wrong == []
    assert not_cached == []
    assert star == sorted(talkturo_async.models.__all__)
    assert missing_from_dir == []


def test_names_in_this_process_are_the_defining_modules_objects() -> None:
    """The same identities in the test process (whatever other tests imported first)."""
    from talkturo_async.models.campaigns import Campaign
    from talkturo_async.models.flows import Flow
    from talkturo_async.resources.flows import Flows

    assert talkturo_async.Campaign is Campaign
    assert talkturo_async.models.Campaign is Campaign
    assert talkturo_async.models.Flow is Flow
    group_class = "Flows"  # not in resources.__all__, but readable by name as before
    assert getattr(talkturo_async.resources, group_class) is Flows
    assert talkturo_async.models.flows.Flow is Flow
    assert set(talkturo_async.__all__) <= set(dir(talkturo_async))


@pytest.mark.parametrize(
    "module", [talkturo_async, talkturo_async.models, talkturo_async.resources], ids=str
)
def test_an_unknown_name_raises_attribute_error_naming_the_module(module: Any) -> None:
    """A typo is an AttributeError naming the module and the name, not an import attempt."""
    typo = "Campain"
    with pytest.raises(AttributeError) as caught:
        getattr(module, typo)
    assert str(caught.value) == f"module {module.__name__!r} has no attribute 'Campain'"


def test_from_import_of_an_unknown_name_raises_import_error() -> None:
    """``from talkturo_async import Campain`` fails as for any module."""
    with pytest.raises(ImportError, match="Campain"):
        exec("from talkturo_async import Campain", {})


async def test_a_view_builds_its_own_groups_after_the_original_used_them(
    fake: FakeTalkturo, tk: Talkturo
) -> None:
    """Groups the original built before ``with_options`` are not the view's: the view's options.

    The view's Idempotency-Key and retry policy reach the server; the original keeps its own.
    """
    await tk.auth.test()  # the original builds its groups first
    await tk.companies.create(team_id=fake.team_id, name="Before")
    view = tk.with_options(idempotency_key="view-key-1", max_retries=0)
    assert view.companies is not tk.companies
    await view.companies.create(team_id=fake.team_id, name="Through the view")
    await tk.companies.create(team_id=fake.team_id, name="After")
    before, through_view, after = (r for r in fake.requests if r.method == "POST")
    assert through_view.headers["Idempotency-Key"] == "view-key-1"
    assert after.headers["Idempotency-Key"] not in {"view-key-1", before.headers["Idempotency-Key"]}

    fake.fail_next(1, status=502)
    with pytest.raises(ServerError):  # the view does not retry
        await view.auth.test()
    fake.fail_next(1, status=502)
    check = await tk.auth.test()  # the original still retries
    assert check.success


def test_record_variants_name_real_models_and_match_them_by_identity() -> None:
    """Each model the variant table names exists and gets its variant; a namesake class does not."""
    import importlib

    from talkturo_async._variants import RECORD_VARIANTS
    from talkturo_async.models import Model

    assert len(RECORD_VARIANTS.names()) == 4
    for dotted in RECORD_VARIANTS.names():
        module, _, name = dotted.rpartition(".")
        model = getattr(importlib.import_module(module), name)
        assert issubclass(model, Model), dotted
        assert RECORD_VARIANTS.get(model) is not None, dotted
        namesake = type(name, (Model,), {"__module__": module, "__qualname__": name})
        assert RECORD_VARIANTS.get(namesake) is None, dotted
    assert RECORD_VARIANTS.get(talkturo_async.models.Campaign) is None
