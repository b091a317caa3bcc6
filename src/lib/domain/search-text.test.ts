import { describe, expect, it } from 'vitest';
import { foldText } from './search-text';

describe('search text', () => {
	it('drops tone and vowel marks, reads đ as d and ignores case and spacing', () => {
		expect(foldText('Can Lộc')).toBe('can loc');
		expect(foldText('  Đồng   LỘC ')).toBe('dong loc');
		expect(foldText('Thị trấn Nghèn')).toBe('thi tran nghen');
	});
});
