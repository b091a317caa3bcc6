import type { Store } from '../db';
import type { CommandOutput } from '../commands';

/** Builds the demo province into the store, replacing its data (placeholder until the builder lands). */
export async function buildDemo(_store: Store, io: CommandOutput): Promise<void> {
	io.err('the demo builder is not written yet');
	throw new Error('demo not available');
}
