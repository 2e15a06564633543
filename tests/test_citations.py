"""True citations: figures decide first, then content; figure conflicts between outlets in one point.

All articles here are written for these tests (a fictional flood and an oil-price session).
"""

from datetime import UTC, datetime

from app.articles import Article
from app.engine import build_briefing
from app.extractive.figures import figure_values, figures
from app.text.normalize import normalize


def _article(id_: str, source: str, hour: int, title: str, *sentences: str) -> Article:
    return Article(
        id=id_,
        title=title,
        source=source,
        published_at=datetime(2024, 11, 5, hour, tzinfo=UTC),
        text=" ".join(sentences),
    )


FLOOD_A = _article(
    "flood-a",
    "okaz",
    8,
    "سيول جارفة تضرب وادي النخيل",
    "ارتفع عدد ضحايا السيول التي اجتاحت قرى وادي النخيل إلى 20 قتيلا بحسب الدفاع المدني.",
    "وأغلقت السلطات الطرق المؤدية إلى الوادي بعد انهيار جسرين رئيسيين بفعل المياه.",
    "وفتحت البلدية ثلاث مدارس لإيواء الأسر التي فقدت منازلها في القرى المنكوبة.",
)
FLOOD_B = _article(
    "flood-b",
    "alwatan",
    9,
    "27 قتيلا في سيول وادي النخيل",
    "ارتفع عدد ضحايا السيول التي اجتاحت قرى وادي النخيل إلى 27 قتيلا وفق مصادر طبية في المستشفى.",
    "وأغلقت السلطات الطرق المؤدية إلى الوادي بعد انهيار جسرين رئيسيين في المنطقة.",
    "وطالب سكان القرى بتعويضات عاجلة عن المزارع التي غمرتها المياه.",
)
FLOOD_C = _article(
    "flood-c",
    "okaz",
    10,
    "الدفاع المدني: 20 قتيلا في سيول الوادي",
    "أعلن الدفاع المدني أن عدد ضحايا السيول في قرى وادي النخيل ارتفع إلى 20 قتيلا.",
    "وأغلقت السلطات الطرق المؤدية إلى الوادي بعد انهيار جسرين رئيسيين بسبب السيول.",
    "وتواصل فرق الإنقاذ البحث عن مفقودين بين الأنقاض في القرى الثلاث.",
)


def _point_with(briefing, phrase):
    return next(p for p in briefing.key_points if normalize(phrase) in normalize(p.text))


def test_figures_leave_years_out_and_read_separators_and_digits():
    found = figures("تراجع الخام 36 سنتا إلى 50.35 دولار في أغسطس 2015 (1436 هـ) بعد بيع ٢٠ شحنة بقيمة 2,500 ريال")
    assert [f.value for f in found] == ["36", "50.35", "20", "2500"]
    assert found[0].unit == "سنتا" and found[2].unit == "شحن"
    assert figure_values("في عام 1998 ارتفع المؤشر") == set()


def test_point_cites_only_the_articles_that_hold_its_figures():
    briefing = build_briefing([FLOOD_A, FLOOD_B, FLOOD_C])
    toll = next(p for p in briefing.key_points if "قتيلا" in p.text)
    figure = "20" if "20" in toll.text else "27"
    holders = {"flood-a", "flood-c"} if figure == "20" else {"flood-b"}
    assert set(toll.sources) == holders
    # The evidence is, per cited article, the sentence that gives the figure.
    assert {e.article_id for e in toll.evidence} == holders
    assert all(figure in e.sentence for e in toll.evidence)


def test_figure_conflict_is_told_in_one_point_with_who_reported_which():
    briefing = build_briefing([FLOOD_A, FLOOD_B, FLOOD_C])
    tolls = [p for p in briefing.key_points if "قتيلا" in p.text]
    assert len(tolls) == 1, [p.text for p in tolls]  # the 27 is not a second point of its own
    (conflict,) = tolls[0].figure_conflicts
    by_figure = {r.figure: set(r.sources) for r in conflict.reports}
    assert by_figure == {"20": {"flood-a", "flood-c"}, "27": {"flood-b"}}
    other = next(r for r in conflict.reports if r.figure == "27")
    assert "27" in other.evidence[0].sentence and other.evidence[0].article_id == "flood-b"


def test_points_without_figures_keep_every_outlet_that_tells_them():
    briefing = build_briefing([FLOOD_A, FLOOD_B, FLOOD_C])
    roads = _point_with(briefing, "الطرق المؤدية")
    assert len(roads.sources) >= 2
    assert roads.figure_conflicts == []


OIL_A = _article(
    "oil-a",
    "aleqtisadiya",
    14,
    "النفط يرتفع في ختام تعاملات الأسبوع",
    "ارتفع سعر خام برنت 36 سنتا إلى 50.35 دولار للبرميل عند التسوية في ختام تعاملات الخميس.",
    "وتلقت الأسعار دعما من تراجع مخزونات الخام الأمريكية للأسبوع الثالث على التوالي.",
)
OIL_B = _article(
    "oil-b",
    "alriyadh",
    15,
    "برنت يصعد مع تراجع المخزونات",
    "ارتفع سعر خام برنت 79 سنتا إلى 50.31 دولار للبرميل في تعاملات الخميس بعد بيانات المخزونات.",
    "وتلقت الأسعار دعما من تراجع مخزونات الخام الأمريكية للأسبوع الثالث على التوالي بحسب المحللين.",
)


def test_an_article_reporting_other_prices_is_not_cited_for_the_price():
    briefing = build_briefing([OIL_A, OIL_B])
    price = next(p for p in briefing.key_points if "برنت" in p.text)
    kept = price.article_id
    assert price.sources == [kept]
    (conflict,) = [c for c in price.figure_conflicts if {r.figure for r in c.reports} & {"36", "79"}]
    assert {r.figure for r in conflict.reports} == {"36", "79"}
    stock = _point_with(briefing, "مخزونات الخام")
    assert set(stock.sources) == {"oil-a", "oil-b"}


def test_markdown_and_html_show_who_reported_which_figure_and_tell_one_outlets_articles_apart():
    from app.render import render

    briefing = build_briefing([FLOOD_A, FLOOD_B, FLOOD_C])
    number = {a.id: n for n, a in enumerate(briefing.articles, start=1)}
    markdown = render(briefing, "markdown")
    toll = next(line for line in markdown.splitlines() if "قتيلا" in line and line.startswith("- "))
    # The point names the outlet, and the sources-list number tells okaz's two articles apart.
    assert f"عكاظ [{number['flood-a']}]، عكاظ [{number['flood-c']}]" in toll
    a, b, c = number["flood-a"], number["flood-b"], number["flood-c"]
    conflict = f"  - تباينت الأرقام بين المصادر: 20 وفق عكاظ [{a}] وعكاظ [{c}]، مقابل 27 وفق الوطن [{b}]"
    assert conflict in markdown.splitlines()
    html = render(briefing, "html")
    assert 'class="conflict"' in html and "الوطن" in html
