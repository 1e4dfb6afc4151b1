"""The OpenAI-compatible AI gateway: /v1/chat/completions (streaming and not) and /v1/models.

Staff and tools point their OpenAI client at sonae with a per-member gateway token. Every text
part of every message is checked with the organisation's policy before anything leaves:
  block → HTTP 400, an OpenAI-style error naming the kinds found (never the values);
  mask  → placeholders go upstream and are put back in the answer, also across streamed chunks;
  warn  → forwarded unchanged, the kinds listed in the `X-Sonae-Warnings` header.
The upstream key is added here and never returned or logged. Each request leaves one usage row
(who, when, model, tokens, kinds found, outcome) — the prompt text only if the organisation opted in.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field

import httpx
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sonae.engines.textscan import LABELS, TextScanError, unmask
from sonae.orgs.models import hash_token

from .masking import StreamRestorer, estimate_tokens, mask_messages
from .models import AiUsage, GatewayToken
from .selectors import GatewayCaller, gateway_caller, gateway_config_for
from .services import GATEWAY_TOKEN_PREFIX, gateway_usage_record

log = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024  # far above any prompt; the engine itself stops at 10 MB
DEFAULT_TIMEOUT_SECONDS = 60.0


def _max_body() -> int:
    return int(getattr(settings, "SONAE_GATEWAY_MAX_BODY_BYTES", 0) or os.environ.get("SONAE_GATEWAY_MAX_BODY_BYTES") or DEFAULT_MAX_BODY_BYTES)


def _timeout() -> float:
    return float(getattr(settings, "SONAE_GATEWAY_TIMEOUT", 0) or os.environ.get("SONAE_GATEWAY_TIMEOUT") or DEFAULT_TIMEOUT_SECONDS)


# One pooled client per process: keeping connections to the upstream alive is most of the speed.
_client: httpx.Client | None = None
_client_lock = threading.Lock()


def _http() -> httpx.Client:
    global _client
    if _client is None:
        with _client_lock:
            if _client is None:
                # TCP_NODELAY: request headers and body go out as separate writes; don't let Nagle hold the body.
                transport = httpx.HTTPTransport(
                    limits=httpx.Limits(max_connections=100, max_keepalive_connections=20),
                    socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)],
                )
                _client = httpx.Client(follow_redirects=False, transport=transport)
    return _client


def _request_timeout() -> httpx.Timeout:
    seconds = _timeout()
    return httpx.Timeout(seconds, connect=min(10.0, seconds))


# --- OpenAI-style errors -------------------------------------------------------------------------


def openai_error(status: int, message: str, *, code: str, type_: str = "invalid_request_error", param: str | None = None) -> JsonResponse:
    response = JsonResponse({"error": {"message": message, "type": type_, "param": param, "code": code}}, status=status, json_dumps_params={"ensure_ascii": False})
    return response


def _labels(types: list[str]) -> str:
    return "、".join(LABELS[t][0] for t in types)


# --- authentication --------------------------------------------------------------------------------


def _refused() -> JsonResponse:
    return openai_error(
        401,
        "ゲートウェイのトークンが無効です。sonae の「AIゲートウェイ」画面で発行したトークンを Authorization: Bearer に指定してください。 / Invalid gateway token.",
        code="invalid_api_key",
        type_="authentication_error",
    )


def _authenticate(request: HttpRequest) -> GatewayCaller | JsonResponse:
    """The caller for a valid `Authorization: Bearer sgw_…`, else an OpenAI-style 401.

    One query on every request (token not revoked, user active, still a member or an advisor
    with a live grant): nothing about the caller is cached, so revoking a token or removing a
    member stops the next request.
    """
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value.startswith(GATEWAY_TOKEN_PREFIX) or len(value) > 100:
        return _refused()
    now = timezone.now()
    caller = gateway_caller(hash_token(value), now=now)
    if caller is None:
        return _refused()
    if not caller.seen_recently:
        GatewayToken.objects.filter(pk=caller.token_id).update(last_used_at=now)
    return caller


def _read_json(request: HttpRequest):
    """The parsed JSON object of the body, or an OpenAI-style 400."""
    limit = _max_body()
    too_big = openai_error(
        400,
        f"リクエストが大きすぎます（{limit // (1024 * 1024)} MB まで）。 / Request body too large.",
        code="request_too_large",
    )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return too_big
    raw = request.read(limit + 1)
    if len(raw) > limit:
        return too_big
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return openai_error(400, "リクエストの本文が JSON として読めません。 / The body is not valid JSON.", code="invalid_json")
    if not isinstance(payload, dict):
        return openai_error(400, "リクエストの本文は JSON オブジェクトにしてください。 / The body must be a JSON object.", code="invalid_json")
    return payload


def _validate_chat(payload: dict):
    model = payload.get("model")
    if not isinstance(model, str) or not model.strip() or len(model) > 200:
        return openai_error(400, "model（モデル名）を文字列で指定してください。 / 'model' must be a string.", code="invalid_model", param="model")
    messages = payload.get("messages")
    if not isinstance(messages, list) or not messages:
        return openai_error(400, "messages を1件以上の配列で指定してください。 / 'messages' must be a non-empty array.", code="invalid_messages", param="messages")
    if len(messages) > 10_000:
        return openai_error(400, "messages が多すぎます。 / Too many messages.", code="invalid_messages", param="messages")
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            return openai_error(400, f"messages[{index}] には role（文字列）が必要です。 / messages[{index}] needs a string 'role'.", code="invalid_messages", param=f"messages[{index}]")
        content = message.get("content")
        if content is None and (message.get("tool_calls") or message.get("role") == "assistant"):
            continue
        if isinstance(content, list):
            if not all(isinstance(part, dict) and isinstance(part.get("type"), str) for part in content):
                return openai_error(400, f"messages[{index}].content の要素の形式が正しくありません。 / Invalid content parts in messages[{index}].", code="invalid_messages", param=f"messages[{index}].content")
            if any(part["type"] == "text" and not isinstance(part.get("text"), str) for part in content):
                return openai_error(400, f"messages[{index}].content の text は文字列にしてください。 / Text parts need a string 'text'.", code="invalid_messages", param=f"messages[{index}].content")
        elif not isinstance(content, str):
            return openai_error(400, f"messages[{index}].content は文字列か配列にしてください。 / messages[{index}].content must be a string or an array.", code="invalid_messages", param=f"messages[{index}].content")
    if "stream" in payload and not isinstance(payload["stream"], bool):
        return openai_error(400, "stream は true か false にしてください。 / 'stream' must be a boolean.", code="invalid_stream", param="stream")
    return None


@dataclass
class ChatOutcome:
    """What the gateway answers for one non-streamed chat call: HTTP status, OpenAI-style body, extra headers."""

    status: int
    body: dict
    headers: dict[str, str] = field(default_factory=dict)
    blocked_types: list[str] = field(default_factory=list)  # what the policy refused to send (types, not values)

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def error_code(self) -> str:
        error = self.body.get("error") if isinstance(self.body, dict) else None
        return str(error.get("code") or "") if isinstance(error, dict) else ""

    def answer_text(self) -> str:
        """The first choice's message, as the caller receives it (placeholders already put back)."""
        for choice in self.body.get("choices") or []:
            message = choice.get("message") if isinstance(choice, dict) else None
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                return message["content"]
        return ""


