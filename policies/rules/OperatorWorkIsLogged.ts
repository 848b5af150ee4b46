import { OPERATOR_WORK_RETENTION_DAYS, OPERATOR_WORK_STREAM } from '../../commitments';
import { GATEWAY_VARIABLE_NAMES as V } from '../../output/gateway-variables';
import { forActive, variableFile, withGatewayVariables } from '../gates';
import { evidence, finding, judge } from '../results';
import { prefixExpiresAfter } from '../retention';
import type { Evidence, Finding, Rule } from '../types';
import { asList, ofType, policyStatements } from '../view';

/** Programs whose lines must reach the stream: SSH sessions, sudo commands, the audit trail. */
export const REQUIRED_OPERATOR_SOURCES = ['sshd', 'sudo', 'auditd'] as const;

/** Packages the hardening role must install for the work to be recorded at all. */
export const REQUIRED_OPERATOR_PACKAGES = ['auditd', 'sudo'] as const;

/**
 * 8.5 / 12.4.3: what operators did on the gateway is recorded (SSH sessions, sudo commands,
 * account and configuration changes from the audit trail), written to the provider's own
 * operator-work stream (kept apart from the customer's streams, 18.1.3), shipped to the archive
 * under its provider prefix, and kept there for the stated days. The evidence says where the
 * logs live and for how long.
 */
export const OperatorWorkIsLogged: Rule = ({ tenant }) =>
  forActive(tenant, 'the gateway', () =>
    withGatewayVariables(tenant, (vars) => {
      const findings: Finding[] = [];
      const seen: Evidence[] = [];
      const work = vars.operatorWork;

      const streamFile = variableFile(vars, V.operatorStream);
      if (work.stream?.prefix === OPERATOR_WORK_STREAM.prefix && work.stream.id === OPERATOR_WORK_STREAM.id) {
        seen.push(evidence(streamFile, `${V.operatorStream}.prefix`, work.stream.prefix));
      } else {
        findings.push(finding(streamFile, V.operatorStream, work.stream, `{ id: ${OPERATOR_WORK_STREAM.id}, prefix: ${OPERATOR_WORK_STREAM.prefix} }`));
      }
      if (work.dir !== undefined && work.dir.startsWith('/var/log/')) seen.push(evidence(variableFile(vars, V.operatorDir), V.operatorDir, work.dir));
      else findings.push(finding(variableFile(vars, V.operatorDir), V.operatorDir, work.dir, 'a folder of its own under /var/log/'));

      const sources = work.sources ?? [];
      const missingSources = REQUIRED_OPERATOR_SOURCES.filter((s) => !sources.includes(s));
      if (work.sources !== undefined && missingSources.length === 0) seen.push(evidence(variableFile(vars, V.operatorSources), V.operatorSources, sources.join(', ')));
      else findings.push(finding(variableFile(vars, V.operatorSources), V.operatorSources, work.sources, `programs including ${REQUIRED_OPERATOR_SOURCES.join(', ')}`));

      const packages = work.packages ?? [];
      const missingPackages = REQUIRED_OPERATOR_PACKAGES.filter((p) => !packages.includes(p));
      if (work.packages !== undefined && missingPackages.length === 0) seen.push(evidence(variableFile(vars, V.hardeningPackages), V.hardeningPackages, REQUIRED_OPERATOR_PACKAGES.join(', ')));
      else findings.push(finding(variableFile(vars, V.hardeningPackages), V.hardeningPackages, missingPackages.length > 0 ? `without ${missingPackages.join(', ')}` : work.packages, `packages including ${REQUIRED_OPERATOR_PACKAGES.join(', ')}`));

      // Shipped: the gateway may write the provider prefix of the archive ...
      const grant = ofType(tenant, 'aws_iam_role_policy')
        .flatMap((p) =>
          (policyStatements(p.config.policy) ?? []).flatMap((s, i) =>
            s.Effect === 'Allow' && asList(s.Action).includes('s3:PutObject') ? asList(s.Resource).map((r) => ({ address: p.address, path: `policy.Statement[${i}].Resource`, r })) : [],
          ),
        )
        .find((g) => typeof g.r === 'string' && g.r.endsWith(`/${OPERATOR_WORK_STREAM.prefix}*`));
      if (grant !== undefined) seen.push(evidence(grant.address, grant.path, grant.r));
      else findings.push(finding('aws_iam_role_policy', 'policy.Statement[].Resource', undefined, `s3:PutObject on the archive's ${OPERATOR_WORK_STREAM.prefix}*`));

      // ... and kept there for the stated days.
      const kept = prefixExpiresAfter(tenant, OPERATOR_WORK_STREAM.prefix, OPERATOR_WORK_RETENTION_DAYS, 'the operator work logs');
      if (kept.status === 'compliant') seen.push(...kept.evidence);
      else if (kept.status === 'non_compliant') {
        findings.push(...kept.findings);
        seen.push(...kept.evidence);
      }
      return judge(findings, seen);
    }),
  );
