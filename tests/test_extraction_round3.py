"""Generic extraction rules of round 3 (issue 15), each guarded on a real page it was measured on.

Pages come from the *tuning* split (``bench/extraction_data/real_web2``: the second sample of trafilatura
1.0.0's cached test pages) or the evaluation-only charset pages (``real_charset_world``: chardet's test
data); never from a held-out set. Each test names the failure it guards against, as measured before the fix.
"""

from __future__ import annotations

from aggregator.extraction.text import html_to_text
from aggregator.run.extract import extract_article
from tests.test_extraction_crosscheck import score, tuning_page


def test_a_site_tagline_above_a_box_that_holds_the_headline_is_no_standfirst() -> None:
    """cnet.de (WordPress): the site's ``<h1>`` name and ``<h2 class="site-description">`` tagline sit above
    everything; the box holds the article's own ``<h1>``. The tagline led the body (precision 0.83)."""
    html, url, gold = tuning_page("real_web2", "cnet_de_schutz")
    text = extract_article(html, url).body_text
    assert "CNET.DE liefert eine fundierte redaktionelle" not in text
    assert "Gestern wurde der Streit zwischen Google Spanien" in text
    assert score(text, gold)[0] >= 0.9


def test_punctuation_between_inline_elements_is_kept() -> None:
    """denkanstoos (WordPress): ``<strong>Gastgeber</strong>: <a>Xing AG</a>`` lost its ": " as "noise",
    and the words ran together ("GastgeberXing")."""
    html, url, gold = tuning_page("real_web2", "denkanstoos_com_2012")
    text = extract_article(html, url).body_text
    assert "Gastgeber: Xing AG" in text
    assert "Moderator: Hass Chapman" in text
    assert score(text, gold)[2] >= 0.98


def test_table_cells_are_apart_in_the_text() -> None:
    """A table page (Tex Texin's UTF-16 page of supplementary-plane scripts): cells came out glued,
    "EtruscanRasna", so every word of the table was lost to the text (recall 0.87, F1 0.82)."""
    assert html_to_text(
        "<table><tr><th>Script</th><th>Origin</th></tr><tr><td>a</td><td>b</td></tr></table>"
    ) == ("Script Origin\n\na b")
    html, url, gold = tuning_page("real_charset_world", "plane1_utf_16le")
    text = extract_article(html, url).body_text
    assert "Etruscan Rasna" in text
    assert score(text, gold)[1] >= 0.99


def test_the_standfirst_in_the_article_header_after_the_headline_is_kept() -> None:
    """cnet.de: ``<header><h1>…</h1><p>standfirst</p></header>`` inside the article box; trafilatura drops
    the box's ``<header>`` whole, and the standfirst with it (recall 0.956)."""
    html, url, gold = tuning_page("real_web2", "cnet_de_schutz")
    text = extract_article(html, url).body_text
    assert text.startswith("Rechtsanwalt Dr. Thomas Schulte liefert eine Einschätzung")
    assert text.count("Rechtsanwalt Dr. Thomas Schulte liefert") == 1
    assert "von Anja Schmoll-Trautmann" not in text
    assert score(text, gold)[1] >= 0.99