def _error(status: int, message: str, *, code: str, type_: str = "invalid_request_error", param: str | None = None) -> ChatOutcome:
    return ChatOutcome(status, {"error": {"message": message, "type": type_, "param": param, "code": code}})


def _response(outcome: ChatOutcome) -> JsonResponse:
    response = JsonResponse(outcome.body, status=outcome.status, json_dumps_params={"ensure_ascii": False})
    for name, value in outcome.headers.items():
        response[name] = value
    return response


def _not_configured() -> ChatOutcome:
    return _error(
        503,
        "AIゲートウェイの接続先が設定されていません。組織のオーナーに設定を依頼してください。 / The gateway has no upstream configured.",
        code="upstream_not_configured",
        type_="server_error",
    )


def _timeout_error() -> ChatOutcome:
    return _error(504, f"接続先のAIサービスが {_timeout():g} 秒以内に応答しませんでした。時間をおいて再度お試しください。 / The upstream did not answer in time.", code="upstream_timeout", type_="server_error")


def _bad_upstream(detail: str = "") -> ChatOutcome:
    return _error(502, "接続先のAIサービスから正しい応答がありませんでした。 / The upstream returned an invalid response.", code="upstream_invalid_response", type_="server_error")


def _upstream_headers(upstream) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Accept-Encoding": "identity"}
    if upstream.api_key:
        headers["Authorization"] = f"Bearer {upstream.api_key}"
    return headers


