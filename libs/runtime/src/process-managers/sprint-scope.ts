/**
 * Keeps a sprint's scope and its issues' `sprint` consistent (libs/domain, entity/scope.ts): each
 * side records its own half, and this process manager sends the other half.
 *   SprintIssueAdded      → ScheduleIssue on the issue
 *   SprintIssueRemoved    → UnscheduleIssue on the issue
 *   SprintIssuesReleased  → ReturnIssueToBacklog on each released issue (the sprint closed)
 *   IssueScheduled with previousSprintId → RemoveIssueFromSprint on the sprint it moved out of
 * Every command is idempotent in the decider too, so a reaction that arrives late (the issue moved
 * on, the previous sprint closed) changes nothing or is rejected in a way tolerated here.
 */
import { entityEventType, entityIdOf, entityStreamId, ISSUE_LIFECYCLE, SPRINT_LIFECYCLE, type EntityEventData } from '@trellis/domain';
import type { RecordedEvent } from '@trellis/eventstore';
import { reactionKey, type EntityCommandData, type ProcessManager, type Reaction } from './process-manager';

const NAME = 'sprint-scope';

const TYPES = {
  added: entityEventType(SPRINT_LIFECYCLE, 'IssueAdded'),
  removed: entityEventType(SPRINT_LIFECYCLE, 'IssueRemoved'),
  released: entityEventType(SPRINT_LIFECYCLE, 'IssuesReleased'),
  scheduled: entityEventType(ISSUE_LIFECYCLE, 'Scheduled'),
};

// An issue or sprint that is gone or of another kind cannot take its half: nothing to repair.
const MISSING = ['not_found', 'validation_failed'] as const;

export const sprintScopeProcessManager: ProcessManager = {
  name: NAME,
  eventTypes: Object.values(TYPES),
  react(event) {
    const to = (lifecycle: string, id: string, command: EntityCommandData, tolerate: Reaction['tolerate'] = MISSING): Reaction => ({
      streamId: entityStreamId(lifecycle, id),
      command,
      idempotencyKey: reactionKey(NAME, event),
      tolerate,
    });
    const sprintId = entityIdOf(SPRINT_LIFECYCLE, event.streamId);
    switch (event.type) {
      case TYPES.added: {
        const { issueId } = event.data as EntityEventData['IssueAdded'];
        return sprintId ? [to(ISSUE_LIFECYCLE, issueId, { type: 'ScheduleIssue', sprintId })] : [];
      }
      case TYPES.removed: {
        const { issueId } = event.data as EntityEventData['IssueRemoved'];
        return sprintId ? [to(ISSUE_LIFECYCLE, issueId, { type: 'UnscheduleIssue', sprintId })] : [];
      }
      case TYPES.released: {
        const { issueIds } = event.data as EntityEventData['IssuesReleased'];
        return sprintId ? issueIds.map((issueId) => to(ISSUE_LIFECYCLE, issueId, { type: 'ReturnIssueToBacklog', sprintId })) : [];
      }
      case TYPES.scheduled: {
        const { previousSprintId } = event.data as EntityEventData['Scheduled'];
        const issueId = entityIdOf(ISSUE_LIFECYCLE, event.streamId);
        if (!previousSprintId || !issueId) return [];
        // A closed sprint's scope is its record and can no longer change: invalid_transition.
        return [to(SPRINT_LIFECYCLE, previousSprintId, { type: 'RemoveIssueFromSprint', issueId }, [...MISSING, 'invalid_transition'])];
      }
      default:
        return [];
    }
  },
};
