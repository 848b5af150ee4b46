/** Real pairs of outputs for the review tests: synthesize an edited copy of the examples. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { loadSide, type LoadedSide } from '../../review/side';
import { synthTenants } from '../../stacks/synth';
import { Workspace } from '../helpers/workspace';

/** A workspace whose examples were synthesized into <dir>/cdktf.out after `edit` ran. */
export function synthesizedWorkspace(edit: (ws: Workspace) => void = () => undefined): Workspace {
  const ws = new Workspace();
  edit(ws);
  synthTenants({ paths: ws.paths, outdir: join(ws.dir, 'cdktf.out') });
  return ws;
}

/** The side as plan-review sees a folder: output plus operators from the contracts beside it. */
export function side(ws: Workspace, label: string): LoadedSide {
  return { ...loadSide(join(ws.dir, 'cdktf.out')), label };
}

/** Sets one field of fleet.yaml, keeping the rest as written. */
export function editFleet(ws: Workspace, path: (string | number)[], value: unknown): void {
  const doc = parseDocument(ws.read('fleet.yaml'));
  doc.setIn(path, value);
  ws.write('fleet.yaml', doc.toString());
}

export function stackFile(ws: Workspace, tenant: string): string {
  return join(ws.dir, 'cdktf.out', 'stacks', tenant, 'cdk.tf.json');
}

/** Edits a synthesized stack in place: stands in for a construct change the contracts cannot make. */
export function editStack(ws: Workspace, tenant: string, edit: (json: any) => void): void {
  const file = stackFile(ws, tenant);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, JSON.stringify(json, null, 2));
}

/** Renames a resource and every reference to it, as a changed construct id would, with no `moved` block. */
export function renameResource(json: any, type: string, from: string, to: string): void {
  json.resource[type][to] = json.resource[type][from];
  delete json.resource[type][from];
  const text = JSON.stringify(json).split(`${type}.${from}`).join(`${type}.${to}`);
  Object.assign(json, JSON.parse(text));
}
