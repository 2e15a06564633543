"""GET /openapi.json is valid OpenAPI 3.1 and matches what the service really does; /docs is self-contained."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from app.service.schemas import EXAMPLE_REQUEST
from tests.helpers import make_app

FIXTURE = Path(__file__).parent / "fixtures" / "service_articles.json"


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    return make_app()


@pytest.fixture(scope="module")
def spec(app) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def check(instance: Any, spec: dict[str, Any], schema_name: str) -> None:
    """Validates instance against components.schemas[schema_name], resolving $refs inside the spec."""
    registry = Registry().with_resource("urn:spec", Resource(contents=spec, specification=DRAFT202012))
    schema = {"$ref": f"urn:spec#/components/schemas/{schema_name}"}
    jsonschema.Draft202012Validator(schema, registry=registry).validate(instance)


def test_the_document_is_valid_openapi_3_1(spec) -> None:  # type: ignore[no-untyped-def]
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_every_route_is_documented_with_its_methods(app, spec) -> None:  # type: ignore[no-untyped-def]
    served = {
        (re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule), method.lower())  # /daily/<name> -> /daily/{name}
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert served == documented


def test_example_and_fixture_requests_match_the_request_schema(spec) -> None:  # type: ignore[no-untyped-def]
    check(EXAMPLE_REQUEST, spec, "BriefingRequest")
    check({"articles": json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]}, spec, "BriefingRequest")
    with pytest.raises(jsonschema.ValidationError):
        check({"articles": [{"title": "بلا نص"}]}, spec, "BriefingRequest")
    with pytest.raises(jsonschema.ValidationError):
        check({"articles": [{"text": "نص"}], "format": "pdf"}, spec, "BriefingRequest")


def test_real_responses_match_their_documented_schemas(app, spec) -> None:  # type: ignore[no-untyped-def]
    client = app.test_client()
    operation = spec["paths"]["/v1/briefings"]["post"]
    briefing = client.post("/v1/briefings", json=EXAMPLE_REQUEST)
    assert str(briefing.status_code) in operation["responses"]
    check(briefing.get_json(), spec, "Briefing")

    bad_cases = [
        client.post("/v1/briefings", data="{", content_type="application/json"),
        client.post("/v1/briefings", data="{}", content_type="text/plain"),
        client.post("/v1/briefings", json={"articles": []}),
        client.post("/v1/briefings", json=EXAMPLE_REQUEST, headers={"Accept": "image/png"}),
    ]
    for response in bad_cases:
        assert str(response.status_code) in operation["responses"], response.status_code
        check(response.get_json(), spec, "Problem")

    check(client.get("/readyz").get_json(), spec, "Readiness")
    check(client.get("/healthz").get_json(), spec, "Health")
    check(client.get("/nowhere").get_json(), spec, "Problem")


def test_limits_and_auth_in_the_document_follow_the_settings() -> None:
    spec = make_app(max_articles=7, api_keys="k").test_client().get("/openapi.json").get_json()
    articles = spec["components"]["schemas"]["BriefingRequest"]["properties"]["articles"]
    assert articles["maxItems"] == 7
    operation = spec["paths"]["/v1/briefings"]["post"]
    assert operation["security"] == [{"bearerAuth": []}] and "401" in operation["responses"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_docs_page_is_self_contained(app) -> None:  # type: ignore[no-untyped-def]
    response = app.test_client().get("/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/v1/briefings" in page and "/readyz" in page and "BriefingRequest" in page
    assert "curl" in page and "جسر" not in page  # the example is the spec's own, escaped and shown
    assert "محطة" in page
    # No script, stylesheet, font or image from elsewhere: the page works offline.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", page, re.I)
    assert "@import" not in page and "url(" not in page
