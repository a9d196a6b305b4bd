import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/auth/roles.decorator';
import { RebuildQueryDto } from './dto/rebuild-query.dto';
import { ProjectionsService } from './projections.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin/projections')
@Roles('admin')
export class ProjectionsAdminController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOkResponse({ description: 'Per projection: checkpoint, lag (events behind), status, error, rebuild progress.' })
  list() {
    return this.projections.list();
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'The rebuild runs in the background (or resumes a canceled one); reads keep working.' })
  rebuild(@Param('name') name: string, @Query() query: RebuildQueryDto) {
    return this.projections.rebuild(name, query.fresh);
  }

  @Delete(':name/rebuild')
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'Cancels a running rebuild; what it built is kept, and POST .../rebuild resumes it.' })
  cancel(@Param('name') name: string) {
    return this.projections.cancelRebuild(name);
  }
}
