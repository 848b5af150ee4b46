/**
 * Risk flags: changes that may weaken a promise of the whitepaper. Each names the tenant, the
 * resource, the attribute, before and after, and the controls, so a reviewer sees what breaks.
 */
import { JAPAN_REGIONS } from '../commitments';
import { carrierPathOpened } from './carrier-path';
import { controlsFor, REGION_CONTROLS, sortControls } from './controls';
import { regionMove } from './diff';
import { cryptoWeakenings } from './gateway-vars';
import { describePermission, ingressOf, widenedIngress, type Permission } from './ingress';
import { deniesWithoutTls, instanceDisks, policyStatements, sseDefault } from '../output/terraform';
import { awsProvider, defaultTags, resourcesOf } from './resources';
import { relayDestinationsAdded } from './relay';
import { promisedDays, retentionRules } from './retention';
import { newlyFailing, type RuleFinding } from './rules';
import type { ResourceChange, Risk, StackConfig, TenantOutput } from './types';

export const SCOPE_TAG = 'ras:iso27017-scope';

export interface RiskInput {
  readonly tenant: string;
  readonly base?: TenantOutput;
  readonly head?: TenantOutput;
  readonly changes: readonly ResourceChange[];
  readonly rules?: { readonly base: readonly RuleFinding[]; readonly head: readonly RuleFinding[] };
}

export function findRisks(input: RiskInput): Risk[] {
  const { tenant } = input;
  const base = input.base?.config;
  const head = input.head?.config;
  const risks: Risk[] = [...destroyedProtected(input)];
  if (base !== undefined && head !== undefined) {
    risks.push(...ingress(tenant, base, head), ...crypto(input, base, head), ...retention(tenant, base, head), ...regionAndScope(tenant, base, head), ...carrierPathOpened(tenant, base, head));
  }
  risks.push(...relayDestinationsAdded(tenant, input.base?.gatewayVars, input.head?.gatewayVars));
  if (input.rules !== undefined) {
    for (const f of newlyFailing(input.rules.base, input.rules.head)) {
      risks.push({ code: 'rule-newly-failing', tenant, address: f.resource, message: `rule ${f.rule} now fails: ${f.message}`, controls: sortControls(f.controls) });
    }
  }
  return risks;
}

/** Destroying or re-creating the gateway interrupts the service; the log archive and its key hold the evidence. */
function destroyedProtected(input: RiskInput): Risk[] {
  const out: Risk[] = [];
  for (const c of input.changes) {
    // A rename without a `moved` block is a destroy (flagged here, where the reason names the new
    // address) plus an add: one flag, not two.
    if (c.action !== 'destroy' && c.action !== 'replace') continue;
    const how = c.action === 'destroy' ? 'destroyed' : 'replaced (destroyed, then created anew)';
    const forced = c.attributes.filter((a) => a.forcesReplacement).map((a) => a.path);
    const attribute = forced.length > 0 ? forced.join(', ') : undefined;
    if (c.type === 'aws_instance') {
      out.push({ code: 'gateway-destroyed', tenant: input.tenant, address: c.address, attribute, message: `gateway instance ${how}${c.reason ? `: ${c.reason}` : ''}`, controls: sortControls(['CLD9.5.2', '12.1.2']) });
    } else if (c.type === 'aws_s3_bucket' || c.type === 'aws_kms_key') {
      const what = c.type === 'aws_s3_bucket' ? 'log archive bucket' : 'tenant key (encrypts the log archive)';
      out.push({ code: 'log-archive-destroyed', tenant: input.tenant, address: c.address, attribute, message: `${what} ${how}${c.reason ? `: ${c.reason}` : ''}`, controls: sortControls(['12.4.1', '18.1.3', 'CLD8.1.5']) });
    }
  }
  return out;
}

