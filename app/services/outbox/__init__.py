"""The outbox: every write the user asks for waits here, in a file of its
own, until the store confirms it — then it is watched for a while for
being overwritten — and every write is logged per order.

    outbox, damage = Outbox.open(account_folder, cache, client, desk="Front desk")
    edit_id = await outbox.stage_update(key, {"trackingNumber": "1Z9"}, order)
    [result] = await outbox.send([edit_id])

See :mod:`.service` (the door), :mod:`.sender` (the checks around each
write), :mod:`.watch` (overwrites), :mod:`.database` (the file and its
damage), :mod:`.edits` and :mod:`.activity` (what it holds).
"""

from app.domain.outbox import OutboxState

from .activity import Activity
from .database import DamageReport, OutboxDamaged, OutboxDatabase, OutboxError
from .edits import Edit
from .resolving import Choice, ConflictField
from .sender import OrderResult
from .service import OUTBOX_FILE_NAME, Outbox, OutboxProblem

__all__ = [
    "OUTBOX_FILE_NAME",
    "Activity",
    "Choice",
    "ConflictField",
    "DamageReport",
    "Edit",
    "OrderResult",
    "Outbox",
    "OutboxDamaged",
    "OutboxDatabase",
    "OutboxError",
    "OutboxProblem",
    "OutboxState",
]
