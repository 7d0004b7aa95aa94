"""The one place that talks to the model: structured calls, transport retries and schema re-asks.

``StructuredClient.call(prompt)`` sends a rendered prompt through LangChain's ``ChatOpenAI``
with ``with_structured_output(schema, method=...)`` and returns the validated pydantic object.

Two loops, capped separately (``RetryPolicy``):

- transport retries (tenacity): 429, 5xx, timeouts and connection errors are retried with
  exponential backoff and jitter, honouring ``Retry-After`` (and ``retry-after-ms``), up to
  ``max_attempts`` and within ``max_total_s``. The OpenAI client's own retries are off
  (``max_retries=0``) so this is the only retry loop. Other HTTP errors (401, 404, 400) are not
  retried: the message says what to change.
- schema re-asks: a reply that is not valid JSON, misses the tool call or fails the schema is sent
  back to the model with the validation error (``prompts/reask.yaml``), up to ``max_reasks``.

When either loop gives up, the error is one line saying what failed and what to do. Every HTTP
attempt is written to the run log (no content unless the user turned that on).
"""

from __future__ import annotations

import contextvars
import dataclasses
import email.utils
import json
import logging
import time
import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, SecretStr, ValidationError
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception,
    stop_after_attempt,
    stop_before_delay,
    wait_exponential_jitter,
)
from tenacity.stop import stop_base

from .. import runlog
from ..errors import EngineError, shown_loc
from ..prompts import RenderedPrompt, Role, load_prompt, schema_json
from .config import LLMSettings, RetryPolicy

log = logging.getLogger(__name__)

MAX_PREVIOUS_CHARS = 3000
"""How much of a rejected reply is quoted back in a re-ask."""
MAX_ERRORS_SHOWN = 6
"""How many schema errors a re-ask (or the final message) lists."""


class ModelUnavailable(EngineError):
    """The server could not be reached, kept failing, or refused the request."""


class ModelOutputError(EngineError):
    """The model's replies never matched the schema, re-asks included."""


@dataclass
class CallStats:
    """Totals over a client's life: HTTP attempts, tokens and time spent waiting on the server."""

    calls: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    model_seconds: float = 0.0

    def count(self, call: bool, seconds: float, tokens_in: int, tokens_out: int) -> None:
        """Add one HTTP attempt (``call``: a model call, not a model-list request)."""
        self.calls += call
        self.model_seconds += seconds
        self.tokens_in += tokens_in
        self.tokens_out += tokens_out


_CALL: contextvars.ContextVar[tuple[str, CallStats | None] | None] = contextvars.ContextVar(
    "lmn_llm_call", default=None
)
"""The run id and per-call counters of the call in progress (engines share one client)."""


@dataclass(frozen=True)
class _Reply:
    """One answered request: the raw reply and its parsed value, or what was wrong with it."""

    value: BaseModel | None
    raw: Any
    problem: str | None

    @property
    def text(self) -> str:
        return reply_text(self.raw)


# --------------------------------------------------------------------------- error classes


def _status(exc: BaseException) -> int | None:
    """The HTTP status of an error answer (not of a 200 reply whose body failed validation)."""
    import openai

    return exc.status_code if isinstance(exc, openai.APIStatusError) else None


def is_transient(exc: BaseException) -> bool:
    """429, 5xx, timeouts, connection errors and an HTTP body that is not JSON: try again."""
    import openai

    if isinstance(exc, openai.APIConnectionError | json.JSONDecodeError):
        return True
    status = _status(exc)
    return status is not None and (status in (408, 409, 429) or status >= 500)


def is_schema_failure(exc: BaseException) -> bool:
    """Errors that mean the reply was unusable (not the transport): re-ask."""
    import openai
    from langchain_core.exceptions import OutputParserException

    return isinstance(
        exc,
        ValidationError
        | OutputParserException
        | openai.LengthFinishReasonError
        | openai.APIResponseValidationError,
    )


