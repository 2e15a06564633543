"""The request body of POST /v1/briefings, validated with pydantic; limits come from Settings."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator

from app.briefing import Ordering

Format = Literal["json", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("json", "markdown", "html")
MAX_WORDS_CEILING = 5_000
MIN_MAX_WORDS = 20  # the engine's floor: a headline and one key point


class ArticleIn(BaseModel):
    """One article. Unknown fields are kept and passed on (feeds carry e.g. "date" or "category")."""

    # strict: "id": true or "max_words": "120" is refused, not coerced; what the OpenAPI document says is
    # what is validated.
    model_config = ConfigDict(
        extra="allow",
        strict=True,
        json_schema_extra={
            "anyOf": [
                {"required": ["text"], "properties": {"text": {"type": "string"}}},
                {"required": ["html"], "properties": {"html": {"type": "string"}}},
            ]
        },
    )

    id: str | int | None = Field(
        None, description="stable id, unique in the request; derived from the title and text when absent"
    )
    title: str | None = None
    text: str | None = Field(None, description="plain text; one of text or html is required")
    html: str | None = Field(None, min_length=1, description="an HTML page; its main text is extracted")
    source: str | None = Field(None, description="the outlet, e.g. a newspaper's name")
    url: str | None = None
    published_at: str | None = Field(
        None, description="ISO 8601 or 'YYYY-MM-DD HH:MM:SS'; naive times are UTC", examples=["2020-08-20"]
    )

    @model_validator(mode="after")
    def _text_or_html(self) -> ArticleIn:
        if self.text is None and self.html is None:
            raise ValueError("needs 'text' or 'html'")
        return self


class BriefingRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    articles: list[ArticleIn] = Field(min_length=1, description="articles about one event")
    focus: str | None = Field(None, description="the question the briefing answers; default from prompts/focus.txt")
    max_words: int | None = Field(
        None, ge=MIN_MAX_WORDS, le=MAX_WORDS_CEILING, description="word budget; headline and key points never exceed it"
    )
    order: Ordering = Field("importance", description="importance (main outcome first, context last) or chronological")
    format: Format | None = Field(
        None, description="json, markdown or html; when absent the Accept header decides (default json)"
    )

    def article_mappings(self) -> list[dict[str, Any]]:
        """The articles as the plain mappings app.articles.article_from_mapping reads."""
        return [article.model_dump(exclude_none=True) for article in self.articles]


@lru_cache(maxsize=8)
def briefing_request_model(max_articles: int, max_article_chars: int, max_focus_chars: int) -> type[BriefingRequest]:
    """BriefingRequest with this deployment's limits, so validation and /openapi.json agree."""
    article = create_model(
        "ArticleIn",
        __base__=ArticleIn,
        text=(
            Annotated[str | None, Field(min_length=1, max_length=max_article_chars)],
            Field(None, description=f"plain text, at most {max_article_chars} characters; text or html is required"),
        ),
    )
    return create_model(
        "BriefingRequest",
        __base__=BriefingRequest,
        articles=(
            list[article],  # type: ignore[valid-type]
            Field(min_length=1, max_length=max_articles, description=f"1 to {max_articles} articles about one event"),
        ),
        focus=(
            str | None,
            Field(
                None,
                max_length=max_focus_chars,
                description="the question the briefing answers; default from prompts/focus.txt",
            ),
        ),
    )


class Problem(BaseModel):
    """application/problem+json (RFC 9457), the body of every error."""

    type: str = "about:blank"
    title: str = Field(description="the HTTP status phrase")
    status: int
    detail: str = Field(description="what was wrong, in words")
    field: str | None = Field(
        None, description='the offending field, e.g. "articles[2].published_at", "body", "Content-Type"'
    )
    request_id: str = Field(description="the X-Request-ID of this request; quote it when reporting")
    errors: list[dict[str, str]] | None = Field(
        None, description="422 only: every validation error, each with field, detail and type"
    )


class Readiness(BaseModel):
    mode: Literal["extractive", "abstractive+extractive"]
    model: str | None = Field(description="the loaded model, or null in extractive mode")
    reason: str = Field(description="why extractive, or what was loaded")
    load_seconds: float


class Health(BaseModel):
    status: Literal["ok"]


EXAMPLE_REQUEST: dict[str, Any] = {
    "articles": [
        {
            "id": "a1",
            "title": "افتتاح محطة لتحلية المياه في مدينة الساحل",
            "text": "افتتح وزير المياه صباح الأحد محطة جديدة لتحلية مياه البحر في مدينة الساحل. "
            "وقال الوزير إن المحطة ستنتج مئة ألف متر مكعب يوميا وتخدم نحو نصف مليون نسمة.",
            "source": "صحيفة الشرق",
            "published_at": "2024-03-10",
        },
        {
            "id": "a2",
            "title": "محطة تحلية تنهي أزمة العطش في الساحل",
            "text": "دخلت محطة تحلية المياه في مدينة الساحل الخدمة بعد ثلاث سنوات من العمل. "
            "وأكد وزير المياه أن إنتاج المحطة يبلغ مئة ألف متر مكعب في اليوم.",
            "source": "وكالة الأنباء",
            "published_at": "2024-03-10",
        },
    ],
    "focus": "ماذا ستقدم المحطة للسكان؟",
    "max_words": 120,
}
