/**
 * The words the monthly report prints, in the administration's Vietnamese whatever the interface
 * language (an official document sent up the administration): shared by its tables (XLSX, CSV)
 * and its printed document (PDF).
 */
import type { TargetStatus } from '../../domain/figures';
import type { TargetLevel } from '../../domain/types';
import { KPI_DEFINITIONS } from '../kpi/definitions';

export const STATUS_WORDS: Record<TargetStatus, string> = {
	met: 'Đạt',
	close: 'Gần đạt',
	below: 'Chưa đạt'
};

export const LEVEL_WORDS: Record<TargetLevel, string> = {
	province: 'Cấp tỉnh (sở, ban, ngành)',
	district: 'Cấp huyện',
	commune: 'Cấp xã'
};

export const kpiNameVi = (id: string) => KPI_DEFINITIONS.find((d) => d.id === id)!.name.vi;
