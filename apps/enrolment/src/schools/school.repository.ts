import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { foldForComparison } from '../common/text';
import { SchoolEntity } from './school.entity';

export interface NewSchool {
  id: string;
  code: string;
  name: string;
  region: string;
  city: string;
  createdBy: string;
}

@Injectable()
export class SchoolRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts the school, or returns null when the code is already taken. */
  async insertIfCodeFree(school: NewSchool): Promise<SchoolEntity | null> {
    const rows: Record<string, unknown>[] = await this.dataSource.query(
      `INSERT INTO schools (id, code, name, search_name, region, city, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (code) DO NOTHING
       RETURNING *`,
      [
        school.id,
        school.code,
        school.name,
        foldForComparison(school.name),
        school.region,
        school.city,
        school.createdBy,
      ],
    );
    return rows[0] ? toSchool(rows[0]) : null;
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<SchoolEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query('SELECT * FROM schools WHERE id = $1', [id]);
    return rows[0] ? toSchool(rows[0]) : null;
  }

  async findByCode(
    code: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<SchoolEntity | null> {
    const rows: Record<string, unknown>[] = await manager.query('SELECT * FROM schools WHERE code = $1', [
      code,
    ]);
    return rows[0] ? toSchool(rows[0]) : null;
  }

  /** Every school, or only these, by code. Schools number in the tens; no paging needed. */
  async listAll(onlyIds?: string[]): Promise<SchoolEntity[]> {
    const rows: Record<string, unknown>[] = onlyIds
      ? await this.dataSource.query('SELECT * FROM schools WHERE id = ANY($1::uuid[]) ORDER BY code', [
          onlyIds,
        ])
      : await this.dataSource.query('SELECT * FROM schools ORDER BY code');
    return rows.map(toSchool);
  }
}

function toSchool(row: Record<string, unknown>): SchoolEntity {
  return Object.assign(new SchoolEntity(), {
    id: row.id as string,
    code: row.code as string,
    name: row.name as string,
    searchName: row.search_name as string,
    region: row.region as string,
    city: row.city as string,
    createdBy: row.created_by as string,
    createdAt: row.created_at as Date,
  });
}
