/**
 * Progress of the long commands (synth, build, check, report, plan-review), on standard error:
 *   - on a terminal: one line, redrawn in place, with done/total tenants, rate and time left;
 *   - otherwise (a pipe, a log file, or CI set): a plain line every RAS_PROGRESS_INTERVAL_MS
 *     (default 5 s), so a short run prints none and a CI log gets one line every few seconds;
 *   - nothing at all with --quiet, and nothing unless a command turned it on (library callers and
 *     worker threads never print).
 * Standard output is never touched. Work counted on other threads is read through `read` (a shared
 * counter), polled by the main thread between its own chunks and while it waits (parallel/pool.ts).
 */

type Mode = 'off' | 'redraw' | 'lines';

interface Phase {
  readonly label: string;
  /** Tenants to do; 0 when unknown (only the time spent is shown). */
  readonly total: number;
  readonly read?: () => number;
  counted: number;
  readonly started: number;
  lastShown: number;
  shown: boolean;
}

interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const REDRAW_MS = 250;
const DEFAULT_LINE_INTERVAL_MS = 5000;

let mode: Mode = 'off';
let out: Stream = process.stderr;
let prefix = 'ras';
let lineInterval = DEFAULT_LINE_INTERVAL_MS;
let current: Phase | undefined;

/** Turns progress on for a command (`ras <command>: ...`), or off with `quiet`. */
export function configureProgress(command: string, quiet: boolean, stream: Stream = process.stderr, env: NodeJS.ProcessEnv = process.env): void {
  endPhase();
  prefix = `ras ${command}`;
  out = stream;
  const ci = env.CI !== undefined && env.CI !== '' && env.CI !== '0' && env.CI.toLowerCase() !== 'false';
  mode = quiet ? 'off' : stream.isTTY === true && !ci ? 'redraw' : 'lines';
  lineInterval = intervalOf(env.RAS_PROGRESS_INTERVAL_MS);
}

function intervalOf(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_LINE_INTERVAL_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`RAS_PROGRESS_INTERVAL_MS must be a whole number of milliseconds >= 1 (got ${JSON.stringify(value)})`);
  return n;
}

/**
 * Starts a step of `total` tenants (0: unknown), ending the previous one. Its count is `read()`
 * when given (a counter other threads add to), else what advance() added.
 */
export function startPhase(label: string, total = 0, read?: () => number): void {
  endPhase();
  if (mode === 'off') return;
  const now = Date.now();
  current = { label, total, read, counted: 0, started: now, lastShown: now, shown: false };
  if (mode === 'redraw') show(current, now);
}

/** Counts `n` tenants done on this thread, and shows progress if it is time. */
export function advance(n = 1): void {
  if (current === undefined) return;
  current.counted += n;
  pollProgress();
}

/** Shows progress if it is time (cheap: called between chunks and every slice of a wait). */
export function pollProgress(): void {
  const phase = current;
  if (phase === undefined) return;
  const now = Date.now();
  if (now - phase.lastShown < (mode === 'redraw' ? REDRAW_MS : lineInterval)) return;
  show(phase, now);
}

/** Ends the current step: a redrawn line is cleared; in line mode a step that showed progress gets a last line. */
export function endPhase(): void {
  const phase = current;
  current = undefined;
  if (phase === undefined) return;
  if (mode === 'redraw') out.write('\r\x1b[K');
  else if (phase.shown) out.write(`${prefix}: ${phase.label}: ${countOf(phase)}done in ${seconds(Date.now() - phase.started)}\n`);
}

function show(phase: Phase, now: number): void {
  phase.lastShown = now;
  phase.shown = true;
  const line = `${prefix}: ${phase.label}: ${describe(phase, now)}`;
  if (mode === 'lines') {
    out.write(`${line}\n`);
    return;
  }
  const width = (out.columns ?? 80) - 1;
  out.write(`\r${line.length > width ? line.slice(0, width) : line}\x1b[K`);
}

function done(phase: Phase): number {
  return Math.min(phase.read?.() ?? phase.counted, phase.total > 0 ? phase.total : Infinity);
}

function countOf(phase: Phase): string {
  return phase.total > 0 ? `${done(phase)}/${phase.total} tenants, ` : '';
}

/** `1200/3000 tenants (40%), 85 tenants/s, about 21 s left, 14 s so far`. */
function describe(phase: Phase, now: number): string {
  const elapsed = now - phase.started;
  if (phase.total === 0) return `${seconds(elapsed)} so far`;
  const n = done(phase);
  const parts = [`${n}/${phase.total} tenants (${Math.floor((100 * n) / phase.total)}%)`];
  if (n > 0 && elapsed > 0) {
    const rate = n / (elapsed / 1000);
    parts.push(`${rate >= 10 ? Math.round(rate) : rate.toFixed(1)} tenants/s`, `about ${seconds(((phase.total - n) / rate) * 1000)} left`);
  }
  parts.push(`${seconds(elapsed)} so far`);
  return parts.join(', ');
}

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}
