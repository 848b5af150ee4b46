/** Bad input to plan-review (a missing folder, an unreadable plan, an unknown git ref): exit 2. */
export class ReviewInputError extends Error {}
