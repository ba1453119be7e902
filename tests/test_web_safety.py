"""The server's safety (issue 22), against uvicorn on a loopback port as a browser or a script meets it:
trusted Host names (DNS rebinding), cross-origin state-changing requests (CSRF), one extraction at a
time with a clear 503 for the next, cancellation when the client goes, and the per-document guard.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from communique.web import create_app
from communique.web.app import allowed_hosts_for, host_name
from conftest import REPO
from test_web_api import ARTICLE, build_web_store, error, ok, serving

COMMUNIQUE = Path(sys.executable).parent / "communique"


@pytest.fixture(scope="session")
def web_store(tmp_path_factory, pipeline) -> Path:
    return build_web_store(tmp_path_factory, pipeline)


@pytest.fixture(scope="module")
def extract_app(web_store, pipeline) -> Any:
    """Extraction on, no waiting for a running extraction, bodies up to 1 MB."""
    return create_app(
        web_store, allow_extract=True, max_request_bytes=1 << 20, pipeline=pipeline, extract_wait=0
    )


@pytest.fixture(scope="module")
def extract_url(extract_app) -> Iterator[str]:
    with serving(extract_app) as url:
        yield url


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


# -- Host ------------------------------------------------------------------------------------
def test_host_names_and_their_ports() -> None:
    assert host_name("127.0.0.1:8000") == "127.0.0.1"
    assert host_name("LocalHost") == "localhost"
    assert host_name("[::1]:8000") == "::1" and host_name("::1") == "::1"
    assert allowed_hosts_for("127.0.0.1") == ("127.0.0.1", "localhost", "::1")
    assert allowed_hosts_for("0.0.0.0") == ("127.0.0.1", "localhost", "::1")  # every interface is no name
    assert allowed_hosts_for("box.lan", ["Other.Lan"]) == (
        "127.0.0.1",
        "localhost",
        "::1",
        "box.lan",
        "other.lan",
    )


def test_an_untrusted_host_is_refused_on_every_path(extract_url) -> None:
    """DNS rebinding: a page on evil.example whose name now points at 127.0.0.1 sends Host: evil.example."""
    port = port_of(extract_url)
    with httpx.Client(base_url=extract_url, timeout=30) as c:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}"):
            assert ok(c.get("/api/health", headers={"host": host}))["status"] == "ok"
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1.evil.example:{port}", ""):
            body = error(c.get("/api/health", headers={"host": host}), 400)
            assert "--allowed-host" in body["message"]
            error(c.get("/api/events", headers={"host": host}), 400)
            assert c.post("/api/extract", json={"text": ARTICLE}, headers={"host": host}).status_code == 400
        page = c.get("/", headers={"host": "evil.example", "accept": "text/html"})
        assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
        assert "Traceback" not in page.text


def test_allowed_hosts_of_the_app(web_store) -> None:
    app = create_app(web_store, allowed_hosts=allowed_hosts_for("127.0.0.1", ["box.lan"]))
    with serving(app) as url, httpx.Client(base_url=url, timeout=30) as c:
        ok(c.get("/api/health", headers={"host": f"box.lan:{port_of(url)}"}))
        error(c.get("/api/health", headers={"host": "other.lan"}), 400)
    with serving(create_app(web_store, allowed_hosts=["*"])) as url, httpx.Client(base_url=url) as c:
        ok(c.get("/api/health", headers={"host": "anything.example"}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_command_answers_its_own_names_only(web_store, tmp_path) -> None:
    """`communique serve --allowed-host box.lan`: box.lan and the loopback names pass, others get 400."""
    port = free_port()
    log = open(tmp_path / "serve.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(COMMUNIQUE), "serve", "--db", str(web_store), "--port", str(port), "--allowed-host", "box.lan"],
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=REPO,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                ok(httpx.get(url + "/api/health", timeout=5))
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline, (
                    tmp_path / "serve.log"
                ).read_text()
                time.sleep(0.2)
        ok(httpx.get(url + "/api/health", headers={"host": f"box.lan:{port}"}))
        error(httpx.get(url + "/api/info", headers={"host": "evil.example"}), 400)
    finally:
        process.terminate()
        process.wait(30)
        log.close()


# -- cross-origin requests -------------------------------------------------------------------
def test_cross_origin_state_changes_are_refused(extract_url) -> None:
    """A page elsewhere may POST to the server (a form, or fetch with text/plain: no preflight); the
    browser says where it comes from, and the server refuses it before doing anything."""
    mine = extract_url
    with httpx.Client(base_url=extract_url, timeout=60) as c:
        for headers in (
            {"origin": "http://evil.example"},
            {"origin": "null"},  # a sandboxed frame or a file:// page
            {"origin": mine.replace("127.0.0.1", "localhost")},  # another origin, even on this machine
            {"sec-fetch-site": "cross-site"},  # a browser that sends no Origin
            {"origin": mine, "sec-fetch-site": "same-site"},
        ):
            body = error(
                c.post("/api/extract", content=ARTICLE, headers={**headers, "content-type": "text/plain"}),
                403,
            )
            assert "cross-origin" in body["message"]
            form = c.post("/extract", data={"text": ARTICLE}, headers={**headers, "accept": "text/html"})
            assert form.status_code == 403 and "Traceback" not in form.text
            for method in ("PUT", "DELETE", "PATCH"):
                error(c.request(method, "/api/events", headers=headers), 403)
        # the app's own pages and scripts pass, and so do clients that are no browser (no Origin)
        same = {"origin": mine, "sec-fetch-site": "same-origin"}
        assert ok(c.post("/api/extract", json={"text": ARTICLE}, headers=same))["events"]
        assert ok(c.post("/api/extract", json={"text": ARTICLE}))["events"]
        # Chromium's own form POST under Referrer-Policy no-referrer: Origin null, marked same-origin
        same = {"origin": "null", "sec-fetch-site": "same-origin"}
        page = c.post("/extract", data={"text": ARTICLE}, headers={**same, "accept": "text/html"})
        assert page.status_code == 200 and "Rubio" in page.text
        # reading is never refused for its origin (a page may link to the dashboard)
        ok(c.get("/api/info", headers={"origin": "http://evil.example", "sec-fetch-site": "cross-site"}))


# -- one extraction at a time, cancelled when its client goes --------------------------------
def long_text(chars: int) -> str:
    sentence = ARTICLE + " "
    return (sentence * (chars // len(sentence) + 1))[:chars]


def test_busy_server_answers_503_and_a_client_that_goes_cancels_its_extraction(
    extract_url, extract_app
) -> None:
    counts = extract_app.state.extract_counts
    cancelled = counts["cancelled"]
    body = json.dumps({"text": long_text(120_000)}).encode()
    port = port_of(extract_url)
    raw = socket.create_connection(("127.0.0.1", port))
    raw.sendall(
        b"POST /api/extract HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
    try:
        with httpx.Client(base_url=extract_url, timeout=60) as c:
            deadline = time.monotonic() + 120
            while True:  # until the long extraction holds the pipeline
                response = c.post("/api/extract", json={"text": "Rubio met Lavrov."})
                if response.status_code == 503:
                    break
                assert response.status_code == 200 and time.monotonic() < deadline
                time.sleep(0.05)
            busy = error(response, 503)
            assert "busy" in busy["message"] and int(response.headers["retry-after"]) > 0
    finally:
        raw.close()  # the client gives up
    with httpx.Client(base_url=extract_url, timeout=60) as c:
        deadline = time.monotonic() + 120
        while (response := c.post("/api/extract", json={"text": ARTICLE})).status_code == 503:
            assert time.monotonic() < deadline, "the abandoned extraction was never cancelled"
            time.sleep(0.2)
        assert ok(response)["events"]
    assert counts["cancelled"] == cancelled + 1


# -- the per-document guard ------------------------------------------------------------------
def test_guard_limits_answer_422_with_the_reason(web_store) -> None:
    from communique.pipeline import Pipeline
    from communique.settings import PipelineSettings

    small = PipelineSettings(max_doc_chars=1000)
    app = create_app(web_store, allow_extract=True, pipeline_options=small)
    with serving(app) as url, httpx.Client(base_url=url, timeout=120) as c:
        body = error(c.post("/api/extract", json={"text": long_text(5000)}), 422)
        assert "too large" in body["message"] and "5,000" in body["message"]
        assert ok(c.post("/api/extract", json={"text": ARTICLE}))["events"]
    slow = Pipeline(doc_seconds=1e-9)  # no analysis fits in a nanosecond: the budget always runs out
    with (
        serving(create_app(web_store, allow_extract=True, pipeline=slow)) as url,
        httpx.Client(base_url=url) as c,
    ):
        body = error(c.post("/api/extract", json={"text": ARTICLE}, timeout=120), 422)
        assert "took longer than the limit" in body["message"]


@pytest.mark.skipif(not os.environ.get("PATH"), reason="needs a PATH for the CLI")
def test_cli_extract_reports_an_oversized_document_and_keeps_its_neighbours(tmp_path) -> None:
    source = tmp_path / "three.jsonl"
    records = [
        {"id": "a", "text": ARTICLE},
        {"id": "big", "text": long_text(3000)},
        {"id": "c", "text": ARTICLE},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    run = subprocess.run(
        [
            str(COMMUNIQUE),
            "extract",
            str(source),
            "-o",
            str(out),
            "--errors",
            str(errors),
            "--max-doc-chars",
            "2000",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 1, run.stderr
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["a", "c"]
    (problem,) = [json.loads(line) for line in errors.read_text().splitlines()]
    assert problem["source"].endswith("three.jsonl:2") and "--max-doc-chars" in problem["reason"]
    assert "Traceback" not in run.stderr
    # a time budget no analysis meets: every document is a problem with the reason, none a traceback
    run = subprocess.run(
        [
            str(COMMUNIQUE),
            "extract",
            str(source),
            "-o",
            str(out),
            "--errors",
            str(errors),
            "--doc-seconds",
            "1e-9",
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 1 and out.read_text() == "" and "Traceback" not in run.stderr
    problems = [json.loads(line) for line in errors.read_text().splitlines()]
    assert len(problems) == 3 and all("--doc-seconds" in p["reason"] for p in problems)


def test_cancelling_a_pipeline_stops_it(pipeline) -> None:
    from communique.guard import Cancelled

    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        pipeline.process_text(ARTICLE, cancel=cancel)
    assert pipeline.process_text(ARTICLE).events  # the pipeline is fine afterwards
