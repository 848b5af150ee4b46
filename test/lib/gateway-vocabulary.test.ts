/**
 * One vocabulary per promise: the Ansible roles' argument specs and defaults name the same crypto
 * profiles, default profile and time zone as commitments/, and the rendered variables carry the
 * names commitments/ gives them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CRYPTO_PROFILES, DEFAULT_CRYPTO_PROFILE, GATEWAY_VARIABLE_NAMES as V, TIMEZONE, weakTokens } from '../../commitments';
import { renderGatewayConfig } from '../../gateway-config/render';
import { exampleFleet } from '../helpers/synth';

const ROLES = join(__dirname, '..', '..', 'ansible', 'roles');

function spec(role: string): Record<string, { default?: unknown; choices?: unknown[] }> {
  return parse(readFileSync(join(ROLES, role, 'meta', 'argument_specs.yml'), 'utf8')).argument_specs.main.options;
}

function defaults(role: string): Record<string, unknown> {
  return parse(readFileSync(join(ROLES, role, 'defaults', 'main.yml'), 'utf8'));
}

test('strongswan argument_specs: profile choices, strongest first, and the default profile are commitments/', () => {
  const options = spec('strongswan');
  expect(options[V.cryptoProfile].choices).toEqual([...CRYPTO_PROFILES]);
  expect(options[V.cryptoProfile].default).toBe(DEFAULT_CRYPTO_PROFILE);
  for (const name of [V.legacyOptIn, V.ikev2, V.l2tpIpsec, V.pptp, V.profiles]) expect(options[name]).toBeDefined();
});

test('strongswan defaults: the default profile and one proposal set per profile', () => {
  const d = defaults('strongswan');
  expect(d[V.cryptoProfile]).toBe(DEFAULT_CRYPTO_PROFILE);
  expect(Object.keys(d[V.profiles] as object).sort()).toEqual([...CRYPTO_PROFILES].sort());
});

test('the strong profile has no weak algorithm; the legacy one has', () => {
  const profiles = defaults('strongswan')[V.profiles] as Record<string, Record<string, string[]>>;
  const weak = (p: string) => Object.values(profiles[p]).flat().flatMap(weakTokens);
  expect(weak(CRYPTO_PROFILES[0])).toEqual([]);
  expect(weak(CRYPTO_PROFILES[CRYPTO_PROFILES.length - 1]).length).toBeGreaterThan(0);
});

test('time argument_specs: the default time zone is commitments/', () => {
  const options = spec('time');
  expect(options[V.timezone].default).toBe(TIMEZONE);
  expect(options[V.ntpServers]).toBeDefined();
  expect(options[V.utcOffset]).toBeDefined();
});

test('every rendered variable name commitments/ lists is rendered or defaulted, and argued by a role', () => {
  const fleet = exampleFleet();
  const rendered = renderGatewayConfig(fleet.tenants[0], fleet.settings).hostVars;
  const roles = ['strongswan', 'time', 'logs', 'hardening'];
  const argued = new Set(roles.flatMap((r) => Object.keys(spec(r))));
  const defaulted = new Set(roles.flatMap((r) => Object.keys(defaults(r))));
  for (const name of Object.values(V)) {
    expect({ name, argued: argued.has(name) }).toEqual({ name, argued: true });
    expect({ name, set: Object.keys(rendered).includes(name) || defaulted.has(name) }).toEqual({ name, set: true });
  }
});
