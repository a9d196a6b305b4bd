/**
 * Reads of one entity, folded from its stream (DESIGN.md: "state of an entity as of time T /
 * revision N" folds the stream; the current state comes from the command pipeline's cache).
 */
import { Inject, Injectable } from '@nestjs/common';
import { DomainError, stateAt, type EntityDecider, type EntityEvent, type EntityState, type PointInStream, type StreamEvent } from '@trellis/domain';
import { EventStore, type RecordedEvent } from '@trellis/eventstore';
import { CommandPipeline } from '@trellis/runtime';
import type { Principal } from '../common/auth/principal';
import { assertAllowed, projectOf, type Permission } from './access/entity-access';
import { DEFAULT_HISTORY_PAGE, type HistoryQueryDto, type StateQueryDto } from './dto/entity-queries.dto';
import { toEntityDto, type EntityDto } from './dto/entity.dto';
import { toHistoryEventDto, type HistoryPageDto } from './dto/history.dto';
import { ENTITY_DECIDER } from './entity-decider';
import { streamOf, type EntityRef } from './entity-kinds';

@Injectable()
export class EntityQueries {
  constructor(
    private readonly store: EventStore,
    private readonly pipeline: CommandPipeline,
    @Inject(ENTITY_DECIDER) private readonly decider: EntityDecider,
  ) {}

  async load(ref: EntityRef): Promise<EntityState> {
    return (await this.pipeline.load(this.decider, streamOf(ref))).state;
  }

  /** The entity, if it exists and the principal may `need` it in its project. */
  async require(ref: EntityRef, principal: Principal, need: Permission = 'read'): Promise<EntityState> {
    const state = await this.load(ref);
    if (!state.exists) throw notFound(ref);
    assertAllowed(principal, projectOf(state), need);
    return state;
  }

  async get(ref: EntityRef, principal: Principal): Promise<EntityDto> {
    return toEntityDto(await this.require(ref, principal));
  }

  async history(ref: EntityRef, query: HistoryQueryDto, principal: Principal): Promise<HistoryPageDto> {
    await this.require(ref, principal);
    const limit = query.limit ?? DEFAULT_HISTORY_PAGE;
    const events = await this.store.readStream(streamOf(ref), { fromRevision: (query.after ?? -1) + 1, maxCount: limit + 1 });
    const page = events.slice(0, limit);
    return { events: page.map(toHistoryEventDto), next: events.length > limit ? page[page.length - 1].revision : null };
  }

  async stateAt(ref: EntityRef, query: StateQueryDto, principal: Principal): Promise<EntityDto> {
    await this.require(ref, principal);
    const point = pointOf(query);
    const events = await this.store.readStream(streamOf(ref), 'revision' in point ? { maxCount: point.revision + 1 } : {});
    if ('revision' in point && events.length <= point.revision) {
      throw new DomainError('not_found', `${ref.lifecycle} ${ref.id} has no revision ${point.revision} (its last is ${events.length - 1})`, { revision: point.revision });
    }
    const state = stateAt(this.decider, asEntityEvents(events), point);
    if (!state.exists) throw new DomainError('not_found', `${ref.lifecycle} ${ref.id} did not exist yet at ${query.at}`, { at: query.at });
    return toEntityDto(state);
  }

  /** The entity right after the event at `revision`: what a command's answer showed. */
  async stateAfter(ref: EntityRef, revision: number): Promise<EntityState> {
    return stateAt(this.decider, asEntityEvents(await this.store.readStream(streamOf(ref), { maxCount: revision + 1 })), { revision });
  }
}

export const notFound = (ref: EntityRef) => new DomainError('not_found', `no ${ref.lifecycle} ${ref.id}`, { lifecycle: ref.lifecycle, id: ref.id });

function pointOf(query: StateQueryDto): PointInStream {
  if ((query.at === undefined) === (query.revision === undefined)) {
    throw new DomainError('validation_failed', 'give exactly one of ?at=<ISO time> and ?revision=<N>', {
      violations: [{ path: 'query', message: 'exactly one of at, revision is required' }],
    });
  }
  return query.revision !== undefined ? { revision: query.revision } : { at: query.at! };
}

// An entity stream holds entity events only: the decider appended every one of them.
const asEntityEvents = (events: RecordedEvent[]) => events as unknown as Array<StreamEvent<EntityEvent>>;
