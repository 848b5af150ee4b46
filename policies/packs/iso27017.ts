/**
 * The ISO/IEC 27017 pack: every rule, the controls it gives evidence for, how severe a breach
 * is, and in plain words what it checks. Every control the catalog marks `configuration` has at
 * least one rule here (test/policies/catalog.test.ts enforces it).
 */
import { COMBINED_DOWNLOAD_RETENTION_DAYS, ERASURE_DEADLINE_DAYS, LOG_SEARCH_RETENTION_DAYS, LOG_STREAMS, OPERATOR_WORK_RETENTION_DAYS, OPERATOR_WORK_STREAM, TERRAFORM_RUN_RECORDS, TIMEZONE } from '../../commitments';
import { CarrierPathClosedToInternet } from '../rules/CarrierPathClosedToInternet';
import { CombinedDownloadExpiresAfter30Days } from '../rules/CombinedDownloadExpiresAfter30Days';
import { CustomerLogsApartFromProviderLogs } from '../rules/CustomerLogsApartFromProviderLogs';
import { DefaultSecurityGroupIsClosed } from '../rules/DefaultSecurityGroupIsClosed';
import { EveryOperatorHasKnownRole } from '../rules/EveryOperatorHasKnownRole';
import { EveryRegionReferenceIsInJapan } from '../rules/EveryRegionReferenceIsInJapan';
import { GatewayAlarmsNotifyOperations } from '../rules/GatewayAlarmsNotifyOperations';
import { GatewayCanFetchSecurityUpdates } from '../rules/GatewayCanFetchSecurityUpdates';
import { GatewayCiphersAreWhitepaperListed } from '../rules/GatewayCiphersAreWhitepaperListed';
import { GatewayClockFollowsJst } from '../rules/GatewayClockFollowsJst';
import { GatewayCryptoWithinProfile } from '../rules/GatewayCryptoWithinProfile';
import { GatewayImageIsPinned } from '../rules/GatewayImageIsPinned';
import { GatewayOffersNoBypassUtility } from '../rules/GatewayOffersNoBypassUtility';
import { GatewayRequiresImdsV2 } from '../rules/GatewayRequiresImdsV2';
import { GatewayRoleOnlyWritesOwnLogs } from '../rules/GatewayRoleOnlyWritesOwnLogs';
import { GatewayTrustsOwnDeviceCaAndCutsRevoked } from '../rules/GatewayTrustsOwnDeviceCaAndCutsRevoked';
import { GatewayRootVolumeEncryptedWithTenantKey } from '../rules/GatewayRootVolumeEncryptedWithTenantKey';
import { GatewaySizedForDeclaredTerminals } from '../rules/GatewaySizedForDeclaredTerminals';
import { GatewayWritesEveryLogStream } from '../rules/GatewayWritesEveryLogStream';
import { LogArchiveBlocksPublicAccess } from '../rules/LogArchiveBlocksPublicAccess';
import { LogArchiveErasedWithin45DaysOfTermination } from '../rules/LogArchiveErasedWithin45DaysOfTermination';
import { LogArchiveRequiresTls } from '../rules/LogArchiveRequiresTls';
import { LogStreamsExpireAfter90Days } from '../rules/LogStreamsExpireAfter90Days';
import { NoManagementPortOpenToInternet } from '../rules/NoManagementPortOpenToInternet';
import { NoRouteToAnotherTenant } from '../rules/NoRouteToAnotherTenant';
import { OperatorsReachableForChangeNotices } from '../rules/OperatorsReachableForChangeNotices';
import { PortalHasAdministrator } from '../rules/PortalHasAdministrator';
import { PortalLocksAccountAfterFailedLogins } from '../rules/PortalLocksAccountAfterFailedLogins';
import { PortalRequiresTwoFactor } from '../rules/PortalRequiresTwoFactor';
import { PortalRestrictsSourceAddresses } from '../rules/PortalRestrictsSourceAddresses';
import { ProviderRegionIsInJapan } from '../rules/ProviderRegionIsInJapan';
import { ProviderTakesNoBackupOfCustomerData } from '../rules/ProviderTakesNoBackupOfCustomerData';
import { PublicPortsMatchEnabledProtocols } from '../rules/PublicPortsMatchEnabledProtocols';
import { ServiceCodesTaggedOnEveryResource } from '../rules/ServiceCodesTaggedOnEveryResource';
import { TenantDataEncryptedWithOwnKey } from '../rules/TenantDataEncryptedWithOwnKey';
import { TenantHasOwnVpc } from '../rules/TenantHasOwnVpc';
import { TenantStateInEncryptedLockedBackend } from '../rules/TenantStateInEncryptedLockedBackend';
import { OperatorWorkIsLogged } from '../rules/OperatorWorkIsLogged';
import { TerraformRunsAreRecorded } from '../rules/TerraformRunsAreRecorded';
import { TerminatedTenantKeepsNoGateway } from '../rules/TerminatedTenantKeepsNoGateway';
import { TransitAttachmentUsesOwnRouteTable } from '../rules/TransitAttachmentUsesOwnRouteTable';
import { VlanTaggedConsistently } from '../rules/VlanTaggedConsistently';
import { VlanUniqueAcrossFleet } from '../rules/VlanUniqueAcrossFleet';
import { VpcCidrUniqueAcrossFleet } from '../rules/VpcCidrUniqueAcrossFleet';
import { VpcTrafficIsFlowLogged } from '../rules/VpcTrafficIsFlowLogged';
import type { PackEntry } from './pack';

