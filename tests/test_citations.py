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
    "ارتفع عدد ضحايا السيول التي اجتاحت قرى وادي النخيل إلى 27 قتيلا بحسب الدفاع المدني في المحافظة.",
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
    assert [f.value for f in found] == ["36", "50.35", "1436", "20", "2500"]
    assert found[0].unit == "سنتا" and found[3].unit == "شحن"
    assert [f.date for f in found] == [False, False, True, False, False]  # a Hijri year dates, it counts nothing
    assert [(f.value, f.date) for f in figures("مهرجان أبها 1436هـ")] == [("1436", True)]
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


# A bombing told by six outlets: the same background clause («التفجير الذي استهدف سوق الخضار…») in most
# articles, and one fact each — the emir's visit to the wounded (two outlets, in other words), his visit to
# the site, the mufti's condemnation, the ministry's details, the council's statement.
_BLAST = "التفجير الذي استهدف سوق الخضار في مدينة الواحة وأسفر عن مقتل ثمانية أشخاص وإصابة عشرين آخرين"
WOUNDED_A = _article(
    "wounded-a",
    "okaz",
    8,
    "أمير الشمال يزور مصابي تفجير سوق الخضار",
    f"زار أمير منطقة الشمال الأمير سلطان بن فهد اليوم المصابين الذين يتلقون العلاج في مستشفى الملك خالد جراء {_BLAST}.",
    "وتواصل الأجهزة الأمنية التحقيق في ملابسات التفجير الذي استهدف سوق الخضار صباح اليوم.",
)
WOUNDED_C = _article(
    "wounded-c",
    "alriyadh",
    9,
    "سلطان بن فهد يطمئن على الجرحى",
    "زار الأمير سلطان بن فهد أمير منطقة الشمال مستشفى الملك خالد واطمأن على المصابين الذين يتلقون العلاج "
    "من جروح أصيبوا بها في تفجير سوق الخضار بمدينة الواحة.",
    "وتواصل الأجهزة الأمنية التحقيق في ملابسات التفجير الذي استهدف السوق.",
)
SITE_B = _article(
    "site-b",
    "alwatan",
    10,
    "أمير الشمال يتفقد موقع تفجير سوق الخضار",
    f"وقف أمير منطقة الشمال الأمير سلطان بن فهد اليوم على موقع {_BLAST}.",
    "واستمع الأمير سلطان بن فهد إلى شرح من قائد الدفاع المدني عن أعمال رفع الأنقاض في السوق.",
)
MUFTI_D = _article(
    "mufti-d",
    "sabq",
    11,
    "المفتي يدين تفجير سوق الخضار",
    f"دان مفتي المنطقة الشيخ عبدالله بن صالح {_BLAST} ووصفه بالعمل الإجرامي.",
    "ودعا المفتي إلى الوقوف صفا واحدا في وجه من يستهدف أمن البلاد، وثمن متابعة أمير منطقة الشمال الأمير "
    "سلطان بن فهد للحادث منذ اللحظة الأولى.",
)
MINISTRY_E = _article(
    "ministry-e",
    "aawsat",
    12,
    "الداخلية تكشف تفاصيل تفجير سوق الخضار",
    f"كشف المتحدث الأمني لوزارة الداخلية تفاصيل {_BLAST}.",
    f"وأوضح أن {_BLAST} نفذه انتحاري كان يرتدي حزاما ناسفا.",
)
COUNCIL_F = _article(
    "council-f",
    "almadina",
    13,
    "مجلس المنطقة يستنكر تفجير السوق",
    f"استنكر مجلس منطقة الشمال في جلسته الطارئة {_BLAST}.",
    "وأكد المجلس وقوفه مع أسر الضحايا وتقديم كل العون لهم، وثمن توجيه أمير منطقة الشمال الأمير سلطان بن فهد "
    "اليوم بتشكيل لجنة لحصر الأضرار.",
)


def test_a_neighbouring_fact_of_the_same_event_is_not_cited_but_a_restatement_is():
    briefing = build_briefing([WOUNDED_A, SITE_B, MUFTI_D, WOUNDED_C, MINISTRY_E, COUNCIL_F])
    visit = _point_with(briefing, "المصابين الذين يتلقون العلاج")
    assert visit.article_id in {"wounded-a", "wounded-c"}
    # The other outlet that tells the visit to the wounded, in its own words, is cited ...
    assert set(visit.sources) == {"wounded-a", "wounded-c"}
    # ... the visit to the site and the mufti's condemnation, sharing the whole bombing clause, are not.
    assert {e.article_id for e in visit.evidence} == {"wounded-a", "wounded-c"}


