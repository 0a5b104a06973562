import { duration, wholeNumber } from '../parsers';
import { setting, type Section } from '../setting';

/** The run-step queue (pg-boss, in the same database) and its sweeps. */
export const executionSettings = {
  concurrency: setting('WORKER_CONCURRENCY', wholeNumber(1, 100), { default: '4', doc: 'run steps one process works on at once' }),
  sweepIntervalMs: setting('EXPIRY_SWEEP_INTERVAL', duration, { default: '1m', doc: 'how often pending requests expire and reminders go out' }),
  livenessIntervalMs: setting('LIVENESS_SWEEP_INTERVAL', duration, { default: '5s', doc: 'how often runs whose worker stopped beating its lease go back to the queue' }),
  jobExpiryMarginMs: setting('JOB_EXPIRY_MARGIN', duration, { default: '1m', doc: "a step job whose worker died is delivered again after its calls' timeouts plus this" }),
} satisfies Section;
