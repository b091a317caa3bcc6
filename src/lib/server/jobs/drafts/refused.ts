/** Why a draft request is refused, and who may make one at all. */
import { MANAGING_ROLES } from '../../../domain/types';
import type { Uploader } from '../jobs';

/** Why a draft request is refused: 400 for what was sent, 403 for a role, 409 for its state. */
export class DraftRefused extends Error {
	constructor(
		message: string,
		readonly status: 400 | 403 | 409
	) {
		super(message);
	}
}

export function checkManager(uploader: Uploader): void {
	if (!MANAGING_ROLES.includes(uploader.role)) {
		throw new DraftRefused('only a reform team or an administrator may upload files', 403);
	}
}
