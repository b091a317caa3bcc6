import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import * as initial from './001_initial';
import * as accounts from './002_accounts';
import * as lineage from './003_lineage';
import * as usernames from './004_usernames';
import * as importUnits from './005_import_units';
import * as publishedReports from './006_published_reports';
import * as reportHeaders from './007_report_headers';
import * as importJobs from './008_import_jobs';
import * as importDrafts from './009_import_drafts';
import * as campaignUnits from './010_campaign_units';
import * as agencyCodes from './011_agency_codes';
import * as errorRecords from './012_error_records';
import * as indexIndicators from './013_index_indicators';

export interface Migration {
	version: number;
	name: string;
	up(db: Kysely<Database>): Promise<void>;
}

/** In order; a shipped migration is never edited, a change is a new one. */
export const migrations: Migration[] = [
	{ version: 1, name: 'initial', up: initial.up },
	{ version: 2, name: 'accounts', up: accounts.up },
	{ version: 3, name: 'lineage', up: lineage.up },
	{ version: 4, name: 'usernames', up: usernames.up },
	{ version: 5, name: 'import_units', up: importUnits.up },
	{ version: 6, name: 'published_reports', up: publishedReports.up },
	{ version: 7, name: 'report_headers', up: reportHeaders.up },
	{ version: 8, name: 'import_jobs', up: importJobs.up },
	{ version: 9, name: 'import_drafts', up: importDrafts.up },
	{ version: 10, name: 'campaign_units', up: campaignUnits.up },
	{ version: 11, name: 'agency_codes', up: agencyCodes.up },
	{ version: 12, name: 'error_records', up: errorRecords.up },
	{ version: 13, name: 'index_indicators', up: indexIndicators.up }
];
