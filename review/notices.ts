/**
 * Change notices (whitepaper 8.1 / control 12.1.2): changes and maintenance are announced on the
 * portal, and affected customers get e-mail at their registered addresses. One short notice per
 * affected tenant, in Japanese and English, headed with the recipients and a subject so it can go
 * to the portal and to mail as it is. Only service codes, labels and operator addresses appear:
 * nothing from the secret store.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisedLogName } from './retention';
import type { ImpactCode, Review, TenantReview } from './types';
import { md } from '../report/escape';

const TEXT: Record<ImpactCode, { ja: string; en: string }> = {
  'service-started': { ja: 'VPNゲートウェイの提供を開始します。', en: 'The VPN gateway service will be set up.' },
  'service-stopped': { ja: 'ご契約の終了に伴い、VPNゲートウェイを停止・撤去します。', en: 'The VPN gateway will be stopped and removed as the contract ends.' },
  'gateway-interrupted': {
    ja: 'VPNゲートウェイを再構築します。作業中はVPN接続が切断されますので、作業後に再接続してください。',
    en: 'The VPN gateway will be rebuilt. VPN connections drop during the work; please reconnect afterwards.',
  },
  'gateway-restarted': {
    ja: 'VPNゲートウェイを再起動します（処理能力の変更など）。数分間VPN接続が切断されます。',
    en: 'The VPN gateway will be restarted (for example, a change of capacity). VPN connections drop for a few minutes.',
  },
  'gateway-address-changes': {
    ja: 'VPNゲートウェイのグローバルIPアドレスが変わります。接続先の設定の変更が必要です。',
    en: "The VPN gateway's public IP address changes. Client connection settings must be updated.",
  },
  'access-changed': {
    ja: 'インターネットから利用できるプロトコル・ポート、またはアクセス制御の設定が変わります。',
    en: 'The protocols and ports reachable from the internet, or the access-control settings, change.',
  },
  'crypto-changed': {
    ja: 'VPN接続で利用できる暗号方式が変わります。お使いのクライアントの設定をご確認ください。',
    en: 'The encryption available for VPN connections changes. Please check your clients’ settings.',
  },
  'network-changed': {
    ja: 'VPNゲートウェイとお客様ネットワークとの間の経路設定を変更します。作業中、通信が短時間不安定になる場合があります。',
    en: 'Routing between the VPN gateway and your networks changes. Traffic may be briefly disrupted during the work.',
  },
  'log-retention-changed': { ja: 'ログの保存期間の設定が変わります。', en: 'The retention period of your logs changes.' },
  'data-erasure-changed': { ja: 'ご契約終了後のデータ消去の予定が変わります。', en: 'The schedule for erasing your data after the contract ends changes.' },
  'portal-changed': {
    ja: 'ポータルの設定（管理者のサインイン保護、または運用担当者アカウント）が変わります。',
    en: 'Portal settings (administrator sign-in protection, or operator accounts) change.',
  },
  // Said the way the review says it: rebuilt in the new region, removed from the old (not left running there).
  'region-changed': {
    ja: 'サービスを提供するリージョン（データセンター）が変わります。すべての設備を新しいリージョンで作り直し、元のリージョンの設備は削除します。',
    en: 'The region (data centre) the service runs in changes: everything is rebuilt in the new region and removed from the old one.',
  },
};

export interface Notice {
  readonly tenant: string;
  /** Registered operator addresses; empty when the contracts were not available to the review. */
  readonly recipients: readonly string[];
  readonly ja: { readonly subject: string; readonly body: string };
  readonly en: { readonly subject: string; readonly body: string };
}

export interface NoticeOptions {
  /** When the work takes place, as the operators will read it. @default - "to be announced" */
  readonly window?: string;
}

export function buildNotices(review: Review, options: NoticeOptions = {}): Notice[] {
  return review.tenants.filter((t) => t.serviceImpact.length > 0).map((t) => notice(t, options));
}

