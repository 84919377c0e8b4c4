import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { SignedInUser } from '@app/common';
import type { UserScope } from '@app/common';
import { MeDto } from './dto/me.dto';
import { UsersService } from './users.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('v1/me')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user and their memberships.' })
  @ApiOkResponse({ type: MeDto })
  me(@SignedInUser() caller: UserScope): Promise<MeDto> {
    return this.users.me(caller);
  }
}