function ingress(tenant: string, base: StackConfig, head: StackConfig): Risk[] {
  const before = ingressOf(base);
  return widenedIngress(base, head).map((p) => {
    const [address, inline] = p.where.split('.ingress');
    const was = before.find((b) => b.where === p.where);
    return {
      code: 'ingress-widened' as const,
      tenant,
      address,
      attribute: inline !== undefined ? `ingress${inline}` : widenedFields(was, p),
      ...(was !== undefined ? { before: describePermission(was) } : {}),
      after: describePermission(p),
      message: was === undefined ? `new ingress rule: ${describePermission(p)}` : `ingress widened to ${describePermission(p)}`,
      controls: sortControls(['CLD9.5.2', '13.1.3']),
    };
  });
}

/** Which of a rule resource's fields let more in (its source, for a new rule). */
function widenedFields(was: Permission | undefined, now: Permission): string {
  if (was === undefined) return 'cidr_ipv4';
  const fields = [
    was.cidr !== now.cidr ? 'cidr_ipv4' : '',
    was.protocol !== now.protocol ? 'ip_protocol' : '',
    was.fromPort !== now.fromPort ? 'from_port' : '',
    was.toPort !== now.toPort ? 'to_port' : '',
  ].filter(Boolean);
  return fields.join(', ') || 'cidr_ipv4';
}

function crypto(input: RiskInput, base: StackConfig, head: StackConfig): Risk[] {
  const tenant = input.tenant;
  const out: Risk[] = cryptoWeakenings(input.base?.gatewayVars, input.head?.gatewayVars).map((w) => ({
    code: 'crypto-weakened' as const,
    tenant,
    address: 'gateway variables (ansible host_vars)',
    attribute: w.variable,
    before: w.before,
    after: w.after,
    message: `crypto weakened: ${w.why}`,
    controls: sortControls(w.controls),
  }));
  const before = resourcesOf(base);
  for (const [address, r] of resourcesOf(head)) {
    const old = before.get(address);
    if (old === undefined) continue;
    if (r.type === 'aws_s3_bucket_policy' && denyInsecureTransport(old.body.policy) && !denyInsecureTransport(r.body.policy)) {
      out.push({ code: 'crypto-weakened', tenant, address, attribute: 'policy', message: 'TLS-only bucket policy removed: the log archive accepts plain HTTP requests', controls: ['18.1.3', '18.1.5'] });
    }
    if (r.type === 'aws_s3_bucket_server_side_encryption_configuration' && sseOf(old.body) === 'aws:kms' && sseOf(r.body) !== 'aws:kms') {
      out.push({ code: 'crypto-weakened', tenant, address, attribute: 'rule.apply_server_side_encryption_by_default.sse_algorithm', before: 'aws:kms', after: sseOf(r.body), message: 'log archive no longer encrypted with the tenant key', controls: ['10.1.1', '18.1.3'] });
    }
    if (r.type === 'aws_instance' && rootEncrypted(old.body) && !rootEncrypted(r.body)) {
      out.push({ code: 'crypto-weakened', tenant, address, attribute: 'root_block_device.encrypted', before: true, after: false, message: 'gateway root volume no longer encrypted', controls: ['10.1.1'] });
    }
  }
  for (const [address, r] of before) {
    if (r.type === 'aws_s3_bucket_policy' && denyInsecureTransport(r.body.policy) && !resourcesOf(head).has(address)) {
      out.push({ code: 'crypto-weakened', tenant, address, attribute: 'policy', message: 'TLS-only bucket policy removed with its resource', controls: ['18.1.3', '18.1.5'] });
    }
  }
  return out;
}

/** A statement denying requests without TLS (output/terraform.ts's reading, the one LogArchiveRequiresTls judges with). */
function denyInsecureTransport(policy: unknown): boolean {
  const text = typeof policy === 'string' ? policy : JSON.stringify(policy ?? null);
  return (policyStatements(text) ?? []).some(deniesWithoutTls);
}

function sseOf(body: Record<string, unknown>): unknown {
  return sseDefault(body)?.sse_algorithm;
}

function rootEncrypted(body: Record<string, unknown>): boolean {
  return instanceDisks(body)[0].disk?.encrypted === true;
}

