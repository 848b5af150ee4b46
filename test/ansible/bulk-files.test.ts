/**
 * roles/ras_files, the bulk file writer the roles write their configuration with, run by real
 * Ansible (ansible-playbook, local connection, the product's ansible.cfg) against a temporary
 * folder: one task writes a folder, a template, a role file and a validated file; an unchanged
 * rerun changes nothing; a wrong mode is fixed alone; a file whose validation fails is not
 * written and the old one stays; check mode writes nothing. Each file's own handlers are notified
 * only when it changed; `state: absent` removes a file; a secret file needs its task's no_log.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, chmodSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../devices/helpers/fixture';

const ANSIBLE_DIR = join(REPO, 'ansible');
const owner = userInfo().username;
const group = execFileSync('id', ['-gn'], { encoding: 'utf8' }).trim();
let dir: string;
let out: string;

interface TaskResult { changed?: boolean; failed?: boolean; msg?: string; files?: { dest: string; changed: boolean; what: string[] }[]; diff?: unknown[] }

/** Runs a play file with the product's ansible.cfg and roles; returns its tasks' results (json callback). */
function runPlay(file: string, args: string[]): { status: number; tasks: { name: string; result: TaskResult }[]; text: string } {
  const r = spawnSync('ansible-playbook', ['-i', 'localhost,', '-c', 'local', ...args, file], {
    encoding: 'utf8',
    env: { ...process.env, ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'), ANSIBLE_ROLES_PATH: join(ANSIBLE_DIR, 'roles'), ANSIBLE_STDOUT_CALLBACK: 'json', ANSIBLE_NOCOLOR: '1' },
  });
  const json = JSON.parse(r.stdout) as { plays: { tasks: { task: { name: string }; hosts: { localhost: TaskResult } }[] }[] };
  return { status: r.status ?? -1, tasks: json.plays[0].tasks.map((t) => ({ name: t.task.name, result: t.hosts.localhost })), text: r.stdout + r.stderr };
}

/** Runs the play; returns the bulk task's result and whether its handler ran. */
function converge(extra: string[] = [], value = 'ok'): { status: number; bulk: TaskResult; handlerRan: boolean; text: string } {
  const r = runPlay(join(dir, 'play.yml'), ['-e', `value=${value}`, ...extra]);
  const bulk = r.tasks.find((t) => t.name === 'bulk')?.result as TaskResult;
  return { status: r.status, bulk, handlerRan: r.tasks.some((t) => t.name === 'handler'), text: r.text };
}

const mode = (f: string): string => (statSync(join(out, f)).mode & 0o7777).toString(8).padStart(4, '0');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ras-bulk-files-'));
  out = join(dir, 'out');
  mkdirSync(join(dir, 'templates'));
  mkdirSync(join(dir, 'files'));
  writeFileSync(join(dir, 'templates', 'settings.j2'), '# {{ ansible_managed }}\nvalue = {{ value }}\n{% if true %}\ntrimmed block\n{% endif %}\n');
  writeFileSync(join(dir, 'files', 'program'), '#!/bin/sh\necho program\n');
  writeFileSync(
    join(dir, 'play.yml'),
    [
      '- hosts: localhost',
      '  gather_facts: false',
      '  roles: [ras_files]',
      `  vars: { out: ${JSON.stringify(out)} }`,
      '  tasks:',
      '    - name: bulk',
      '      ras_files:',
      `        owner: ${owner}`,
      `        group: ${group}`,
      '        mode: "0644"',
      '        files:',
      '          - { dest: "{{ out }}", state: directory, mode: "0750" }',
      '          - { dest: "{{ out }}/settings", template: settings.j2 }',
      '          - { dest: "{{ out }}/program", src: program, mode: "0755" }',
      '          - { dest: "{{ out }}/checked", content: "{{ value }}\\n", mode: "0600", validate: /bin/grep -qx ok %s }',
      '      notify: handler',
      // The stock module's rendering of the same template, for comparison.
      '    - name: reference',
      '      ansible.builtin.template: { src: settings.j2, dest: "{{ out }}/../reference", mode: "0644" }',
      '  handlers:',
      '    - name: handler',
      '      ansible.builtin.debug: { msg: notified }',
      '',
    ].join('\n'),
  );
});

