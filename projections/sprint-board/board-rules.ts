/**
 * What the board needs to know about the issue and sprint lifecycles. The defaults are the
 * built-in definitions (definitions/lifecycles/issue.yaml and sprint.yaml; a spec keeps them in
 * step). They are fixed for the life of a read model: a rebuild applies them to all history.
 */
export interface BoardRules {
  /** Issue states in column order. */
  issueStates: readonly string[];
  /** Issue states whose points no longer count as remaining work. */
  finishedStates: readonly string[];
  blockedState: string;
  /** Entering this state starts the sprint (and its burndown). */
  sprintStartState: string;
  /** Entering one of these ends it. */
  sprintEndStates: readonly string[];
}

export const DEFAULT_BOARD_RULES: BoardRules = {
  issueStates: ['Backlog', 'Ready', 'InProgress', 'InReview', 'Testing', 'Done', 'Blocked', 'Abandoned'],
  finishedStates: ['Done', 'Abandoned'],
  blockedState: 'Blocked',
  sprintStartState: 'Active',
  sprintEndStates: ['Closed'],
};
