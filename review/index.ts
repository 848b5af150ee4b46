/** Plan review: what a change does to every tenant, before merge (see README "Plan review in CI"). */
export { ReviewInputError } from './errors';
export { renderMarkdown } from './markdown';
export { buildNotices, noticeText, writeNotices, type Notice } from './notices';
export { readPlanDocuments, type PlanDocument } from './plan-docs';
export { readOutput } from './read-output';
export { reviewSides, type ReviewOptions } from './review';
export { evaluateWithPolicies, type EvaluateSide, type RuleFinding } from './rules';
export { loadSide, type LoadedSide } from './side';
export type { Review, Side, TenantReview } from './types';