def outcome_of(exc: BaseException) -> str:
    """The run log's outcome word for a failed attempt."""
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection_error"
    if isinstance(exc, json.JSONDecodeError):
        return "bad_response"
    if (status := _status(exc)) is not None:
        return f"http_{status}"
    return "schema_error" if is_schema_failure(exc) else "error"


def retry_after_seconds(exc: BaseException) -> float | None:
    """The server's Retry-After (seconds, HTTP date) or retry-after-ms, when it sent one."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if not headers:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(float(ms) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        parsed = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(parsed.timestamp() - time.time(), 0.0)


def _hinted_wait(state: RetryCallState) -> float | None:
    """The Retry-After of the attempt that just failed, if the server sent one."""
    exc = state.outcome.exception() if state.outcome else None
    return retry_after_seconds(exc) if exc is not None else None


class _RetryAfterOrBackoff:
    """Tenacity wait: the server's Retry-After when given, else exponential backoff with jitter."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.backoff = wait_exponential_jitter(
            multiplier=policy.backoff_initial_s, max=policy.backoff_max_s, jitter=policy.jitter_s
        )

    def __call__(self, state: RetryCallState) -> float:
        hinted = _hinted_wait(state)
        return hinted if hinted is not None else self.backoff(state)


class _RetryAfterTooLong(stop_base):
    """Tenacity stop: give up when the server asks for a longer wait than the policy allows."""

    def __init__(self, policy: RetryPolicy) -> None:
        self.limit = policy.max_retry_after_s

    def __call__(self, state: RetryCallState) -> bool:
        hinted = _hinted_wait(state)
        return hinted is not None and hinted > self.limit


def give_up_message(exc: BaseException, settings: LLMSettings, attempts: int) -> str:
    """One line: what failed, after how many attempts, and what to do."""
    import openai

    where = settings.endpoint
    tries = f"{attempts} attempt{'s' if attempts != 1 else ''}"
    model = settings.model or "the served model"
    if isinstance(exc, openai.APITimeoutError):
        return (
            f"the model server at {where} did not answer within {settings.retry.timeout_s:g} s "
            f"({tries}); raise 'timeout' in config.toml, or use a faster model"
        )
    if isinstance(exc, openai.APIConnectionError):
        return (
            f"cannot reach the model server at {settings.base_url} ({tries}); start it, or set "
            "--base-url / LMN_BASE_URL to where it listens"
        )
    if isinstance(exc, json.JSONDecodeError):
        return (
            f"the server at {where} kept answering with something that is not JSON ({tries}); "
            "check that --base-url / LMN_BASE_URL is its OpenAI-compatible /v1 URL"
        )
    status = _status(exc)
    if status == 429:
        return (
            f"the model server at {where} kept answering 429 (rate limited) after {tries}; "
            "wait and try again, or raise the rate limit of your account"
        )
    if status in (401, 403):
        return (
            f"the model server at {where} refused the API key (HTTP {status}); set "
            "OPENAI_API_KEY to a valid key"
        )
    if status == 404:
        return (
            f"model {model!r} or its endpoint is not found at {settings.base_url} (HTTP 404); "
            "set --model / LMN_MODEL to a model the server serves, and --base-url to its /v1 URL"
        )
    if status == 400:
        return (
            f"the model server at {where} rejected the request (HTTP 400) with structured output "
            f"'{settings.structured_output}'; set LMN_STRUCTURED_OUTPUT to function_calling or "
            "json_mode if it does not support that mode"
        )
    if status is not None:
        return (
            f"the model server at {where} kept failing (HTTP {status}) after {tries}; check the "
            "server's log, then try again"
        )
    return f"the call to the model server at {where} failed ({type(exc).__name__}) after {tries}"


# --------------------------------------------------------------------------- replies


