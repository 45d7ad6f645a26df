"""Distributed crawling: several ``scrapy crawl`` processes, on one machine or many, share one Redis.

``-s REDIS_URL=redis://host:6379/0`` turns it on (the add-on
:class:`aggregator.distributed.addon.DistributedCrawl`).
Every worker runs the same spider with the same arguments; they share one request queue and one duplicate
filter (both from scrapy-redis), and the state pipeline shares one Redis state store
(``aggregator.state.redis_store``).

How a shared run goes, and why:

* **Start requests.** Every worker yields the same start requests. They all go through the shared
  duplicate filter, so the first worker's copy is queued and the others' are dropped; whichever worker is
  free takes it from the queue. Start requests are checked even when a spider marks them ``dont_filter``,
  because letting every worker's copy through would fetch (and parse) each list once per worker.
* **Idle workers.** Scrapy closes a spider as soon as its own downloader and scheduler are empty. A worker
  that joins while another is still downloading the feed would find the queue empty and leave before the
  article requests appear. So a worker stays (``DontCloseSpider``) until the queue is empty *and* no worker
  has been busy for ``REDIS_IDLE_CLOSE_SECONDS``. Workers mark themselves busy every ``REDIS_POLL_SECONDS``
  while they download or process anything, and in the same Redis script that hands them a request, so that
  nobody can see "queue empty, nobody busy" between a worker taking the last request and starting on it.
  scrapy-redis's own answer (``MAX_IDLE_TIME_BEFORE_CLOSE`` in its ``RedisSpider``) only counts this
  worker's idle time, which closes a worker while another one is about to push a page of new requests.
* **Re-runs.** The queue and the duplicate filter belong to one run of the job: the last worker to leave
  deletes them, and the first worker to join a job with no live worker deletes any left by a crash. So
  tomorrow's run fetches the feed again, and the incremental state (which is *not* deleted) keeps that run
  cheap and its output unchanged. A shared run is therefore not resumable after all workers stop; re-running
  is the recovery, and costs only the fetches.

What is shared is named ``<REDIS_KEY_PREFIX>:<REDIS_JOB>:…`` (``REDIS_JOB`` defaults to the spider's name):
``requests`` (scrapy-redis priority queue), ``dupefilter`` (request fingerprints), ``workers`` (who is alive,
by Redis server time, so machines' clocks need not agree) and ``busy`` (when each worker last had work).
Requests are pickled into Redis, as scrapy-redis does: only workers you trust may reach that Redis.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from typing import Any

from redis import Redis, RedisError
from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings
from scrapy.utils.misc import load_object
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from aggregator.compat.redis_hooks import decode_request
from aggregator.compat.scrapy_hooks import wake_engine

logger = logging.getLogger(__name__)

_NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) + tonumber(t[2]) / 1000000 "

_JOIN = (
    _NOW
    + """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
local fresh = redis.call('ZCARD', KEYS[1]) == 0
if fresh then redis.call('DEL', KEYS[2], KEYS[3], KEYS[4]) end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZADD', KEYS[2], now, ARGV[1])
if fresh then return 0 end
return redis.call('ZCARD', KEYS[1]) - 1
"""
)
"""Join a job: forget workers silent for longer than the timeout; with nobody left, start a fresh run."""

_HEARTBEAT = (
    _NOW
    + """
redis.call('ZADD', KEYS[1], now, ARGV[1])
if ARGV[2] == '1' then redis.call('ZADD', KEYS[2], now, ARGV[1]) end
"""
)

_POP = """
local first = redis.call('ZRANGE', KEYS[1], 0, 0)
if #first == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
local t = redis.call('TIME')
redis.call('ZADD', KEYS[2], tonumber(t[1]) + tonumber(t[2]) / 1000000, ARGV[1])
return first[1]
"""
"""Take the most urgent request and mark the worker busy, in one step (see the module docstring)."""

_DRAINED = (
    _NOW
    + """
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
local last = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #last == 0 or now - tonumber(last[2]) >= tonumber(ARGV[1]) then return 1 end
return 0
"""
)

_LEAVE = (
    _NOW
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
"""
)
"""Leave a job; the last worker out deletes the run's queue and duplicate filter."""

