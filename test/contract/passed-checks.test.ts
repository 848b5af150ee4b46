/**
 * Contracts that passed their own checks are not checked again (contract/passed-checks.ts), and
 * only while their text, their fleet settings and the code are the same; the fleet-wide checks
 * still see every tenant. Real loads of the example fleet in a temporary folder.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadFleet } from '../../contract/load';
import { PassedChecks } from '../../contract/passed-checks';
import { ContractError } from '../../contract/problems';
import * as semantic from '../../contract/semantic';
import { Workspace, workspaceWithCache } from '../helpers/workspace';

const workspace = workspaceWithCache();
let ws: Workspace;
let cacheDir: string;
beforeEach(() => ({ ws, cacheDir } = workspace.current()));
afterEach(() => jest.restoreAllMocks());

/** Loads with the passes of `code`; returns the files whose own checks ran, or the problems' codes. */
function load(code: string): { checked: string[] } | { problems: string[] } {
  const checked: string[] = [];
  const real = semantic.checkTenant;
  jest.restoreAllMocks();
  jest.spyOn(semantic, 'checkTenant').mockImplementation((t, src, fleet) => {
    checked.push(t.tenant);
    return real(t, src, fleet);
  });
  try {
    loadFleet(ws.paths, undefined, undefined, { passed: new PassedChecks(ws.paths.tenantsDir, code) });
  } catch (e) {
    if (e instanceof ContractError) return { problems: e.problems.map((p) => `${p.code} ${p.file.replace(/^.*[\\/]/, '')}`).sort() };
    throw e;
  }
  return { checked: checked.sort() };
}

const ALL = ['kitakaze-logistics', 'minato-design', 'sakura-trading', 'tsubame-travel'];
const passedFile = () => join(cacheDir, readdirSync(cacheDir).find((f) => f.startsWith('passed-'))!);

test('a second load checks again only the file that changed', () => {
  expect(load('code-A')).toEqual({ checked: ALL });
  expect(load('code-A')).toEqual({ checked: [] });
  ws.edit('minato-design', ['gateway', 'sizing', 'terminals'], 41);
  expect(load('code-A')).toEqual({ checked: ['minato-design'] });
  expect(load('code-A')).toEqual({ checked: [] });
});

test('another code, or other fleet settings, check every file again', () => {
  load('code-A');
  expect(load('code-B')).toEqual({ checked: ALL });
  ws.write('fleet.yaml', ws.read('fleet.yaml').replace(/^( {2}keyPrefix: tenants)$/m, '$1-2'));
  expect(ws.read('fleet.yaml')).toContain('tenants-2');
  expect(load('code-B')).toEqual({ checked: ALL });
});

test('a changed contract with a problem is refused, though its old text passed', () => {
  load('code-A');
  ws.edit('sakura-trading', ['contractDate'], '2019-02-30');
  expect(load('code-A')).toEqual({ problems: ['RAS115 sakura-trading.yaml'] });
  // Refused files are never recorded: the same text is refused again.
  expect(load('code-A')).toEqual({ problems: ['RAS115 sakura-trading.yaml'] });
});

test('the fleet-wide checks still judge the tenants whose own checks were skipped', () => {
  load('code-A');
  const vlanOf = (id: string) => Number(/vlanId: (\d+)/.exec(ws.read(`tenants/${id}.yaml`))![1]);
  const regionOf = (id: string) => /^region: (\S+)/m.exec(ws.read(`tenants/${id}.yaml`))![1];
  const [a, b] = ALL.filter((id) => regionOf(id) === regionOf('minato-design'));
  expect(b).toBeDefined();
  ws.edit(a, ['network', 'vlanId'], vlanOf(b));
  const result = load('code-A');
  expect(result).toEqual({ problems: expect.arrayContaining([`RAS130 ${a}.yaml`]) as unknown });
});

test('a load that changes nothing leaves the record as it was', () => {
  load('code-A');
  const before = statSync(passedFile());
  load('code-A');
  const after = statSync(passedFile());
  expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
});
