/**
 * Writer and reader of Ansible variables, held against Ansible's own loader (PyYAML, YAML 1.1) and
 * a YAML 1.2 reader: what the renderer means, what Ansible runs and what the rules judge are one.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { loadFleet } from '../../contract/load';
import type { TenantModel } from '../../contract/model';
import { hostVarsYaml, inventoryYaml, renderGatewayConfig } from '../../gateway-config';
import { readAnsibleYaml } from '../../lib/ansible-yaml/read';
import { toAnsibleYaml } from '../../lib/ansible-yaml/write';
import { loadWithAnsible } from '../helpers/ansible-loader';
import { HOSTILE_STRINGS } from '../helpers/hostile-strings';

const REPO = resolve(__dirname, '../..');
const fleetModel = loadFleet({ fleetFile: join(REPO, 'fleet.yaml'), tenantsDir: join(REPO, 'tenants') });
const sakura = fleetModel.tenants.find((t) => t.id === 'sakura-trading') as TenantModel;
const WRITABLE = HOSTILE_STRINGS.filter((s) => !/[\ud800-\udfff]/.test(s.replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')));

/** What a YAML 1.2 reader (the `yaml` package) sees. */
function yaml12(text: string): unknown {
  return parse(text, { customTags: [{ tag: '!unsafe', resolve: (s: string) => s }] });
}

