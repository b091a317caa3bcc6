import { describe, expect, it } from 'vitest';
import { groupShare, radarOption } from './radar';
import { DEFAULT_PALETTE } from './option';

const GROUPS = [
	{ name: 'Tiến độ', score: 15, measured_points: 20 },
	{ name: 'Thanh toán', score: null, measured_points: 0 }
];

describe('the radar of the index groups', () => {
	it('puts each group at its share of the measured points', () => {
		expect(groupShare(GROUPS[0])).toBe(0.75);
		const option = radarOption(
			GROUPS,
			'vi',
			{ series: 'Kỳ này', notMeasured: 'chưa đo' },
			DEFAULT_PALETTE,
			800
		);
		const series = (option.series as { data: { value: number[] }[] }[])[0];
		expect(series.data[0].value).toEqual([0.75, 0]);
	});

	it('labels a group with nothing measured as not measured, not as 0%', () => {
		expect(groupShare(GROUPS[1])).toBeNull();
		const option = radarOption(
			GROUPS,
			'vi',
			{ series: 'Kỳ này', notMeasured: 'chưa đo' },
			DEFAULT_PALETTE,
			390
		);
		const radar = option.radar as { indicator: { name: string }[] };
		expect(radar.indicator.map((i) => i.name)).toEqual(['Tiến độ\n75,0%', 'Thanh toán\nchưa đo']);
	});
});
