import { error, fail } from '@sveltejs/kit';
import {
	OWN_RATIO_TEXT,
	INDEX_RATIOS,
	type IndexGroup,
	type IndexRatio,
	type IndexRule,
	type IndicatorEdit
} from '$lib/domain/service-index';
import { NONE } from '$lib/domain/url-params';
import { actorOf } from '$lib/server/auth/admin';
import { OutOfScope } from '$lib/server/auth/scope';
import { actionContext, dashboardLoad } from '$lib/server/dashboard/page';
import { readForm } from '$lib/server/http/form';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import { indexDefinitions } from '$lib/server/kpi/service-index';
import {
	editsIndex,
	IndicatorRefused,
	saveIndicator,
	unitServiceIndex
} from '$lib/server/service-index';
import type { Actions, PageServerLoad } from './$types';

/** Each ratio a definition may name, in words: a KPI's name and formula, or the index's own. */
const RATIOS = INDEX_RATIOS.map((id) => {
	const kpi = KPI_DEFINITIONS.find((d) => d.id === id);
	const own = OWN_RATIO_TEXT[id as keyof typeof OWN_RATIO_TEXT];
	return { id, name: kpi ? kpi.name : own, formula: kpi ? kpi.formula : own };
});

/**
 * `GET /u/<code>/index`: the service index of Decision 766 for the unit and the layout's period
 * (issue 16) — the score against its measured maximum and its change from the previous period,
 * the groups, each indicator with the points lost and what would gain them, the indicators not
 * measured here, and the ranking of the children within their levels. Every figure is the
 * engine's (kpi/service-index.ts), the same the CLI's `index --json` prints.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, NONE, async ({ db, principal, context }) => {
		const { code } = context.unit;
		const [report, definitions, editable] = await Promise.all([
			unitServiceIndex(db, principal, code, context.period, context.dataVersion),
			indexDefinitions(db),
			editsIndex(db, principal)
		]);
		return {
			report,
			previous: report.previous_score,
			definitions,
			improvements: report.improvements,
			ratios: RATIOS,
			editable
		};
	});

/** One field of the form, sent once; null for a field missing or sent twice. */
function field(form: FormData, name: string): string | null {
	const values = form.getAll(name);
	return values.length === 1 && typeof values[0] === 'string' ? values[0] : null;
}

/** A number as a Vietnamese or English form may write it: `2,5` or `2.5`; NaN otherwise. */
function number(text: string): number {
	const t = text.trim().replace(',', '.');
	return /^\d{1,3}(\.\d{1,6})?$/.test(t) ? Number(t) : NaN;
}

/**
 * The edit the form sends, as the domain checks it (domain/service-index.ts `indicatorProblem`):
 * the threshold is written in percent on the form and stored as a share; a field left out is
 * sent on as a wrong type, refused with its name, never guessed.
 */
function sentEdit(form: FormData): { id: string; edit: IndicatorEdit } {
	const rule = field(form, 'rule');
	const threshold = field(form, 'threshold');
	const points = field(form, 'points');
	const percent = threshold === null || threshold.trim() === '' ? null : number(threshold);
	return {
		id: field(form, 'id') ?? '',
		edit: {
			name: field(form, 'name') as string,
			group: field(form, 'group') as IndexGroup,
			points: points === null ? NaN : number(points),
			ratio: field(form, 'ratio') as IndexRatio,
			rule: rule as IndexRule,
			// A linear rule's empty threshold is none; a threshold rule's is refused as missing.
			threshold: percent === null ? (rule === 'linear' ? null : NaN) : percent / 100,
			source: field(form, 'source') as string,
			assumption: field(form, 'assumption') as string
		}
	};
}

export const actions: Actions = {
	/**
	 * One indicator's definition: an admin or a province's reform team (403 for anyone else, who
	 * sees the definitions read-only). A refusal comes back with the field and the text sent, for
	 * the form to say what is wrong beside it.
	 */
	save: async (event) => {
		const { db, principal } = await actionContext(event);
		if (!(await editsIndex(db, principal))) error(403, 'forbidden');
		const form = await readForm(event.request);
		const { id, edit } = sentEdit(form);
		const sent = Object.fromEntries(
			['name', 'group', 'points', 'ratio', 'rule', 'threshold', 'source', 'assumption'].map(
				(name) => [name, (field(form, name) ?? '').slice(0, 2000)]
			)
		);
		try {
			await saveIndicator(
				db,
				principal,
				actorOf(event.locals.user!, event.getClientAddress()),
				id,
				edit
			);
		} catch (e) {
			if (e instanceof IndicatorRefused) {
				return fail(400, { id: id.slice(0, 20), problem: e.problem, sent });
			}
			if (e instanceof OutOfScope) error(403, 'forbidden');
			throw e;
		}
		return { saved: id };
	}
};
