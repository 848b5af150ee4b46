/** Fixed wording of the reports in both languages. Contract and rule data are shown as they are. */
import type { ControlStatus, RuleStatus } from '../policies/evaluate';
import type { Severity } from '../policies/packs/pack';
import type { Verdict } from './verdict';
import type { EvidenceKind } from './provenance';

export type Lang = 'en' | 'ja';
export const LANGS: readonly Lang[] = ['en', 'ja'];

export interface Bilingual {
  readonly en: string;
  readonly ja: string;
}

export const T = {
  title: { en: 'ISO/IEC 27017 compliance evidence', ja: 'ISO/IEC 27017 適合性エビデンス' },
  fleetTitle: { en: 'ISO/IEC 27017 compliance: fleet overview', ja: 'ISO/IEC 27017 適合性：全テナント一覧' },
  service: {
    en: 'Managed remote-access VPN service (commitments from the IIJ GIO Remote Access Service ISO/IEC 27017 whitepaper)',
    ja: 'マネージド・リモートアクセス VPN サービス（取り組みの出典：IIJ GIO リモートアクセスサービス ISO/IEC 27017 ホワイトペーパー）',
  },
  tenant: { en: 'Tenant', ja: 'テナント' },
  contractStatus: { en: 'Contract status', ja: '契約状態' },
  generated: { en: 'Generated', ja: '作成日時' },
  scope: { en: 'ISO/IEC 27017 scope', ja: 'ISO/IEC 27017 適用範囲' },
  inScope: { en: 'In scope: Gateway Type A with the Private Backbone as linked service.', ja: '適用範囲：ゲートウェイ タイプ A かつ連携サービスが IIJ プライベートバックボーンサービス。' },
  outOfScope: { en: 'Out of ISO/IEC 27017 scope. The rules were still run; their results below are for information and are not certification evidence.', ja: 'ISO/IEC 27017 適用範囲外です。ルールは実行しており、以下の結果は参考情報です（認証のエビデンスではありません）。' },
  outOfScopeShort: { en: 'out of ISO/IEC 27017 scope', ja: 'ISO/IEC 27017 適用範囲外' },
  inScopeShort: { en: 'in ISO/IEC 27017 scope', ja: 'ISO/IEC 27017 適用範囲' },
  reasons: { en: 'Reasons', ja: '理由' },
  responsibility: { en: 'Responsibility split', ja: '責任分界点' },
  provider: { en: 'Provider', ja: '弊社（事業者）' },
  customer: { en: 'Customer', ja: 'お客様' },
  shared: { en: 'Shared', ja: '共有' },
  summary: { en: 'Summary', ja: '概要' },
  controls: { en: 'Controls (all 42 of the whitepaper)', ja: '管理策（ホワイトペーパー記載の全 42 項目）' },
  control: { en: 'Control', ja: '項番' },
  section: { en: 'Section', ja: '節' },
  titleCol: { en: 'Title', ja: 'タイトル' },
  owner: { en: 'Responsibility', ja: '責任' },
  status: { en: 'Status', ja: '状態' },
  commitment: { en: 'Commitment', ja: 'サービスの取り組み' },
  evidence: { en: 'Evidence', ja: 'エビデンス' },
  rule: { en: 'Rule', ja: 'ルール' },
  severity: { en: 'Severity', ja: '重要度' },
  resource: { en: 'Resource', ja: 'リソース' },
  attribute: { en: 'Attribute', ja: '属性' },
  value: { en: 'Value', ja: '値' },
  found: { en: 'Found', ja: '検出値' },
  required: { en: 'Required', ja: '要求値' },
  findings: { en: 'Findings', ja: '指摘事項' },
  notes: { en: 'Notes', ja: '注記' },
  notApplicableBecause: { en: 'Not applicable', ja: '対象外' },
  procedural: { en: 'Shown by procedure, not by configuration. The whitepaper states:', ja: '構成ではなく運用手順により担保されます。ホワイトペーパーの記載：' },
  suppressions: { en: 'Suppressions (declared exceptions)', ja: '抑止（宣言された例外）' },
  noSuppressions: { en: 'None declared for this tenant.', ja: 'このテナントに宣言された例外はありません。' },
  noSuppressionsFleet: { en: 'None declared.', ja: '宣言された例外はありません。' },
  unused: { en: 'Unused suppressions (match no finding; should be removed)', ja: '未使用の抑止（該当する指摘がなく、削除すべきもの）' },
  reason: { en: 'Reason', ja: '理由' },
  withException: { en: 'with a declared exception', ja: '宣言された例外あり' },
  tenants: { en: 'Tenants', ja: 'テナント' },
  result: { en: 'Result', ja: '結果' },
  passed: { en: 'passed', ja: '合格' },
  failed: { en: 'failed', ja: '不合格' },
  otherLanguage: { en: '日本語', ja: 'English' },
  verdict: { en: 'Verdict', ja: '判定' },
  informationOnly: { en: 'information only (out of scope)', ja: '参考情報のみ（適用範囲外）' },
  informationOnlyNote: {
    en: 'Out of ISO/IEC 27017 scope: information only, not certification evidence.',
    ja: 'ISO/IEC 27017 適用範囲外：参考情報のみで、認証のエビデンスではありません。',
  },
  provenance: { en: 'Provenance of this evidence', ja: 'このエビデンスの出所' },
  evidenceKind: { en: 'What the evidence is', ja: 'エビデンスの種類' },
  evidenceSource: { en: 'read from', ja: '読み取り元' },
  codeCommit: { en: 'Code commit', ja: 'コードのコミット' },
  uncommitted: { en: 'with uncommitted changes', ja: '未コミットの変更あり' },
  toolVersion: { en: 'Tool version', ja: 'ツールのバージョン' },
  contractsCommit: { en: 'Contracts commit', ja: '契約ファイルのコミット' },
  contractsNotCommitted: { en: 'not committed unchanged (identified by SHA-256 below)', ja: '変更なしでコミットされていません（下記の SHA-256 で特定）' },
  contractFile: { en: 'Contract file', ja: '契約ファイル' },
  generatedJst: { en: 'Generated (JST)', ja: '作成日時（日本時間）' },
  exception: { en: 'Recorded exception', ja: '記録された例外' },
  exceptionCovers: { en: 'Allows', ja: '例外の対象' },
  approvedBy: { en: 'Approved by', ja: '承認者' },
  approvedOn: { en: 'Approved on', ja: '承認日' },
  notRecorded: { en: '(not recorded)', ja: '（記録なし）' },
  recordedIn: { en: 'Recorded in', ja: '記録場所' },
  pointsTo: { en: 'points to', ja: '参照先' },
  notInStack: { en: 'not declared in this stack', ja: 'このスタックで宣言されていません' },
  contents: { en: 'Contents', ja: '目次' },
  deployedState: { en: 'Deployed state', ja: 'デプロイ済みの状態' },
  deployedIntro: {
    en: 'The deployed state (the refreshed Terraform state) was read beside the intended configuration. Each control shows both statuses; a difference is flagged.',
    ja: 'デプロイ済みの状態（更新済みの Terraform ステート）を意図された構成と並べて読み取りました。各管理策に両方の状態を示し、相違には印を付けています。',
  },
  deployedVerdict: { en: 'Rules on the deployed state', ja: 'デプロイ済みの状態に対するルール判定' },
  noDrift: { en: 'No difference between the intended configuration and the deployed state.', ja: '意図された構成とデプロイ済みの状態に相違はありません。' },
  differences: { en: 'Differences from the intended configuration', ja: '意図された構成との相違' },
  intendedValue: { en: 'Intended', ja: '意図された値' },
  deployedValue: { en: 'Deployed', ja: 'デプロイ済みの値' },
  controlsDiffering: { en: 'Controls whose deployed status differs', ja: 'デプロイ済みの状態で判定が異なる管理策' },
  deployedShort: { en: 'deployed', ja: 'デプロイ済み' },
  differsFlag: { en: 'differs from the intended configuration', ja: '意図された構成と異なる' },
  driftCount: { en: 'differences in the deployed state', ja: 'デプロイ済みの状態の相違数' },
  notDeployedRead: { en: 'deployed state not read', ja: 'デプロイ済みの状態は未読取' },
  wholeResource: { en: '(whole resource)', ja: '（リソース全体）' },
  fleetCounts: { en: 'Controls across the fleet', ja: '管理策ごとの集計' },
  notCounted: {
    en: 'The counts below are of in-scope tenants; out-of-scope tenants are information only and are not counted.',
    ja: '下表の件数は適用範囲内のテナントのみです。適用範囲外のテナントは参考情報のため数えていません。',
  },
  deployedDiffersCount: { en: 'tenants whose deployed status differs', ja: 'デプロイ済みの状態で判定が異なるテナント数' },
  fleetPages: { en: 'Tenants, page by page', ja: 'テナント別の結果（ページ単位）' },
  page: { en: 'Page', ja: 'ページ' },
  tenantRange: { en: 'Tenants (in name order)', ja: 'テナント（名前順）' },
  previousPage: { en: 'previous page', ja: '前のページ' },
  nextPage: { en: 'next page', ja: '次のページ' },
} satisfies Record<string, Bilingual>;

