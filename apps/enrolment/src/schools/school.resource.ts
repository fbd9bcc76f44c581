import type { SchoolResource } from './dto/create-school.dto';
import type { SchoolEntity } from './school.entity';

export function toSchoolResource(school: SchoolEntity): SchoolResource {
  return {
    id: school.id,
    code: school.code,
    name: school.name,
    region: school.region,
    city: school.city,
    createdAt: school.createdAt.toISOString(),
  };
}
