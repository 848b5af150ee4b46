/**
 * The emulator's launcher: each moto patch against the gap it fills (test_moto_patches.py, real
 * moto in process), the launcher serving HTTPS on a free port, and a loud failure naming what
 * to install when moto is missing.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { emulatorMissing, LAUNCHER, startEmulator } from '../helpers/emulator';

const python = process.env.RAS_PYTHON ?? 'python3';

test('moto is here (the deploy tests fail, never skip, without it)', () => {
  expect(emulatorMissing()).toBeUndefined();
});

test('each patch: the gap without it, the fix with it', () => {
  const r = spawnSync(python, ['-m', 'unittest', '-v', 'test_moto_patches'], { cwd: join(LAUNCHER, '..'), encoding: 'utf8' });
  expect(r.stderr).toMatch(/Ran 20 tests/);
  expect(r.status).toBe(0);
  for (const gap of ['MonitorInstances', 'FlowLogS3Prefix', 'TransitGatewayDefaultAssociation', 'BucketPolicySecureTransport', 'TransitGatewayRouteAndTags', 'RunInstancesTerminationProtection', 'RunInstancesInterfaceGroups', 'TransitGatewayAttachmentDeletedState', 'TrailByArn']) expect(r.stderr).toContain(`(test_moto_patches.${gap}.test_patched`);
}, 300_000);

test('the launcher serves the patched emulator over TLS on a free port', async () => {
  const emulator = await startEmulator('111122223333');
  try {
    expect(emulator.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const r = spawnSync(python, ['-c', `
import boto3
ec2 = boto3.client("ec2", region_name="ap-northeast-1", endpoint_url="${emulator.endpoint}", verify="${emulator.env.AWS_CA_BUNDLE}")
print(boto3.client("sts", region_name="ap-northeast-1", endpoint_url="${emulator.endpoint}", verify="${emulator.env.AWS_CA_BUNDLE}").get_caller_identity()["Account"])
`], { encoding: 'utf8', env: { ...process.env, ...emulator.env } });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('111122223333');
  } finally {
    await emulator.stop();
  }
}, 120_000);

test('without moto, the launcher fails loudly with what to install', () => {
  // -S: no site-packages, so moto cannot be imported, as on a machine without it.
  const r = spawnSync(python, ['-S', LAUNCHER, '1'], { encoding: 'utf8' });
  expect(r.status).toBe(3);
  expect(r.stderr).toContain("pip install 'moto[server]==5.2.1'");
  expect(emulatorMissing('/nonexistent/python3')).toContain('not found');
});
