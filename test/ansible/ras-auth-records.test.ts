/**
 * The gateway's attempt recorder (ansible/roles/strongswan/files/ras-auth-records) over charon
 * log lines (test/fixtures/charon-attempts.log: charon 5.9.8 message wording with ike_name = yes,
 * each line prefixed with a +09:00 time stamp as rsyslog hands it over): one record per attempt,
 * with the reason of the fixed vocabulary. The fixture is written from charon's messages, not yet
 * replaced by lines recorded in the end-to-end run.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PROGRAM = join(__dirname, '..', '..', 'ansible', 'roles', 'strongswan', 'files', 'ras-auth-records');
const RECORDED = readFileSync(join(__dirname, '..', 'fixtures', 'charon-attempts.log'), 'utf8');

function records(input: string): Record<string, string>[] {
  const r = spawnSync('python3', [PROGRAM, '--stdout'], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const rec: Record<string, string> = {};
      for (const m of l.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) rec[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
      return rec;
    });
}

describe('ras-auth-records', () => {
  const all = records(RECORDED);

  test('one record per attempt: refused ones with their reason, established ones as success', () => {
    expect(all.map((r) => [r.ike_sa, r.outcome, r.reason ?? '', r.peer])).toEqual([
      ['1', 'refused', 'no-proposal', '198.51.100.13'],
      ['2', 'refused', 'auth-failed', '198.51.100.13'],
      ['3', 'refused', 'identity-not-allowed', '198.51.100.13'],
      ['4', 'success', '', '198.51.100.11'],
      ['5', 'refused', 'wrong-ca', '198.51.100.16'],
    ]);
  });

  test('a refused proposal names what the client offered', () => {
    const r = all.find((x) => x.reason === 'no-proposal');
    expect(r?.offered).toContain('IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
  });

  test('records carry JST time, peer port, claimed identity and the connection tried', () => {
    for (const r of all) expect(r.time).toMatch(/\+09:00$/);
    expect(all.find((x) => x.reason === 'auth-failed')).toEqual(expect.objectContaining({ identity: 'alice@sakura-trading.example', connection: 'eap-mschapv2', port: '4500' }));
    expect(all.find((x) => x.reason === 'identity-not-allowed')).toEqual(expect.objectContaining({ identity: 'mallory@sakura-trading.example' }));
  });

  test('an IKE_SA answered with INVALID_KE_PAYLOAD is not an attempt (the retry is)', () => {
    const lines = [
      '2026-11-27T23:07:02.000001+09:00 10[IKE] <7> 198.51.100.15 is initiating an IKE_SA',
      '2026-11-27T23:07:02.000002+09:00 10[IKE] <7> DH group MODP_1024 unacceptable, requesting MODP_2048',
      '2026-11-27T23:07:02.000003+09:00 10[IKE] <7> IKE_SA (unnamed)[7] state change: CONNECTING => DESTROYING',
    ];
    expect(records(lines.join('\n') + '\n')).toEqual([]);
  });

  test('a value with spaces or quotes is written as a JSON string, and a lone odd line is ignored', () => {
    const lines = [
      'garbage without structure',
      '2026-11-27T23:07:02.000001+09:00 10[IKE] <8> 198.51.100.20 is initiating an IKE_SA',
      '2026-11-27T23:07:02.000002+09:00 10[CFG] <8> looking for peer configs matching 198.51.100.1[%any]...198.51.100.20[C=JP, CN="x" y]',
      '2026-11-27T23:07:02.000003+09:00 10[JOB] <8> deleting half open IKE_SA with 198.51.100.20 after timeout',
      '2026-11-27T23:07:02.000004+09:00 10[IKE] <8> IKE_SA (unnamed)[8] state change: CONNECTING => DESTROYING',
    ];
    expect(records(lines.join('\n') + '\n')).toEqual([expect.objectContaining({ outcome: 'refused', reason: 'timeout', identity: 'C=JP, CN="x" y' })]);
  });
});