def describe_problem(exc: BaseException | None) -> str:
    """A schema failure as a short, content-free summary ('criteria.0.text: too long; ...')."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, ValidationError):
            errors = exc.errors(include_url=False, include_input=False, include_context=False)
            parts = [
                f"{'.'.join(str(p) for p in shown_loc(e['loc'], e['type'])) or '(root)'}: "
                f"{e['msg']}"
                for e in errors[:MAX_ERRORS_SHOWN]
            ]
            hidden = len(errors) - MAX_ERRORS_SHOWN
            more = f"; and {hidden} more" if hidden > 0 else ""
            return "; ".join(parts) + more
        if isinstance(exc, json.JSONDecodeError):
            return f"not valid JSON ({exc.msg} at character {exc.pos})"
        if type(exc).__name__ == "LengthFinishReasonError":
            return "the reply was cut off at the token limit before the JSON was complete"
        exc = exc.__cause__ or exc.__context__
    return "the reply could not be parsed as the requested JSON"


def reply_text(raw: Any) -> str:
    """The model's reply as text: the tool call's arguments, or the message content."""
    if raw is None:
        return ""
    calls = getattr(raw, "tool_calls", None) or []
    if calls:
        return json.dumps(calls[0].get("args", {}), ensure_ascii=False)
    invalid = getattr(raw, "invalid_tool_calls", None) or []
    if invalid:
        return str(invalid[0].get("args") or "")
    content = getattr(raw, "content", "")
    return content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)


def _missing_answer(raw: Any) -> str:
    """Why a reply parsed to nothing: a broken tool call, or no tool call at all."""
    if getattr(raw, "invalid_tool_calls", None):
        return "the tool call's arguments are not valid JSON"
    return "the reply held no structured answer (no tool call or JSON object)"


def _usage(raw: Any) -> tuple[int | None, int | None]:
    usage = getattr(raw, "usage_metadata", None) or {}
    return usage.get("input_tokens"), usage.get("output_tokens")


# --------------------------------------------------------------------------- the client


class StructuredClient:
    """Structured calls to one OpenAI-compatible endpoint, with retries, re-asks and a run log."""

    def __init__(self, settings: LLMSettings, run_id: str | None = None) -> None:
        self.settings = settings
        self.run_id = run_id or uuid.uuid4().hex
        self.stats = CallStats()
        self._model = settings.model

    # ---------------------------------------------------------------- public

    @property
    def model(self) -> str:
        """The model name sent with each request (asked of the server when not configured)."""
        if self._model is None:
            self._model = self.discover_model()
        return self._model

    def discover_model(self) -> str:
        """The model a server of your own serves (GET /models); the first when it lists several."""
        import openai

        client = openai.OpenAI(
            base_url=self.settings.base_url,
            api_key=self.settings.api_key,
            timeout=self.settings.retry.timeout_s,
            max_retries=0,
        )
        models = self._with_retries(lambda: client.models.list().data, None)
        if not models:
            raise ModelUnavailable(
                f"the model server at {self.settings.endpoint} lists no model; set --model / "
                "LMN_MODEL"
            )
        return models[0].id

    def call(
        self, prompt: RenderedPrompt, *, run_id: str | None = None, stats: CallStats | None = None
    ) -> BaseModel:
        """The reply to ``prompt`` as its output model, after retries and re-asks as needed.

        ``run_id`` groups the call in the run log (default: the client's); ``stats``, when given,
        also counts this call's attempts and tokens (the client's own ``stats`` count all)."""
        if prompt.schema is None or prompt.max_tokens is None:
            raise EngineError(f"prompt {prompt.id} has no output model to call the model with")
        token = _CALL.set((run_id or self.run_id, stats))
        try:
            return self._call(prompt)
        finally:
            _CALL.reset(token)

    def _call(self, prompt: RenderedPrompt) -> BaseModel:
        sent = self._with_method_note(prompt)
        request = sent
        problem = "no reply"
        for reask in range(self.settings.retry.max_reasks + 1):
            reply = self._send(request, reask)
            if reply.value is not None:
                return reply.value
            problem = reply.problem or problem
            log.warning("llm: %s reply rejected (%s)", prompt.id, problem)
            request = sent.extended(*self._reask_messages(reply))
        raise ModelOutputError(
            f"the model {self.model!r} at {self.settings.endpoint} gave no valid answer to "
            f"prompt {prompt.id} in {self.settings.retry.max_reasks + 1} tries (last: "
            f"{_clip(problem, 200)}); use a stronger model, try LMN_STRUCTURED_OUTPUT="
            "function_calling|json_mode|json_schema, or --engine offline"
        )

    # ---------------------------------------------------------------- internals

    def _with_method_note(self, prompt: RenderedPrompt) -> RenderedPrompt:
        """json_mode sends no schema: put it in the prompt."""
        if self.settings.structured_output != "json_mode":
            return prompt
        schema = json.dumps(schema_json(prompt.schema), ensure_ascii=False)
        fragment = load_prompt("json_mode").render(schema=schema)
        note = "\n\n".join(text for _, text in fragment.messages)
        messages = list(prompt.messages)
        if messages and messages[0][0] == "system":
            messages[0] = ("system", f"{messages[0][1].rstrip()}\n\n{note}")
        else:
            messages.insert(0, ("system", note))
        return dataclasses.replace(prompt, messages=tuple(messages))

    def _reask_messages(self, reply: _Reply) -> tuple[tuple[Role, str], ...]:
        reask = load_prompt("reask").render(
            previous=_clip(reply.text, MAX_PREVIOUS_CHARS) or "(no structured answer)",
            error=reply.problem or "the reply did not match the schema",
        )
        return reask.messages

    def _send(self, prompt: RenderedPrompt, reask: int) -> _Reply:
        """One request with transport retries; schema failures come back as a problem."""
        assert prompt.schema is not None and prompt.max_tokens is not None
        model, parser = _structured_runnable(
            self.settings, self.model, prompt.schema, prompt.max_tokens
        )
        messages = list(prompt.messages)
        try:
            return self._with_retries(lambda: _invoke(model, parser, messages), (prompt, reask))
        except Exception as exc:
            if not is_schema_failure(exc):  # ModelUnavailable and the like propagate
                raise
            return _Reply(None, None, describe_problem(exc))

    def _with_retries(self, fn: Any, logged: tuple[RenderedPrompt, int] | None) -> Any:
        """Run ``fn`` under the transport retry policy, logging each attempt."""
        policy = self.settings.retry
        attempt = 0
        started = time.monotonic()

        def once() -> Any:
            nonlocal attempt
            attempt += 1
            t0 = time.perf_counter()
            try:
                result = fn()
            except Exception as exc:
                self._account(logged, attempt, t0, None, outcome_of(exc), _error_summary(exc))
                if is_transient(exc):
                    log.warning("llm: attempt %d failed (%s)", attempt, outcome_of(exc))
                raise
            if isinstance(result, _Reply):
                outcome = "ok" if result.problem is None else "schema_error"
                self._account(logged, attempt, t0, result.raw, outcome, result.problem)
            else:
                self._account(logged, attempt, t0, None, "ok", None)
            return result

        retrying = Retrying(
            retry=retry_if_exception(is_transient),
            wait=_RetryAfterOrBackoff(policy),
            stop=(
                stop_after_attempt(policy.max_attempts)
                | stop_before_delay(policy.max_total_s)
                | _RetryAfterTooLong(policy)
            ),
            reraise=True,
        )
        try:
            return retrying(once)
        except Exception as exc:
            if is_transient(exc) or _status(exc) is not None:
                elapsed = time.monotonic() - started
                log.warning("llm: gave up after %d attempt(s) in %.1f s", attempt, elapsed)
                raise ModelUnavailable(give_up_message(exc, self.settings, attempt)) from None
            raise

    def _account(
        self,
        logged: tuple[RenderedPrompt, int] | None,
        attempt: int,
        t0: float,
        raw: Any,
        outcome: str,
        error: str | None,
    ) -> None:
        elapsed = time.perf_counter() - t0
        tokens_in, tokens_out = _usage(raw)
        run_id, call_stats = _CALL.get() or (self.run_id, None)
        for stats in (self.stats, call_stats):
            if stats is not None:
                stats.count(logged is not None, elapsed, tokens_in or 0, tokens_out or 0)
        if logged is None:
            return
        prompt, reask = logged
        keep = runlog.text_logging_enabled()
        runlog.record(
            runlog.CallRecord(
                run_id=run_id,
                prompt_id=prompt.id,
                prompt_version=prompt.version,
                prompt_sha256=prompt.sha256,
                model=self._model or "",
                endpoint=self.settings.endpoint,
                method=self.settings.structured_output,
                attempt=attempt,
                reask=reask,
                tokens_in=tokens_in,
                tokens_out=tokens_out,
                latency_ms=round(elapsed * 1000),
                outcome=outcome,
                error=error,
                # Serialized only when kept: a prompt is tens of kilobytes.
                request_text=json.dumps(prompt.messages, ensure_ascii=False) if keep else None,
                response_text=reply_text(raw) if keep and raw is not None else None,
            )
        )


@lru_cache(maxsize=8)
def _chat_model(settings: LLMSettings, model: str) -> Any:
    """The LangChain chat model for an endpoint (shared: building one costs milliseconds)."""
    from langchain_openai import ChatOpenAI

    extra: dict[str, Any] = {}
    if settings.seed is not None:
        extra["seed"] = settings.seed
    return ChatOpenAI(
        model=model,
        base_url=settings.base_url,
        api_key=SecretStr(settings.api_key),
        timeout=settings.retry.timeout_s,
        max_retries=0,  # tenacity in this module is the only retry loop
        temperature=settings.temperature,
        **extra,
    )


@lru_cache(maxsize=64)
def _structured_runnable(
    settings: LLMSettings, model: str, schema: type[BaseModel], max_tokens: int
) -> tuple[Any, Any]:
    """``with_structured_output`` for one schema and token cap, as (bound model, parser).

    LangChain's ``include_raw=True`` would keep the raw reply too, but through a
    ``RunnableParallel`` that starts a thread pool on every call (measured ~12 ms a call on
    2 cores); the plain chain is the same bound model and parser, run here one after the other.
    """
    from langchain_core.runnables import RunnableSequence

    chain = _chat_model(settings, model).with_structured_output(
        schema, method=settings.structured_output, max_tokens=max_tokens
    )
    if not isinstance(chain, RunnableSequence) or len(chain.steps) != 2:
        raise EngineError(  # pragma: no cover - a LangChain release that changed the chain
            "unexpected structured-output chain from langchain-openai; reinstall the pinned "
            "versions (pip install -e .)"
        )
    return _untraced(chain.first), chain.last


def _untraced(model: Any) -> Any:
    """The bound model without ``ls_structured_output_format``: LangSmith tracing metadata that
    LangChain rebuilds from the schema on every call (a JSON-schema conversion, ~2 ms) and that
    nothing here reads. The request sent is the same."""
    kwargs = {k: v for k, v in model.kwargs.items() if k != "ls_structured_output_format"}
    return model.model_copy(update={"kwargs": kwargs})


def _invoke(model: Any, parser: Any, messages: list[Any]) -> _Reply:
    """The raw reply with its parsed value, or what was wrong with it (as ``include_raw`` does)."""
    raw = model.invoke(messages)
    try:
        parsed = parser.invoke(raw)
    except Exception as exc:  # what LangChain's include_raw fallback catches too
        return _Reply(None, raw, describe_problem(exc))
    if parsed is None:
        return _Reply(None, raw, _missing_answer(raw))
    return _Reply(parsed, raw, None)


def _error_summary(exc: BaseException) -> str:
    """Exception class and HTTP status, or the schema summary: never the reply's content."""
    if is_schema_failure(exc):
        return describe_problem(exc)
    status = _status(exc)
    return f"{type(exc).__name__}{f' (HTTP {status})' if status else ''}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