/** Numbers in the explanations are the promises' own (commitments/), never literals. */
const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four', 'five'];
const LOG_STREAM_COUNT = COUNT_WORDS[LOG_STREAMS.length] ?? String(LOG_STREAMS.length);

export const ISO27017_PACK: readonly PackEntry[] = [
  { id: 'ProviderRegionIsInJapan', rule: ProviderRegionIsInJapan, controls: ['6.1.3', '18.1.1'], severity: 'high',
    explanation: { en: 'The AWS provider deploys into a region in Japan.', ja: 'AWS プロバイダのリージョンが日本国内であること。' } },
  { id: 'EveryRegionReferenceIsInJapan', rule: EveryRegionReferenceIsInJapan, controls: ['6.1.3', '18.1.1'], severity: 'high',
    explanation: { en: 'Every other region in the stack (state backend, availability zones, ARNs) is in Japan.', ja: 'スタック内のその他のリージョン指定（状態保存先、アベイラビリティーゾーン、ARN）がすべて日本国内であること。' } },
  { id: 'CustomerLogsApartFromProviderLogs', rule: CustomerLogsApartFromProviderLogs, controls: ['8.1.1'], severity: 'medium',
    explanation: { en: 'The gateway writes only the customer log prefixes; flow logs (provider information) go only under the provider prefix.', ja: 'ゲートウェイはお客様ログのプレフィックスにのみ書き込み、フローログ（弊社運用情報）は弊社用プレフィックスにのみ保存されること。' } },
  { id: 'ServiceCodesTaggedOnEveryResource', rule: ServiceCodesTaggedOnEveryResource, controls: ['8.2.2'], severity: 'medium',
    explanation: { en: 'Every resource carries the tenant and its service codes; customer labels name held codes.', ja: '全リソースにテナントとサービスコードが付与され、ラベルは契約中のサービスコードに対応すること。' } },
  { id: 'LogArchiveErasedWithin45DaysOfTermination', rule: LogArchiveErasedWithin45DaysOfTermination, controls: ['CLD8.1.5'], severity: 'high',
    explanation: { en: `After termination every object and noncurrent version is expired by termination + ${ERASURE_DEADLINE_DAYS} days.`, ja: `解約後、全オブジェクトと旧バージョンが解約日から ${ERASURE_DEADLINE_DAYS} 日以内に消去される設定であること。` } },
  { id: 'TerminatedTenantKeepsNoGateway', rule: TerminatedTenantKeepsNoGateway, controls: ['CLD8.1.5'], severity: 'high',
    explanation: { en: "A terminated tenant's gateway and disks (holding its settings) are removed.", ja: '解約済みテナントのゲートウェイとディスク（設定データを保持）が削除されていること。' } },
  { id: 'PortalHasAdministrator', rule: PortalHasAdministrator, controls: ['9.2.1'], severity: 'medium',
    explanation: { en: 'Portal operators are registered once each, with at least one administrator who registers and deletes them.', ja: 'ポータルの運用管理担当者が重複なく登録され、登録・削除を行う管理者が 1 名以上いること。' } },
  { id: 'EveryOperatorHasKnownRole', rule: EveryOperatorHasKnownRole, controls: ['9.2.2', '9.4.1'], severity: 'medium',
    explanation: { en: 'Every portal operator holds one documented role (administrator, operator, viewer).', ja: '各運用管理担当者に文書化された権限（administrator, operator, viewer）のいずれかが付与されていること。' } },
  { id: 'GatewayTrustsOwnDeviceCaAndCutsRevoked', rule: GatewayTrustsOwnDeviceCaAndCutsRevoked, controls: ['9.2.1'], severity: 'high',
    explanation: { en: "The gateway trusts only the tenant's own device CA, loads a current CRL and ends the sessions of revoked or suspended device certificates.", ja: 'ゲートウェイがテナント専用の端末 CA のみを信頼し、有効な CRL を読み込み、失効・一時停止された端末証明書の接続を切断すること。' } },
  { id: 'PortalRequiresTwoFactor', rule: PortalRequiresTwoFactor, controls: ['9.2.3'], severity: 'high',
    explanation: { en: 'Portal sign-in requires two-factor authentication.', ja: 'ポータルのログインに二要素認証が必須であること。' } },
  { id: 'PortalRestrictsSourceAddresses', rule: PortalRestrictsSourceAddresses, controls: ['9.2.3'], severity: 'high',
    explanation: { en: 'Portal sign-in is restricted to listed source networks.', ja: 'ポータルへのアクセス元 IP アドレスが制限されていること。' } },
  { id: 'PortalLocksAccountAfterFailedLogins', rule: PortalLocksAccountAfterFailedLogins, controls: ['9.2.3'], severity: 'medium',
    explanation: { en: 'Accounts lock after a set number of failed logins.', ja: '規定回数のログイン失敗でアカウントがロックされること。' } },
  { id: 'OperatorsReachableForChangeNotices', rule: OperatorsReachableForChangeNotices, controls: ['12.1.2'], severity: 'low',
    explanation: { en: 'At least one operator has a registered e-mail address for change and maintenance notices.', ja: '変更・メンテナンスの個別連絡先として、メールアドレス登録済みの運用管理担当者が 1 名以上いること。' } },
  { id: 'GatewayRoleOnlyWritesOwnLogs', rule: GatewayRoleOnlyWritesOwnLogs, controls: ['9.4.1'], severity: 'high',
    explanation: { en: 'IAM policies allow only the gateway\'s log writes on named resources; no managed policies.', ja: 'IAM ポリシーはゲートウェイのログ書き込みのみを特定リソースに許可し、管理ポリシーを付与しないこと。' } },
  { id: 'GatewayOffersNoBypassUtility', rule: GatewayOffersNoBypassUtility, controls: ['9.4.4'], severity: 'high',
    explanation: { en: 'No user data, remote-exec, Session Manager, Instance Connect or serial console bypasses the hardened access path.', ja: 'ユーザーデータ、remote-exec、Session Manager、Instance Connect、シリアルコンソールなどセキュリティ手順を回避する手段がないこと。' } },
  { id: 'TenantHasOwnVpc', rule: TenantHasOwnVpc, controls: ['CLD9.5.1'], severity: 'high',
    explanation: { en: 'The tenant has one VPC of its own and every network resource is placed in it.', ja: 'テナント専用の VPC が 1 つあり、ネットワーク資源がすべてその中にあること。' } },
  { id: 'TenantDataEncryptedWithOwnKey', rule: TenantDataEncryptedWithOwnKey, controls: ['CLD9.5.1', '18.1.3'], severity: 'high',
    explanation: { en: "Stored logs are encrypted (SSE-KMS) with the tenant's own KMS key.", ja: '保存ログがテナント専用の KMS 鍵で暗号化（SSE-KMS）されていること。' } },
  { id: 'GatewayRequiresImdsV2', rule: GatewayRequiresImdsV2, controls: ['CLD9.5.2'], severity: 'high',
    explanation: { en: 'The gateway answers only IMDSv2 (session-token) metadata requests.', ja: 'ゲートウェイのインスタンスメタデータが IMDSv2（セッショントークン）のみで応答すること。' } },
  { id: 'GatewayRootVolumeEncryptedWithTenantKey', rule: GatewayRootVolumeEncryptedWithTenantKey, controls: ['CLD9.5.2'], severity: 'high',
    explanation: { en: "Every gateway disk is encrypted with the tenant's own KMS key.", ja: 'ゲートウェイの全ディスクがテナント専用の KMS 鍵で暗号化されていること。' } },
  { id: 'NoManagementPortOpenToInternet', rule: NoManagementPortOpenToInternet, controls: ['CLD9.5.2'], severity: 'high',
    explanation: { en: 'No management port (SSH, RDP, telnet, VNC, WinRM, node_exporter) is open to the internet.', ja: '管理用ポート（SSH, RDP, telnet, VNC, WinRM, node_exporter）がインターネットに開放されていないこと。' } },
  { id: 'DefaultSecurityGroupIsClosed', rule: DefaultSecurityGroupIsClosed, controls: ['CLD9.5.2'], severity: 'medium',
    explanation: { en: "The VPC's default security group is managed and has no rules.", ja: 'VPC のデフォルトセキュリティグループが管理され、ルールを持たないこと。' } },
  { id: 'PublicPortsMatchEnabledProtocols', rule: PublicPortsMatchEnabledProtocols, controls: ['CLD9.5.2'], severity: 'high',
    explanation: { en: 'What is open to the internet is exactly what the enabled VPN protocols need.', ja: 'インターネットに開放されたポートが、有効な VPN 接続方式に必要なものと一致すること。' } },
  { id: 'GatewayCryptoWithinProfile', rule: GatewayCryptoWithinProfile, controls: ['10.1.1'], severity: 'high',
    explanation: { en: "Protocols and proposals stay within the contract's crypto profile; legacy cryptography only under a recorded opt-in.", ja: '接続方式と暗号プロポーザルが契約の暗号プロファイル内にあり、旧式暗号は記録された同意がある場合のみ使用されること。' } },
  { id: 'LogArchiveRequiresTls', rule: LogArchiveRequiresTls, controls: ['10.1.1', '18.1.5'], severity: 'high',
    explanation: { en: 'The log archive refuses every request made without TLS.', ja: 'ログ保管先が TLS を使わないリクエストをすべて拒否すること。' } },
  { id: 'GatewayCiphersAreWhitepaperListed', rule: GatewayCiphersAreWhitepaperListed, controls: ['18.1.5'], severity: 'medium',
    explanation: { en: 'The VPN uses only whitepaper-listed ciphers (AES, Triple-DES, MPPE), none export-controlled.', ja: 'VPN がホワイトペーパー記載の暗号（AES, Triple-DES, MPPE）のみを使用し、輸出規制対象の暗号を使用しないこと。' } },
  { id: 'GatewaySizedForDeclaredTerminals', rule: GatewaySizedForDeclaredTerminals, controls: ['12.1.3'], severity: 'medium',
    explanation: { en: 'The instance type is the size class for the declared terminals and requests per second.', ja: 'インスタンスタイプが申告された端末数・リクエスト数に対応するサイズであること。' } },
  { id: 'TenantStateInEncryptedLockedBackend', rule: TenantStateInEncryptedLockedBackend, controls: ['12.3.1'], severity: 'medium',
    explanation: { en: "Changes go through the tenant's own Terraform state, encrypted and locked in S3: the equipment can be rebuilt from it.", ja: '変更はテナント専用の Terraform 状態（S3 で暗号化・ロック）を通じて行われ、設備の復旧に用いられること。' } },
  { id: 'OperatorWorkIsLogged', rule: OperatorWorkIsLogged, controls: ['12.4.3'], severity: 'medium',
    explanation: {
      en: `Operator work on the gateway (SSH sessions, sudo commands and sessions, audit trail of identity, privilege and configuration changes) goes to the provider's own stream, apart from the customer's, shipped to ${OPERATOR_WORK_STREAM.prefix} and kept ${OPERATOR_WORK_RETENTION_DAYS} days.`,
      ja: `ゲートウェイ上の運用作業（SSH セッション、sudo のコマンドと操作記録、ID・権限・設定変更の監査証跡）がお客様のログとは別の弊社専用ログに記録され、${OPERATOR_WORK_STREAM.prefix} へ送られて ${OPERATOR_WORK_RETENTION_DAYS} 日間保持されること。`,
    } },
  { id: 'TerraformRunsAreRecorded', rule: TerraformRunsAreRecorded, controls: ['12.4.3'], severity: 'medium',
    explanation: {
      en: `Every Terraform run on the tenant's equipment is recorded: the fleet's trail records each read and write of the state bucket (who, when, which state) with digest files, under ${TERRAFORM_RUN_RECORDS.prefix}/ of the provider's records bucket, kept ${TERRAFORM_RUN_RECORDS.retentionDays} days.`,
      ja: `テナントの設備に対する Terraform の実行がすべて記録されること：フリートの証跡がステート用バケットの読み書き（誰が・いつ・どのステートを）をダイジェストファイル付きで弊社の記録用バケットの ${TERRAFORM_RUN_RECORDS.prefix}/ に記録し、${TERRAFORM_RUN_RECORDS.retentionDays} 日間保持すること。`,
    } },
  { id: 'ProviderTakesNoBackupOfCustomerData', rule: ProviderTakesNoBackupOfCustomerData, controls: ['12.3.1'], severity: 'low',
    explanation: { en: 'No provider-side backup or replication copies customer data.', ja: 'お客様データを複製するバックアップやレプリケーションを弊社側で設定していないこと。' } },
  { id: 'LogStreamsExpireAfter90Days', rule: LogStreamsExpireAfter90Days, controls: ['12.4.1'], severity: 'high',
    explanation: { en: `The ${LOG_STREAM_COUNT} searchable log streams are kept for exactly ${LOG_SEARCH_RETENTION_DAYS} days.`, ja: `検索可能な ${LOG_STREAMS.length} 種類のログが ${LOG_SEARCH_RETENTION_DAYS} 日間保持されること。` } },
  { id: 'CombinedDownloadExpiresAfter30Days', rule: CombinedDownloadExpiresAfter30Days, controls: ['12.4.1'], severity: 'medium',
    explanation: { en: `The combined download file is kept for exactly ${COMBINED_DOWNLOAD_RETENTION_DAYS} days.`, ja: `ダウンロード用の統合ログファイルが ${COMBINED_DOWNLOAD_RETENTION_DAYS} 日間保持されること。` } },
  { id: 'GatewayWritesEveryLogStream', rule: GatewayWritesEveryLogStream, controls: ['12.4.1'], severity: 'medium',
    explanation: { en: 'The gateway can deliver each log stream and the combined file into the archive.', ja: 'ゲートウェイが各ログと統合ファイルをログ保管先へ書き込めること。' } },
  { id: 'GatewayClockFollowsJst', rule: GatewayClockFollowsJst, controls: ['12.4.4'], severity: 'medium',
    explanation: { en: `The gateway keeps Japan Standard Time (${TIMEZONE}, NTP servers, NTP allowed out).`, ja: `ゲートウェイが日本標準時（${TIMEZONE}、NTP サーバ、NTP 通信許可）に同期すること。` } },
  { id: 'GatewayImageIsPinned', rule: GatewayImageIsPinned, controls: ['12.6.1'], severity: 'medium',
    explanation: { en: 'The gateway runs the pinned hardened image, never an image lookup.', ja: 'ゲートウェイが固定指定された堅牢化イメージで稼働し、イメージ検索を使わないこと。' } },
  { id: 'GatewayCanFetchSecurityUpdates', rule: GatewayCanFetchSecurityUpdates, controls: ['12.6.1'], severity: 'low',
    explanation: { en: 'The gateway can reach security updates over HTTPS.', ja: 'ゲートウェイが HTTPS でセキュリティ更新を取得できること。' } },
  { id: 'GatewayAlarmsNotifyOperations', rule: GatewayAlarmsNotifyOperations, controls: ['CLD12.4.5'], severity: 'medium',
    explanation: { en: 'Status, CPU and network alarms on the gateway notify the operations SNS topic.', ja: 'ゲートウェイのステータス・CPU・ネットワークのアラームが運用 SNS トピックへ通知されること。' } },
  { id: 'VpcTrafficIsFlowLogged', rule: VpcTrafficIsFlowLogged, controls: ['CLD12.4.5'], severity: 'medium',
    explanation: { en: "All traffic of the tenant's VPC is flow-logged.", ja: 'テナント VPC の全トラフィックがフローログに記録されること。' } },
  { id: 'CarrierPathClosedToInternet', rule: CarrierPathClosedToInternet, controls: ['13.1.3', 'CLD9.5.1'], severity: 'high',
    explanation: { en: "Closed mobile access: the gateway's carrier-side interface has no public address, its subnet no route to the internet (only the carrier ranges, through the transit gateway), and it admits only those ranges.", ja: '閉域モバイル接続：ゲートウェイのキャリア側インターフェースにパブリックアドレスがなく、そのサブネットにインターネットへの経路がなく（トランジットゲートウェイ経由のキャリアのアドレス範囲のみ）、そのアドレス範囲からの通信のみを受け付けること。' } },
  { id: 'TransitAttachmentUsesOwnRouteTable', rule: TransitAttachmentUsesOwnRouteTable, controls: ['13.1.3'], severity: 'high',
    explanation: { en: "The transit attachment uses the tenant's own route table, never the shared default one.", ja: 'トランジットゲートウェイ接続がテナント専用のルートテーブルを使い、共有のデフォルトテーブルを使わないこと。' } },
  { id: 'NoRouteToAnotherTenant', rule: NoRouteToAnotherTenant, controls: ['13.1.3'], severity: 'high',
    explanation: { en: "No route or peering leads into another tenant's VPC or client pool.", ja: '他テナントの VPC やクライアントプールへの経路・ピアリングがないこと。' } },
  { id: 'VpcCidrUniqueAcrossFleet', rule: VpcCidrUniqueAcrossFleet, controls: ['13.1.3'], severity: 'high',
    explanation: { en: "The tenant's VPC range overlaps no other tenant's.", ja: 'テナントの VPC アドレス範囲が他テナントと重複しないこと。' } },
  { id: 'VlanUniqueAcrossFleet', rule: VlanUniqueAcrossFleet, controls: ['CLD13.1.4'], severity: 'high',
    explanation: { en: "The tenant's backbone VLAN id is used by no other tenant.", ja: 'テナントのバックボーン VLAN ID を他テナントが使用していないこと。' } },
  { id: 'VlanTaggedConsistently', rule: VlanTaggedConsistently, controls: ['CLD13.1.4'], severity: 'medium',
    explanation: { en: 'The attachment and its route table carry one and the same VLAN id.', ja: '接続とそのルートテーブルに同一の VLAN ID が設定されていること。' } },
  { id: 'LogArchiveBlocksPublicAccess', rule: LogArchiveBlocksPublicAccess, controls: ['18.1.3'], severity: 'high',
    explanation: { en: 'The log archive blocks all public access and has ACLs disabled.', ja: 'ログ保管先がパブリックアクセスをすべて遮断し、ACL が無効であること。' } },
];
