/** GET /admin/projections and the rebuild actions, over the process's projection engine. */
import { Injectable } from '@nestjs/common';
import { DomainError } from '@trellis/domain';
import { GenerationConflictError } from '@trellis/readstore';
import { ProjectionEngine, type ProjectionStatus, type RebuildProgress } from '@trellis/runtime/projections';

@Injectable()
export class ProjectionsService {
  constructor(private readonly engine: ProjectionEngine) {}

  async list(): Promise<{ projections: ProjectionStatus[] }> {
    return { projections: await this.engine.statuses() };
  }

  async rebuild(name: string, fresh = false): Promise<{ projection: string; rebuild: RebuildProgress }> {
    const runner = this.engine.runner(name);
    try {
      return { projection: name, rebuild: await runner.rebuild({ fresh }) };
    } catch (error) {
      // The projection runs on another node (server backends): that node takes the request.
      if (error instanceof GenerationConflictError) throw new DomainError('unavailable', error.message, { projection: name });
      throw error;
    }
  }

  async cancelRebuild(name: string): Promise<{ projection: string; rebuild: RebuildProgress | null }> {
    return { projection: name, rebuild: await this.engine.runner(name).cancelRebuild() };
  }
}
