/** Reads one tenant's synthesized output from disk into the typed view the rules take. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { readAnsibleYaml } from '../../lib/ansible-yaml/read';
import type { TenantView, TfJson } from '../types';
import { defaultTags, resourcesIn } from '../view';
import { gatewayVariables, type GatewayVariables, type VariableLayer } from './gateway-variables';
import { PORTAL_FILE, portalInput, type PortalInput } from './portal';

export interface ReadOptions {
  /**
   * Ansible roles folder whose `<role>/defaults/main.yml` hold the lowest-precedence values
   * (e.g. the crypto profiles' proposals). @default - none (only the rendered variables)
   */
  readonly rolesDir?: string;
}

/** The view of the stack in `stackDir` (a folder holding cdk.tf.json). */
export function readTenantView(stackDir: string, options: ReadOptions = {}): TenantView {
  return viewOf(stackDir, roleDefaults(options.rolesDir));
}

function viewOf(stackDir: string, defaults: readonly VariableLayer[]): TenantView {
  const tf = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as TfJson;
  return tenantView(basename(stackDir), tf, readPortal(stackDir), gatewayVariablesIn(stackDir, defaults));
}

/** The view of already-parsed output (pure; tests build and mutate views with it). */
export function tenantView(stackId: string, tf: TfJson, portal: PortalInput, gateway?: GatewayVariables): TenantView {
  return { stackId, tf, resources: resourcesIn(tf), tags: defaultTags(tf), gateway, portal };
}

/** Every stack under `<outdir>/stacks/`, in name order. */
export function readFleetViews(outdir: string, options: ReadOptions = {}): TenantView[] {
  const stacks = join(outdir, 'stacks');
  if (!existsSync(stacks)) return [];
  return viewReader(options)(
    outdir,
    readdirSync(stacks).filter((d) => existsSync(join(stacks, d, 'cdk.tf.json'))),
  );
}

/** A reader of stacks by name (in name order) that reads the role defaults once, however many calls follow. */
export function viewReader(options: ReadOptions = {}): (outdir: string, ids: readonly string[]) => TenantView[] {
  const defaults = roleDefaults(options.rolesDir);
  return (outdir, ids) => [...ids].sort().map((id) => viewOf(join(outdir, 'stacks', id), defaults));
}

function readPortal(stackDir: string): PortalInput {
  const file = join(stackDir, PORTAL_FILE);
  if (!existsSync(file)) return { missing: `${PORTAL_FILE} not rendered` };
  try {
    return portalInput(JSON.parse(readFileSync(file, 'utf8')));
  } catch (e) {
    return { missing: `${PORTAL_FILE} is not valid JSON (${(e as Error).message})` };
  }
}

/** Variables in Ansible's precedence: role defaults < group_vars (all first) < host_vars. */
export function readGatewayVariables(stackDir: string, rolesDir?: string): GatewayVariables | undefined {
  return gatewayVariablesIn(stackDir, roleDefaults(rolesDir));
}

function gatewayVariablesIn(stackDir: string, defaults: readonly VariableLayer[]): GatewayVariables | undefined {
  const layers = gatewayLayers(stackDir, defaults);
  return layers === undefined ? undefined : gatewayVariables(layers);
}

/**
 * Every layer of a stack's gateway variables, lowest precedence first, each read as Ansible reads
 * it; undefined where no variables were rendered. The one reading of these files.
 */
export function readGatewayLayers(stackDir: string, rolesDir?: string): VariableLayer[] | undefined {
  return gatewayLayers(stackDir, roleDefaults(rolesDir));
}

function gatewayLayers(stackDir: string, defaults: readonly VariableLayer[]): VariableLayer[] | undefined {
  const dir = join(stackDir, 'ansible');
  if (!existsSync(dir)) return undefined;
  const rendered = [...yamlFiles(join(dir, 'group_vars'), ['all']), ...yamlFiles(join(dir, 'host_vars'), [])];
  if (rendered.length === 0) return undefined;
  return [...defaults, ...rendered.map((f) => layer(f, relative(stackDir, f)))];
}

/** Every role's defaults/main.yml, in role name order. Layers are never mutated, so one read serves a whole fleet. */
function roleDefaults(rolesDir: string | undefined): VariableLayer[] {
  if (rolesDir === undefined || !existsSync(rolesDir)) return [];
  return readdirSync(rolesDir)
    .sort()
    .map((r) => join(rolesDir, r, 'defaults', 'main.yml'))
    .filter(existsSync)
    .map((f) => layer(f, f));
}

/** YAML files of a vars folder, `first` names ahead, the rest in name order. Folders per host/group are read too. */
function yamlFiles(dir: string, first: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const rank = (name: string): number => (first.includes(name.replace(/\.ya?ml$/, '')) ? 0 : 1);
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return yamlFiles(p, []);
    return /\.ya?ml$/.test(e.name) ? [p] : [];
  });
}

/** One vars file read as Ansible reads it (YAML 1.1); a file that cannot be judged is kept with the reason. */
function layer(file: string, label: string): VariableLayer {
  const read = readAnsibleYaml(readFileSync(file, 'utf8'));
  return read.ok ? { file: label, vars: read.value } : { file: label, vars: {}, unreadable: read.reason };
}
