/**
 * Sprint scope is built into the sprint and issue lifecycles (LIFECYCLES.md, Built-in
 * lifecycles), so the two are known here by name: a sprint holds a scope, an issue can be in one
 * sprint, and an issue counts as finished in `Done` or in any final state.
 */
export const SPRINT_LIFECYCLE = 'sprint';
export const ISSUE_LIFECYCLE = 'issue';
export const FINISHED_ISSUE_STATE = 'Done';
