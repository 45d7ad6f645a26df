"""Scrapy settings of the project, each documented in docs/settings.md (tests/test_docs.py checks it).

Override any of them per run with ``-s NAME=VALUE`` (``scrapy crawl``, ``aggregator``) or in scrapyd jobs.
"""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "aggregator"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- Where posts go and how they look -------------------------------------------------------------------
OUTPUT_DIR = "output"
TIMEZONE = "Asia/Shanghai"
STATE_PATH = ""  # default: <OUTPUT_DIR>/.aggregator/state.sqlite
# Fields: {slug} {id} {site} {date:%Y} {categories}; "{categories}/{slug}-{id}" puts posts in category folders
POST_FILENAME = "{slug}-{id}"
POST_SLUG_MAX_LENGTH = 60
POST_SLUG_UNICODE = True
POST_DATE_FORMAT = "hexo"  # or "rfc822", the seed's "Thu, 28 Apr 2022 05:30:54 GMT"
POST_BODY_FORMAT = "html"  # or "markdown"
POST_COMMENTS = False
# Front-matter key -> article field, in order; empty: the seed's keys, then tags, updated, link
# (aggregator.export.hexo.DEFAULT_FRONT_MATTER).
# E.g. {"title": "title", "top_img": "cover", "date": "published"}.
POST_FRONT_MATTER = {}
POST_CATEGORY_GROUP = "新媒体"

# --- The feed spider -------------------------------------------------------------------------------------
FEED_FETCH_PAGES = "auto"  # "auto": when the entry has no full text; "always"; "never"
FEED_FULLTEXT_MIN_CHARS = 200
# Where fetched pages are decoded and run through the generic extractor (aggregator.extraction.pool):
# 0: a thread of the crawl process (one core at most: fine for small runs); N: a pool of N worker
# processes, started at the first page, so that big full-text crawls use every core (e.g. the core count).
EXTRACTION_PROCESSES = 0

# --- Components ------------------------------------------------------------------------------------------
ITEM_PIPELINES = {
    "pipelines.clean.CleanPipeline": 100,
    "pipelines.extract.ExtractPipeline": 200,
    "pipelines.validate.ValidatePipeline": 300,
    "pipelines.state.StatePipeline": 400,
    "pipelines.images.ImageDownloadPipeline": 450,  # inert unless IMAGES_MODE = "download"
    "pipelines.hexo.HexoExportPipeline": 500,
}
EXTENSIONS = {
    "aggregator.export.guard.OutputGuard": 100,
    "aggregator.run.summary.RunSummary": 500,
    # start-up objects frozen, young objects collected less often: ~5% of a crawl's CPU (run/collector.py)
    "aggregator.run.collector.CollectorTuning": 900,
}
# Scrapy's remote control runs any Python code POSTed to a local HTTP port. Off, like the telnet console:
# unattended runs do not need it. Left out of the base list rather than set to None in EXTENSIONS, because
# Scrapy imports every listed component, disabled ones too, and this one costs aiohttp's import (60 ms) at
# every start-up. Put it back with -s 'EXTENSIONS={"scrapy.extensions.remote_control.RemoteControl": 0}'.
EXTENSIONS_BASE = {
    path: order
    for path, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if not path.endswith(".RemoteControl")
}
SPIDER_MIDDLEWARES = {
    "aggregator.state.incremental.SkipKnownArticles": 950,
    # Only http(s) requests are scheduled; others are dropped with a reason (aggregator.web.safety)
    "aggregator.web.refuse.RefuseUnsafeRequests": 960,
}
DOWNLOADER_MIDDLEWARES = {
    # REFUSE_PRIVATE_ADDRESSES: no request (nor redirect hop) to a loopback/private/link-local address
    "aggregator.web.refuse.RefusePrivateAddresses": 50,
    # WAF pages and 403/429 walls become one "refused" failure; hosts that keep refusing are walled
    "aggregator.web.walls.RefusalMiddleware": 555,
    # 429/5xx: wait for Retry-After (or back off), then retry
    "aggregator.web.backoff.RetryAfterMiddleware": 560,
}
# `scrapy crawl` exits 1 when the crawl failed outright (aggregator.run.summary.judge), like
# `aggregator crawl`.
COMMANDS_MODULE = "aggregator.run.commands"
LOG_FORMATTER = "aggregator.run.logformatter.ArticleLogFormatter"
LOG_LEVEL = "INFO"
DEFAULT_DROPITEM_LOG_LEVEL = "WARNING"
PROGRESS_INTERVAL = 30.0
PROGRESS_DISPLAY = (
    "auto"  # aggregator crawl: "auto" = a live table when stdout is a terminal; "plain": log lines
)
RUN_SUMMARY_ENABLED = True  # log the run summary line at the end of every crawl

