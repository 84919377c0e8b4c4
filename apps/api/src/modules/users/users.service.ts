import { Injectable } from '@nestjs/common';
import { problems, RequestContext } from '@app/common';
import { TenantTransactions } from '@app/database';
import { MeDto } from './dto/me.dto';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly context: RequestContext,
    private readonly transactions: TenantTransactions,
    private readonly users: UsersRepository,
  ) {}

  me(): Promise<MeDto> {
    const userId = this.context.userId();
    return this.transactions.runForUser(userId, async (tx) => {
      const user = await this.users.findWithMemberships(tx, userId);
      if (!user) throw problems.unauthorized('The account no longer exists.');
      return user;
    });
  }
}