SIGNED = _article(
    "deal-signed",
    "okaz",
    12,
    "توقيع اتفاقية الربط الكهربائي",
    "وقع وزيرا الطاقة في البلدين أمس اتفاقية الربط الكهربائي بين الشبكتين بطاقة ألف ميغاواط في ختام القمة.",
    "وتشمل الاتفاقية إنشاء محطتي تحويل على جانبي الحدود خلال ثلاث سنوات.",
)
PREDICTED = _article(
    "deal-predicted",
    "alwatan",
    6,
    "القمة تبحث الربط الكهربائي",
    "ومن المتوقع أن يوقع وزيرا الطاقة في البلدين اتفاقية الربط الكهربائي بين الشبكتين بطاقة ألف ميغاواط في "
    "ختام القمة.",
    "وتبحث القمة ملفات التعاون الاقتصادي وتنسيق المواقف إزاء قضايا المنطقة.",
)


def test_an_article_that_only_predicted_the_deal_is_not_cited_for_the_signed_deal():
    briefing = build_briefing([SIGNED, PREDICTED])
    deal = next(p for p in briefing.key_points if "وقع وزيرا" in p.text)
    assert deal.sources == ["deal-signed"]


API = _article(
    "stocks-api",
    "alriyadh",
    7,
    "النفط يرتفع بعد تراجع المخزونات",
    "وقال معهد البترول الأمريكي يوم الثلاثاء إن مخزونات النفط الخام في الولايات المتحدة هبطت 2.4 مليون "
    "برميل الأسبوع الماضي.",
    "وارتفع خام برنت في التعاملات الآسيوية مع تراجع الدولار أمام العملات الرئيسية.",
)
EIA = _article(
    "stocks-eia",
    "alyaum",
    18,
    "المخزونات الأمريكية تهبط أكثر من المتوقع",
    "وأظهرت بيانات إدارة معلومات الطاقة الأمريكية يوم الأربعاء أن مخزونات النفط الخام في الولايات المتحدة "
    "هبطت 4.41 مليون برميل الأسبوع الماضي.",
    "وارتفع خام برنت في التعاملات الآسيوية مع تراجع الدولار أمام العملات الرئيسية.",
)


def test_two_agencies_figures_are_not_a_conflict():
    briefing = build_briefing([API, EIA])
    stocks = [p for p in briefing.key_points if "مخزونات النفط الخام" in p.text]
    assert stocks and all(p.figure_conflicts == [] for p in stocks)
    # Each agency's figure stays with the article that gives it.
    assert all(len(p.sources) == 1 for p in stocks)


ATTACK_A = _article(
    "attack-a",
    "okaz",
    8,
    "هجوم على نقطة تفتيش",
    "قتل 12 جنديا في هجوم استهدف نقطة تفتيش عند مدخل مدينة الواحة فجر اليوم.",
    "وطوقت قوات الأمن المنطقة وبدأت عمليات تمشيط واسعة بحثا عن المهاجمين.",
)
ATTACK_B = _article(
    "attack-b",
    "alwatan",
    9,
    "مقتل جنود في هجوم على نقطة تفتيش",
    "قتل 15 جنديا في هجوم استهدف نقطة تفتيش عند مدخل مدينة الواحة فجر اليوم.",
    "وطوقت قوات الأمن المنطقة وبدأت عمليات تمشيط واسعة بحثا عن المهاجمين.",
)


def test_two_outlets_tolls_for_one_attack_are_a_conflict():
    briefing = build_briefing([ATTACK_A, ATTACK_B])
    (toll,) = [p for p in briefing.key_points if "جنديا" in p.text]
    (conflict,) = toll.figure_conflicts
    assert {r.figure: tuple(r.sources) for r in conflict.reports} == {"12": ("attack-a",), "15": ("attack-b",)}


def test_two_sessions_of_the_market_are_not_a_conflict():
    rise = _article(
        "tasi-rise",
        "aleqtisadiya",
        8,
        "الأسهم ترتفع",
        "ارتفع مؤشر السوق في ختام تعاملات أمس ليقفل عند 8790 نقطة بمكسب نسبته 0.2 في المائة.",
        "وتصدر قطاع المصارف القطاعات الرابحة بدعم من أسهم البنوك الكبرى.",
    )
    fall = _article(
        "tasi-fall",
        "alyaum",
        20,
        "الأسهم تتراجع",
        "عادت الأسهم السعودية إلى التراجع بعد أن أغلقت تداولاتها أمس عند مستوى 8769 نقطة خاسرة 0.6 في المائة.",
        "وتصدر قطاع المصارف القطاعات الخاسرة بضغط من أسهم البنوك الكبرى.",
    )
    briefing = build_briefing([rise, fall])
    assert all(p.figure_conflicts == [] for p in briefing.key_points)


