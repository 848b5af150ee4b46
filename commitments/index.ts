/**
 * The service's promises, as numbers and names, taken from the whitepaper
 * (see ../shared/docs/service-commitments.md). Every stage reads them from here, so a
 * promise has exactly one definition: the contract checks, the constructs that implement
 * it, the rendered gateway variables and the compliance rules that judge the output.
 */

/** AWS regions located in Japan (6.1.3, 18.1.1: data and equipment stay in Japan). */
export const JAPAN_REGIONS: readonly string[] = ['ap-northeast-1', 'ap-northeast-3'];

/** 4.3 / CLD8.1.5: customer data is erased within this many days of the termination date. */
export const ERASURE_DEADLINE_DAYS = 45;

/**
 * Days before the deadline at which the log archive's erasure rule fires. S3 lifecycle
 * actions run asynchronously (typically within 24-48 h), and with versioning on an
 * expired object first becomes a noncurrent version that is removed a day later; this
 * margin keeps the whole chain inside the 45-day promise.
 */
export const ERASURE_SAFETY_MARGIN_DAYS = 5;

/** 8.4 / 12.4.1: the three searchable log streams. */
export interface LogStream {
  /** Stable identifier used in file names, S3 prefixes and rule ids. */
  readonly id: 'vpn-connection' | 'access-control' | 'device-authentication';
  readonly titleJa: string;
  readonly titleEn: string;
  /** S3 key prefix in the tenant's log archive. */
  readonly prefix: string;
}

export const LOG_STREAMS: readonly LogStream[] = [
  { id: 'vpn-connection', titleJa: 'VPN接続ログ', titleEn: 'VPN connection log', prefix: 'logs/vpn-connection/' },
  { id: 'access-control', titleJa: 'アクセス制御ログ', titleEn: 'Access control log', prefix: 'logs/access-control/' },
  { id: 'device-authentication', titleJa: '端末認証ログ', titleEn: 'Device authentication log', prefix: 'logs/device-authentication/' },
];

/** 12.4.1: logs are searchable for the past 90 days. */
export const LOG_SEARCH_RETENTION_DAYS = 90;

/** 12.4.1: one combined file of the three streams is downloadable for the past 30 days, excluding today. */
export const COMBINED_DOWNLOAD_PREFIX = 'download/combined/';
export const COMBINED_DOWNLOAD_RETENTION_DAYS = 30;

/**
 * VPC flow logs are the provider's operating information (8.1.1 keeps them apart from the
 * customer's streams by prefix); they follow the same 90-day horizon.
 */
export const FLOW_LOG_PREFIX = 'provider/flow-logs/';
export const FLOW_LOG_RETENTION_DAYS = 90;

/**
 * 8.5 / 12.4.3: what operators did on the gateway (SSH sessions, sudo commands, account and
 * configuration changes from the audit trail, integrity reports) is the provider's own stream,
 * kept apart from the customer's (18.1.3): its own folder on the gateway, a provider prefix in
 * the archive, never in the combined download or the portal.
 */
export const OPERATOR_WORK_STREAM = { id: 'operator-work', titleJa: '運用作業ログ', titleEn: 'Operator work log', prefix: 'provider/operator-work/' } as const;

/**
 * Kept one year and a month: the work of a whole ISO/IEC 27001 surveillance cycle (yearly) is
 * still there at the next audit. Erasure after termination (CLD8.1.5) still removes it sooner.
 */
export const OPERATOR_WORK_RETENTION_DAYS = 400;

/**
 * 12.4.3: every Terraform run's record. Each run reads, locks and writes its tenant's state in the
 * fleet's state bucket; the fleet's trail records those object-level calls (who, when, which state)
 * under this prefix of the fleet's records bucket, with digest files to show none was altered, kept
 * as long as the operator work logs.
 */
export const TERRAFORM_RUN_RECORDS = { prefix: 'provider/terraform-runs', retentionDays: OPERATOR_WORK_RETENTION_DAYS } as const;

/**
 * 12.4.3: the contract-event audit log (`ras contract apply` / `ras serve`): one line per event
 * received, append-only, in the contract host's state folder (docs/contract-events.md).
 */
export const CONTRACT_EVENT_AUDIT_LOG = 'state/audit.jsonl';

/** Where the gateway keeps the operator-work stream before shipping it (logs role default, logs_operator_dir). */
export const OPERATOR_WORK_LOCAL_DIR = '/var/log/ras-provider';

/** Linked services (whitepaper p.7). */
export const LINKED_SERVICES = ['private-backbone', 'managed-vpn-pro', 'smfsx', 'multi-product-controller'] as const;
export type LinkedService = (typeof LINKED_SERVICES)[number];

/** No new contract may name these linked services on or after this date; existing ones continue. */
export const DISCONTINUED_LINKED_SERVICES: readonly LinkedService[] = ['managed-vpn-pro', 'smfsx', 'multi-product-controller'];
export const LINKED_SERVICE_DISCONTINUED_ON = '2020-03-06';

/** ISO/IEC 27017 scope: Gateway Type A with the Private Backbone as linked service, nothing else. */
export const ISO_SCOPE = { gatewayType: 'A', linkedService: 'private-backbone' } as const;

/** 12.4.4: clocks follow Japan Standard Time. */
export const TIMEZONE = 'Asia/Tokyo';
export const UTC_OFFSET = '+09:00';

export * from './gateway';
export * from './relay';

/**
 * Closed mobile access: the widest carrier device range accepted (prefix length). A carrier's NAT
 * pools are a few /16s at most; anything wider than a /8 (0.0.0.0/0 above all) would admit a large
 * share of the internet through the side that promises to be closed. The contract check, the
 * carrier interface construct and the carrier-path rule all judge by it.
 */
export const WIDEST_CARRIER_PREFIX = 8;
