/**
 * 8.2 / 12.1.3: each gateway is sized from the terminals and requests per second the customer
 * declared. A class is the smallest whose limits cover both figures.
 */
import { DESIGN, DESIGN_TERMINALS } from './sizing-design';

export interface SizeClass {
  readonly name: 'small' | 'medium' | 'large' | 'xlarge';
  readonly instanceType: string;
  readonly vcpus: number;
  readonly maxTerminals: number;
  readonly maxRequestsPerSecond: number;
  /** Sustained network bandwidth of the instance type, used for the network alarm. */
  readonly baselineMbps: number;
}

export const SIZE_CLASSES: readonly SizeClass[] = DESIGN.map((d) => ({ ...d, maxTerminals: DESIGN_TERMINALS[d.name] }));

/** The class for the declared figures, or undefined when they exceed the largest class. */
export function sizeFor(terminals: number, requestsPerSecond: number): SizeClass | undefined {
  return SIZE_CLASSES.find((c) => terminals <= c.maxTerminals && requestsPerSecond <= c.maxRequestsPerSecond);
}