function retention(tenant: string, base: StackConfig, head: StackConfig): Risk[] {
  const out: Risk[] = [];
  const before = retentionRules(base);
  const after = retentionRules(head);
  const controls = controlsFor('aws_s3_bucket_lifecycle_configuration');
  for (const [id, b] of before) {
    const a = after.get(id);
    const at = (field: string) => `rule[${a?.index ?? b.index}].${field} (${id})`;
    const erase = b.date !== undefined && b.prefix === '';
    if (a === undefined || (!a.enabled && b.enabled)) {
      const what = a === undefined ? 'removed' : 'disabled';
      out.push(
        erase
          ? { code: 'erasure-weakened', tenant, address: b.address, attribute: at('status'), message: `erasure rule ${id} ${what}: data may outlive termination + 45 days`, controls: ['CLD8.1.5'] }
          : { code: 'retention-changed', tenant, address: b.address, attribute: at('status'), message: `lifecycle rule ${id} ${what}: objects under ${b.prefix || '(all)'} are kept indefinitely`, controls },
      );
      continue;
    }
    if (b.date !== undefined && a.date !== undefined && a.date > b.date) {
      out.push({ code: 'erasure-weakened', tenant, address: a.address, attribute: at('expiration.date'), before: b.date, after: a.date, message: `erasure moved later (${b.date} → ${a.date})`, controls: ['CLD8.1.5'] });
    }
    if (b.days !== undefined && a.days !== b.days) {
      const promise = promisedDays(a.prefix);
      const shorter = a.days !== undefined && a.days < b.days;
      const beyond = promise !== undefined && a.days !== promise;
      if (shorter || beyond || a.days === undefined) {
        const why = a.days === undefined ? 'no longer expires' : shorter ? 'shortened' : 'lengthened';
        const vsPromise = promise === undefined ? '' : a.days === undefined || a.days > promise ? ` (promise: ${promise} days; kept longer than promised)` : a.days < promise ? ` (promise: ${promise} days; below the promise)` : ` (promise: ${promise} days)`;
        out.push({
          code: 'retention-changed',
          tenant,
          address: a.address,
          attribute: at('expiration.days'),
          before: b.days,
          after: a.days,
          message: `retention of ${a.prefix || id} ${why}: ${b.days} → ${a.days ?? 'never'} days${vsPromise}`,
          controls,
          ...(promise !== undefined && a.prefix !== undefined ? { promise: { days: promise, prefix: a.prefix } } : {}),
        });
      }
    }
    if (b.noncurrentDays !== undefined && (a.noncurrentDays === undefined || a.noncurrentDays > b.noncurrentDays)) {
      out.push({ code: 'retention-changed', tenant, address: a.address, attribute: at('noncurrent_version_expiration.noncurrent_days'), before: b.noncurrentDays, after: a.noncurrentDays, message: `old object versions under ${a.prefix || id} kept longer (${b.noncurrentDays} → ${a.noncurrentDays ?? 'never'} days)`, controls });
    }
  }
  return out;
}

function regionAndScope(tenant: string, base: StackConfig, head: StackConfig): Risk[] {
  const out: Risk[] = [];
  const rb = awsProvider(base).region;
  const rh = awsProvider(head).region;
  if (rb !== rh) {
    const japan = typeof rh === 'string' && JAPAN_REGIONS.includes(rh);
    out.push({
      code: 'region-changed',
      tenant,
      address: 'provider.aws',
      attribute: 'region',
      before: rb,
      after: rh,
      message: `region ${String(rb)} → ${String(rh)}${japan ? '' : ' (outside Japan)'}: ${regionMove(rb, rh)}`,
      controls: REGION_CONTROLS,
    });
  }
  const sb = defaultTags(base)[SCOPE_TAG];
  const sh = defaultTags(head)[SCOPE_TAG];
  if (sb !== sh) {
    out.push({ code: 'scope-changed', tenant, address: 'provider.aws', attribute: `default_tags.${SCOPE_TAG}`, before: sb, after: sh, message: `ISO/IEC 27017 scope ${sb ?? '(none)'} → ${sh ?? '(none)'}`, controls: ['8.2.2'] });
  }
  return out;
}
