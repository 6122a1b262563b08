"""One module per API group; the groups added after the seven seed groups are re-exported here."""

from .api_keys import ApiKeys
from .billing import Billing
from .credits import Credits
from .knowledge_base import KnowledgeBase

__all__ = ["ApiKeys", "Billing", "Credits", "KnowledgeBase"]
