// Shapes of the API's answers the screens read (api/routes/admin/*, api/routes/audit.ts).
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UnitDto {
  id: string;
  typeCode: string;
  provinceId: string;
  parentId: string | null;
  code: string;
  nameVi: string;
  shortNameVi: string | null;
  nameEn: string | null;
  activeFrom: string;
  activeTo: string | null;
  mergedIntoId: string | null;
}

export type DutyGroup = 'cadre' | 'civil_servant' | 'public_employee' | 'worker';

export interface PersonDto {
  id: string;
  fullName: string;
  familyName: string | null;
  middleName: string | null;
  givenName: string | null;
  email: string;
  phone: string | null;
  dutyGroup: DutyGroup;
  active: boolean;
}

export interface EmploymentDto {
  id: string;
  personId: string;
  unitId: string;
  positionCode: string;
  validFrom: string;
  validTo: string | null;
  isConcurrent: boolean;
}

export interface RoleDto {
  code: string;
  nameVi: string;
  nameEn: string;
  readOnly: boolean;
}

export interface RoleAssignmentDto {
  id: string;
  personId: string;
  roleCode: string;
  scopeUnitId: string;
  validFrom: string;
  validTo: string | null;
}

export interface MetricTemplateDto {
  id: string;
  provinceId: string;
  code: string;
  titleVi: string;
  titleEn: string | null;
  unit: string;
  direction: string;
  aggregation: string;
  perspective: string;
  exampleSource: string | null;
  active: boolean;
}
