/**
 * 8.2 / 12.1.3: each gateway is sized from the terminals and requests per second the customer
 * declared. A class is the smallest whose limits cover both figures.
 */

export interface SizeClass {
  readonly name: 'small' | 'medium' | 'large' | 'xlarge';
  readonly instanceType: string;
  readonly maxTerminals: number;
  readonly maxRequestsPerSecond: number;
  /** Sustained network bandwidth of the instance type, used for the network alarm. */
  readonly baselineMbps: number;
}

// Compute-optimised instances: IPsec is CPU-bound (AES-NI) and needs steady, not burstable, CPU.
export const SIZE_CLASSES: readonly SizeClass[] = [
  { name: 'small', instanceType: 'c6i.large', maxTerminals: 250, maxRequestsPerSecond: 200, baselineMbps: 781 },
  { name: 'medium', instanceType: 'c6i.xlarge', maxTerminals: 1000, maxRequestsPerSecond: 800, baselineMbps: 1562 },
  { name: 'large', instanceType: 'c6i.2xlarge', maxTerminals: 3000, maxRequestsPerSecond: 2500, baselineMbps: 3125 },
  { name: 'xlarge', instanceType: 'c6i.4xlarge', maxTerminals: 10000, maxRequestsPerSecond: 8000, baselineMbps: 6250 },
];

/** The class for the declared figures, or undefined when they exceed the largest class. */
export function sizeFor(terminals: number, requestsPerSecond: number): SizeClass | undefined {
  return SIZE_CLASSES.find((c) => terminals <= c.maxTerminals && requestsPerSecond <= c.maxRequestsPerSecond);
}
