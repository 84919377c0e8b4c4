import { Injectable } from '@nestjs/common';
import { PrismaService } from '@app/database';

@Injectable()
export class HealthRepository {
  constructor(private readonly prisma: PrismaService) {}

  async appliedMigrationNames(): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ migration_name: string }[]>`
      SELECT migration_name FROM _prisma_migrations
       WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
    return rows.map((row) => row.migration_name);
  }
}
