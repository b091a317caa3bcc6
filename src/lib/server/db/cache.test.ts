import { describe, expect, it } from 'vitest';
import { remember } from './cache';

describe('remembered answers', () => {
	it('computes an answer once per key, even when asked twice at once', async () => {
		const db = {};
		let computed = 0;
		const compute = async () => ++computed;
		expect(await Promise.all([remember(db, 'a', compute), remember(db, 'a', compute)])).toEqual([
			1, 1
		]);
		expect(await remember(db, 'b', compute)).toBe(2);
		expect(computed).toBe(2);
	});

	it('forgets a failed computation, so the next request asks again', async () => {
		const db = {};
		await expect(remember(db, 'k', () => Promise.reject(new Error('conflict')))).rejects.toThrow();
		await new Promise((resolve) => setTimeout(resolve, 0));
		expect(await remember(db, 'k', async () => 'answer')).toBe('answer');
	});

	it('keeps the answers asked most recently when full, and forgets the least recent', async () => {
		const db = {};
		const calls = new Map<string, number>();
		const ask = (key: string) =>
			remember(db, key, async () => {
				calls.set(key, (calls.get(key) ?? 0) + 1);
				return key;
			});
		await ask('kept');
		await ask('dropped');
		for (let i = 0; i < 1998; i++) await ask(`filler-${i}`);
		await ask('kept'); // asked again: the most recent now
		await ask('new'); // one over: the least recently asked goes
		await ask('kept');
		await ask('dropped');
		expect([calls.get('kept'), calls.get('dropped')]).toEqual([1, 2]);
	});
});
