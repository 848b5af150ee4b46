import { absence, evidence, finding, judge, notApplicable } from '../results';
import { covers, describeOpening, fromInternet, SG_RULE_SOURCES, sgRules } from '../network';
import type { Evidence, Finding, Rule } from '../types';

/** Management and monitoring ports: SSH, telnet, RDP, VNC, WinRM, node_exporter. */
export const MANAGEMENT_PORTS: readonly { readonly name: string; readonly port: number }[] = [
  { name: 'ssh', port: 22 },
  { name: 'telnet', port: 23 },
  { name: 'rdp', port: 3389 },
  { name: 'vnc', port: 5900 },
  { name: 'winrm', port: 5985 },
  { name: 'winrm-https', port: 5986 },
  { name: 'node-exporter', port: 9100 },
];

/** 5.8 / CLD9.5.2: no management port is reachable from the internet (0.0.0.0/0, ::/0 or an unresolvable source). */
export const NoManagementPortOpenToInternet: Rule = ({ tenant }) => {
  const findings: Finding[] = [];
  const seen: Evidence[] = [];
  const ingress = sgRules(tenant).filter((r) => r.direction === 'ingress');
  // No ingress rule at all (a terminated tenant's stack): nothing is exposed, and nothing to judge.
  if (ingress.length === 0) return notApplicable(`no ingress rule in the stack (searched: ${SG_RULE_SOURCES})`);
  for (const rule of ingress) {
    const exposed = MANAGEMENT_PORTS.filter((m) => covers(rule, 'tcp', m.port));
    if (exposed.length === 0) continue;
    const where = rule.cidrPath;
    if (fromInternet(rule)) {
      findings.push(finding(rule.resource, where, `${rule.cidrs.join(', ')} → ${describeOpening(rule)}`, `${exposed.map((m) => `${m.name} (tcp/${m.port})`).join(', ')} only from a restricted network`));
    } else {
      seen.push(evidence(rule.resource, where, `${rule.cidrs.join(', ')} → ${describeOpening(rule)}`));
    }
  }
  if (seen.length === 0) {
    seen.push(absence([...new Set(ingress.map((r) => r.resource))], 'ingress protocol/from_port/to_port', `none covers ${MANAGEMENT_PORTS.map((m) => `tcp/${m.port}`).join(', ')}`));
  }
  return judge(findings, seen);
};