_JOB_SCRIPTS = (_JOIN, _HEARTBEAT, _DRAINED, _LEAVE)


def worker_id() -> str:
    """``host:pid:random``: readable in logs, unique even when a pid is reused on a restarted machine."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def job_key(settings: BaseSettings, spider_name: str) -> str:
    """``<REDIS_KEY_PREFIX>:<REDIS_JOB or spider name>``, the root of every key one shared run uses."""
    prefix = settings["REDIS_KEY_PREFIX"]
    return f"{prefix}:{settings.get('REDIS_JOB') or spider_name}"


@dataclass
class SharedJob:
    """The workers of one job as Redis sees them: who is alive, who is busy, whether the run is over."""

    server: Redis
    key: str
    worker: str
    worker_timeout: float

    @property
    def requests_key(self) -> str:
        return f"{self.key}:requests"

    @property
    def dupefilter_key(self) -> str:
        return f"{self.key}:dupefilter"

    @property
    def workers_key(self) -> str:
        return f"{self.key}:workers"

    @property
    def busy_key(self) -> str:
        return f"{self.key}:busy"

    def __post_init__(self) -> None:
        self._scripts = {script: self.server.register_script(script) for script in _JOB_SCRIPTS}

    def _run(self, script: str, keys: list[str], *args: Any) -> Any:
        return self._scripts[script](keys=keys, args=list(args))

    @property
    def _run_keys(self) -> list[str]:
        return [self.workers_key, self.busy_key, self.requests_key, self.dupefilter_key]

    def join(self) -> int:
        """Register this worker; return how many other live workers there are (0: a fresh run)."""
        return int(self._run(_JOIN, self._run_keys, self.worker, self.worker_timeout))

    def heartbeat(self, busy: bool) -> None:
        self._run(_HEARTBEAT, [self.workers_key, self.busy_key], self.worker, "1" if busy else "0")

    def drained(self, idle_seconds: float) -> bool:
        """No request queued and no worker busy for ``idle_seconds``: the run is over."""
        return bool(self._run(_DRAINED, [self.requests_key, self.busy_key], idle_seconds))

    def leave(self) -> bool:
        """Unregister this worker; return True if it was the last one (and cleared the run's keys)."""
        return bool(self._run(_LEAVE, self._run_keys, self.worker, self.worker_timeout))


class SharedQueue(PriorityQueue):
    """scrapy-redis's priority queue, whose ``pop`` also marks the worker busy, atomically (``_POP``)."""

    def __init__(self, server: Redis, spider: Spider, job: SharedJob, serializer: Any = None) -> None:
        # scrapy-redis formats the key with ``%(spider)s``; a literal "%" in a job name must survive that.
        super().__init__(server, spider, job.requests_key.replace("%", "%%"), serializer)
        self.job = job
        self._pop = server.register_script(_POP)

    def pop(self, timeout: int = 0) -> Request | None:
        data = self._pop(keys=[self.key, self.job.busy_key], args=[self.job.worker])
        return decode_request(self, data) if data else None


def _is_start_request(request: Request) -> bool:
    """Straight from ``start()``; its retries and redirects are copies that the filter must let through."""
    meta = request.meta
    return bool(meta.get("is_start_request")) and "retry_times" not in meta and "redirect_times" not in meta


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, made fit for workers that come and go (see the module docstring).

    Subclassed rather than configured because, in scrapy-redis 0.9.1, ``close`` deletes the queue and the
    duplicate filter whenever *any* worker closes (unless ``SCHEDULER_PERSIST``, which then keeps the
    fingerprints forever and makes the next run skip the feed), and its idle handling blocks the reactor
    (``SCHEDULER_IDLE_BEFORE_CLOSE`` is a blocking ``BRPOP``) or lives in ``RedisSpider``, which still calls
    the ``start_requests()`` that Scrapy 2.16 removed. It also builds its own dupefilter through
    ``from_settings``/``from_spider`` and counts stats with a ``spider`` argument Scrapy no longer needs.
    """

    crawler: Crawler
    job: SharedJob
    idle_close_seconds: float
    """``REDIS_IDLE_CLOSE_SECONDS``, read in :meth:`from_crawler`."""
    poll_seconds: float
    """``REDIS_POLL_SECONDS``, read in :meth:`from_crawler`."""
    waiting: bool = False
    ticker: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedScheduler:
        settings = crawler.settings
        server = get_redis_from_settings(settings)
        server.ping()  # a wrong REDIS_URL should stop the crawl at once, not at the first request
        scheduler = cls(
            server,
            persist=True,
            dupefilter_cls=settings["DUPEFILTER_CLASS"],  # the add-on's, unless a project names its own
        )
        scheduler.crawler = crawler
        scheduler.stats = crawler.stats
        scheduler.idle_close_seconds = settings.getfloat("REDIS_IDLE_CLOSE_SECONDS")
        scheduler.poll_seconds = settings.getfloat("REDIS_POLL_SECONDS")
        if scheduler.poll_seconds <= 0 or scheduler.idle_close_seconds < 2 * scheduler.poll_seconds:
            raise NotConfigured(
                "REDIS_IDLE_CLOSE_SECONDS must be at least twice REDIS_POLL_SECONDS (> 0): a busy worker "
                "refreshes its mark once per poll, and must not look idle between two refreshes"
            )
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        settings = self.crawler.settings
        timeout = max(settings.getfloat("REDIS_WORKER_TIMEOUT"), 2 * self.idle_close_seconds)
        self.job = SharedJob(self.server, job_key(settings, spider.name), worker_id(), timeout)
        self.queue = SharedQueue(self.server, spider, self.job, self.serializer)
        self.df = load_object(self.dupefilter_cls)(
            self.server, key=self.job.dupefilter_key, debug=settings.getbool("DUPEFILTER_DEBUG")
        )
        others = self.job.join()
        if others:
            logger.info(
                "Worker %s joined job %s beside %d other worker(s); %d request(s) queued",
                self.job.worker,
                self.job.key,
                others,
                len(self.queue),
            )
        else:
            logger.info("Worker %s started a fresh run of job %s", self.job.worker, self.job.key)
        self.ticker = task.LoopingCall(self.tick)
        self.ticker.start(self.poll_seconds, now=False)

    def close(self, reason: str) -> None:
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()
        last = self.job.leave()
        logger.info(
            "Worker %s left job %s (%s)%s",
            self.job.worker,
            self.job.key,
            reason,
            "; it was the last one and cleared the run's queue and duplicate filter" if last else "",
        )

    def enqueue_request(self, request: Request) -> bool:
        if (not request.dont_filter or _is_start_request(request)) and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self) -> Request | None:
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
            self.waiting = False
        return request

    def tick(self) -> None:
        """Every ``REDIS_POLL_SECONDS``: say "alive" (and "busy" if so); with room to spare, look for work.

        "Room to spare", not "idle": a worker with nothing in flight while *other* workers fill the queue
        is not idle to Scrapy (the queue has requests), yet nothing in this process would make the engine
        look at the queue before its next heartbeat.
        """
        engine = self.crawler.engine
        try:
            busy = not engine.spider_is_idle()
        except RuntimeError:  # the engine is closing the spider
            return
        try:
            self.job.heartbeat(busy=busy)
        except RedisError as error:
            logger.warning("Worker %s could not reach Redis: %s", self.job.worker, error)
            return
        if not engine.needs_backout():
            wake_engine(self.crawler)

    def spider_idle(self, spider: Spider) -> None:
        """Keep this worker while the shared run may still bring work; let it close once it is drained."""
        if self.job.drained(self.idle_close_seconds):
            logger.info(
                "Job %s is drained (queue empty, no worker busy for %gs): worker %s closes",
                self.job.key,
                self.idle_close_seconds,
                self.job.worker,
            )
            return
        if not self.waiting:
            logger.info("Worker %s is idle; waiting for work from the other workers", self.job.worker)
            self.waiting = True
        raise DontCloseSpider
