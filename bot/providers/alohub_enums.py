"""Alohub's enumerations, in a module without I/O so that rendering may read them too."""

from __future__ import annotations

from enum import IntEnum


class QueueStrategy(IntEnum):
    """An inbound queue's type (``strategy``): the one definition the bot reads.

    seed alohub-inbound-queues.txt:61, "1=thường, 2=VIP, 3=blacklist, 4=divert, 99=tạm
    khoá"; the update takes only these ("strategy phải là số nguyên trong tập
    {1,2,3,4,99}", line 151). The lower-case names are the words ``/queue set`` takes.
    """

    NORMAL = 1
    VIP = 2
    BLACKLIST = 3
    DIVERT = 4
    SUSPENDED = 99
