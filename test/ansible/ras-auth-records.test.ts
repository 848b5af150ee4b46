/**
 * The gateway's attempt recorder (ansible/roles/strongswan/files/ras-auth-records) over what
 * rsyslog really handed it in an end-to-end run (test/e2e/gateway.test.ts, strongSwan 5.9.8):
 *
 * - test/fixtures/charon-attempts.log: the feed, verbatim (charon's "daemon" syslog lines with
 *   ike_name = yes, prefixed with rsyslog's +09:00 receive time; the harness copy
 *   gateway-ras-auth-feed.log of test-results/gateway-e2e-logs/);
 * - test/fixtures/ras-auth-records.log: the ras-auth records the gateway wrote to its
 *   device-authentication stream in that run (the part after "ras-auth: ").
 *
 * Replaying the feed must give exactly those records, and they must cover every refusal reason
 * of the vocabulary (except "other") once, plus the established tunnels.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PROGRAM = join(__dirname, '..', '..', 'ansible', 'roles', 'strongswan', 'files', 'ras-auth-records');
const FIXTURES = join(__dirname, '..', 'fixtures');
const FEED = readFileSync(join(FIXTURES, 'charon-attempts.log'), 'utf8');
const WRITTEN = readFileSync(join(FIXTURES, 'ras-auth-records.log'), 'utf8');

function replay(input: string): string[] {
  const r = spawnSync('python3', [PROGRAM, '--stdout'], { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

function parse(line: string): Record<string, string> {
  const rec: Record<string, string> = {};
  for (const m of line.matchAll(/(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g)) rec[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  return rec;
}

describe('ras-auth-records', () => {
  const lines = replay(FEED);
  const all = lines.map(parse);
  const refused = (reason: string) => all.filter((r) => r.outcome === 'refused' && r.reason === reason);

  test('replaying the recorded feed gives exactly the records the gateway wrote in that run', () => {
    expect(lines).toEqual(WRITTEN.split('\n').filter((l) => l !== ''));
  });

  test('each refusal reason once, with the identity, connection and evidence charon gave', () => {
    expect(refused('no-proposal').length).toBeGreaterThanOrEqual(1);
    for (const reason of ['revoked', 'wrong-ca', 'identity-not-allowed', 'auth-failed', 'timeout']) expect({ reason, n: refused(reason).length }).toEqual({ reason, n: 1 });
    expect(refused('other')).toEqual([]);
    expect(refused('revoked')[0]).toEqual(expect.objectContaining({ identity: 'alice@sakura-trading.example', connection: expect.stringMatching(/^cert-/), detail: expect.stringMatching(/revoked/) }));
    expect(refused('wrong-ca')[0]).toEqual(expect.objectContaining({ identity: 'alice@sakura-trading.example', connection: expect.stringMatching(/^cert-/), detail: expect.stringMatching(/^no issuer certificate found/) }));
    // A certificate of a non-contract identity lands on the EAP connection and is refused on the method.
    expect(refused('identity-not-allowed')[0]).toEqual(expect.objectContaining({ identity: 'mallory@sakura-trading.example', connection: 'eap-mschapv2', detail: expect.stringMatching(/^constraint check failed/) }));
    expect(refused('auth-failed')[0]).toEqual(expect.objectContaining({ identity: 'alice@sakura-trading.example', ike_identity: expect.stringMatching(/^198\.51\.100\.\d+$/), connection: 'eap-mschapv2', port: '4500' }));
    expect(refused('timeout')[0]).toEqual(expect.objectContaining({ identity: '-', port: '500', detail: expect.stringMatching(/^deleting half open IKE_SA/) }));
  });

  test('a refused proposal names what the client offered', () => {
    for (const r of refused('no-proposal')) expect(r.offered).toContain('IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024');
    expect(refused('no-proposal').some((r) => r.offered.split(',').length === 5)).toBe(true); // stock Windows' five proposals
  });

  test('one success record per established IKE_SA (certificate, EAP, IKEv1 PSK)', () => {
    const established = [...FEED.matchAll(/ IKE_SA \S+\[(\d+)\] established between /g)].map((m) => m[1]);
    const success = all.filter((r) => r.outcome === 'success');
    expect(success.map((r) => r.ike_sa)).toEqual(established);
    expect(success.find((r) => r.connection.startsWith('cert-'))).toEqual(expect.objectContaining({ identity: 'alice@sakura-trading.example' }));
    expect(success.find((r) => r.identity === 'carol@sakura-trading.example')).toEqual(expect.objectContaining({ connection: 'eap-mschapv2', ike_identity: expect.stringMatching(/^198\.51\.100\./) }));
    expect(success.filter((r) => r.connection === 'l2tp-psk')).toHaveLength(1);
  });

  test('records carry the JST time of the attempt start and the peer port', () => {
    for (const r of all) expect(r).toEqual(expect.objectContaining({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+09:00$/), event: 'ike-attempt', port: expect.stringMatching(/^\d+$/) }));
  });

  test('an IKE_SA answered with INVALID_KE_PAYLOAD is not an attempt (the retry is)', () => {
    const retried = [...FEED.matchAll(/<(\d+)> DH group MODP_1024 unacceptable, requesting MODP_2048/g)].map((m) => m[1]);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    for (const uid of retried) expect(all.filter((r) => r.ike_sa === uid)).toEqual([]);
  });

  test('a value with spaces or quotes is written as a JSON string, and a lone odd line is ignored (hand-written lines)', () => {
    const odd = [
      'garbage without structure',
      '2026-11-27T23:07:02.000001+09:00  10[IKE] <8> 198.51.100.20 is initiating an IKE_SA',
      '2026-11-27T23:07:02.000002+09:00  10[CFG] <8> looking for peer configs matching 198.51.100.1[%any]...198.51.100.20[C=JP, CN="x" y]',
      '2026-11-27T23:07:02.000003+09:00  10[JOB] <8> deleting half open IKE_SA with 198.51.100.20 after timeout',
      '2026-11-27T23:07:02.000004+09:00  10[IKE] <8> IKE_SA (unnamed)[8] state change: CONNECTING => DESTROYING',
    ];
    expect(replay(odd.join('\n') + '\n').map(parse)).toEqual([expect.objectContaining({ outcome: 'refused', reason: 'timeout', identity: 'C=JP, CN="x" y' })]);
  });

  test('device certificates: the serial from the subject is recorded with the success, the revocation and the expiry it belongs to (hand-written lines)', () => {
    const dn = (serial: string) => `O=ras-prod, OU=sakura-trading, CN=laptop, serialNumber=${serial}`;
    const attempt = (uid: number, lines: string[]) => [
      `2026-11-30T17:00:0${uid}.000001+09:00  10[IKE] <${uid}> 198.51.100.17 is initiating an IKE_SA`,
      `2026-11-30T17:00:0${uid}.000002+09:00  10[CFG] <${uid}> looking for peer configs matching 198.51.100.1[%any]...198.51.100.17[bob@sakura-trading.example]`,
      ...lines.map((l, i) => `2026-11-30T17:00:0${uid}.00001${i}+09:00  10[CFG] <cert-abc|${uid}> ${l}`),
    ];
    const feed = [
      ...attempt(1, [`  using certificate "${dn('0a0b')}"`, `checking certificate status of "${dn('0a0b')}"`, 'certificate status is good', "authentication of 'bob@sakura-trading.example' with ECDSA_WITH_SHA256_DER successful", 'IKE_SA cert-abc[1] established between 198.51.100.1[vpn]...198.51.100.17[bob@sakura-trading.example]']),
      ...attempt(2, [`  using certificate "${dn('0a0b')}"`, `checking certificate status of "${dn('0a0b')}"`, 'certificate was revoked on Nov 30 08:00:00 UTC 2026, reason: cessation of operation', `  using certificate "${dn('0c0d')}"`, 'certificate status is good', 'IKE_SA cert-abc[2] state change: CONNECTING => DESTROYING']),
      ...attempt(3, [`  using certificate "${dn('0e0f')}"`, 'subject certificate invalid (valid from Oct 01 00:00:00 2025 to Oct 02 00:00:00 2025)', "no trusted ECDSA public key found for 'bob@sakura-trading.example'", 'IKE_SA cert-abc[3] state change: CONNECTING => DESTROYING']),
    ];
    expect(replay(feed.join('\n') + '\n').map(parse)).toEqual([
      expect.objectContaining({ outcome: 'success', ike_sa: '1', serial: '0a0b' }),
      expect.objectContaining({ outcome: 'refused', reason: 'revoked', ike_sa: '2', serial: '0a0b' }),
      expect.objectContaining({ outcome: 'refused', reason: 'expired', ike_sa: '3', serial: '0e0f' }),
    ]);
  });
  test("a success keeps the presented certificate's serial although charon checks the CA chain after it", () => {
    const ca = 'O=ras-prod, OU=sakura-trading, CN=sakura-trading device CA';
    const dn = 'O=ras-prod, OU=sakura-trading, CN=laptop, serialNumber=1a2b';
    const lines = [
      '2026-11-30T17:00:01.000001+09:00  10[IKE] <1> 198.51.100.17 is initiating an IKE_SA',
      '2026-11-30T17:00:01.000002+09:00  10[IKE] <1> received end entity cert "' + dn + '"',
      '2026-11-30T17:00:01.000003+09:00  10[CFG] <1> looking for peer configs matching 198.51.100.1[%any]...198.51.100.17[bob@sakura-trading.example]',
      ...[
        '  using certificate "' + dn + '"',
        '  using trusted intermediate ca certificate "' + ca + '"',
        'checking certificate status of "' + dn + '"',
        'certificate status is good',
        '  using trusted ca certificate "O=ras-prod, CN=ras-prod device root"',
        'checking certificate status of "' + ca + '"',
        'certificate status is not available',
        "authentication of 'bob@sakura-trading.example' with ECDSA_WITH_SHA256_DER successful",
        'IKE_SA cert-abc[1] established between 198.51.100.1[vpn]...198.51.100.17[bob@sakura-trading.example]',
      ].map((l, i) => `2026-11-30T17:00:01.00001${i}+09:00  10[CFG] <cert-abc|1> ${l}`),
    ];
    expect(replay(lines.join('\n') + '\n').map(parse)).toEqual([expect.objectContaining({ outcome: 'success', ike_sa: '1', serial: '1a2b' })]);
  });
});
