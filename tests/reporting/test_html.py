"""The QA report page: self-contained (nothing fetched), every figure inline or named as
missing, and the run's own text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from geodata.reporting.figures import plot_node_timings
from geodata.reporting.html import QA_FIGURES, figure_png, png_base64, render_qa_report
from tests.reporting.report_data import run_report

PNG = png_base64(figure_png(plot_node_timings({"export.node": 1.0})))


class _References(HTMLParser):
    """Every URL-bearing attribute and every tag of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.urls += [v or "" for k, v in attrs if k in {"src", "href", "srcset", "data"}]


def _references(page: str) -> _References:
    parser = _References()
    parser.feed(page)
    return parser


def test_the_page_embeds_every_figure_and_fetches_nothing():
    page = render_qa_report(run_report(), dict.fromkeys(QA_FIGURES, PNG), timings_png=PNG)
    refs = _references(page)
    assert refs.urls and all(url.startswith("data:image/png;base64,") for url in refs.urls)
    assert len(refs.urls) == len(QA_FIGURES) + 1  # and the node timings
    assert not {"script", "link", "iframe", "object"} & set(refs.tags)
    assert "url(" not in page  # no stylesheet fetches either
    for name in QA_FIGURES:
        assert f'<figure id="{name}">' in page


def test_a_missing_figure_is_named_not_dropped():
    images = dict.fromkeys(QA_FIGURES, PNG)
    del images["qa_address_map"]
    page = render_qa_report(run_report(), images)
    assert "qa_address_map was not produced by this run" in page
    assert 'id="node_timings"' not in page  # a run without timings shows none


def test_the_summary_holds_the_accounting_and_each_sources_counts():
    page = render_qa_report(run_report(), {})
    assert "every record is in exactly one of lineage or quarantine" in page
    row = re.search(r"<tr><td>alpha</td>(.*?)</tr>", page).group(1)
    assert re.findall(r"<td>([\d,]+)</td>", row) == ["120", "100", "95", "5"]
    unbalanced = run_report()
    unbalanced["accounting"]["balanced"] = False
    assert "records are missing or counted twice" in render_qa_report(unbalanced, {})


def test_text_from_the_run_is_escaped():
    report = run_report()
    hostile = "<script>alert(1)</script>"
    report["accounting"]["in_scope_by_source"][hostile] = 1
    report["run"]["table"] = hostile
    page = render_qa_report(report, {})
    assert hostile not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "script" not in _references(page).tags