test('one task writes the folder and every file with its content, owner and mode, and notifies', () => {
  const r = converge();
  expect(r.status).toBe(0);
  expect(r.bulk.changed).toBe(true);
  expect(r.bulk.files?.map((f) => [f.dest.slice(out.length), f.changed, f.what])).toEqual([
    ['', true, ['created']],
    ['/settings', true, ['created']],
    ['/program', true, ['created']],
    ['/checked', true, ['created']],
  ]);
  expect(r.handlerRan).toBe(true);
  // Rendered as ansible.builtin.template renders it: ansible_managed from ansible.cfg, trim_blocks.
  const settings = readFileSync(join(out, 'settings'), 'utf8');
  expect(settings).toBe(readFileSync(join(dir, 'reference'), 'utf8'));
  expect(settings).toBe('# Managed by ras-tenant-factory (ansible/). Local edits are overwritten.\nvalue = ok\ntrimmed block\n');
  expect(readFileSync(join(out, 'program'), 'utf8')).toBe('#!/bin/sh\necho program\n');
  expect([mode(''), mode('settings'), mode('program'), mode('checked')]).toEqual(['0750', '0644', '0755', '0600']);
  expect(statSync(join(out, 'checked')).uid).toBe(userInfo().uid);
});

test('an unchanged rerun changes nothing, rewrites nothing and notifies nobody', () => {
  const before = readdirSync(out).map((f) => [f, statSync(join(out, f)).ino, statSync(join(out, f)).mtimeMs]);
  const r = converge();
  expect(r.status).toBe(0);
  expect(r.bulk.changed).toBe(false);
  expect(r.bulk.files?.every((f) => !f.changed)).toBe(true);
  expect(r.handlerRan).toBe(false);
  expect(readdirSync(out).map((f) => [f, statSync(join(out, f)).ino, statSync(join(out, f)).mtimeMs])).toEqual(before);
});

test('a wrong mode is fixed on that file alone', () => {
  chmodSync(join(out, 'settings'), 0o666);
  const r = converge();
  expect(r.bulk.changed).toBe(true);
  expect(r.bulk.files?.filter((f) => f.changed).map((f) => [f.dest.slice(out.length), f.what])).toEqual([['/settings', ['mode']]]);
  expect(mode('settings')).toBe('0644');
  expect(r.handlerRan).toBe(true);
});

test('a file whose validation fails is not written: the old one stays, no temporary file is left', () => {
  const r = converge([], 'bad');
  expect(r.status).not.toBe(0);
  expect(r.bulk.failed).toBe(true);
  expect(r.bulk.msg).toContain(`failed to validate ${out}/checked`);
  expect(readFileSync(join(out, 'checked'), 'utf8')).toBe('ok\n');
  expect(readdirSync(out).sort()).toEqual(['checked', 'program', 'settings']);
  // The rerun with a valid value is clean again (the failed run wrote "settings" with "bad").
  expect(converge().status).toBe(0);
});

test('check mode reports the change and its diff, and writes nothing', () => {
  writeFileSync(join(out, 'program'), 'local edit\n');
  const r = converge(['--check', '--diff']);
  expect(r.status).toBe(0);
  expect(r.bulk.changed).toBe(true);
  expect(r.bulk.files?.filter((f) => f.changed).map((f) => [f.dest.slice(out.length), f.what])).toEqual([['/program', ['content']]]);
  expect(r.bulk.diff).toEqual([{ before_header: `${out}/program`, after_header: `${out}/program`, before: 'local edit\n', after: '#!/bin/sh\necho program\n' }]);
  expect(readFileSync(join(out, 'program'), 'utf8')).toBe('local edit\n');
  // Without check mode the same run restores it.
  expect(converge().bulk.files?.filter((f) => f.changed).map((f) => f.dest.slice(out.length))).toEqual(['/program']);
  expect(readFileSync(join(out, 'program'), 'utf8')).toBe('#!/bin/sh\necho program\n');
});

