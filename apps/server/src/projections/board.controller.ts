import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ROLES } from '@trellis/domain/access';
import { BoardQueries, type BoardView } from '@trellis/projections';
import { ProjectRoles } from '../common/auth/roles.decorator';
import { BoardQueryDto } from './dto/board-query.dto';

@ApiTags('read models')
@ApiBearerAuth()
@Controller('projects')
export class BoardController {
  constructor(private readonly boards: BoardQueries) {}

  @Get(':id/board')
  @ProjectRoles('id', ...ROLES)
  @ApiOkResponse({ description: 'Columns (one per issue state) with cards, WIP and points, and the burndown series of the sprint.' })
  board(@Param('id') projectId: string, @Query() query: BoardQueryDto): Promise<BoardView> {
    return this.boards.board(projectId, query.sprint);
  }
}