export const EVIDENCE_KIND: Record<EvidenceKind, Bilingual> = {
  intended_configuration: { en: 'intended configuration (synthesized)', ja: '意図された構成（合成出力）' },
  deployed_state: { en: 'deployed state', ja: 'デプロイ済みの状態' },
};

export const VERDICT: Record<Verdict, Bilingual> = {
  passed: T.passed,
  failed: T.failed,
  information_only: T.informationOnly,
};

export const SEVERITY: Record<Severity, Bilingual> = {
  high: { en: 'high', ja: '高' },
  medium: { en: 'medium', ja: '中' },
  low: { en: 'low', ja: '低' },
};

/** Contract statuses as the reports name them (an unknown one is shown as it is). */
export const CONTRACT_STATUS: Readonly<Record<string, Bilingual>> = {
  active: { en: 'active', ja: '契約中' },
  terminated: { en: 'terminated', ja: '解約済み' },
};

export function contractStatus(status: string, lang: Lang): string {
  return CONTRACT_STATUS[status]?.[lang] ?? status;
}

export const CONTROL_STATUS: Record<ControlStatus, Bilingual> = {
  compliant: { en: 'compliant', ja: '適合' },
  compliant_by_exception: { en: 'compliant by recorded exception', ja: '記録された例外により適合' },
  non_compliant: { en: 'non-compliant', ja: '不適合' },
  not_applicable: { en: 'not applicable', ja: '対象外' },
  procedural: { en: 'procedural', ja: '運用手順' },
};

