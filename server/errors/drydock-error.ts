/**
 * Errors that reach a user (an operator, an instructor, a learner) carry a stable code and a
 * message that says what to do. Transports map codes to statuses in one place.
 */
export type DrydockErrorCode =
  | 'DD_CONFIG_INVALID'
  | 'DD_ENGINE_UNREACHABLE'
  | 'DD_IMAGE_MISSING'
  | 'DD_IMAGE_BUILD_FAILED'
  | 'DD_MIRROR_FAILED'
  | 'DD_SANDBOX_CAPACITY'
  | 'DD_HOST_NOT_READY'
  | 'DD_HOST_UNKNOWN'
  | 'DD_SESSION_INVALID'
  | 'DD_SANDBOX_FIREWALL'
  | 'DD_OWNER_IN_USE'
  | 'DD_ISOLATION_UNAVAILABLE'
  | 'DD_CLUSTER_NODE'
  | 'DD_CLUSTER_NOT_MANAGER'
  // Sessions, the HTTP API and the WebSocket protocol (server/sessions, server/http, server/ws):
  | 'DD_BAD_REQUEST'
  | 'DD_ROUTE_NOT_FOUND'
  | 'DD_LAB_NOT_FOUND'
  | 'DD_SESSION_NOT_FOUND'
  | 'DD_SESSION_TOKEN_MISSING'
  | 'DD_SESSION_LIMIT'
  | 'DD_SESSION_BUSY'
  | 'DD_INPUT_BACKLOG'
  | 'DD_INPUT_FLOOD'
  | 'DD_SESSION_ENDED'
  | 'DD_SESSION_EXTEND_LIMIT'
  | 'DD_ORIGIN_REFUSED'
  | 'DD_CROSS_SITE'
  | 'DD_COOKIE_CONFLICT'
  | 'DD_PORT_MOVED'
  | 'DD_PORT_UNREACHABLE'
  | 'DD_PORT_REDIRECT_REFUSED'
  | 'DD_PROTOCOL_INVALID'
  | 'DD_PROTOCOL_TOO_LARGE'
  | 'DD_HEADERS_TOO_LARGE'
  | 'DD_REQUEST_TIMEOUT'
  // The webhook receiver (server/http/webhook-receiver.ts):
  | 'DD_HOOKS_SENDER_UNKNOWN'
  | 'DD_HOOKS_RATE_LIMITED'
  | 'DD_HOOKS_INBOX_FULL'
  // The store (server/store): refused at start-up, the file left as it is.
  | 'DD_STORE_DIR_NOT_EMPTY'
  | 'DD_STORE_CORRUPT'
  | 'DD_STORE_NEWER'
  // Classes and instructors (server/classes, server/instructors):
  | 'DD_INSTRUCTOR_SIGN_IN'
  | 'DD_INSTRUCTOR_SECRET_WRONG'
  | 'DD_GUESS_RATE_LIMITED'
  | 'DD_CLASS_NOT_FOUND'
  | 'DD_CLASS_CODE_UNKNOWN'
  | 'DD_CLASS_JOINING_CLOSED'
  | 'DD_CLASS_NOT_OPEN'
  | 'DD_CLASS_FULL'
  | 'DD_LEARNER_NOT_IN_CLASS'
  | 'DD_LEARNER_NO_SESSION'
  | 'DD_INTERNAL';

export class DrydockError extends Error {
  override readonly name = 'DrydockError';
  constructor(
    readonly code: DrydockErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
