/**
 * The gateway-side programs that export what the fleet's rules judge, run for real: their output
 * passes `promtool check metrics` and carries exactly the metric names monitoring/metrics.ts gives
 * the rules. (The end-to-end test scrapes them from a converged gateway's node_exporter.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOG_STREAMS } from '../../commitments';
import { GATEWAY, IKE_ATTEMPTS } from '../../monitoring/metrics';

const ROLES = join(__dirname, '..', '..', 'ansible', 'roles');
const FIXTURES = join(__dirname, '..', 'fixtures');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-collectors-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function checkMetrics(text: string): void {
  const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect({ status: r.status, error: r.error?.message, out: r.stdout + r.stderr }).toEqual({ status: 0, error: undefined, out: '' });
}

const names = (text: string) => [...new Set([...text.matchAll(/^([a-z_:]+)[{ ]/gm)].map((m) => m[1]))].sort();

test('ras-gateway-metrics: a rotated file not yet shipped is counted with its age; shipped ones and other files are not', () => {
  const logs = join(dir, 'logs');
  mkdirSync(join(logs, '.shipped'), { recursive: true });
  const config = join(dir, 'logs.json');
  writeFileSync(config, JSON.stringify({ logs_dir: logs, bucket: 'b', region: 'ap-northeast-1', streams: LOG_STREAMS.map((s) => ({ id: s.id, prefix: s.prefix })) }));
  const stream = LOG_STREAMS[0].id;
  const waiting = join(logs, `${stream}.log-20261129.gz`);
  writeFileSync(waiting, '');
  const fourHoursAgo = Date.now() / 1000 - 4 * 3600;
  utimesSync(waiting, fourHoursAgo, fourHoursAgo);
  writeFileSync(join(logs, `${stream}.log-20261128.gz`), '');
  writeFileSync(join(logs, '.shipped', `${stream}.log-20261128.gz`), '');
  writeFileSync(join(logs, `${stream}.log`), ''); // the live file is not shipped by design
  writeFileSync(join(logs, 'unknown-stream.log-20261129.gz'), '');
  const out = join(dir, 'textfile');
  mkdirSync(out);

  execFileSync('python3', [join(ROLES, 'monitoring', 'files', 'ras-gateway-metrics'), out], { env: { ...process.env, RAS_LOGS_CONFIG: config } });
  const text = readFileSync(join(out, 'ras_gateway.prom'), 'utf8');
  checkMetrics(text);
  expect(text).toMatch(/^ras_logs_config_readable 1$/m);
  expect(text).toMatch(/^ras_logs_unshipped_files 1$/m);
  const age = Number(/^ras_logs_unshipped_oldest_age_seconds (\d+)$/m.exec(text)?.[1]);
  expect(age).toBeGreaterThanOrEqual(4 * 3600);
  expect(age).toBeLessThan(4 * 3600 + 60);
  // No chronyd answers on this machine: not synchronised, and no offset is made up.
  expect(text).toMatch(/^ras_chrony_synchronized 0$/m);
  expect(text).not.toMatch(/^ras_chrony_offset_seconds/m);
  expect(names(text)).toEqual([GATEWAY.clockSynchronized, GATEWAY.logsConfigReadable, GATEWAY.unshippedFiles, GATEWAY.unshippedOldestAge].sort());
});

test('ras-gateway-metrics: an unreadable log configuration is reported, not taken for "nothing to ship"', () => {
  execFileSync('python3', [join(ROLES, 'monitoring', 'files', 'ras-gateway-metrics'), dir], { env: { ...process.env, RAS_LOGS_CONFIG: join(dir, 'missing.json') } });
  expect(readFileSync(join(dir, 'ras_gateway.prom'), 'utf8')).toMatch(/^ras_logs_config_readable 0$/m);
});

test('ras-auth-records --metrics-dir: the counters equal the records written, by outcome and reason', () => {
  const feed = readFileSync(join(FIXTURES, 'charon-attempts.log'), 'utf8');
  const records = execFileSync('python3', [join(ROLES, 'strongswan', 'files', 'ras-auth-records'), '--stdout', '--metrics-dir', dir], { input: feed, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l !== '');
  const text = readFileSync(join(dir, 'ras_ike_attempts.prom'), 'utf8');
  checkMetrics(text);
  expect(names(text)).toEqual([IKE_ATTEMPTS]);
  const counted = new Map([...text.matchAll(/^ras_ike_attempts_total\{outcome="([a-z]+)",reason="([a-z-]+)"\} (\d+)$/gm)].map((m) => [`${m[1]}/${m[2]}`, Number(m[3])]));
  const expected = new Map<string, number>();
  for (const r of records) {
    const outcome = / outcome=(\S+)/.exec(r)![1];
    const key = `${outcome}/${/ reason=(\S+)/.exec(r)?.[1] ?? '-'}`;
    expected.set(key, (expected.get(key) ?? 0) + 1);
  }
  for (const [key, n] of expected) expect({ key, n: counted.get(key) }).toEqual({ key, n });
  expect([...counted.values()].reduce((a, b) => a + b, 0)).toBe(records.length);
  expect(counted.get('refused/other')).toBe(0); // every series exists from the start
});
