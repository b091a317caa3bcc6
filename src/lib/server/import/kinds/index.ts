import type { ImportKind } from '../../../domain/types';
import type { RecordKind } from './context';
import { dossiers } from './dossiers';
import { procedures } from './procedures';
import { targets } from './targets';
import { units } from './units';

export const RECORD_KINDS: Record<ImportKind, RecordKind> = {
	units,
	procedures,
	dossiers,
	targets
};
