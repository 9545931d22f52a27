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
  | 'DD_SESSION_INVALID';

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
