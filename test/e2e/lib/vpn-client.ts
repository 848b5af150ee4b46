/**
 * A VPN client written from the tenant's contract alone (identities, methods, the gateway
 * address and the CA), emulating what a stock client proposes. It is the host's own charon
 * in a client namespace, with a private strongswan.conf (own vici socket, own resolv file,
 * kernel-libipsec because this kernel has no ESP) and its own swanctl folder.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CLEAN_ENV, Daemons, must, run, waitFor, type RunResult } from './run';
import { existsSync } from 'node:fs';

export interface ClientConnection {
  readonly name: string;
  readonly version: 1 | 2;
  readonly proposals: string;
  readonly espProposals: string;
  /** swanctl `local` section lines (auth, id, certs, eap_id). */
  readonly local: readonly string[];
  readonly remoteAuth: 'pubkey' | 'psk';
  readonly child: { readonly mode: 'tunnel' | 'transport'; readonly remoteTs: string; readonly localTs?: string };
  readonly vip: boolean;
}

/**
 * strongswan.conf of a client-side charon (a test client, the capacity bench's initiator): its own
 * vici socket and resolv file (or it rewrites the host's /etc/resolv.conf), user-space ESP
 * (kernel-libipsec: no ESP in this kernel), virtual IPs installed, and its own log file.
 * `charon`: further settings of the charon section, after install_virtual_ip.
 */
export function clientCharonConf(o: { dir: string; socket: string; log: string; levels: readonly string[]; charon?: readonly string[] }): string {
  return [
    'charon {',
    '  load_modular = yes',
    '  install_virtual_ip = yes',
    ...(o.charon ?? []).map((line) => `  ${line}`),
    '  plugins {',
    '    include /etc/strongswan.d/charon/*.conf',
    '    kernel-libipsec {',
    '      load = yes',
    '    }',
    '    stroke {',
    '      load = no',
    '    }',
    '    vici {',
    `      socket = ${o.socket}`,
    '    }',
    '    resolve {',
    `      file = ${join(o.dir, 'resolv.conf')}`,
    '    }',
    '  }',
    '  filelog {',
    `    ${o.log} {`,
    `      path = ${join(o.dir, 'charon.log')}`,
    ...o.levels.map((line) => `      ${line}`),
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
}

export class VpnClient {
  readonly dir: string;
  private readonly socket: string;

  constructor(readonly ns: string, baseDir: string, private readonly gateway: string, private readonly caCert: string) {
    this.dir = join(baseDir, ns);
    mkdirSync(this.dir, { recursive: true });
    this.socket = `unix://${join(this.dir, 'charon.vici')}`;
  }

  start(daemons: Daemons): void {
    const conf = join(this.dir, 'strongswan.conf');
    writeFileSync(conf, clientCharonConf({ dir: this.dir, socket: this.socket, log: 'client', levels: ['default = 1', 'ike = 2'] }));
    daemons.start(`charon ${this.ns}`, ['ip', 'netns', 'exec', this.ns, '/usr/sbin/charon-systemd'], join(this.dir, 'stdout.log'), { ...CLEAN_ENV, STRONGSWAN_CONF: conf });
  }

  async ready(): Promise<void> {
    await waitFor(`vici socket of ${this.ns}`, 15000, () => (existsSync(this.socket.slice('unix://'.length)) ? true : undefined));
  }

  /**
   * Loads connections, secrets and credentials from this client's own swanctl folder
   * (SWANCTL_DIR): certificates into x509/, private keys into private/, the CA into x509ca/.
   * Connections name certificates by file name.
   */
  load(connections: readonly ClientConnection[], secrets: readonly string[], credentials: { certs?: string[]; keys?: string[] } = {}): void {
    for (const sub of ['x509', 'x509ca', 'private']) mkdirSync(join(this.dir, sub), { recursive: true });
    copyFileSync(this.caCert, join(this.dir, 'x509ca', basename(this.caCert)));
    for (const c of credentials.certs ?? []) copyFileSync(c, join(this.dir, 'x509', basename(c)));
    for (const k of credentials.keys ?? []) copyFileSync(k, join(this.dir, 'private', basename(k)));
    const lines: string[] = ['connections {'];
    for (const c of connections) {
      lines.push(
        `  ${c.name} {`,
        `    version = ${c.version}`,
        `    remote_addrs = ${this.gateway}`,
        `    proposals = ${c.proposals}`,
        '    encap = yes',
        ...(c.vip ? ['    vips = 0.0.0.0'] : []),
        '    local {',
        ...c.local.map((l) => `      ${l}`),
        '    }',
        '    remote {',
        `      auth = ${c.remoteAuth}`,
        ...(c.remoteAuth === 'pubkey' ? [`      cacerts = ${basename(this.caCert)}`, '      id = %any'] : []),
        '    }',
        '    children {',
        `      ${c.name} {`,
        `        mode = ${c.child.mode}`,
        `        remote_ts = ${c.child.remoteTs}`,
        ...(c.child.localTs ? [`        local_ts = ${c.child.localTs}`] : []),
        `        esp_proposals = ${c.espProposals}`,
        '      }',
        '    }',
        '  }',
      );
    }
    lines.push('}', 'secrets {', ...secrets.map((s) => `  ${s}`), '}', '');
    const file = join(this.dir, 'swanctl.conf');
    writeFileSync(file, lines.join('\n'), { mode: 0o600 });
    must(['swanctl', '--load-all', '--noprompt', '--uri', this.socket], { env: { ...CLEAN_ENV, SWANCTL_DIR: this.dir } });
  }

  initiate(name: string, timeoutS = 20): RunResult {
    return run(['swanctl', '--initiate', '--ike', name, '--child', name, '--timeout', String(timeoutS), '--uri', this.socket], { timeoutMs: (timeoutS + 10) * 1000 });
  }

  terminate(name: string): RunResult {
    return run(['swanctl', '--terminate', '--ike', name, '--timeout', '10', '--uri', this.socket], { timeoutMs: 20000 });
  }

  listSas(): string {
    return run(['swanctl', '--list-sas', '--uri', this.socket]).stdout;
  }

  /** The virtual IP the gateway leased to this client, from swanctl's SA listing. */
  virtualIp(): string | undefined {
    // "  local  'alice@example' @ 198.51.100.11[4500] [10.128.0.1]"
    return /local\s+'[^']*'\s+@\s+\S+\s+\[([\d.]+)\]/.exec(this.listSas())?.[1];
  }

  /** TCP connect from inside the client namespace; true when the handshake completed. */
  canConnect(host: string, port: number, timeoutS = 3): boolean {
    const code = `import socket,sys\ntry:\n socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=${timeoutS}).close()\nexcept Exception:\n sys.exit(1)\n`;
    return run(['ip', 'netns', 'exec', this.ns, '/usr/bin/python3', '-c', code, host, String(port)], { timeoutMs: (timeoutS + 5) * 1000 }).status === 0;
  }
}
