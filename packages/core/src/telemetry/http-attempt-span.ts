import { SpanKind, SpanStatusCode, type Attributes, type Span } from '@opentelemetry/api';
import type { CallScope } from './call-scope.js';
import { routeTemplate } from './route-template.js';

/** What one HTTP attempt reports when it ends. */
export interface AttemptEnd {
  /** The response status, when there was a response. */
  readonly status?: number | undefined;
  /** `http_503`, `ECONNRESET`, `timeout`…: the attempt failed. */
  readonly errorCode?: string | undefined;
}

/** Ends an attempt's span and records its duration. */
export type EndAttempt = (end: AttemptEnd) => void;

/**
 * Starts the client span of one provider HTTP attempt (HTTP client semantic
 * conventions; the path as a template, never the URL, its query or a body) and
 * returns what ends it. No scope (the adapter passed no call logger from core):
 * nothing is recorded.
 */
export function startAttemptSpan(
  scope: CallScope | undefined,
  request: { readonly method: string; readonly host: string; readonly pathname: string; readonly attempt: number },
): EndAttempt | undefined {
  if (scope === undefined) return undefined;
  const { instruments, provider, operation } = scope;
  const template = routeTemplate(request.pathname);
  const span = instruments.tracer.startSpan(`${request.method} ${template}`, { kind: SpanKind.CLIENT });
  if (span.isRecording()) {
    span.setAttributes({
      'http.request.method': request.method,
      'server.address': request.host,
      'url.template': template,
      'openkyc.provider': provider,
      'openkyc.operation': operation,
      ...(request.attempt > 1 ? { 'http.request.resend_count': request.attempt - 1 } : {}),
    });
  }
  const started = performance.now();
  return (end) => {
    const attributes: Attributes = { 'openkyc.provider': provider, 'openkyc.operation': operation, 'http.request.method': request.method };
    if (end.status !== undefined) attributes['http.response.status_code'] = end.status;
    if (end.errorCode !== undefined) attributes['error.type'] = end.errorCode;
    instruments.providerDuration.record((performance.now() - started) / 1000, attributes);
    finish(span, attributes, end.errorCode);
  };
}

function finish(span: Span, attributes: Attributes, errorCode: string | undefined): void {
  if (span.isRecording()) {
    if (attributes['http.response.status_code'] !== undefined) span.setAttribute('http.response.status_code', attributes['http.response.status_code']);
    if (errorCode !== undefined) {
      span.setAttribute('error.type', errorCode);
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  span.end();
}