# --- Politeness and robustness ----------------------------------------------------------------------------
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36 aggregator/0.1"
)
ROBOTSTXT_OBEY = False  # feeds are published to be fetched; site spiders set their own politeness
CONCURRENT_REQUESTS = 16
# Items (and requests) of one response handled at once. Scrapy's 100 starts 100 asyncio tasks for every
# callback's output although ours yield one article or one page of links: a quarter of a crawl's CPU.
CONCURRENT_ITEMS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
HTTPCACHE_ENABLED = False
TELNETCONSOLE_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"

# --- Subscriptions (aggregator crawl / schedule / list) -------------------------------------------------
SUBSCRIPTIONS_FILE = "subscriptions.yaml"
SUBSCRIPTION_NAME = ""  # set per crawl by `aggregator crawl`: the run is recorded for `aggregator list`

# --- The cctv spider ------------------------------------------------------------------------------------
CCTV_CATEGORIES = ["news"]  # crawled when no -a category= is given (names as for -a category)
CCTV_NEWS_BASE_URL = ""  # fetch news.cctv.com from here (a mirror, a test server); posts keep real URLs
CCTV_PHOTO_BASE_URL = ""  # the same for photo.cctv.com (photo sets)
CCTV_TV_BASE_URL = ""  # the same for tv.cctv.com (videos, 新闻联播)

# --- The zaker spider -----------------------------------------------------------------------------------
ZAKER_BASE_URL = ""  # fetch myzaker.com from elsewhere (a mirror, a test server); posts keep the real URL
ZAKER_SUBSCRIPTIONS = {"channel": ["660"], "source": []}  # crawled when no -a channel/-a source is given
ZAKER_MAX_PAGES = 3  # list pages followed per channel/source
ZAKER_MAX_CHALLENGES = 3  # SafeLine challenge pages before the crawl stops (reason blocked_by_waf)
ZAKER_COOKIES = ""  # browser cookies: "sl-session=…; sl_waf_recap=…" or a dict / JSON object
ZAKER_COOKIES_FILE = ""  # or a Netscape/Mozilla cookies.txt exported from the browser
ZAKER_IMPERSONATE = ""  # a curl_cffi browser ("chrome", "safari184"…): browser-grade TLS for ZAKER only
ZAKER_SOLVE_CHALLENGE = False  # answer SafeLine's challenge like a browser (docs/zaker.md; off by default)
SAFELINE_CHALLENGE_URL = "https://challenge.rivers.chaitin.cn"  # Chaitin's challenge service
BACKOFF_BASE_DELAY = 1.0  # seconds before the first retry of a 429/5xx without Retry-After; doubles each time
BACKOFF_MAX_DELAY = 60.0  # cap on any back-off, Retry-After included
WALL_MAX_REFUSALS = 3  # 403/429 answers (after back-off) before a host is no longer asked this run; 0: never

# --- Publishing to the blog's git repository (aggregator crawl/schedule --publish; docs/blog.md) ---------
PUBLISH_GIT = False  # after each aggregator crawl: commit the changed posts (and images) to OUTPUT_DIR's repo
PUBLISH_PUSH = False  # and push the branch to PUBLISH_REMOTE; a failed push is retried by the next run
PUBLISH_REMOTE = "origin"

