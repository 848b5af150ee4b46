/** Nothing synthesized to judge (no stacks in the output folder). */
export class NothingToCheckError extends Error {}

/** The suppressions file is unreadable or breaks its rules (no wildcards, a written reason). */
export class SuppressionError extends Error {}