def test_the_evidence_is_the_sentence_that_tells_the_point_when_the_closest_one_tells_a_neighbouring_fact():
    both = _article(
        "site-and-wounded-g",
        "aljazirah",
        14,
        "أمير الشمال في موقع التفجير",
        f"وقف أمير منطقة الشمال الأمير سلطان بن فهد اليوم على موقع {_BLAST}.",
        "ثم زار الأمير سلطان بن فهد المصابين الذين يتلقون العلاج في مستشفى الملك خالد جراء التفجير، واستمع من "
        "الأطباء إلى شرح عن حالاتهم الصحية ومراحل علاجهم وخطط إعادة تأهيلهم بعد خروجهم.",
    )
    # The site sentence is the closer one in TF-IDF cosine (the bombing clause); the visit is told further down.
    briefing = build_briefing([WOUNDED_A, SITE_B, MUFTI_D, MINISTRY_E, COUNCIL_F, both])
    visit = _point_with(briefing, "المصابين الذين يتلقون العلاج في مستشفى الملك خالد جراء")
    assert "site-and-wounded-g" in visit.sources and "site-b" not in visit.sources
    evidence = next(e for e in visit.evidence if e.article_id == "site-and-wounded-g")
    assert evidence.sentence.startswith("ثم زار الأمير سلطان بن فهد المصابين")


def test_days_of_dates_are_marked_and_are_not_quantities():
    found = figures("نفذ الحكم يوم الأربعاء 20 / 10 / 1436 هـ، وفي 24 يوليو سلمت 12 طنا")
    assert [(f.value, f.date) for f in found] == [("20", True), ("10", True), ("1436", True), ("24", True), ("12", False)]
    assert all(f.date for f in figures("في تمام الساعة الثانية من يوم الأربعاء الموافق 1436/ 10/ 20"))


def test_a_shared_date_does_not_make_another_execution_the_evidence_but_shared_quantities_do():
    jeddah = _article(
        "execution-jeddah",
        "okaz",
        8,
        "تنفيذ حكم القتل في جان بجدة",
        "وقد تم تنفيذ حكم القتل في الجاني سالم بن ناصر اليوم الأربعاء 20 / 10 / 1436 هـ بمدينة جدة في منطقة "
        "مكة المكرمة.",
        "وأكدت وزارة الداخلية حرص الحكومة على استتباب الأمن وتحقيق العدل وتنفيذ أحكام الله.",
    )
    jazan = _article(
        "execution-jazan",
        "alwatan",
        9,
        "تنفيذ حكم القتل في جانيين بجازان",
        "وقد تم تنفيذ حكم القتل في الجانيين مراد وعلي اليوم الأربعاء 20 / 10 / 1436 هـ بمدينة جيزان في منطقة "
        "جازان.",
        "وأكدت وزارة الداخلية حرص الحكومة على استتباب الأمن وتحقيق العدل وتنفيذ أحكام الله.",
    )
    jazan_again = _article(
        "execution-jazan-2",
        "sabq",
        10,
        "الداخلية: تنفيذ حكم القتل في جانيين بجازان",
        "وقد تم تنفيذ حكم القتل في الجانيين مراد وعلي اليوم الأربعاء 20 / 10 / 1436 هـ بمدينة جيزان في منطقة "
        "جازان.",
        "وكان الجانيان قد أقدما على قتل مواطن بعد خلاف على أرض زراعية.",
    )
    briefing = build_briefing([jeddah, jazan, jazan_again])
    (point,) = [p for p in briefing.key_points if "جدة" in p.text]
    assert point.sources == ["execution-jeddah"]
    deal = _article(
        "grid-a",
        "okaz",
        8,
        "اتفاق الربط الكهربائي",
        "وقعت الدول الثلاث في ختام القمة اتفاقا إطاريا لربط الشبكات يتيح للعراق الحصول على 500 ميغاواط عبر الأردن.",
        "ويرى مراقبون أن الاتفاق هو الأهم منذ انطلاق آلية التعاون الثلاثي.",
    )
    told = _article(
        "grid-b",
        "alwatan",
        9,
        "500 ميغاواط للعراق",
        "وينص الاتفاق على أن يستورد العراق 500 ميغاواط من الكهرباء عبر الشبكة الأردنية في مرحلة أولى.",
        "وتعاني محافظات العراق من انقطاع الكهرباء ساعات طويلة في الصيف.",
    )
    briefing = build_briefing([deal, told])
    (grid,) = [p for p in briefing.key_points if p.article_id == "grid-a" and "500" in p.text]
    assert set(grid.sources) == {"grid-a", "grid-b"}
