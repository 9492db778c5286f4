/** DOMAIN §2 roles. */
export const ROLES = ['operator', 'township', 'liaison', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  operator: '接线员',
  township: '乡镇民政助理员',
  liaison: '纪检联络员',
  supervisor: '督办员',
  admin: '系统管理员',
};

/** Roles that read case contents county-wide. Admins do not (DOMAIN §2). */
export const COUNTY_CASE_ROLES: readonly Role[] = ['operator', 'supervisor'];
/** Roles that log new cases. */
export const INTAKE_ROLES: readonly Role[] = ['operator', 'supervisor'];
