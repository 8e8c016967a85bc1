/**
 * The one catalogue of error codes Gureum answers with. Each code is stable (clients match
 * on it) and carries the HTTP status the API maps it to. The domain throws codes, never
 * statuses; the HTTP layer looks the status up here.
 */
export const errorCatalog = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  PARAMETER_INVALID: 400,
  REPLICAS_INVALID: 400,
  IMAGE_LOAD_FAILED: 400,
  /** An image upload with more layers than GUREUM_IMAGE_MAX_LAYERS. */
  IMAGE_TOO_MANY_LAYERS: 400,
  METRIC_QUERY_INVALID: 400,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  QUOTA_EXCEEDED: 403,
  READ_ONLY_TOKEN: 403,
  POLICY_VIOLATION: 403,
  CSRF_FAILED: 403,
  /** The current password given to change one is wrong (the caller is still logged in: not 401). */
  PASSWORD_INCORRECT: 403,
  ROUTE_NOT_FOUND: 404,
  PROJECT_NOT_FOUND: 404,
  APP_NOT_FOUND: 404,
  INSTANCE_NOT_FOUND: 404,
  VOLUME_NOT_FOUND: 404,
  IMAGE_NOT_FOUND: 404,
  REPLICA_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  MEMBER_NOT_FOUND: 404,
  SECRET_NOT_FOUND: 404,
  COMPONENT_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  ALERT_NOT_FOUND: 404,
  AUTOSCALE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PROJECT_EXISTS: 409,
  APP_EXISTS: 409,
  INSTANCE_EXISTS: 409,
  VOLUME_EXISTS: 409,
  USER_EXISTS: 409,
  SECRET_IN_USE: 409,
  LAST_OWNER: 409,
  ALERT_EXISTS: 409,
  AUTOSCALE_NEEDS_CPU_LIMIT: 409,
  AUTOSCALE_NEEDS_MEMORY_LIMIT: 409,

  PROJECT_NOT_EMPTY: 409,
  APP_IN_USE: 409,
  IMAGE_IN_USE: 409,
  VOLUME_IN_USE: 409,
  PORT_CONFLICT: 409,
  INSTANCE_NOT_RUNNING: 409,
  PAYLOAD_TOO_LARGE: 413,
  /** An image upload that expands past GUREUM_IMAGE_MAX_BYTES, or more than GUREUM_IMAGE_MAX_EXPANSION times its size. */
  IMAGE_TOO_LARGE: 413,
  /** A path parameter longer than any id the API has (the path is refused before routing). */
  URI_TOO_LONG: 414,
  /** A WebSocket route (the terminal) fetched as plain HTTP, without `Upgrade: websocket`. */
  UPGRADE_REQUIRED: 426,
  TOO_MANY_ATTEMPTS: 429,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IMAGE_PULL_FAILED: 502,
  ENGINE_UNAVAILABLE: 503,
  NOT_READY: 503,
  /** A live stream (events, followed logs) ended because the server stops (the stream's last message). */
  SERVER_SHUTTING_DOWN: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorCatalog;

export function statusOf(code: ErrorCode): number {
  return errorCatalog[code];
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalog, value);
}
