"""The incremental state in Redis, shared by every worker of a distributed crawl (``REDIS_URL``).

Same records as the SQLite store (``aggregator.state.store``): one per exported article, by canonical URL and
findable by guid. Two hashes hold them, ``<prefix>:posts`` (URL → JSON record) and ``<prefix>:guids``
(guid → URL), with ``<prefix>`` = ``<REDIS_KEY_PREFIX>:state``. Unlike a run's queue they are never
deleted: they are what makes tomorrow's run export nothing that has not changed.

One more thing than SQLite: :meth:`RedisStateStore.claim`. Two workers can hold the same article at the
same time (two feeds list it, or a worker joins a job after its queue was cleared); both look it up, both
find it new, and both would write it. The claim is a compare-and-set: a worker may export an article only
if the stored record still says what its lookup said *and* no other worker holds a claim on it. The claim
is released when the record is written, and expires after ``REDIS_STATE_CLAIM_SECONDS`` if the worker
died or the export failed, so the article is not locked out of the next run.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from redis import Redis
from scrapy_redis.connection import get_redis_from_settings

from aggregator import settings as project_defaults
from aggregator.distributed.workers import worker_id
from aggregator.state.store import ExportRecord

logger = logging.getLogger(__name__)

_CLAIM = """
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw and ARGV[2] ~= '' then
  local url = redis.call('HGET', KEYS[2], ARGV[2])
  if url then raw = redis.call('HGET', KEYS[1], url) end
end
local current = ''
if raw then current = cjson.decode(raw)['content_hash'] end
if current ~= ARGV[3] then return 0 end
for _, key in ipairs({KEYS[3], KEYS[4]}) do
  local owner = redis.call('GET', key)
  if owner and owner ~= ARGV[4] then return 0 end
end
redis.call('SET', KEYS[3], ARGV[4], 'PX', ARGV[5])
redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5])
return 1
"""


def _time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class RedisStateStore:
    """The ``StateStore`` of distributed crawls, with an atomic :meth:`claim` (see the module docstring)."""

    def __init__(
        self,
        server: Redis,
        prefix: str = f"{project_defaults.REDIS_KEY_PREFIX}:state",
        claim_seconds: float = project_defaults.REDIS_STATE_CLAIM_SECONDS,
    ) -> None:
        self.server = server
        self.prefix = prefix
        self.claim_ms = int(claim_seconds * 1000)
        self.owner = worker_id()
        self._claim = server.register_script(_CLAIM)

    @classmethod
    def from_settings(cls, settings: Any) -> RedisStateStore:
        prefix = settings["REDIS_KEY_PREFIX"]
        return cls(
            get_redis_from_settings(settings),
            f"{prefix}:state",
            settings.getfloat("REDIS_STATE_CLAIM_SECONDS"),
        )

    @property
    def posts_key(self) -> str:
        return f"{self.prefix}:posts"

    @property
    def guids_key(self) -> str:
        return f"{self.prefix}:guids"

    def _claim_keys(self, url: str, guid: str) -> list[str]:
        return [f"{self.prefix}:claim:url:{url}", f"{self.prefix}:claim:guid:{guid or url}"]

    def lookup(self, url: str, guid: str = "") -> ExportRecord | None:
        raw = self.server.hget(self.posts_key, url)
        if raw is None and guid:
            other = self.server.hget(self.guids_key, guid)
            if other is not None:
                url = other.decode("utf-8")
                raw = self.server.hget(self.posts_key, url)
        if raw is None:
            return None
        fields = json.loads(raw)
        return ExportRecord(
            url=url,
            guid=fields["guid"],
            path=fields["path"],
            content_hash=fields["content_hash"],
            published=_time(fields["published"]),
            first_exported=datetime.fromisoformat(fields["first_exported"]),
            last_exported=datetime.fromisoformat(fields["last_exported"]),
        )

    def claim(self, url: str, guid: str, expected_hash: str) -> bool:
        """Take the right to export this article; ``expected_hash`` is the record's hash at lookup ("" if
        there was none). False: another worker exported it since, or is exporting it now."""
        keys = [self.posts_key, self.guids_key, *self._claim_keys(url, guid)]
        args = [url, guid, expected_hash, self.owner, self.claim_ms]
        return bool(self._claim(keys=keys, args=args))

    def record(self, record: ExportRecord) -> None:
        """Remember the export and release the claim, in one transaction: no worker sees one without the
        other."""
        fields = {
            "guid": record.guid,
            "path": record.path,
            "content_hash": record.content_hash,
            "published": record.published.isoformat() if record.published else None,
            "first_exported": record.first_exported.isoformat(),
            "last_exported": record.last_exported.isoformat(),
        }
        pipe = self.server.pipeline(transaction=True)
        pipe.hset(self.posts_key, record.url, json.dumps(fields, ensure_ascii=False))
        if record.guid:
            pipe.hset(self.guids_key, record.guid, record.url)
        pipe.delete(*self._claim_keys(record.url, record.guid))
        pipe.execute()

    def count(self) -> int:
        return int(self.server.hlen(self.posts_key))

    def close(self) -> None:
        self.server.close()
