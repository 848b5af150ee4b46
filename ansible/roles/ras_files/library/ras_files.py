#!/usr/bin/python
# -*- coding: utf-8 -*-
# Part of ras-tenant-factory (ansible/). Proprietary.
"""Write many configuration files and folders in one module run (the gateway side of ras_files)."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ras_files
short_description: Ensure many files and folders have the given content, owner, group and mode in one run
description:
  - The gateway side of the C(ras_files) action. The action renders every template or reads every
    source on the controller and calls this module once with the results, so N files cost one module
    run instead of the two (a checksum C(stat), then C(file) or C(copy)) that a stock C(template) or
    C(copy) costs per file.
  - For every item, in order, compares the content checksum, owner, group and mode with what is asked,
    creates a missing folder, and writes a changed file atomically (a temporary file in the same folder,
    the optional validation command on it, then a rename).
  - Honours check mode (reports, writes nothing) and diff mode (a diff entry per changed file).
version_added: "2.14"
author: ras-tenant-factory
options:
  files:
    description:
      - The files and folders, handled in order (a folder item before the files in it).
    type: list
    elements: dict
    required: true
    suboptions:
      dest:
        description: Absolute path of the file or folder.
        type: path
        required: true
      state:
        description:
          - C(file) writes I(content); C(directory) ensures a folder (and its missing parents);
            C(absent) removes a file or link if it is there (never a folder).
        type: str
        choices: [file, directory, absent]
        default: file
      content:
        description: The file's full content.
        type: str
      template:
        description:
          - A template of the role's C(templates/), rendered on the controller by the action exactly as
            C(ansible.builtin.template) renders it (C(ansible_managed) included); the module receives I(content).
        type: str
      src:
        description: A file of the role's C(files/), read on the controller by the action; the module receives I(content).
        type: str
      owner:
        description: Owner name; the task's I(owner) when not given.
        type: str
      group:
        description: Group name; the task's I(group) when not given.
        type: str
      mode:
        description: Octal mode as a quoted string, for example C("0644"); the task's I(mode) when not given.
        type: str
      validate:
        description:
          - Command run on the new content before it replaces I(dest); C(%s) is the temporary file's path.
            A non-zero exit fails the item and leaves I(dest) untouched.
        type: str
  owner:
    description: Owner of every item that names none.
    type: str
    default: root
  group:
    description: Group of every item that names none.
    type: str
    default: root
  mode:
    description: Mode of every item that names none.
    type: str
notes:
  - The content travels in the module arguments. An item marked C(secret) (a key, a password file)
    is refused by the action unless its task has C(no_log), which keeps the arguments out of the
    output and out of the gateway's syslog.
  - An item's C(notify) (a handler name or a list) is notified only when that item changed; the
    action reports it to Ansible, so a task with items that notify cannot also have a task-level notify.
'''

EXAMPLES = r'''
- name: Write two files (normally through the ras_files action, which renders templates)
  ras_files:
    mode: "0644"
    files:
      - { dest: /etc/ras, state: directory, mode: "0755" }
      - { dest: /etc/ras/example.conf, template: etc/ras/example.conf.j2 }
      - { dest: /etc/ras/other.conf, content: "a = 1\n", validate: /usr/bin/check %s }
'''

RETURN = r'''
files:
  description: One entry per item, in order.
  returned: always
  type: list
  elements: dict
  contains:
    dest:
      description: The item's path.
      type: str
    changed:
      description: Whether the item was (or, in check mode, would be) changed.
      type: bool
    what:
      description: What differed (content, owner, group, mode, created, removed).
      type: list
      elements: str
'''

import grp
import hashlib
import os
import pwd
import shlex
import stat
import tempfile

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_native, to_text

DIFF_MAX_BYTES = 104448  # what ansible.builtin.copy shows at most (DEFAULT_MAX_FILE_SIZE_FOR_DIFF)


def ids(module, item):
    try:
        uid = pwd.getpwnam(item['owner']).pw_uid
    except KeyError:
        module.fail_json(msg='%s: no user %s' % (item['dest'], item['owner']))
    try:
        gid = grp.getgrnam(item['group']).gr_gid
    except KeyError:
        module.fail_json(msg='%s: no group %s' % (item['dest'], item['group']))
    return uid, gid


def attribute_changes(st, uid, gid, mode):
    what = []
    if st.st_uid != uid:
        what.append('owner')
    if st.st_gid != gid:
        what.append('group')
    if stat.S_IMODE(st.st_mode) != mode:
        what.append('mode')
    return what


def ensure_directory(module, item, uid, gid, mode):
    dest = item['dest']
    b_dest = to_bytes(dest, errors='surrogate_or_strict')
    if os.path.lexists(b_dest):
        st = os.lstat(b_dest)
        if not stat.S_ISDIR(st.st_mode):
            module.fail_json(msg='%s exists and is not a folder' % dest)
        what = attribute_changes(st, uid, gid, mode)
        if what and not module.check_mode:
            os.chown(b_dest, uid, gid)
            os.chmod(b_dest, mode)
        return what, None
    if not module.check_mode:
        # Missing parents get root-owned 0755 folders (what ansible.builtin.file does under umask 022).
        parent = os.path.dirname(b_dest)
        if parent and not os.path.isdir(parent):
            os.makedirs(parent, 0o755)
        os.mkdir(b_dest, mode)
        os.chown(b_dest, uid, gid)
        os.chmod(b_dest, mode)
    return ['created'], {'before': {'path': dest, 'state': 'absent'}, 'after': {'path': dest, 'state': 'directory'}}


def ensure_absent(module, item):
    dest = item['dest']
    b_dest = to_bytes(dest, errors='surrogate_or_strict')
    if not os.path.lexists(b_dest):
        return [], None
    if stat.S_ISDIR(os.lstat(b_dest).st_mode):
        # A folder may hold what nobody meant to delete; ansible.builtin.file would remove it all.
        module.fail_json(msg='%s is a folder: ras_files removes files only' % dest)
    if not module.check_mode:
        os.unlink(b_dest)
    return ['removed'], {'before': {'path': dest, 'state': 'file'}, 'after': {'path': dest, 'state': 'absent'}}


def ensure_file(module, item, uid, gid, mode):
    dest = item['dest']
    b_dest = to_bytes(dest, errors='surrogate_or_strict')
    b_content = to_bytes(item['content'], errors='surrogate_or_strict')
    b_old = None
    what = []
    if os.path.lexists(b_dest):
        st = os.lstat(b_dest)
        if not stat.S_ISREG(st.st_mode):
            module.fail_json(msg='%s exists and is not a regular file' % dest)
        with open(b_dest, 'rb') as f:
            b_old = f.read()
        if hashlib.sha1(b_old).digest() != hashlib.sha1(b_content).digest():
            what.append('content')
        what.extend(attribute_changes(st, uid, gid, mode))
    else:
        what.append('created')
    if not what:
        return what, None

    diff = None
    if module._diff and not ('content' in what or 'created' in what):
        diff = {'before': {'path': dest, 'owner': st.st_uid, 'group': st.st_gid, 'mode': '%04o' % stat.S_IMODE(st.st_mode)},
                'after': {'path': dest, 'owner': uid, 'group': gid, 'mode': '%04o' % mode}}
    elif module._diff:
        diff = {'before_header': dest, 'after_header': dest}
        if len(b_content) > DIFF_MAX_BYTES or (b_old is not None and len(b_old) > DIFF_MAX_BYTES):
            diff['before'] = diff['after'] = ''
        elif b'\x00' in b_content or (b_old is not None and b'\x00' in b_old):
            diff['before'] = diff['after'] = ''
        else:
            diff['before'] = to_text(b_old or b'', errors='surrogate_or_strict')
            diff['after'] = to_text(b_content, errors='surrogate_or_strict')
    if module.check_mode:
        return what, diff

    if not ('content' in what or 'created' in what):
        os.chown(b_dest, uid, gid)
        os.chmod(b_dest, mode)
        return what, diff

    folder = os.path.dirname(b_dest)
    if not os.path.isdir(folder):
        module.fail_json(msg='Destination directory %s does not exist' % to_native(folder))
    # The temporary name starts with '.' and ends in random letters: no include glob of the
    # folder (*.conf, *.nft, sudoers.d's no-dot rule) picks it up while it is validated.
    fd, b_tmp = tempfile.mkstemp(prefix=b'.' + os.path.basename(b_dest) + b'.', dir=folder)
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(b_content)
            f.flush()
            os.fsync(f.fileno())
        os.chown(b_tmp, uid, gid)
        os.chmod(b_tmp, mode)
        if item.get('validate'):
            if '%s' not in item['validate']:
                module.fail_json(msg='%s: validate must contain %%s: %s' % (dest, item['validate']))
            cmd = item['validate'] % to_native(shlex.quote(to_text(b_tmp, errors='surrogate_or_strict')))
            rc, out, err = module.run_command(cmd, use_unsafe_shell=False)
            if rc != 0:
                module.fail_json(msg='failed to validate %s' % dest, cmd=cmd, rc=rc, stdout=out, stderr=err)
        os.rename(b_tmp, b_dest)
        b_tmp = None
    finally:
        if b_tmp is not None and os.path.lexists(b_tmp):
            os.unlink(b_tmp)
    return what, diff


def ensure_item(module, item):
    """One item, its task's owner, group and mode filling what it names none of: (what differed, diff entry)."""
    if item['state'] == 'absent':
        return ensure_absent(module, item)
    for key in ('owner', 'group', 'mode'):
        if item[key] is None:
            item[key] = module.params[key]
    if item['mode'] is None:
        module.fail_json(msg='%s: no mode (give it on the item or the task)' % item['dest'])
    if item['state'] == 'file' and item['content'] is None:
        # template and src are read on the controller by the ras_files action.
        module.fail_json(msg='%s: no content; run this module through the ras_files action' % item['dest'])
    try:
        mode = int(item['mode'], 8)
    except ValueError:
        module.fail_json(msg='%s: mode must be octal, got %s' % (item['dest'], item['mode']))
    uid, gid = ids(module, item)
    if item['state'] == 'directory':
        return ensure_directory(module, item, uid, gid, mode)
    return ensure_file(module, item, uid, gid, mode)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            files=dict(type='list', elements='dict', required=True, options=dict(
                dest=dict(type='path', required=True),
                state=dict(type='str', choices=['file', 'directory', 'absent'], default='file'),
                content=dict(type='str'),
                template=dict(type='str'),
                src=dict(type='str'),
                owner=dict(type='str'),
                group=dict(type='str'),
                mode=dict(type='str'),
                validate=dict(type='str'),
            ), mutually_exclusive=[('content', 'template', 'src')]),
            owner=dict(type='str', default='root'),
            group=dict(type='str', default='root'),
            mode=dict(type='str'),
        ),
        supports_check_mode=True,
    )
    results = []
    diffs = []
    for item in module.params['files']:
        what, diff = ensure_item(module, item)
        results.append({'dest': item['dest'], 'changed': bool(what), 'what': what})
        if diff is not None:
            diffs.append(diff)
    result = {'changed': any(r['changed'] for r in results), 'files': results}
    if module._diff:
        result['diff'] = diffs
    module.exit_json(**result)


if __name__ == '__main__':
    main()
