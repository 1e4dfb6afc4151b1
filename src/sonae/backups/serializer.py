"""Django's JSON serialisation with datetimes and times to the microsecond (its own cuts them to ms).

Registered as the "sonae-exact-json" format by `sonae.backup`; Django's ordinary JSON deserialiser
reads it back (it parses ISO 8601 with microseconds).
"""

from __future__ import annotations

import datetime as dt

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JsonSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, dt.datetime):
            return o.isoformat()
        if isinstance(o, dt.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(JsonSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
