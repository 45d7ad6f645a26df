"""CCTV (央视网) page objects: what the category lists, articles, photo sets, videos and 新闻联播 pages mean.

The public face of the ``cctv_*`` modules; the spider imports from here only.

Lists (``cctv_list``)
    Category lists are static JSONP files, ``<callback>({"data":{"total":…,"list":[…]}})``. The callback
    name varies, so the JSON is taken between the first ``(`` and the last ``)``; the CMS leaves trailing
    commas before ``]``/``}`` (the real saved sample has one), which are removed outside strings; a
    trailing ``;`` and a BOM are tolerated. The files are UTF-8 but served without a charset, so clients
    that follow the header decode them as ISO-8859-1 into mojibake: ``parse_list_jsonp`` takes the raw
    bytes and always decodes UTF-8 itself. Item ids tell the type: ``ARTI`` article, ``PHOA`` photo set,
    ``VIDE`` video; ``focus_date`` is Beijing time and comes out aware in Asia/Shanghai.

Articles (``cctv_article`` + ``cctv_body``)
    Text articles use the 2019+ "gaiban" template (``div.title_area h1``, ``div.info`` 来源 line,
    ``div.content_area#content_area`` between ``<!--repaste.body.begin/end-->``), with ``#text_area`` and
    the older ``.cnt_bd`` as fallbacks. The editor credit (``div.zebian``, 编辑/责任编辑 lines) is kept
    out of the body: it names the desk staff on duty, not the author (the 来源 source becomes the post's
    author), and at the foot of every post it is noise.
    Old templates hard-code ``http://pN.img.cctvpic.com`` images; the Clean pipeline upgrades those to
    https (``IMAGES_HTTPS_HOSTS``; the page objects report what the page says).

新闻联播 (``cctv_xwlb``)
    The latest day from ``.rilititle p`` on the programme index, and each day's fragment of ``<li>`` items.
"""

from __future__ import annotations

from aggregator.sites.cctv.article import parse_article, parse_photo_set, parse_video, video_guid
from aggregator.sites.cctv.common import item_type
from aggregator.sites.cctv.lists import decode_jsonp, list_url, parse_list_jsonp
from aggregator.sites.cctv.xwlb import latest_xwlb_date, parse_xwlb_day, xwlb_day_url

__all__ = [
    "decode_jsonp",
    "item_type",
    "latest_xwlb_date",
    "list_url",
    "parse_article",
    "parse_list_jsonp",
    "parse_photo_set",
    "parse_video",
    "parse_xwlb_day",
    "video_guid",
    "xwlb_day_url",
]
