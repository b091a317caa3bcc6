/** Domain vocabulary shared by server and browser (DOMAIN.md glossary). No I/O here. */

export const UNIT_LEVELS = ['province', 'department', 'district', 'commune'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** Targets are set per target level; a department counts as `province` (DOMAIN.md: Units). */
export const TARGET_LEVELS = ['province', 'district', 'commune'] as const;
export type TargetLevel = (typeof TARGET_LEVELS)[number];

export const ONLINE_LEVELS = ['full', 'partial', 'none'] as const;
export type OnlineLevel = (typeof ONLINE_LEVELS)[number];

export const CHANNELS = ['online', 'direct', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];

export const DOSSIER_STATUSES = [
	'received',
	'processing',
	'completed',
	'returned',
	'withdrawn'
] as const;
export type DossierStatus = (typeof DOSSIER_STATUSES)[number];

export const RATINGS = ['satisfied', 'neutral', 'dissatisfied'] as const;
export type Rating = (typeof RATINGS)[number];

export const IMPORT_KINDS = ['units', 'procedures', 'dossiers', 'targets'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export function targetLevelOf(level: UnitLevel): TargetLevel {
	return level === 'department' ? 'province' : level;
}

export interface UnitRef {
	code: string;
	name: string;
	level: UnitLevel;
}

/** Roles (issue 5), each bound to a unit whose subtree is the scope. */
export const ROLES = ['admin', 'reform_team', 'leader', 'unit_head'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: a signed-in user, an API token's user, or the operator at the CLI. */
export interface Principal {
	username: string;
	role: Role;
	/** The unit whose subtree (and lineage, auth/scope.ts) the principal may see. */
	unitCode: string;
}

/** Roles that manage data and accounts (imports, campaigns, users below admin). */
export const MANAGING_ROLES: readonly Role[] = ['admin', 'reform_team'];
