import { builtInLifecycles } from '../testing/sprint-script';
import { DEFAULT_BOARD_RULES } from './board-rules';

describe('the board rules', () => {
  it('match the built-in issue and sprint lifecycles', () => {
    const [, sprint, issue] = builtInLifecycles();
    expect(DEFAULT_BOARD_RULES.issueStates).toEqual(Object.keys(issue.states));
    const finals = Object.values(issue.states).filter((s) => s.final).map((s) => s.name);
    expect([...DEFAULT_BOARD_RULES.finishedStates].sort()).toEqual(['Done', ...finals].sort());
    expect(Object.keys(issue.states)).toContain(DEFAULT_BOARD_RULES.blockedState);
    expect(sprint.transitions.start.to).toBe(DEFAULT_BOARD_RULES.sprintStartState);
    expect(Object.values(sprint.states).filter((s) => s.final).map((s) => s.name)).toEqual(DEFAULT_BOARD_RULES.sprintEndStates);
  });
});