/** The data as JSON carries it (undefined members dropped, as the writer drops them). */
function plainData(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

describe('toAnsibleYaml', () => {
  const docs = WRITABLE.map((s) => ({ value: s, list: [s, { nested: s }, []], map: { [s]: s, n: 7, b: true, z: null, empty: {} } }));
  const texts = docs.map((d) => toAnsibleYaml(d));

  test('Ansible loads every hostile string as written: values, list items, nested maps and keys', () => {
    expect(loadWithAnsible(texts)).toEqual(docs.map((d) => ({ ok: true, value: d })));
  });

  test('a YAML 1.2 reader and the rules reader see the same structure', () => {
    expect(texts.map(yaml12)).toEqual(docs);
    expect(texts.map(readAnsibleYaml)).toEqual(docs.map((d) => ({ ok: true, value: d })));
  });

  test('the file holds no raw character that any reader treats as a break or control', () => {
    const breakOrControl = (cp: number): boolean =>
      cp <= 0x09 || (cp >= 0x0b && cp <= 0x1f) || (cp >= 0x7f && cp <= 0x9f) || [0x2028, 0x2029, 0xfeff, 0x200b, 0x202e].includes(cp);
    for (const t of texts) expect([...t].map((ch) => ch.codePointAt(0)!).filter(breakOrControl)).toEqual([]);
  });

  test('strings are tagged !unsafe unless asked otherwise; a lone surrogate is refused', () => {
    expect(toAnsibleYaml({ a: 'x' })).toBe('a: !unsafe "x"\n');
    expect(toAnsibleYaml({ a: '{{ x }}' }, { unsafeStrings: false })).toBe('a: "{{ x }}"\n');
    expect(() => toAnsibleYaml({ a: 'x\ud800' })).toThrow(/lone surrogate/);
    expect(() => toAnsibleYaml({ a: 1.5 })).toThrow(/not an integer/);
  });
});

describe('the rendered gateway configuration', () => {
  const tenants = WRITABLE.map((name): TenantModel => ({ ...sakura, contract: { ...sakura.contract, customer: { name } } }));
  const configs = tenants.map((t) => renderGatewayConfig(t, fleetModel.settings));

  test('Ansible loads the host variables of a tenant with a hostile customer name exactly as rendered', () => {
    const loaded = loadWithAnsible(configs.map(hostVarsYaml));
    expect(loaded).toEqual(configs.map((c) => ({ ok: true, value: plainData(c.hostVars) })));
    // The attack of the report: no variable beyond those rendered, and the profile untouched.
    for (const l of loaded) expect(Object.keys((l as { value: object }).value).sort()).toEqual(Object.keys(configs[0].hostVars).sort());
  });

  test('Ansible loads the inventory as rendered, its address lookup still a template', () => {
    const [loaded] = loadWithAnsible([inventoryYaml(configs[0])]);
    expect(loaded).toEqual({ ok: true, value: plainData(configs[0].inventory) });
  });

  test('the rules reader sees what Ansible sees', () => {
    expect(configs.map((c) => readAnsibleYaml(hostVarsYaml(c)))).toEqual(configs.map((c) => ({ ok: true, value: plainData(c.hostVars) })));
  });
});

describe('readAnsibleYaml', () => {
  // Hand-written files (another writer, a person's edit, an attack) the reader may meet.
  const FILES: readonly string[] = [
    'strongswan_crypto_profile: strong\ncustomer: Sakura\u2028strongswan_crypto_profiles: {strong: {ike: [3des-md5-modp768]}}\n',
    'customer: "Sakura\u2028x: 1"\n',
    "customer: 'Sakura\u2029x: 1'\n",
    '# comment\u2028strongswan_crypto_profile: legacy\na: 1\n',
    'a: x\u0085b: y\n',
    'a: x\rb: y\n',
    'a: 1\r\nb: 2\r\n',
    '\ufeffa: 1\n',
    'a: \u0001\n',
    'bools: [yes, no, on, off, y, n, true, False, YES]\n',
    'numbers: [0777, 0x1F, 0b101, 1:30, 1e3, 09, 1_000, -1, +5, 0, 1.5, .5, 1.0e+3, 190:20:30.15]\n',
    'nulls: [~, null, Null, ]\nempty:\n',
    'date: 2024-04-01\n',
    'stamp: 2024-04-01 10:00:00\n',
    'a: &x {k: v}\nb: *x\n',
    'base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n',
    'a: 1\na: 2\n',
    'yes: 1\n',
    '1: one\n',
    'a: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3132\n',
    'a: !!python/object/apply:os.system ["id"]\n',
    'a: !foo x\n',
    'a: !!str 1\nb: !unsafe "{{ x }}"\n',
    'a: 1\n---\nb: 2\n',
    '',
    '# only a comment\n',
    '- a\n- b\n',
    'a: {b: [1, {c: d}], e: "f\\u2028g"}\n',
    'a: "\\N\\_\\L\\P\\x41\\u00e9\\U0001F600"\n',
    'a: |\n  line one\n  line two\n',
    'a: >\n  folded\n  text\n',
    'a: =\n',
    'a: "tab\\there"\n',
    'ключ: значение\n',
    'a: b: c\n',
    'a:\n\t- x\n',
  ];

  test('agrees with Ansible on every file it does not refuse, and refuses what Ansible reads otherwise', () => {
    const ansible = loadWithAnsible(FILES);
    const mismatches = FILES.flatMap((file, i) => {
      const ours = readAnsibleYaml(file);
      if (!ours.ok) return [];
      const theirs = ansible[i];
      const theirValue = theirs.ok && theirs.value === null ? {} : theirs.ok ? theirs.value : undefined;
      return theirs.ok && JSON.stringify(theirValue) === JSON.stringify(ours.value) ? [] : [{ file, ours, theirs }];
    });
    expect(mismatches).toEqual([]);
    // Not vacuous: most of the corpus is read, not refused.
    expect(FILES.filter((f) => readAnsibleYaml(f).ok).length).toBeGreaterThanOrEqual(15);
  });

  test('reads every Ansible role default of the project as Ansible does', () => {
    const roles = join(REPO, 'ansible', 'roles');
    const files = readdirSync(roles).map((r) => join(roles, r, 'defaults', 'main.yml')).filter((f) => existsSync(f));
    expect(files.length).toBeGreaterThanOrEqual(6);
    const texts = files.map((f) => readFileSync(f, 'utf8'));
    const ansible = loadWithAnsible(texts);
    expect(texts.map(readAnsibleYaml)).toEqual(ansible);
  });

  test('refuses the demonstrated override that Ansible reads as a weaker crypto profile', () => {
    const [attack] = FILES;
    const [ansible] = loadWithAnsible([attack]);
    // Ansible really sees the injected variable: the reason the reader must not look away.
    expect(ansible).toEqual({ ok: true, value: expect.objectContaining({ strongswan_crypto_profiles: { strong: { ike: ['3des-md5-modp768'] } } }) });
    expect(readAnsibleYaml(attack)).toEqual({ ok: false, reason: expect.stringMatching(/^line 2: U\+2028 is a line break for Ansible/) });
  });

  test('reads YAML 1.1 scalars as Ansible does, not as YAML 1.2 would', () => {
    expect(readAnsibleYaml('a: [yes, off, y, 0777, 1:30, 1e3, 09]\n')).toEqual({ ok: true, value: { a: [true, false, 'y', 511, 90, '1e3', '09'] } });
    expect(yaml12('a: [yes, off, y, 0777, 1:30, 1e3, 09]\n')).toEqual({ a: ['yes', 'off', 'y', 777, '1:30', 1000, 9] });
  });

  test('names the reason for each refusal', () => {
    expect(readAnsibleYaml('a: 1\na: 2\n')).toEqual({ ok: false, reason: 'line 2: key "a" appears twice (Ansible silently keeps the last)' });
    expect(readAnsibleYaml('yes: 1\n')).toEqual({ ok: false, reason: 'line 1: key true is read by Ansible as a boolean, not a name' });
    expect(readAnsibleYaml('a: \u0001\n')).toEqual({ ok: false, reason: "line 1: U+0001 is a character Ansible's YAML reader refuses" });
    expect(readAnsibleYaml('a: !vault x\n')).toEqual({ ok: false, reason: 'line 1: tag !vault is not read here' });
  });
});
