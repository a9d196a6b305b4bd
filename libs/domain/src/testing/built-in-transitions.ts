/**
 * The built-in lifecycles' transitions, written by hand from LIFECYCLES.md: what each state allows
 * (in definition order) and where each transition leads. Specs generate their cases from the
 * YAML definitions and compare with this table, so a definition that drifts from the spec fails.
 */
export type BuiltInLifecycle = 'project' | 'sprint' | 'issue';

export interface TransitionTable {
  /** state → the transitions allowed from it, in definition order. */
  allowed: Record<string, string[]>;
  /** transition → the state it leads to; `approval:` marks a gate (the first request is pending). */
  targets: Record<string, string>;
}

export const BUILT_IN_TRANSITIONS: Record<BuiltInLifecycle, TransitionTable> = {
  project: {
    allowed: {
      Draft: ['gather_requirements', 'cancel'],
      Requirements: ['design', 'cancel'],
      Architecture: ['plan', 'revise_requirements', 'cancel'],
      Planning: ['revise_architecture', 'activate', 'cancel'],
      Active: ['complete', 'cancel'],
      Completed: ['archive'],
      Archived: [],
    },
    targets: {
      gather_requirements: 'Requirements',
      design: 'Architecture',
      plan: 'Planning',
      revise_requirements: 'Requirements',
      revise_architecture: 'Architecture',
      activate: 'approval:Active',
      complete: 'approval:Completed',
      archive: 'Archived',
      cancel: 'Archived',
    },
  },
  sprint: {
    allowed: {
      Planning: ['start', 'cancel'],
      Active: ['review', 'cancel'],
      Review: ['reopen', 'retrospect'],
      Retrospective: ['close'],
      Closed: [],
    },
    targets: {
      start: 'approval:Active',
      review: 'Review',
      reopen: 'Active',
      retrospect: 'Retrospective',
      close: 'Closed',
      cancel: 'Closed',
    },
  },
  issue: {
    allowed: {
      Backlog: ['ready', 'block', 'abandon'],
      Ready: ['start', 'block', 'abandon'],
      InProgress: ['submit', 'block', 'abandon'],
      InReview: ['request_changes', 'accept_review', 'block', 'abandon'],
      Testing: ['fail_tests', 'pass_tests', 'block', 'abandon'],
      Done: ['reopen', 'abandon'],
      Blocked: ['unblock', 'abandon'],
      Abandoned: [],
    },
    targets: {
      ready: 'Ready',
      start: 'InProgress',
      submit: 'InReview',
      request_changes: 'InProgress',
      accept_review: 'approval:Testing',
      fail_tests: 'InProgress',
      pass_tests: 'Done',
      reopen: 'InProgress',
      block: 'Blocked',
      // to: history — the tests block it while Ready, so it leads back there.
      unblock: 'Ready',
      abandon: 'Abandoned',
    },
  },
};
