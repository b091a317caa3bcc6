/**
 * The export of each dashboard table: which page's URL vocabulary it reads (so that an export
 * holds what the page shows, under the same filters and sort, every page of it), the dashboard
 * module it asks (the page's own, for the same figures), its file name and the table it writes.
 */
import { formatDate } from '../../domain/format';
import {
	COMPARE,
	LATE,
	MAP,
	NO_FIELD,
	PROCEDURES,
	TRENDS,
	type Vocabulary
} from '../../domain/url-params';
import { compareChildren } from '../dashboard/compare';
import { lateRows } from '../dashboard/late';
import { communeMap } from '../dashboard/map';
import type { DashboardScope } from '../dashboard/page';
import { proceduresView } from '../dashboard/procedures';
import { unitTrend } from '../dashboard/trends';
import type { ExportTable } from './table';
import {
	compareTable,
	lateTable,
	mapTable,
	proceduresTable,
	trendsTable,
	type ExportFrame
} from './tables';

/** More procedures than any catalogue holds (Hà Tĩnh's has about 2,000): all on one page. */
const PROCEDURE_EXPORT_LIMIT = 20_000;

export interface DashboardExport<S> {
	vocabulary: Vocabulary<S>;
	/** The file name's first part, ASCII (names.ts). */
	fileName: (state: S) => string;
	build: (scope: DashboardScope<S>, frame: ExportFrame) => Promise<ExportTable>;
}

const define = <S>(e: DashboardExport<S>) => e;

export const DASHBOARD_EXPORTS = {
	compare: define({
		vocabulary: COMPARE,
		fileName: () => 'so-sanh',
		build: async ({ db, context, state }, frame) => {
			const { period } = context.comparison;
			const than = `${formatDate(period.from, frame.locale)} – ${formatDate(period.to, frame.locale)}`;
			return compareTable(frame, await compareChildren(db, context, state), than);
		}
	}),
	procedures: define({
		vocabulary: PROCEDURES,
		fileName: () => 'thu-tuc',
		build: async ({ db, context, state }, frame) => {
			const view = await proceduresView(
				db,
				context.unit,
				context.period,
				{ ...state, page: 1 },
				context.dataVersion,
				PROCEDURE_EXPORT_LIMIT
			);
			const field = state.field === NO_FIELD ? '—' : state.field;
			return proceduresTable(frame, view.table.rows, field);
		}
	}),
	late: define({
		vocabulary: LATE,
		fileName: (state) => (state.list === 'open' ? 'ho-so-qua-han' : 'ho-so-tre-han'),
		build: async ({ db, context, state }, frame) => {
			const late = await lateRows(db, context.unit, context.period, context.lastDataDay, state);
			const unit = late.units.find((u) => u.id === state.unit);
			const procedure = late.procedures.find((p) => p.code === state.procedure);
			const filter = [
				unit ? `${unit.name} (${unit.code})` : null,
				state.procedure ? `${procedure?.name ?? ''} (${state.procedure})`.trim() : null
			].filter((part) => part !== null);
			return lateTable(frame, state.list, late.rows, {
				total: late.total,
				limit: late.limit,
				filter: filter.length > 0 ? filter.join(' · ') : null
			});
		}
	}),
	map: define({
		vocabulary: MAP,
		fileName: () => 'ban-do',
		build: async ({ db, principal, context, state }, frame) =>
			mapTable(
				frame,
				await communeMap(
					db,
					principal,
					context.unit,
					context.period,
					state.kpi,
					context.dataVersion
				)
			)
	}),
	trends: define({
		vocabulary: TRENDS,
		fileName: () => 'xu-huong',
		build: async ({ db, context, state }, frame) =>
			trendsTable(frame, await unitTrend(db, context, state.kpi))
	})
};

export type DashboardTable = keyof typeof DASHBOARD_EXPORTS;