# --- /v1/chat/completions ---------------------------------------------------------------------------


# Optional request headers tagging a call with the use case it serves (sonae.catalog.use_cases) and the
# department making it; stored in the usage log (ids only, never text) for 活用状況 by department.
USE_CASE_HEADER = "HTTP_X_SONAE_USE_CASE"
DEPARTMENT_HEADER = "HTTP_X_SONAE_DEPARTMENT"


@dataclass(frozen=True)
class UsageTags:
    use_case: str = ""
    department: str = ""


def usage_tags(use_case: str = "", department: str = "") -> UsageTags:
    """Tags kept only when they name a use case and a department of the catalogue (anything else is dropped)."""
    from sonae.catalog.use_cases import load_use_cases

    catalogue = load_use_cases()
    use_case = use_case.strip()[:64] if isinstance(use_case, str) else ""
    department = department.strip()[:32] if isinstance(department, str) else ""
    return UsageTags(use_case if use_case and catalogue.get(use_case) else "",
                     department if department and catalogue.department(department) else "")


@dataclass
class _Prepared:
    """A checked, masked request ready to go upstream, and how to log it."""

    org_id: int
    upstream: object
    outcome: object  # masking.MaskOutcome
    body: bytes
    url: str
    kind: str
    headers: dict[str, str]
    record: object  # (kind, *, status, prompt_tokens=0, completion_tokens=0, estimated=False) -> None


def _prepare(org_id: int, user_id: int, payload: dict, tags: UsageTags, started: float) -> _Prepared | ChatOutcome:
    """Policy, allow-list and masking for one call; a refusal (logged where the policy blocked) as a ChatOutcome."""
    effective, upstream = gateway_config_for(org_id)
    store_text = effective.stored.log_prompt_text
    model = payload["model"]
    if upstream is None:
        return _not_configured()
    if upstream.allowed_models and model not in upstream.allowed_models:
        return _error(
            400,
            f"このモデルは組織で許可されていません: {model[:100]}（使えるモデル: {', '.join(upstream.allowed_models)}） / Model not allowed.",
            code="model_not_allowed",
            param="model",
        )
    try:
        outcome = mask_messages(payload["messages"], effective.policy)
    except TextScanError as exc:
        return _error(400, f"{exc.ja} / {exc.en}", code="invalid_messages", param="messages")

    def record(kind: str, *, status: int, prompt_tokens: int = 0, completion_tokens: int = 0, estimated: bool = False) -> None:
        gateway_usage_record(
            org_id=org_id, user_id=user_id, outcome=kind, found=outcome.found, model=model,
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, tokens_estimated=estimated, status_code=status,
            duration_ms=int((time.perf_counter() - started) * 1000), prompt_text=outcome.sent_text, store_text=store_text,
            use_case=tags.use_case, department=tags.department,
        )

    if outcome.blocked:
        record(AiUsage.Outcome.BLOCKED, status=400)
        refused = _error(
            400,
            f"送信を止めました。入力に組織のルールで送ってはいけない情報が含まれています: {_labels(outcome.blocked_types)}。"
            f"該当する部分を削除してから送り直してください。 / Blocked by your organisation's AI policy: "
            f"{', '.join(outcome.blocked_types)}.",
            code="blocked_by_policy",
            param="messages",
        )
        refused.blocked_types = list(outcome.blocked_types)
        return refused
    kind = AiUsage.Outcome.MASKED if outcome.mapping else AiUsage.Outcome.WARNED if outcome.warned_types else AiUsage.Outcome.SENT
    extra_headers = {}
    if outcome.warned_types:
        extra_headers["X-Sonae-Warnings"] = ",".join(outcome.warned_types)
    if outcome.masked_types:
        extra_headers["X-Sonae-Masked"] = ",".join(outcome.masked_types)
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return _Prepared(org_id, upstream, outcome, body, upstream.base_url + "/chat/completions", kind, extra_headers, record)


