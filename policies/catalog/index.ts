/**
 * The 42 controls of the whitepaper, as data (controls.json), checked against its schema when
 * loaded: a broken catalog stops every check and report instead of silently dropping a control.
 */
import catalog from './controls.json';
import schema from './controls.schema.json';
import { validator } from '../../lib/validators';

export type Responsibility = 'provider' | 'customer' | 'shared';
export type EvidenceKind = 'configuration' | 'procedural';

export interface Control {
  readonly id: string;
  readonly section: string;
  readonly title: { readonly ja: string; readonly en: string };
  readonly responsibility: Responsibility;
  readonly evidence: EvidenceKind;
  readonly commitment: { readonly ja: string; readonly en: string };
}

const catalogValidator = validator({ name: 'control-catalog', schema, options: { allErrors: true, strict: true } });

export function validateCatalog(data: unknown): string[] {
  const validate = catalogValidator();
  if (validate(data)) {
    const ids = (data as { controls: Control[] }).controls.map((c) => c.id);
    return ids.filter((id, i) => ids.indexOf(id) !== i).map((id) => `control ${id} listed twice`);
  }
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

function load(): readonly Control[] {
  const problems = validateCatalog(catalog);
  if (problems.length > 0) throw new Error(`policies/catalog/controls.json is invalid:\n${problems.join('\n')}`);
  return (catalog as { controls: Control[] }).controls;
}

/** In the whitepaper's order. */
export const CONTROLS: readonly Control[] = load();