# --- Distributed crawling (Redis) -----------------------------------------------------------------------
ADDONS = {
    "aggregator.distributed.addon.DistributedCrawl": 0,  # inert unless REDIS_URL is set
    "aggregator.web.impersonate.Impersonation": 10,  # inert unless a <SITE>_IMPERSONATE is set
}
REDIS_URL = ""  # e.g. redis://host:6379/0: workers share one queue, duplicate filter and export state
REDIS_KEY_PREFIX = "aggregator"  # root of every Redis key we use (<prefix>:<job>:…, <prefix>:state:…)
REDIS_JOB = ""  # name of the shared job (default: the spider's name); its workers run the same spider+args
REDIS_IDLE_CLOSE_SECONDS = 15.0  # a worker closes once the queue is empty and no worker was busy this long
REDIS_POLL_SECONDS = 0.5  # how often a worker reports alive/busy and looks for work others queued
REDIS_WORKER_TIMEOUT = 60.0  # a worker silent this long counts as crashed; ≥ 2 × REDIS_IDLE_CLOSE_SECONDS
REDIS_STATE_CLAIM_SECONDS = 600.0  # how long a claim on an article whose export never finished holds

# --- Images: keep posts' images working when hosts refuse hotlinks or a proxy dies ----------------------
IMAGES_MODE = "link"  # "link": real URLs + referrerpolicy; "proxy": behind IMAGE_PROXY; "download": local
IMAGE_PROXY = (
    ""  # proxy mode: prefix before every image URL (body, headimg, thumbnail), "https://w.example/?"
)
IMAGE_REFERRER_POLICY = "no-referrer"  # referrerpolicy on <img> that stay remote (ZAKER refuses a Referer)
IMAGES_LAYOUT = "post"  # download: "post" (Hexo post asset folders, post_asset_folder: true) or "shared"
IMAGES_STORE = ""  # download cache, one file per URL; default <OUTPUT_DIR>/.aggregator/images
IMAGES_DIR = ""  # shared folder Hexo publishes (covers; all images if "shared"); default <source>/images
IMAGES_URL = "/images/"  # URL of IMAGES_DIR on the blog; include Hexo's root if it is not "/"
IMAGES_MAX_BYTES = 5 * 1024 * 1024  # larger images are not downloaded (cut off early) and stay remote
IMAGES_MAX_BYTES_PER_POST = 20 * 1024 * 1024  # images past this budget, in document order, stay remote
IMAGES_MAX_PIXELS = 50_000_000  # width × height, read from the header before decoding: bombs stay remote
IMAGES_NO_REFERRER_HOSTS = ["myzaker.com"]  # hosts (and subdomains) asked for images without a Referer
IMAGES_HTTPS_HOSTS = ["cctvpic.com"]  # hosts (and subdomains) whose http:// images are rewritten to https://
IMAGES_THUMBS = {}  # Scrapy's: extra sizes, e.g. {"small": (270, 270)} in <IMAGES_DIR>/thumbs/small/
IMAGES_COVER_THUMB = ""  # a size of IMAGES_THUMBS used by the "cover_thumbnail" front-matter source
IMAGES_EXPIRES = 90  # Scrapy's: days a stored image is reused before it is fetched again
MEDIA_ALLOW_REDIRECTS = True  # image CDNs redirect; Scrapy's default (False) would count a 302 as a failure

# --- Which URLs may be fetched (aggregator.web.safety) ---------------------------------------------------
# Scrapy's file:, data:, ftp: and s3: handlers are off: a feed entry linking file:///etc/passwd must never
# be read from this machine's disk and published. Only http and https are ever requested.
DOWNLOAD_HANDLERS = {"file": None, "data": None, "ftp": None, "s3": None}
# Refuse requests (and every redirect hop) to loopback, private, link-local and other non-public addresses,
# checked after DNS resolution. Off for a desktop crawl; ON for a server (scrapyd), see docs/security.md.
REFUSE_PRIVATE_ADDRESSES = False
PRIVATE_ADDRESSES_ALLOWED_HOSTS = []  # host names/literals exempt from the refusal, e.g. a mirror on the LAN
# Scrapy's caching resolver that also refuses non-public answers when REFUSE_PRIVATE_ADDRESSES is on
TWISTED_DNS_RESOLVER = "aggregator.web.refuse.PublicAddressResolver"

# --- Hardening and incremental crawling ----------------------------------------------------------------
OUTPUT_GUARD_ENABLED = True  # refuse to crawl into an OUTPUT_DIR that cannot take a file; stop if it is lost
OUTPUT_WRITE_FAILURES_MAX = 3  # posts failing to write in a row before the crawl stops (output_not_writable)
DRY_RUN = False  # fetch and extract, but write no post, image or state: report what would be written
INCREMENTAL_SKIP_KNOWN = True  # a listed article whose post exists (and is not dated newer) is not fetched
