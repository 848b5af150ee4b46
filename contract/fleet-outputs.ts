/**
 * The fleet stacks' outputs, recorded where tenant stacks read them: after a region's fleet stack
 * is applied, `terraform output -json > fleet-outputs/<region>.json` (beside fleet.yaml) records
 * the ids it made (transit gateway, attachments, operations topic). The loader merges them into
 * the region's settings, so tenant stacks get plain ids: no data-source lookup, and offline plans
 * keep working. The file is `terraform output -json` unchanged: `{ "<name>": { "value": ... } }`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Problem } from './problems';
import { SourceFile } from './source';
import { FLEET_OUTPUT_FIELDS, LINK_OUTPUT, type FleetSettings, type RegionSettings } from './types';

export const FLEET_OUTPUTS_DIR = 'fleet-outputs';

type OutputField = (typeof FLEET_OUTPUT_FIELDS)[number];

const PATTERNS: Record<OutputField, (region: string, account: string) => RegExp> = {
  transitGatewayId: () => /^tgw-[0-9a-f]{8,17}$/,
  backboneAttachmentId: () => /^tgw-attach-[0-9a-f]{8,17}$/,
  operationsAttachmentId: () => /^tgw-attach-[0-9a-f]{8,17}$/,
  operationsTopicArn: (region, account) => new RegExp(`^arn:aws:sns:${region}:${account}:[A-Za-z0-9_-]{1,256}$`),
};

/** The recorded outputs file of a region, beside the fleet settings file. */
export function fleetOutputsFile(fleetFile: string, region: string): string {
  return join(dirname(fleetFile), FLEET_OUTPUTS_DIR, `${region}.json`);
}

/**
 * The fleet settings with every region's recorded outputs merged in. A value given in fleet.yaml
 * and recorded differently is a problem (which one is right cannot be guessed).
 */
export function mergeFleetOutputs(fleet: FleetSettings, fleetFile: string, problems: Problem[]): FleetSettings {
  const regions: Record<string, RegionSettings> = {};
  for (const [name, region] of Object.entries(fleet.regions)) {
    const file = fleetOutputsFile(fleetFile, name);
    regions[name] = existsSync(file) ? { ...region, ...readRecorded(file, name, region, fleet.accountId, problems) } : region;
  }
  return { ...fleet, regions };
}

/** The fleet output fields a region still lacks (its fleet stack not applied or not recorded). */
export function missingFleetOutputs(region: RegionSettings): string[] {
  return [
    ...FLEET_OUTPUT_FIELDS.filter((f) => typeof region[f] !== 'string'),
    ...(region.backboneLinks ?? []).filter((l) => l.attachmentId === undefined).map((l) => `${LINK_OUTPUT}.${l.name}`),
  ];
}

const ATTACHMENT = /^tgw-attach-[0-9a-f]{8,17}$/;

function readRecorded(file: string, regionName: string, given: RegionSettings, account: string, problems: Problem[]): Partial<RegionSettings> {
  const shown = displayPath(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    problems.push({ code: 'RAS001', file: shown, line: 1, column: 1, field: '', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` });
    return {};
  }
  // JSON is YAML: the contract parser gives positions for the messages.
  const parsed = SourceFile.parse(shown, text);
  if (Array.isArray(parsed)) {
    problems.push(...parsed);
    return {};
  }
  const data = parsed.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    problems.push(parsed.problem('RAS104', [], 'is not the output of `terraform output -json` (an object of outputs)'));
    return {};
  }
  const recorded: Partial<Record<OutputField, string>> = {};
  for (const field of FLEET_OUTPUT_FIELDS) {
    if (!(field in data)) continue;
    const value = (data as Record<string, { value?: unknown } | null>)[field]?.value;
    const pattern = PATTERNS[field](regionName, account);
    if (typeof value !== 'string' || !pattern.test(value)) {
      problems.push(parsed.problem('RAS104', [field, 'value'], `${JSON.stringify(value) ?? 'missing'} is not a valid ${field} for ${regionName} in account ${account}`));
    } else if (typeof given[field] === 'string' && given[field] !== value) {
      problems.push(parsed.problem('RAS104', [field, 'value'], `${value} differs from regions.${regionName}.${field} ${given[field]} in the fleet settings: keep only one`));
    } else {
      recorded[field] = value;
    }
  }
  const links = recordedLinks(parsed, (data as Record<string, { value?: unknown } | null>)[LINK_OUTPUT], regionName, given, problems);
  return links === undefined ? recorded : { ...recorded, backboneLinks: links };
}

/** The added backbone links with their recorded attachment ids; undefined when nothing is recorded for them. */
function recordedLinks(parsed: SourceFile, output: { value?: unknown } | null | undefined, regionName: string, given: RegionSettings, problems: Problem[]): RegionSettings['backboneLinks'] {
  if (output === undefined) return undefined;
  const value = output?.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(parsed.problem('RAS104', [LINK_OUTPUT, 'value'], `is not a map of backbone link names to attachment ids`));
    return undefined;
  }
  const ids = value as Record<string, unknown>;
  const links = given.backboneLinks ?? [];
  for (const name of Object.keys(ids)) {
    if (!links.some((l) => l.name === name)) problems.push(parsed.problem('RAS104', [LINK_OUTPUT, 'value', name], `${name} is not one of regions.${regionName}.backboneLinks in the fleet settings`));
  }
  return links.map((l, i) => {
    const id = ids[l.name];
    if (id === undefined) return l;
    if (typeof id !== 'string' || !ATTACHMENT.test(id)) {
      problems.push(parsed.problem('RAS104', [LINK_OUTPUT, 'value', l.name], `${JSON.stringify(id)} is not a valid transit gateway attachment id for backbone link ${l.name} of ${regionName}`));
      return l;
    }
    if (l.attachmentId !== undefined && l.attachmentId !== id) {
      problems.push(parsed.problem('RAS104', [LINK_OUTPUT, 'value', l.name], `${id} differs from regions.${regionName}.backboneLinks[${i}].attachmentId ${l.attachmentId} in the fleet settings: keep only one`));
      return l;
    }
    return { ...l, attachmentId: id };
  });
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') ? path : rel;
}
