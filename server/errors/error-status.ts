import type { ErrorBody } from '../../shared/api.ts';
import type { DrydockErrorCode } from './drydock-error.ts';

/** The one place error codes become HTTP statuses; anything unlisted is a 500. */
const STATUS: Partial<Record<DrydockErrorCode, number>> = {
  DD_BAD_REQUEST: 400,
  DD_SESSION_INVALID: 400,
  DD_PROTOCOL_INVALID: 400,
  DD_SESSION_TOKEN_MISSING: 401,
  DD_ORIGIN_REFUSED: 403,
  DD_HOOKS_SENDER_UNKNOWN: 403,
  DD_ROUTE_NOT_FOUND: 404,
  DD_LAB_NOT_FOUND: 404,
  DD_SESSION_NOT_FOUND: 404,
  DD_HOST_UNKNOWN: 404,
  DD_REQUEST_TIMEOUT: 408,
  DD_SESSION_BUSY: 409,
  DD_INPUT_BACKLOG: 429,
  DD_INPUT_FLOOD: 429,
  DD_SESSION_EXTEND_LIMIT: 409,
  DD_SESSION_ENDED: 410,
  DD_PROTOCOL_TOO_LARGE: 413,
  DD_SESSION_LIMIT: 429,
  DD_HOOKS_RATE_LIMITED: 429,
  DD_HEADERS_TOO_LARGE: 431,
  DD_PORT_UNREACHABLE: 502,
  DD_PORT_REDIRECT_REFUSED: 502,
  DD_ENGINE_UNREACHABLE: 503,
  DD_SANDBOX_CAPACITY: 503,
  DD_HOST_NOT_READY: 503,
  DD_HOOKS_INBOX_FULL: 503,
};

export function statusOf(code: DrydockErrorCode): number {
  return STATUS[code] ?? 500;
}

export function errorBody(code: string, message: string): ErrorBody {
  return { error: { code, message } };
}