function notice(t: TenantReview, options: NoticeOptions): Notice {
  // Labels are the customer's text: escaped for the Markdown the notice is written in.
  const codesJa = t.services.map((s) => (s.label !== undefined ? `${s.code}（${md(s.label)}）` : s.code)).join('、');
  const codesEn = t.services.map((s) => (s.label !== undefined ? `${s.code} (${md(s.label)})` : s.code)).join(', ');
  const ja = {
    subject: `【サービス変更のお知らせ】${t.services.map((s) => s.code).join(' / ') || t.tenant}`,
    body: [
      'いつもご利用いただきありがとうございます。下記のとおりサービスの変更を実施します。',
      '',
      `- 対象サービスコード: ${codesJa || t.tenant}`,
      `- 実施日時: ${options.window ?? '確定後、ポータルにてお知らせします'}`,
      '- 内容:',
      ...t.serviceImpact.flatMap((c) => [`  - ${TEXT[c].ja}`, ...(c === 'log-retention-changed' ? belowPromise(t).map((b) => `    - ${b.ja}`) : [])]),
      '',
      'ご不明な点はポータルのお問い合わせ窓口までご連絡ください。',
    ].join('\n'),
  };
  const en = {
    subject: `[Service change notice] ${t.services.map((s) => s.code).join(' / ') || t.tenant}`,
    body: [
      'Thank you for using our service. We will make the following change.',
      '',
      `- Service codes: ${codesEn || t.tenant}`,
      `- When: ${options.window ?? 'to be announced on the portal once scheduled'}`,
      '- What changes:',
      ...t.serviceImpact.flatMap((c) => [`  - ${TEXT[c].en}`, ...(c === 'log-retention-changed' ? belowPromise(t).map((b) => `    - ${b.en}`) : [])]),
      '',
      'If you have any questions, please contact us through the portal.',
    ].join('\n'),
  };
  return { tenant: t.tenant, recipients: t.recipients ?? [], ja, en };
}

/**
 * One line per customer log whose retention drops below what was promised (12.4.1): "the period
 * changes" alone would hide that the customer loses logs they were told they keep.
 */
function belowPromise(t: TenantReview): { ja: string; en: string }[] {
  const out = new Map<string, { ja: string; en: string }>();
  for (const r of t.risks) {
    if (r.code !== 'retention-changed' || r.promise === undefined || typeof r.after !== 'number' || r.after >= r.promise.days) continue;
    const name = promisedLogName(r.promise.prefix);
    if (name === undefined) continue;
    const { days } = r.promise;
    out.set(r.promise.prefix, {
      ja: `${name.ja}: 保存期間が${String(r.before)}日から${r.after}日に短くなり、お約束している${days}日を下回ります。`,
      en: `${name.en}: retention shortened from ${String(r.before)} to ${r.after} days, below the promised ${days} days.`,
    });
  }
  return [...out.values()];
}

/** The text of one notice file: mail headers, a blank line, the body. */
export function noticeText(n: Notice, lang: 'ja' | 'en'): string {
  const to = n.recipients.length > 0 ? n.recipients.join(', ') : lang === 'ja' ? '(登録アドレス不明: 契約を読めませんでした)' : '(registered addresses unknown: contracts not available)';
  return `To: ${header(to)}\nSubject: ${header(n[lang].subject)}\n\n${n[lang].body}\n`;
}

/** A mail header value: a line break in it would start a header of its own (Bcc:, ...). */
function header(value: string): string {
  if (/[\r\n\u0085\u2028\u2029]/u.test(value)) throw new Error(`a notice header may not contain a line break: ${JSON.stringify(value)}`);
  return value;
}

/** Writes `<tenant>.ja.md` and `<tenant>.en.md` per notice into `dir`; returns the files. */
export function writeNotices(notices: readonly Notice[], dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return notices.flatMap((n) =>
    (['ja', 'en'] as const).map((lang) => {
      const file = join(dir, `${n.tenant}.${lang}.md`);
      writeFileSync(file, noticeText(n, lang));
      return file;
    }),
  );
}
