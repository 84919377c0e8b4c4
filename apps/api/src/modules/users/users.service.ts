import { Injectable } from '@nestjs/common';
import { problems, UserScope } from '@app/common';
import { TenantTransactions } from '@app/database';
import { MeDto } from './dto/me.dto';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly transactions: TenantTransactions,
    private readonly users: UsersRepository,
  ) {}

  me(caller: UserScope): Promise<MeDto> {
    const { userId } = caller.actor;
    return this.transactions.runForUser(userId, async (tx) => {
      const user = await this.users.findWithMemberships(tx, userId);
      if (!user) throw problems.unauthorized('The account no longer exists.');
      return user;
    });
  }
}