export const RULE_STATUS: Record<RuleStatus, Bilingual> = {
  compliant: { en: 'compliant', ja: '適合' },
  compliant_by_exception: { en: 'compliant by recorded exception', ja: '記録された例外により適合' },
  non_compliant: { en: 'non-compliant', ja: '不適合' },
  not_applicable: { en: 'not applicable', ja: '対象外' },
  suppressed: { en: 'suppressed (declared exception)', ja: '抑止（宣言済みの例外）' },
};

export const RESPONSIBILITY: Record<'provider' | 'customer' | 'shared', Bilingual> = { provider: T.provider, customer: T.customer, shared: T.shared };

/** The whitepaper's responsibility split (p.8): what each side manages. */
export const RESPONSIBILITY_SPLIT: { readonly customer: readonly Bilingual[]; readonly provider: readonly Bilingual[] } = {
  customer: [{ en: 'Customer data (settings, user management)', ja: 'お客様データ（設定データ、ユーザ管理等）' }],
  provider: [
    { en: 'Network (internet connection) up to the equipment', ja: 'ネットワーク（インターネット接続）※設備まで' },
    { en: 'Middleware', ja: 'ミドルウェア' },
    { en: 'OS', ja: 'OS' },
    { en: 'Virtual servers', ja: '仮想サーバ' },
    { en: 'Physical servers', ja: '物理サーバ' },
    { en: 'Network (backbone)', ja: 'ネットワーク（バックボーン）' },
    { en: 'Data centre', ja: 'データセンター' },
  ],
};
