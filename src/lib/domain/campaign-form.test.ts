import { describe, expect, it } from 'vitest';
import {
	cellField,
	MAX_CAMPAIGN_NAME,
	parsePercent,
	percentToTarget,
	readCampaignFields,
	readGrid,
	targetToPercentText
} from './campaign-form';
import { KPI_IDS } from './kpi-ids';
import { TARGET_LEVELS } from './types';

describe('parsePercent', () => {
	it.each([
		['70', 70],
		['70,5', 70.5],
		['70.5', 70.5],
		['0', 0],
		['100', 100],
		['100,00', 100],
		['  88,25 ', 88.25],
		['07', 7]
	])('reads %j as %d', (text, percent) => {
		expect(parsePercent(text)).toBe(percent);
	});

	it.each(['', '   '])('reads the empty cell %j as no target', (text) => {
		expect(parsePercent(text)).toBeNull();
	});

	it.each([
		'70%',
		'0,7x',
		'abc',
		'-1',
		'+5',
		'1e2',
		'100,5',
		'101',
		'1000',
		'70,555',
		'7 0',
		'70,',
		',5',
		'70..5',
		'70,5,1',
		'٧٠',
		'Infinity',
		'NaN',
		'0x10'
	])('refuses %j', (text) => {
		expect(parsePercent(text)).toBeUndefined();
	});

	it('stores 70.5 as the same fraction the targets importer reads from "70.5%"', () => {
		expect(percentToTarget(70.5)).toBe(0.705);
		expect(percentToTarget(70)).toBe(0.7);
	});

	it('shows a stored target back as the grid takes it, in each language', () => {
		expect(targetToPercentText(0.705)).toBe('70,5');
		expect(targetToPercentText(0.705, 'en')).toBe('70.5');
		expect(targetToPercentText(0.7)).toBe('70');
		expect(targetToPercentText(0.8825)).toBe('88,25');
		expect(parsePercent(targetToPercentText(0.705))).toBe(70.5);
	});
});

const form =
	(values: Record<string, string | null>) =>
	(name: string): string | null =>
		name in values ? values[name] : null;

describe('readCampaignFields', () => {
	const valid = { name: ' Quý I ', starts_on: '2025-01-01', ends_on: '2025-03-31' };

	it('trims the name and keeps the dates', () => {
		expect(readCampaignFields(form(valid))).toEqual({
			fields: { name: 'Quý I', startsOn: '2025-01-01', endsOn: '2025-03-31' }
		});
	});

	it.each([
		[{ name: '' }, { field: 'name', kind: 'required' }],
		[{ name: 'á'.repeat(MAX_CAMPAIGN_NAME + 1) }, { field: 'name', kind: 'too_long' }],
		[{ name: 'a\tb' }, { field: 'name', kind: 'control' }],
		[{ starts_on: '1999-12-31' }, { field: 'starts_on', kind: 'date' }],
		[{ starts_on: '2025-13-01' }, { field: 'starts_on', kind: 'date' }],
		[{ ends_on: '2101-01-01' }, { field: 'ends_on', kind: 'date' }],
		[{ ends_on: '2024-12-31' }, { field: 'ends_on', kind: 'before_start' }],
		[{ name: null }, { field: 'form', kind: 'missing' }]
	])('refuses %j', (change, problem) => {
		expect(readCampaignFields(form({ ...valid, ...change }))).toEqual({ problem });
	});

	it('takes a name of exactly the longest length, counted in characters', () => {
		const name = 'ộ'.repeat(MAX_CAMPAIGN_NAME);
		expect(readCampaignFields(form({ ...valid, name }))).toMatchObject({ fields: { name } });
	});
});

describe('readGrid', () => {
	const empty = Object.fromEntries(
		KPI_IDS.flatMap((kpi) => TARGET_LEVELS.map((level) => [cellField(kpi, level), '']))
	);

	it('lists the cells that hold a target, and no other', () => {
		const cells = { ...empty, [cellField('on_time_rate', 'commune')]: '85,5' };
		expect(readGrid(form(cells))).toEqual({
			targets: [{ kpi: 'on_time_rate', level: 'commune', percent: 85.5 }]
		});
	});

	it('names the first bad cell, with the value typed', () => {
		const cells = { ...empty, [cellField('portal_sync_rate', 'district')]: '100%' };
		expect(readGrid(form(cells))).toEqual({
			problem: {
				field: 'cell',
				kind: 'percent',
				kpi: 'portal_sync_rate',
				level: 'district',
				value: '100%'
			}
		});
	});

	it('refuses a grid that lacks a cell', () => {
		const cells: Record<string, string | null> = { ...empty };
		delete cells[cellField('data_reuse_rate', 'province')];
		expect(readGrid(form(cells))).toEqual({ problem: { field: 'form', kind: 'missing' } });
	});
});
