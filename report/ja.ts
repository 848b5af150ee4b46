/**
 * The rules and the scope judgement write their free texts (not-applicable reasons, notes,
 * required values, evidence phrases) in English, next to the values they quote. For the
 * Japanese report each known phrase is rendered in Japanese here, in one place, leaving the
 * identifiers, addresses, algorithm names and quoted values inside it as they are.
 * test/policies/report-japanese.test.ts walks the Japanese pages and fails on any English
 * sentence left, so a rule that adds a phrase adds its Japanese here.
 */

import type { Lang } from './i18n';

type Replacement = string | ((...groups: string[]) => string);

/** A list of names, separated the Japanese way ("a、b、c"). */
function list(names: string): string {
  return names.split(', ').join('、');
}

/** Whole-text patterns first (anchored), then phrases that occur inside longer texts. */
const PHRASES: readonly (readonly [RegExp, Replacement])[] = [
  // Scope (policies/scope.ts)
  [/^gateway type (.+) \(only Type (\S+) is in scope\)$/, (t, a) => `ゲートウェイ タイプ ${t}（適用範囲はタイプ ${a} のみ）`],
  [/^linked service (.+) \(only (\S+) is in scope\)$/, (l, p) => `連携サービス ${l}（適用範囲は ${p} のみ）`],
  [/^ras:iso27017-scope tag is (.+)$/, (v) => `ras:iso27017-scope タグが ${v}`],
  [/^ras:iso27017-scope says in-scope, contradicting the tags above$/, 'ras:iso27017-scope タグは in-scope ですが、上記のタグと矛盾します'],
  // Not-applicable reasons (policies/gates.ts and the rules)
  [/^terminated tenant: the gateway no longer exists$/, '解約済みテナント：ゲートウェイは既に存在しません'],
  [/^terminated tenant: the tenant network no longer exists$/, '解約済みテナント：テナントのネットワークは既に存在しません'],
  [/^terminated tenant: the backbone attachment no longer exists$/, '解約済みテナント：バックボーン接続は既に存在しません'],
  [/^terminated tenant: (.+) no longer exists$/, (w) => `解約済みテナント：${w} は既に存在しません`],
  [/^active tenant: the gateway is in service$/, '契約中のテナント：ゲートウェイは稼働中です'],
  [/^active tenant: nothing is due for erasure$/, '契約中のテナント：消去期限の到来したデータはありません'],
  [/^terminated tenant: erasure after termination applies$/, '解約済みテナント：解約後の消去が適用されます'],
  [/^terminated tenant: no log writers remain$/, '解約済みテナント：ログの書き込み元は残っていません'],
  [/^terminated tenant: no roles remain$/, '解約済みテナント：ロールは残っていません'],
  [/^no ingress rule in the stack \(searched: (.+)\)$/, (s) => `スタックに受信ルールがありません（検索対象：${s}）`],
  [/^no carrier-side network interface \(aws_network_interface\) in the stack: the tenant has no closed mobile access$/, () => 'スタックにキャリア側ネットワークインターフェース（aws_network_interface）がありません：このテナントは閉域モバイル接続を利用していません'],
  [/^no gateway instance in the stack \(searched: (.+)\)$/, (s) => `スタックにゲートウェイのインスタンスがありません（検索対象：${s}）`],
  // Drift (drift/differences.ts): a resource present on one side only
  [/^present$/, 'あり'],
  [/^absent$/, 'なし'],
  // Notes
  [/^proposals are the gateway configuration's defaults for profile (\S+) \(not rendered per tenant\)$/, (p) => `プロポーザルはプロファイル ${p} のゲートウェイ構成の既定値です（テナントごとには出力されていません）`],
  // Absence evidence (policies/results.ts absence())
  [/^searched: (.+)$/, (s) => `検索対象：${s}`],
  [/^resource type of every resource in the stack$/, 'スタック内の全リソースのリソースタイプ'],
  [/^none declared \((\d+) resources searched\)$/, (n) => `宣言なし（${n} 件のリソースを検索）`],
  [/^all (\d+) resources$/, (n) => `全 ${n} 件のリソース`],
  [/^not set$/, '設定なし'],
  [/^not set, or a #cloud-config that only creates the operations accounts and their sshd settings$/, '設定なし、または運用アカウントとその sshd 設定のみを作成する #cloud-config'],
  // Device certificates (GatewayTrustsOwnDeviceCaAndCutsRevoked)
  [/^the tenant has no device PKI \(no device certificates issued by ras device\)$/, 'テナントにデバイス PKI がありません（ras device で発行されたデバイス証明書なし）'],
  [/^the tenant device CA and the fleet root, PEM$/, 'テナントのデバイス CA とフリートのルート（PEM）'],
  [/^a CA certificate of this tenant \((.+)\)$/, (o) => `このテナントの CA 証明書（${o}）`],
  [/^issued by (.+)$/, (i) => `発行者 ${i}`],
  [/^signed by the fleet root rendered with it \(self-signed\)$/, '同時に出力されたフリートのルート（自己署名）による署名'],
  [/^trusted for certificate logins: (.+) \(issued by (.+)\), valid until (\S+)$/, (c, i, v) => `証明書ログインで信頼：${c}（発行者 ${i}）、有効期限 ${v}`],
  [/^the tenant CRL, PEM$/, 'テナントの CRL（PEM）'],
  [/^\(not a PEM CRL\)$/, '（PEM 形式の CRL ではない）'],
  [/^\(not a certificate\)$/, '（証明書ではない）'],
  [/^a CRL number \(strongSwan ignores CRLs without one\)$/, 'CRL 番号（番号のない CRL を strongSwan は無視します）'],
  [/^a next update in the future: re-sign with ras device crl and re-render$/, '将来の次回更新日時：ras device crl で再署名して再出力'],
  [/^CRL number (\S+), next update (\S+)$/, (n, u) => `CRL 番号 ${n}、次回更新 ${u}`],
  [/^true: sessions of revoked and suspended certificates are ended$/, 'true：失効・停止された証明書のセッションを終了'],
  [/^a re-authentication interval of at most (\S+) h$/, (h) => `再認証間隔 ${h} 時間以内`],
  [/^the list of revoked and suspended serials$/, '失効・停止されたシリアルの一覧'],
  [/^(\d+) revoked or suspended certificates ended by serial; reauth_time (\S+)$/, (n, r) => `失効・停止された証明書 ${n} 件をシリアルで終了、reauth_time ${r}`],
  [/^device, suspended and revoked counts$/, 'デバイス数、停止数、失効数'],
  [/^(\d+) devices: (\d+) active, (\d+) suspended, (\d+) revoked$/, (d, a, su, r) => `デバイス ${d} 台：有効 ${a}、停止 ${su}、失効 ${r}`],
  // Operator work logs (OperatorWorkIsLogged)
  [/^a folder of its own under (\S+)$/, (d) => `${d} 配下の専用フォルダ`],
  [/^programs including (.+)$/, (p) => `${list(p)} を含むプログラム`],
  [/^without (.+)$/, (p) => `${list(p)} なし`],
  [/^packages including (.+)$/, (p) => `${list(p)} を含むパッケージ`],
  [/^s3:PutObject on the archive's (\S+)$/, (p) => `アーカイブの ${p} への s3:PutObject`],
  [/^no remote-exec provisioner$/, 'remote-exec プロビジョナなし'],
  [/^no (.+) action allowed; no (\S+) managed policy$/, (a, p) => `${a} のアクションの許可なし、${p} マネージドポリシーなし`],
  [/^none covers (.+)$/, (p) => `${p} を含むルールなし`],
  [/^ingress protocol\/from_port\/to_port$/, '受信の protocol/from_port/to_port'],
  // Terraform run records (TerraformRunsAreRecorded)
  [/^an S3 backend in the fleet's state bucket$/, 'フリートのステート用バケットの S3 バックエンド'],
  [/^a fleet stack in the output that makes this bucket and records its runs \(ras synth of the whole fleet writes it\)$/, 'このバケットを作成し実行を記録するフリートのスタックが出力にあること（フリート全体の ras synth が出力します）'],
  [/^no trail$/, '証跡なし'],
  [/^no trail recording this bucket$/, 'このバケットを記録する証跡なし'],
  [/^a trail recording every read and write of (\S+)$/, (o) => `${o} のすべての読み書きを記録する証跡`],
  [/^true \(digest files show a record altered or deleted\)$/, 'true（記録の改ざん・削除をダイジェストファイルで検出）'],
  [/^a bucket made by the same fleet stack$/, '同じフリートのスタックで作成されたバケット'],
  [/^(\d+) \(the run records under (\S+)\)$/, (d, p) => `${d}（${p} 配下の実行記録）`],
  [/^contract host$/, '契約ホスト'],
  [/^append-only audit log of contract events, one line per event received, never rotated or truncated by ras$/, '契約イベントの追記専用の監査ログ（受信したイベントごとに 1 行、ras がローテーションや切り詰めをすることはない）'],
  // Evidence phrases
  [/^Deny s3:\* when aws:SecureTransport is false \(bucket and objects\)$/, 'aws:SecureTransport が false のとき s3:* を拒否（バケットとオブジェクト）'],
  [/^encrypted with (.+)$/, (k) => `${k} で暗号化`],
  [/^aws:kms with (.+)$/, (k) => `aws:kms（キー ${k}）`],
  [/^(\S+) \(size class (\S+)\)$/, (t, c) => `${t}（サイズ区分 ${c}）`],
  [/^(\S+) \(administrator\)$/, (o) => `${o}（管理者）`],
  [/^(\S+) \(operator\)$/, (o) => `${o}（オペレータ）`],
  [/^(\S+): administrator$/, (o) => `${o}：管理者`],
  [/^(\S+): operator$/, (o) => `${o}：オペレータ`],
  [/^(\S+ → \S+|\S+) to (\S+)$/, (p, d) => `${p}（宛先 ${d}）`],
  [/^(\S+) from (.+)$/, (p, s) => `${p}（送信元 ${s}）`],
  [/^(.+) \((\S+), prefix (\S+)\)$/, (p, id, prefix) => `${p}（${id}、プレフィックス ${prefix}）`],
  // Findings' found and required values
  [/^(.+) only from a restricted network$/, (p) => `${p} は制限されたネットワークからのみ`],
  [/^only (.+) from the internet$/, (p) => `インターネットからは ${p} のみ`],
  [/^(.+) open for the enabled protocols$/, (p) => `有効なプロトコルのために ${p} を開放`],
  [/^not open$/, '未開放'],
  [/^true or false$/, 'true または false'],
  [/^the opt-in's approver and reason from the contract$/, '契約に記録されたオプトインの承認者と理由'],
  [/^compliant with no evidence$/, 'エビデンスなしの適合'],
  [/^evidence for every compliant result$/, 'すべての適合結果にエビデンスがあること'],
  [/^rule failed: (.+)$/, (m) => `ルールの評価に失敗：${m}`],
  [/^a rule that evaluates$/, '評価できるルール'],
  [/^no legacy cryptography without a recorded opt-in \((.+)\)$/, (v) => `記録されたオプトイン（${v}）なしにレガシー暗号を使わないこと`],
  [/^legacy profile$/, 'レガシープロファイル'],
  [/^\(absent\)$/, '（なし）'],
];

export function japanese(text: string): string {
  for (const [pattern, replacement] of PHRASES) {
    const m = pattern.exec(text);
    if (m === null) continue;
    return typeof replacement === 'string' ? replacement : replacement(...m.slice(1).map((g) => japanese(g ?? '')));
  }
  // A list of phrases ("legacy profile; PPTP (MPPE 128); ..."): each item on its own.
  return text.includes('; ') ? text.split('; ').map(japanese).join('；') : text;
}

/** A rule's or the scope judgement's free text, in the page's language. */
export function say(lang: Lang, text: string): string {
  return lang === 'ja' ? japanese(text) : text;
}
