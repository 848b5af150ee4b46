# -*- coding: utf-8 -*-
# Part of ras-tenant-factory (ansible/). Proprietary.
"""The controller side of ras_files: render or read every item, then run the module once."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

from ansible.errors import AnsibleError, AnsibleActionFail, AnsibleFileNotFound
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.module_utils.six import string_types
from ansible.plugins.action import ActionBase
from ansible.template import generate_ansible_template_vars, AnsibleEnvironment

ITEM_KEYS = frozenset(('dest', 'state', 'template', 'src', 'content', 'owner', 'group', 'mode', 'validate', 'notify', 'secret'))
SOURCES = ('template', 'src', 'content')


class ActionModule(ActionBase):

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('files', 'owner', 'group', 'mode'))

    def _read(self, path):
        real = self._loader.get_real_file(path)
        try:
            with open(to_bytes(real, errors='surrogate_or_strict'), 'rb') as f:
                return to_text(f.read(), errors='surrogate_or_strict')
        except UnicodeError:
            raise AnsibleActionFail('%s: ras_files writes text files only (utf-8)' % path)
        finally:
            self._loader.cleanup_tmp_file(real)

    def _render(self, src, dest, task_vars):
        # What ansible.builtin.template (ansible-core 2.14) does with its defaults: the same search
        # path, the same template variables (ansible_managed from ansible.cfg, template_path, ...),
        # AnsibleEnvironment, trim_blocks on, "\n" line ends, trailing newlines kept.
        try:
            source = self._find_needle('templates', src)
        except AnsibleError as e:
            raise AnsibleActionFail(to_text(e))
        try:
            data = self._read(source)
        except AnsibleFileNotFound as e:
            raise AnsibleActionFail('could not find template=%s, %s' % (src, to_text(e)))
        searchpath = []
        for p in list(task_vars.get('ansible_search_path', [])) + [self._loader._basedir, os.path.dirname(source)]:
            searchpath.append(os.path.join(p, 'templates'))
            searchpath.append(p)
        variables = task_vars.copy()
        variables.update(generate_ansible_template_vars(src, source, dest))
        templar = self._templar.copy_with_new_env(environment_class=AnsibleEnvironment,
                                                  searchpath=searchpath,
                                                  newline_sequence='\n',
                                                  trim_blocks=True,
                                                  lstrip_blocks=False,
                                                  available_variables=variables)
        try:
            return templar.do_template(data, preserve_trailing_newlines=True, escape_backslashes=False)
        except Exception as e:
            raise AnsibleActionFail('%s: %s: %s' % (src, type(e).__name__, to_text(e)))

    def _item(self, index, raw, defaults, task_vars):
        if not isinstance(raw, dict):
            raise AnsibleActionFail('files[%d] must be a mapping' % index)
        unknown = set(raw) - ITEM_KEYS
        if unknown:
            raise AnsibleActionFail('files[%d]: unknown keys %s' % (index, ', '.join(sorted(unknown))))
        dest = raw.get('dest')
        if not isinstance(dest, string_types) or not dest.startswith('/'):
            raise AnsibleActionFail('files[%d]: dest must be an absolute path' % index)
        item = dict(defaults)
        item.update((k, raw[k]) for k in ('owner', 'group', 'mode', 'validate') if raw.get(k) is not None)
        item['dest'] = dest
        item['state'] = raw.get('state', 'file')
        given = [k for k in SOURCES if k in raw]
        if item['state'] == 'absent':
            extra = [k for k in SOURCES + ('owner', 'group', 'mode', 'validate') if k in raw]
            if extra:
                raise AnsibleActionFail('%s: a file to remove takes no %s' % (dest, ', '.join(extra)))
            return {'dest': dest, 'state': 'absent'}
        if item['state'] == 'directory':
            if given or 'validate' in raw:
                raise AnsibleActionFail('%s: a folder takes no %s' % (dest, ', '.join(given + ['validate'])))
        elif item['state'] == 'file':
            if len(given) != 1:
                raise AnsibleActionFail('%s: give exactly one of template, src, content' % dest)
            if 'template' in raw:
                item['content'] = self._render(raw['template'], dest, task_vars)
            elif 'src' in raw:
                try:
                    item['content'] = self._read(self._find_needle('files', raw['src']))
                except AnsibleError as e:
                    raise AnsibleActionFail(to_text(e))
            elif not isinstance(raw['content'], string_types):
                raise AnsibleActionFail('%s: content must be a string' % dest)
            else:
                item['content'] = raw['content']
        else:
            raise AnsibleActionFail('%s: state must be file, directory or absent' % dest)
        if item.get('mode') is None:
            raise AnsibleActionFail('%s: no mode (give it on the item or the task)' % dest)
        # Modes are strings ("0644"): YAML would read a bare 0644 as the number 420.
        if not isinstance(item['mode'], string_types):
            raise AnsibleActionFail('%s: mode must be a quoted octal string such as "0644"' % dest)
        return item

    def _notify(self, index, raw):
        # An item's handlers, as a task's notify takes them: one name or a list of names.
        names = raw.get('notify', [])
        if isinstance(names, string_types):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, string_types) and n for n in names):
            raise AnsibleActionFail('files[%d]: notify must be a handler name or a list of handler names' % index)
        return names

    def run(self, tmp=None, task_vars=None):
        if task_vars is None:
            task_vars = {}
        result = super(ActionModule, self).run(tmp, task_vars)
        del tmp
        files = self._task.args.get('files')
        if not isinstance(files, list) or not files:
            raise AnsibleActionFail('files must be a non-empty list')
        defaults = dict((k, self._task.args[k]) for k in ('owner', 'group', 'mode') if self._task.args.get(k) is not None)
        items = [self._item(i, raw, defaults, task_vars) for i, raw in enumerate(files)]
        notify = [self._notify(i, raw) for i, raw in enumerate(files)]
        secret = [raw['dest'] for raw in files if raw.get('secret')]
        if secret and not self._task.no_log:
            # The content travels in the module's arguments: without no_log, Ansible would print
            # them on failure and the module would log them to the gateway's syslog.
            raise AnsibleActionFail('%s: a secret file needs no_log: true on its task' % secret[0])
        if self._task.notify and any(notify):
            # The task executor would replace the items' handlers with the task's.
            raise AnsibleActionFail('give notify on the task or on its files, not both')
        result.update(self._execute_module(module_name='ansible.legacy.ras_files', module_args={'files': items}, task_vars=task_vars))
        if result.get('changed') and not result.get('failed'):
            # Each changed file notifies its own handlers, so one task (one module run on the
            # gateway) can write files that different handlers follow. ansible-core's strategy
            # notifies what a changed result lists under _ansible_notify (the key the executor
            # fills from a task's notify, left alone when the task has none).
            changed = [i for i, f in enumerate(result.get('files', [])) if f.get('changed')]
            names = []
            for i in changed:
                names.extend(n for n in notify[i] if n not in names)
            if names:
                result['_ansible_notify'] = names
        return result
