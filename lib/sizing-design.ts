/**
 * What each size class is designed for, before measurement: the instance type and the terminal
 * count the capacity bench must prove (lib/sizing.ts caps the figure with the measurement; the
 * bench, test/e2e/bench-gateway.ts, reads the counts from here without needing a measurement).
 */
/** The terminal counts each class is designed for (the bench measures each of them). */
export const DESIGN_TERMINALS = { small: 250, medium: 1000, large: 3000, xlarge: 10000 } as const;

// Compute-optimised instances: IPsec is CPU-bound (AES-NI) and needs steady, not burstable, CPU.
export const DESIGN = [
  { name: 'small', instanceType: 'c6i.large', vcpus: 2, maxRequestsPerSecond: 200, baselineMbps: 781 },
  { name: 'medium', instanceType: 'c6i.xlarge', vcpus: 4, maxRequestsPerSecond: 800, baselineMbps: 1562 },
  { name: 'large', instanceType: 'c6i.2xlarge', vcpus: 8, maxRequestsPerSecond: 2500, baselineMbps: 3125 },
  { name: 'xlarge', instanceType: 'c6i.4xlarge', vcpus: 16, maxRequestsPerSecond: 8000, baselineMbps: 6250 },
] as const;

