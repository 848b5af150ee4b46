import { COMBINED_DOWNLOAD_PREFIX, COMBINED_DOWNLOAD_RETENTION_DAYS } from '../../commitments';
import { prefixExpiresAfter } from '../retention';
import type { Rule } from '../types';

/** 8.4 / 12.4.1: the combined log file of the three streams is downloadable for 30 days, then expires. */
export const CombinedDownloadExpiresAfter30Days: Rule = ({ tenant }) =>
  prefixExpiresAfter(tenant, COMBINED_DOWNLOAD_PREFIX, COMBINED_DOWNLOAD_RETENTION_DAYS, 'the combined download files');
