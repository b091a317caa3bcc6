/**
 * Campaign targets (CONTRACT.md: targets): a campaign is known by its name, its rows must agree on
 * its dates; a target row is upserted by (campaign, unit_code, kpi, level).
 */
import { sql, type RawBuilder } from 'kysely';
import { KPI_IDS } from '../../../domain/kpi-ids';
import type { Check } from '../checks';
import { keepReplaced } from '../history/replaced';
import { KIND_SPECS } from '../columns';
import { EXPECTED, VOCABULARY } from '../sql';
import {
	countChanges,
	isUnknownWord,
	isUnparsed,
	raw,
	rawCopies,
	requiredChecks,
	subtreesOf
} from './common';
import { type KindContext, type MergeCounts, type RecordKind } from './context';

async function prepare({ db }: KindContext): Promise<Check[]> {
	const names = KIND_SPECS.targets.columns.map((c) => c.name);
	await sql`CREATE OR REPLACE TEMP TABLE import_typed AS
		WITH typed AS (
			SELECT s.__row, ${rawCopies(names)},
				cell(s.campaign) AS campaign,
				parse_date(s.starts_on) AS starts_on, parse_date(s.ends_on) AS ends_on,
				cell(s.unit_code) AS unit_code, lower(cell(s.kpi)) AS kpi,
				parse_target_level(s.level) AS level,
				CASE WHEN trim(s.target) LIKE '%\\%%' ESCAPE '\\'
					THEN try_cast(replace(rtrim(trim(s.target), '%'), ',', '.') AS DOUBLE) / 100
					ELSE try_cast(replace(trim(s.target), ',', '.') AS DOUBLE) END AS target
			FROM import_staged s
		)
		SELECT t.*, known.code IS NOT NULL AS unit_known,
			count(DISTINCT row(starts_on, ends_on)) OVER (PARTITION BY campaign) > 1 AS dates_disagree,
			first_value(__row) OVER same_target AS first_row,
			target IS DISTINCT FROM first_value(target) OVER same_target AS differs
		FROM typed t
		LEFT JOIN (SELECT DISTINCT code FROM unit_versions) known ON known.code = t.unit_code
		WINDOW same_target AS (PARTITION BY campaign, unit_code, kpi, level ORDER BY __row)`.execute(db);
	const checks = requiredChecks(names);
	checks.push(
		{
			column: 'starts_on',
			value: raw('starts_on'),
			message: EXPECTED.date,
			when: isUnparsed('starts_on')
		},
		{
			column: 'ends_on',
			value: raw('ends_on'),
			message: EXPECTED.date,
			when: isUnparsed('ends_on')
		},
		...['starts_on', 'ends_on'].map((c) => ({
			column: c,
			value: raw(c),
			message: EXPECTED.plausible,
			when: sql`implausible(${sql.id(c)})`
		})),
		{
			column: 'ends_on',
			value: raw('ends_on'),
			message: 'the campaign ends before it starts',
			when: sql`ends_on < starts_on`
		},
		{
			column: 'starts_on',
			value: raw('starts_on'),
			message: 'rows of this campaign give different dates; one campaign has one start and one end',
			when: sql`dates_disagree`
		},
		{
			column: 'kpi',
			value: raw('kpi'),
			message: `unknown KPI; expected one of ${KPI_IDS.join(', ')}`,
			when: sql`kpi IS NOT NULL AND kpi NOT IN (${sql.join(KPI_IDS.map((id) => sql`${id}`))})`
		},
		{
			column: 'level',
			value: raw('level'),
			message: VOCABULARY.target_level,
			when: isUnknownWord('level')
		},
		{
			column: 'target',
			value: raw('target'),
			message: 'not a target; expected a fraction from 0 to 1 (0.7) or a percentage (70%)',
			when: sql`${raw('target')} IS NOT NULL AND (target IS NULL OR target < 0 OR target > 1)`
		},
		{
			column: 'unit_code',
			value: sql`unit_code`,
			message: 'unknown unit code; import the units first',
			when: sql`unit_code IS NOT NULL AND NOT unit_known`
		},
		{
			column: 'target',
			value: raw('target'),
			message: sql`'the same campaign, unit, KPI and level is on row ' || first_row || ' with another target'`,
			when: sql`differs`
		}
	);
	return checks;
}

