import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ISSUE_LIFECYCLE } from '@trellis/domain';
import { EntityLifecycle } from './entity-kinds';
import { EntityRoutes } from './entity-routes';

@ApiTags('issues')
@ApiBearerAuth()
@Controller('issues')
@EntityLifecycle(ISSUE_LIFECYCLE)
export class IssuesController extends EntityRoutes {}
