/**
 * 8.2 / 12.1.3: each gateway is sized from the terminals and requests per second the customer
 * declared. A class is the smallest whose limits cover both figures.
 *
 * sizeClassesFrom caps each class's design figure by a measurement: the capacity bench
 * (`npm run bench:gateway`, bench/gateway-capacity.json) connects real tunnels to the converged
 * gateway, and the largest count held there, scaled by vCPUs (IKE is CPU-bound) and reduced by
 * CAPACITY_MARGIN, caps the design figure.
 */
import { DESIGN, DESIGN_TERMINALS } from './sizing-design';
import measured from '../bench/gateway-capacity.json';

export { DESIGN_TERMINALS };

export interface SizeClass {
  readonly name: 'small' | 'medium' | 'large' | 'xlarge';
  readonly instanceType: string;
  /** vCPUs of the instance type: the measured capacity is scaled by these. */
  readonly vcpus: number;
  readonly maxTerminals: number;
  readonly maxRequestsPerSecond: number;
  /** Sustained network bandwidth of the instance type, used for the network alarm. */
  readonly baselineMbps: number;
  /**
   * Where maxTerminals comes from: `measured` (a bench run on as many or more cores held at
   * least this many tunnels), `scaled` (the measurement scaled up to the class's vCPUs) or
   * `design` (no complete measurement yet).
   */
  readonly capacityBasis: 'measured' | 'scaled' | 'design';
}

/** One run of the capacity bench (the fields sizing reads). */
export interface CapacityRun {
  readonly terminals: number;
  readonly established: number;
  readonly limitedBy?: string;
  readonly rekey?: { readonly establishedAfter: number };
}

export interface CapacityData {
  readonly machine: { readonly cpus: number };
  readonly runs: readonly CapacityRun[];
}

/**
 * Headroom kept below the measured figure: reconnect bursts after an outage and rekey storms
 * arrive at once, and the bench's initiator shared the measured cores with the gateway.
 */
export const CAPACITY_MARGIN = 0.8;

/** The largest count a run held completely (all established, none lost in its rekey storm). */
export function provenTerminals(data: CapacityData): number {
  const held = data.runs.filter((r) => r.limitedBy === undefined && r.established >= r.terminals && (r.rekey === undefined || r.rekey.establishedAfter >= r.terminals));
  if (held.length === 0) throw new Error('bench/gateway-capacity.json: no run held all its tunnels; run `npm run bench:gateway`');
  return Math.max(...held.map((r) => r.terminals));
}

export function sizeClassesFrom(data: CapacityData, margin = CAPACITY_MARGIN): SizeClass[] {
  if (!(data.machine.cpus > 0)) throw new Error('bench/gateway-capacity.json: machine.cpus is missing');
  const proven = provenTerminals(data);
  return DESIGN.map((d) => {
    const limit = Math.floor(((proven * d.vcpus) / data.machine.cpus) * margin);
    return { ...d, maxTerminals: Math.min(DESIGN_TERMINALS[d.name], limit), capacityBasis: d.vcpus <= data.machine.cpus ? 'measured' : 'scaled' };
  });
}

/**
 * The classes this product sizes with: the design figures capped by the committed measurement
 * (bench/gateway-capacity.json). Rerunning `npm run bench:gateway` and committing its file is
 * how a new measurement reaches every contract check, stack and alert.
 */
export const SIZE_CLASSES: readonly SizeClass[] = sizeClassesFrom(measured as CapacityData);

/** The class for the declared figures, or undefined when they exceed the largest class. */
export function sizeFor(terminals: number, requestsPerSecond: number): SizeClass | undefined {
  return SIZE_CLASSES.find((c) => terminals <= c.maxTerminals && requestsPerSecond <= c.maxRequestsPerSecond);
}
