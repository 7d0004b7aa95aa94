"""The shared corpus on a real Chroma server (`chroma run` on loopback, a free port, torn down):
pushing, reading the passages back, and the retrieval tests run against it."""

from __future__ import annotations

import inspect
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import corpus_server
from pipeline import retrieve as R
from pipeline.cli import main
from pipeline.errors import EngineError
from tests import test_retrieve as local
from tests.conftest import EXAMPLES

CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `chroma run` server of its own on 127.0.0.1 for this module."""
    binary = CHROMA if CHROMA.exists() else shutil.which("chroma")
    assert binary, "chromadb's `chroma` command is missing: reinstall (make install)"
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-data")
    log = (data.parent / "chroma.log").open("wb")
    process = subprocess.Popen(
        [str(binary), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                corpus_server.connect(url)
                break
            except EngineError:
                assert process.poll() is None, "chroma run exited; see chroma.log"
                assert time.monotonic() < deadline, "chroma run did not answer in 60 s"
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def use_server(chroma_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv(corpus_server.URL_ENV, chroma_url)
    yield chroma_url
    R._cache.pop(("chroma", chroma_url), None)


# --------------------------------------------------------------------------- the retrieval tests


@pytest.fixture(scope="module")
def built(chroma_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    """test_retrieve's corpus, pushed to the server and opened from it (no local index)."""
    corpus = local.write_corpus(tmp_path_factory.mktemp("corpus"))
    assert R.push_index(chroma_url, corpus_root=corpus, force=True) == 12
    R._cache.pop(("chroma", chroma_url), None)
    index = R.server_index(chroma_url)
    assert "fastapi" in index.client.get_settings().chroma_api_impl.lower()  # HTTP, not local
    yield corpus, None, index
    R._cache.pop(("chroma", chroma_url), None)


def _server_tests() -> dict[str, object]:
    """test_retrieve's tests of the open index (not of the local index folder)."""
    out = {}
    for name, test in vars(local).items():
        if not name.startswith("test_") or not callable(test):
            continue
        if "built" in inspect.signature(test).parameters and "index_dir" not in inspect.getsource(
            test
        ):
            out[f"{name}_on_the_server"] = test
    return out


SERVER_TESTS = _server_tests()
globals().update(SERVER_TESTS)


def test_most_retrieval_tests_run_against_the_server() -> None:
    assert len(SERVER_TESTS) >= 8


def test_the_server_index_reads_passages_and_vectors_from_the_server(built) -> None:
    from pipeline.corpus import load_corpus

    corpus, _, index = built
    assert index.client.get_settings().chroma_server_http_port
    assert list(index.passages) == [p.id for p in load_corpus(corpus)]  # corpus order
    norm = float(index.vectors[0] @ index.vectors[0])
    assert index.vectors.shape == (12, 384) and abs(norm - 1) < 0.01
    assert index.passages["tka-imaging"].services == ["27447"]


# --------------------------------------------------------------------------- the whole corpus


@pytest.fixture(scope="module")
def pushed(chroma_url: str) -> str:
    assert main(["corpus", "build", "--push", "--url", chroma_url]) == 0
    return chroma_url


def test_drafting_through_the_server_retrieves_what_the_local_index_does(pushed, use_server):
    from pipeline.casefile import load_case
    from pipeline.ingest import ingest
    from pipeline.pipeline import Pipeline

    local_index = R.open_index()
    for example in EXAMPLES[:4]:
        letter, case = ingest(example / "letter.txt"), load_case(example / "case.yaml")
        remote = Pipeline().run(letter, case, until="retrieve").passages
        here = Pipeline(index=local_index).run(letter, case, until="retrieve").passages
        assert [p.passage.id for p in remote] == [p.passage.id for p in here], example.name
        assert remote and remote[0].score == pytest.approx(here[0].score, abs=1e-4)
    draft = Pipeline().draft(
        ingest(EXAMPLES[0] / "letter.txt"), load_case(EXAMPLES[0] / "case.yaml")
    )
    assert draft.validation is not None and draft.validation.ok


def test_a_second_push_of_the_same_corpus_changes_nothing(pushed, capsys) -> None:
    before = corpus_server.connect(pushed).get_collection(R.COLLECTION).id
    assert main(["corpus", "build", "--push", "--url", pushed]) == 0
    assert "holds" in capsys.readouterr().err
    assert corpus_server.connect(pushed).get_collection(R.COLLECTION).id == before


def test_the_config_file_can_name_the_server(tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('chroma_url = "http://127.0.0.1:9"\n')
    monkeypatch.setenv("LMN_CONFIG", str(config))
    monkeypatch.delenv(corpus_server.URL_ENV, raising=False)
    assert corpus_server.server_url() == "http://127.0.0.1:9"
    monkeypatch.setenv(corpus_server.URL_ENV, "http://127.0.0.1:10")
    assert corpus_server.server_url() == "http://127.0.0.1:10"


def test_a_server_that_does_not_answer_is_one_line_and_exit_5(monkeypatch, capsys) -> None:
    url = f"http://127.0.0.1:{_free_port()}"
    monkeypatch.setenv(corpus_server.URL_ENV, url)
    example = EXAMPLES[0]
    code = main(["retrieve", str(example / "letter.txt")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 5 and len(err) == 1
    assert "does not answer" in err[0] and "LMN_CHROMA_URL" in err[0]
    R._cache.pop(("chroma", url), None)


def test_an_empty_server_says_to_push(chroma_url) -> None:
    client = corpus_server.connect(chroma_url)
    with pytest.raises(EngineError, match="lmn corpus build --push"):
        corpus_server.open_collection(client, "no-such-corpus", chroma_url)