async function merge({ db, batchId }: KindContext): Promise<MergeCounts> {
	await sql`CREATE OR REPLACE TEMP TABLE import_campaigns AS
		SELECT campaign AS name, any_value(starts_on) AS starts_on, any_value(ends_on) AS ends_on
		FROM import_typed GROUP BY campaign`.execute(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_changes AS
		SELECT i.campaign, i.unit_code, i.kpi, i.level, i.target, CASE
			WHEN tg.campaign_id IS NULL THEN 'inserted'
			WHEN tg.target <> i.target OR c.starts_on <> i.starts_on OR c.ends_on <> i.ends_on THEN 'updated'
			ELSE 'unchanged' END AS change
		FROM (SELECT * FROM import_typed QUALIFY row_number() OVER
			(PARTITION BY campaign, unit_code, kpi, level ORDER BY __row) = 1) i
		LEFT JOIN campaigns c ON c.name = i.campaign
		LEFT JOIN targets tg ON tg.campaign_id = c.id AND tg.unit_code = i.unit_code
			AND tg.kpi = i.kpi AND tg.level = i.level`.execute(db);
	await keepReplaced(
		db,
		'campaigns',
		batchId,
		sql`id IN (SELECT c.id FROM campaigns c JOIN import_campaigns n ON c.name = n.name
			WHERE c.starts_on <> n.starts_on OR c.ends_on <> n.ends_on)`
	);
	await sql`UPDATE campaigns SET starts_on = n.starts_on, ends_on = n.ends_on, import_batch_id = ${batchId}
		FROM import_campaigns n WHERE campaigns.name = n.name
		AND (campaigns.starts_on <> n.starts_on OR campaigns.ends_on <> n.ends_on)`.execute(db);
	await sql`INSERT INTO campaigns (name, starts_on, ends_on, import_batch_id)
		SELECT name, starts_on, ends_on, ${batchId} FROM import_campaigns n
		WHERE NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.name = n.name)`.execute(db);
	await keepReplaced(
		db,
		'targets',
		batchId,
		sql`(campaign_id, unit_code, kpi, level) IN (SELECT (c.id, ch.unit_code, ch.kpi, ch.level)
			FROM import_changes ch JOIN campaigns c ON c.name = ch.campaign WHERE ch.change = 'updated')`
	);
	await sql`UPDATE targets SET target = ch.target, import_batch_id = ${batchId}
		FROM import_changes ch JOIN campaigns c ON c.name = ch.campaign
		WHERE ch.change = 'updated' AND targets.campaign_id = c.id AND targets.unit_code = ch.unit_code
		AND targets.kpi = ch.kpi AND targets.level = ch.level`.execute(db);
	await sql`INSERT INTO targets (campaign_id, unit_code, kpi, level, target, import_batch_id)
		SELECT c.id, ch.unit_code, ch.kpi, ch.level, ch.target, ${batchId}
		FROM import_changes ch JOIN campaigns c ON c.name = ch.campaign WHERE ch.change = 'inserted'`.execute(
		db
	);
	return countChanges(db);
}

export const targets: RecordKind = {
	spec: KIND_SPECS.targets,
	prepare,
	merge,
	touchedUnits: sql`${subtreesOf('unit_code')} UNION ALL ${campaignUnitsOf(sql`import_typed`)}`
};

/**
 * The subtrees of every unit an existing campaign named in `rows` is set on (its targets' units,
 * and the unit the campaigns editor set it on): a file naming a campaign changes that campaign
 * (its dates, the units it covers), so it touches them all, and a reform team may import it only
 * when they are all in its scope (reach.ts), as only then may it edit it in the browser. The same
 * before the merge (the upload page's check) as after it: the campaign's other units stay.
 */
function campaignUnitsOf(rows: RawBuilder<unknown>): RawBuilder<unknown> {
	return sql`SELECT c.descendant_id AS unit_version_id
		FROM campaigns k
		JOIN (SELECT campaign_id, unit_code FROM targets
			UNION SELECT id, unit_code FROM campaigns WHERE unit_code IS NOT NULL) set_on
			ON set_on.campaign_id = k.id
		JOIN unit_versions u ON u.code = set_on.unit_code
		JOIN unit_closure c ON c.ancestor_id = u.id
		WHERE k.name IN (SELECT campaign FROM ${rows})`;
}