def _send(prepared: _Prepared) -> ChatOutcome:
    """The non-streamed upstream call: post, check the answer, put placeholders back, log once."""
    upstream, outcome, record, extra_headers = prepared.upstream, prepared.outcome, prepared.record, prepared.headers
    try:
        response = _http().post(prepared.url, content=prepared.body, headers=_upstream_headers(upstream), timeout=_request_timeout())
    except httpx.TimeoutException:
        record(AiUsage.Outcome.ERROR, status=504)
        return _timeout_error()
    except httpx.HTTPError as exc:
        log.warning("gateway upstream error for org %s: %s", prepared.org_id, type(exc).__name__)
        record(AiUsage.Outcome.ERROR, status=502)
        return _bad_upstream()
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if response.status_code != 200:
        record(AiUsage.Outcome.ERROR, status=response.status_code)
        if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
            # The provider's own error (quota, bad model...) helps the caller; it never contains our key.
            result = ChatOutcome(response.status_code if 400 <= response.status_code < 600 else 502, answer)
        else:
            result = _bad_upstream()
        result.headers.update(extra_headers)
        return result
    if not isinstance(answer, dict) or not isinstance(answer.get("choices"), list):
        record(AiUsage.Outcome.ERROR, status=502)
        return _bad_upstream()
    completion_text = _restore_answer(answer, outcome.mapping)
    usage = answer.get("usage") if isinstance(answer.get("usage"), dict) else {}
    prompt_tokens, completion_tokens = usage.get("prompt_tokens"), usage.get("completion_tokens")
    estimated = not (isinstance(prompt_tokens, int) and isinstance(completion_tokens, int))
    if estimated:
        prompt_tokens, completion_tokens = estimate_tokens(0, outcome.sent_text), estimate_tokens(0, completion_text)
    record(prepared.kind, status=200, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, estimated=estimated)
    return ChatOutcome(200, answer, dict(extra_headers))


def complete_chat(*, org_id: int, user_id: int, model: str, messages: list, tags: UsageTags = UsageTags()) -> ChatOutcome:
    """One non-streamed chat call through the gateway's own code path, for callers inside sonae (the rules
    Q&A): the organisation's policy, allow-list, masking, upstream and usage log apply exactly as for
    /v1/chat/completions, without an HTTP round trip to ourselves. `messages` is sent as given (copied)."""
    payload = {"model": model, "messages": json.loads(json.dumps(messages, ensure_ascii=False))}
    started = time.perf_counter()
    prepared = _prepare(org_id, user_id, payload, tags, started)
    if isinstance(prepared, ChatOutcome):
        return prepared
    return _send(prepared)


