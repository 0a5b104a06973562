import { StoreUnavailableError } from '../core/errors';

/** Socket errors of a server that is down, restarting or out of reach. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * SQLSTATEs of a server that cannot serve now: admin or crash shutdown, still starting up,
 * too many connections (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 * Class 08 (connection exception) is matched as a whole.
 */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether a driver error means the database was not there to answer, as opposed to refusing
 * the statement. Every answer of the server carries a SQLSTATE; node-postgres reports a wait
 * for a pooled connection past its timeout, and a connection cut mid-statement, as a plain
 * `Error` with no code, which counts as no answer too (a TypeError is a bug of ours, not an outage).
 */
export function unreachable(error: unknown): boolean {
  const code = codeOf(error);
  if (code === undefined) return error instanceof Error && error.constructor === Error;
  return NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code) || code.startsWith('08');
}

/** Same as {@link unreachable}, for errors the ORM converted: only their code tells, since MikroORM wraps every driver error alike. */
export function unreachableThroughOrm(error: unknown): boolean {
  return codeOf(error) !== undefined && unreachable(error);
}

/** The error a store method throws for `error`: a StoreUnavailableError when the database did not answer, else `error` itself. */
export function asStoreError(error: unknown, isUnreachable: (error: unknown) => boolean = unreachable): unknown {
  return isUnreachable(error) ? new StoreUnavailableError('the database did not answer', { code: codeOf(error) ?? null }, { cause: error }) : error;
}

/** The SQLSTATE or socket error code of a driver error, when it has one. */
export function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
