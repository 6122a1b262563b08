"""The API groups, one module each; :class:`ResourceGroups` puts them on the client.

A group's module, and the models it answers with, are imported the first time a client reads the
group (``tk.flows`` imports ``resources.flows`` and ``models.flows``), so ``import talkturo_async``
and ``Talkturo(...)`` stay cheap however many groups the API has.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

from .._lazy import first_use

if TYPE_CHECKING:
    from .._client import Talkturo
    from ._base import Resource
    from .api_keys import ApiKeys
    from .assistants import Assistants
    from .auth import Auth
    from .billing import Billing
    from .calls import Calls
    from .campaigns import Campaigns
    from .companies import Companies
    from .contacts import Contacts
    from .credits import Credits
    from .custom_fields import CustomFields
    from .flows import Flows
    from .intelligence import Intelligence
    from .knowledge_base import KnowledgeBase
    from .opportunities import Opportunities
    from .phone_numbers import PhoneNumbers
    from .telephony import Telephony

__all__ = ["ResourceGroups"]

_R = TypeVar("_R", bound="Resource")


class _Group(Generic[_R]):
    """One group on the client: ``Group(client)``, built on first access and kept by the client.

    A non-data descriptor (no ``__set__``): the group it builds is stored on the client as an
    instance attribute, which then wins over the descriptor, so every later ``tk.campaigns`` is an
    attribute lookup that runs no Python code.
    """

    __slots__ = ("_type", "attr", "class_name", "module")

    def __init__(self, module: str, class_name: str) -> None:
        self.module: str = module  # the submodule of this package defining the group
        self.class_name: str = class_name
        self.attr: str = ""  # the attribute's name on the client, from __set_name__
        self._type: type[_R] | None = None  # the class, once imported

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.attr = name

    def group_type(self) -> type[_R]:
        """The group's class, its module imported on the first call."""
        group_type = self._type
        if group_type is None:
            module = importlib.import_module(f"{__name__}.{self.module}")
            group_type = self._type = cast("type[_R]", getattr(module, self.class_name))
        return group_type

    @overload
    def __get__(self, instance: None, owner: type[Any] | None = None) -> _Group[_R]: ...

    @overload
    def __get__(self, instance: ResourceGroups, owner: type[Any] | None = None) -> _R: ...

    def __get__(
        self, instance: ResourceGroups | None, owner: type[Any] | None = None
    ) -> _R | _Group[_R]:
        if instance is None:
            return self
        group = self.group_type()(cast("Talkturo", instance))
        # Not ``instance.__dict__[...]``: on CPython 3.11+ reading ``__dict__`` turns the instance's
        # inline attribute values into a real dict, and every attribute read of it gets ~3x slower.
        object.__setattr__(instance, self.attr, group)
        return group


class ResourceGroups:
    """Every API group as an attribute of the client: ``tk.contacts``, ``tk.flows``, ...

    Each group is built for its client on first access. Adding a group is two lines here
    (its type, its ``_Group``).
    """

    # Type checkers see plain attributes (read, and assigned: a test double, a subclass's own
    # group); at run time each is a _Group. No run-time annotations: ``get_type_hints`` would
    # have to resolve group classes this module imports only on first access.
    if TYPE_CHECKING:
        auth: Auth
        assistants: Assistants
        campaigns: Campaigns
        contacts: Contacts
        companies: Companies
        phone_numbers: PhoneNumbers
        telephony: Telephony
        flows: Flows
        opportunities: Opportunities
        custom_fields: CustomFields
        calls: Calls
        intelligence: Intelligence
        credits: Credits
        billing: Billing
        api_keys: ApiKeys
        knowledge_base: KnowledgeBase
    else:
        auth = _Group("auth", "Auth")
        assistants = _Group("assistants", "Assistants")
        campaigns = _Group("campaigns", "Campaigns")
        contacts = _Group("contacts", "Contacts")
        companies = _Group("companies", "Companies")
        phone_numbers = _Group("phone_numbers", "PhoneNumbers")
        telephony = _Group("telephony", "Telephony")
        flows = _Group("flows", "Flows")
        opportunities = _Group("opportunities", "Opportunities")
        custom_fields = _Group("custom_fields", "CustomFields")
        calls = _Group("calls", "Calls")
        intelligence = _Group("intelligence", "Intelligence")
        credits = _Group("credits", "Credits")
        billing = _Group("billing", "Billing")
        api_keys = _Group("api_keys", "ApiKeys")
        knowledge_base = _Group("knowledge_base", "KnowledgeBase")

    def _bind_resources(self) -> None:
        # Forget the groups built so far: ``with_options`` copies the client's ``__dict__``, and
        # a view must build its own groups, bound to the view, on first access.
        for name in _GROUPS:
            self.__dict__.pop(name, None)


_GROUPS: dict[str, _Group[Any]] = {
    name: value for name, value in vars(ResourceGroups).items() if isinstance(value, _Group)
}
# ``talkturo_async.resources.Flows`` and ``.flows`` (the module) still work, imported on first use.
_SOURCES = {group.class_name: group.module for group in _GROUPS.values()}
_SUBMODULES = frozenset({"flow_integrations", *(group.module for group in _GROUPS.values())})


if not TYPE_CHECKING:  # see _lazy: type checkers read the imports above instead
    __getattr__ = first_use(__name__, globals(), _SOURCES, _SUBMODULES)
