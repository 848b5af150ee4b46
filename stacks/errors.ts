/** A tenant asked for by id that has no contract. */
export class UnknownTenantError extends Error {}