@csrf_exempt
def chat_completions(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return openai_error(405, "POST で送ってください。 / Use POST.", code="method_not_allowed")
    auth = _authenticate(request)
    if isinstance(auth, HttpResponse):
        return auth
    caller = auth
    payload = _read_json(request)
    if isinstance(payload, HttpResponse):
        return payload
    invalid = _validate_chat(payload)
    if invalid:
        return invalid
    started = time.perf_counter()
    tags = UsageTags()
    if request.META.get(USE_CASE_HEADER) or request.META.get(DEPARTMENT_HEADER):
        tags = usage_tags(request.META.get(USE_CASE_HEADER, ""), request.META.get(DEPARTMENT_HEADER, ""))
    prepared = _prepare(caller.org_id, caller.user_id, payload, tags, started)
    if isinstance(prepared, ChatOutcome):
        return _response(prepared)
    if payload.get("stream"):
        return _stream(prepared, estimate_tokens(0, prepared.outcome.sent_text))
    return _response(_send(prepared))


def _restore_answer(answer: dict, mapping: dict[str, str]) -> str:
    """Put placeholders back in every choice (content and tool-call arguments); return the text."""
    texts: list[str] = []
    for choice in answer["choices"]:
        message = choice.get("message") if isinstance(choice, dict) else None
        if not isinstance(message, dict):
            continue
        if isinstance(message.get("content"), str):
            message["content"] = unmask(message["content"], mapping)
            texts.append(message["content"])
        for call in message.get("tool_calls") or []:
            function = call.get("function") if isinstance(call, dict) else None
            if isinstance(function, dict) and isinstance(function.get("arguments"), str):
                function["arguments"] = unmask(function["arguments"], mapping)
    return "".join(texts)


def _stream(prepared: _Prepared, estimated_prompt: int) -> HttpResponse:
    upstream, outcome, record, kind, extra_headers = (
        prepared.upstream, prepared.outcome, prepared.record, prepared.kind, prepared.headers)
    client = _http()
    try:
        request = client.build_request("POST", prepared.url, content=prepared.body, headers=_upstream_headers(upstream), timeout=_request_timeout())
        response = client.send(request, stream=True)
    except httpx.TimeoutException:
        record(AiUsage.Outcome.ERROR, status=504)
        return _response(_timeout_error())
    except httpx.HTTPError:
        record(AiUsage.Outcome.ERROR, status=502)
        return _response(_bad_upstream())
    if response.status_code != 200:
        try:
            response.read()
            answer = response.json()
        except (ValueError, httpx.HTTPError):
            answer = None
        finally:
            response.close()
        record(AiUsage.Outcome.ERROR, status=response.status_code)
        if isinstance(answer, dict) and isinstance(answer.get("error"), dict):
            return JsonResponse(answer, status=response.status_code if 400 <= response.status_code < 600 else 502, json_dumps_params={"ensure_ascii": False})
        return _response(_bad_upstream())
    content_type = response.headers.get("content-type", "")
    if "text/event-stream" not in content_type:
        response.close()
        record(AiUsage.Outcome.ERROR, status=502)
        return _response(_bad_upstream())

    streaming = StreamingHttpResponse(_relay(response, outcome, record, kind, estimated_prompt), content_type="text/event-stream; charset=utf-8")
    streaming["Cache-Control"] = "no-cache"
    streaming["X-Accel-Buffering"] = "no"
    for name, value in extra_headers.items():
        streaming[name] = value
    return streaming


def _sse(data: str) -> bytes:
    return f"data: {data}\n\n".encode("utf-8")


def _relay(response: httpx.Response, outcome, record, kind, estimated_prompt):
    """Forward SSE events, restoring placeholders per choice; log once at the end."""
    restorers: dict[int, StreamRestorer] = {}
    usage: dict = {}
    completion_chars: list[str] = []
    last_meta: dict = {}
    status, final_kind = 200, kind
    mapping = outcome.mapping

    def restorer(index: int) -> StreamRestorer:
        if index not in restorers:
            restorers[index] = StreamRestorer(mapping)
        return restorers[index]

    def leftovers():
        for index, rest in sorted(restorers.items()):
            text = rest.flush()
            if text:
                chunk = {**last_meta, "object": "chat.completion.chunk", "choices": [{"index": index, "delta": {"content": text}, "finish_reason": None}]}
                yield _sse(json.dumps(chunk, ensure_ascii=False))

    try:
        for line in response.iter_lines():
            if not line.startswith("data:"):
                if line and not line.startswith(":"):
                    yield (line + "\n").encode("utf-8")
                continue
            data = line[5:].strip()
            if data == "[DONE]":
                yield from leftovers()
                yield _sse("[DONE]")
                continue
            try:
                chunk = json.loads(data)
            except ValueError:
                chunk = None
            if not isinstance(chunk, dict):
                status, final_kind = 502, AiUsage.Outcome.ERROR
                yield _sse(json.dumps({"error": {"message": "接続先のAIサービスから正しくない応答が届いたため中断しました。 / The upstream sent an invalid event.", "type": "server_error", "param": None, "code": "upstream_invalid_response"}}, ensure_ascii=False))
                return
            if isinstance(chunk.get("usage"), dict):
                usage = chunk["usage"]
            last_meta = {k: chunk[k] for k in ("id", "created", "model") if k in chunk}
            for choice in chunk.get("choices") or []:
                if not isinstance(choice, dict):
                    continue
                delta = choice.get("delta")
                if not isinstance(delta, dict):
                    continue
                content = delta.get("content")
                index = choice.get("index") if isinstance(choice.get("index"), int) else 0
                if isinstance(content, str):
                    completion_chars.append(content)
                    if mapping:
                        delta["content"] = restorer(index).feed(content)
                if mapping and choice.get("finish_reason") and index in restorers:
                    delta["content"] = (delta.get("content") or "") + restorers[index].flush()
            yield _sse(json.dumps(chunk, ensure_ascii=False)) if mapping or usage else _sse(data)
        yield from leftovers()
    except httpx.TimeoutException:
        status, final_kind = 504, AiUsage.Outcome.ERROR
        yield _sse(json.dumps({"error": {"message": "接続先のAIサービスの応答が途中で止まりました。 / The upstream stopped answering.", "type": "server_error", "param": None, "code": "upstream_timeout"}}, ensure_ascii=False))
    except httpx.HTTPError:
        status, final_kind = 502, AiUsage.Outcome.ERROR
        yield _sse(json.dumps({"error": {"message": "接続先のAIサービスとの接続が切れました。 / The upstream connection broke.", "type": "server_error", "param": None, "code": "upstream_invalid_response"}}, ensure_ascii=False))
    finally:
        response.close()
        prompt_tokens, completion_tokens = usage.get("prompt_tokens"), usage.get("completion_tokens")
        estimated = not (isinstance(prompt_tokens, int) and isinstance(completion_tokens, int))
        if estimated:
            prompt_tokens, completion_tokens = estimated_prompt, estimate_tokens(0, "".join(completion_chars))
        try:
            record(final_kind, status=status, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, estimated=estimated)
        except Exception:  # the caller already has the answer; a failed log line must not break it
            log.exception("could not record gateway usage")


# --- /v1/models --------------------------------------------------------------------------------------


@csrf_exempt
def models(request: HttpRequest) -> HttpResponse:
    if request.method != "GET":
        return openai_error(405, "GET で送ってください。 / Use GET.", code="method_not_allowed")
    auth = _authenticate(request)
    if isinstance(auth, HttpResponse):
        return auth
    _effective, upstream = gateway_config_for(auth.org_id)
    if upstream is None:
        return _response(_not_configured())
    if upstream.allowed_models:
        return JsonResponse({"object": "list", "data": [{"id": m, "object": "model", "created": 0, "owned_by": "organisation"} for m in upstream.allowed_models]})
    try:
        response = _http().get(upstream.base_url + "/models", headers=_upstream_headers(upstream), timeout=_request_timeout())
    except httpx.TimeoutException:
        return _response(_timeout_error())
    except httpx.HTTPError:
        return _response(_bad_upstream())
    try:
        answer = response.json()
    except ValueError:
        return _response(_bad_upstream())
    if response.status_code != 200 or not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        return _response(_bad_upstream())
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})