describe('per-file handlers, removal and secrets', () => {
  let itemsDir: string;

  /** Runs a one-task play (`task` is the task's YAML lines) with handlers a and b; returns the task's result and the handlers that ran. */
  function play(task: string[], vars: Record<string, string> = {}): { status: number; result: TaskResult; handlers: string[]; text: string } {
    const file = join(itemsDir, 'play.yml');
    writeFileSync(
      file,
      [
        '- hosts: localhost',
        '  gather_facts: false',
        '  roles: [ras_files]',
        `  vars: { out: ${JSON.stringify(itemsDir)} }`,
        '  tasks:',
        ...task.map((l) => `    ${l}`),
        '  handlers:',
        '    - name: handler a',
        '      ansible.builtin.debug: { msg: a }',
        '    - name: handler b',
        '      ansible.builtin.debug: { msg: b }',
        '',
      ].join('\n'),
    );
    const r = runPlay(file, Object.entries(vars).flatMap(([k, v]) => ['-e', `${k}=${v}`]));
    return {
      status: r.status,
      result: r.tasks.find((t) => t.name === 'files')?.result as TaskResult,
      handlers: r.tasks.map((t) => t.name).filter((n) => n.startsWith('handler')),
      text: r.text,
    };
  }

  const twoFiles = [
    '- name: files',
    '  ras_files:',
    `    owner: ${owner}`,
    `    group: ${group}`,
    '    mode: "0644"',
    '    files:',
    '      - { dest: "{{ out }}/a", content: "{{ a }}\\n", notify: handler a }',
    '      - { dest: "{{ out }}/b", content: "{{ b }}\\n", notify: [handler b] }',
    '      - { dest: "{{ out }}/gone", state: absent }',
  ];

  beforeAll(() => {
    itemsDir = mkdtempSync(join(tmpdir(), 'ras-bulk-items-'));
  });

  test('each changed file notifies its own handlers, and only those', () => {
    expect(play(twoFiles, { a: '1', b: '1' }).handlers).toEqual(['handler a', 'handler b']);
    expect(play(twoFiles, { a: '2', b: '1' }).handlers).toEqual(['handler a']);
    expect(play(twoFiles, { a: '2', b: '3' }).handlers).toEqual(['handler b']);
    const same = play(twoFiles, { a: '2', b: '3' });
    expect([same.result.changed, same.handlers]).toEqual([false, []]);
  });

  test('state absent removes a file if it is there, and refuses a folder', () => {
    writeFileSync(join(itemsDir, 'gone'), 'old\n');
    const r = play(twoFiles, { a: '2', b: '3' });
    expect(r.result.files?.filter((f) => f.changed).map((f) => [f.dest.slice(itemsDir.length), f.what])).toEqual([['/gone', ['removed']]]);
    expect(readdirSync(itemsDir).sort()).toEqual(['a', 'b', 'play.yml']);
    expect(play(twoFiles, { a: '2', b: '3' }).result.changed).toBe(false);
    mkdirSync(join(itemsDir, 'gone'));
    const folder = play(twoFiles, { a: '2', b: '3' });
    expect(folder.status).not.toBe(0);
    expect(folder.result.msg).toBe(`${itemsDir}/gone is a folder: ras_files removes files only`);
    expect(statSync(join(itemsDir, 'gone')).isDirectory()).toBe(true);
  });

  test('a secret file is refused without no_log, and its content never reaches the output with it', () => {
    const secret = ['- name: files', '  ras_files:', `    owner: ${owner}`, `    group: ${group}`, '    files:', '      - { dest: "{{ out }}/key", content: "{{ key }}\\n", mode: "0600", secret: true }'];
    const refused = play(secret, { key: 'hunter2-secret' });
    expect(refused.status).not.toBe(0);
    expect(refused.result.msg).toBe(`${itemsDir}/key: a secret file needs no_log: true on its task`);
    expect(refused.text).not.toContain('hunter2-secret');
    expect(readdirSync(itemsDir)).not.toContain('key');
    const hidden = play([...secret, '  no_log: true'], { key: 'hunter2-secret' });
    expect(hidden.status).toBe(0);
    expect(readFileSync(join(itemsDir, 'key'), 'utf8')).toBe('hunter2-secret\n');
    expect(hidden.text).not.toContain('hunter2-secret');
  });

  test('notify on the task and on its files together is refused before anything is written', () => {
    const both = [...twoFiles, '  notify: handler b'];
    const r = play(both, { a: '9', b: '9' });
    expect(r.status).not.toBe(0);
    expect(r.result.msg).toBe('give notify on the task or on its files, not both');
    expect(readFileSync(join(itemsDir, 'a'), 'utf8')).toBe('2\n');
  });
});
