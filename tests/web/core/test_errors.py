from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient


def test_unknown_page_is_a_404_page_in_the_site_look(client: FlaskClient) -> None:
    response = client.get("/no-such-page?lang=en")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert 'class="site-header"' in html


def test_api_errors_are_json(client: FlaskClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["code"] == "not_found"
    assert response.get_json()["error"]["message"]


def test_api_405_is_json(client: FlaskClient) -> None:
    response = client.delete("/api/v1/")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def test_upload_over_the_limit_is_a_413_page(make_app: Any) -> None:
    app = make_app(MAX_CONTENT_LENGTH=100)
    response = app.test_client().post("/staff/login?lang=en", data={"email": "x" * 500})
    assert response.status_code == 413
    assert "File too large" in response.get_data(as_text=True)


def test_unexpected_error_is_a_500_page_without_details(make_app: Any) -> None:
    app: Flask = make_app()

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom?lang=en")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Something went wrong" in html
    assert "secret internals" not in html


def test_forbidden_is_a_403_page(make_app: Any) -> None:
    from flask import abort

    app: Flask = make_app()

    @app.get("/closed")
    def closed() -> str:
        abort(403)

    response = app.test_client().get("/closed?lang=zh")
    assert response.status_code == 403
    assert "无权访问" in response.get_data(as_text=True)
