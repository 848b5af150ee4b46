"""Loads YAML texts with Ansible's own loader (AnsibleLoader: PyYAML, YAML 1.1, Ansible's tags).

Reads a JSON list of texts on stdin; writes a JSON list of {"ok": true, "value": ...} or
{"ok": false, "error": "..."} on stdout. Dates become their ISO text; Ansible's string types plain strings.
"""
import datetime
import json
import sys

from ansible.parsing.yaml.loader import AnsibleLoader


def plain(value):
    if type(value).__name__ == "AnsibleVaultEncryptedUnicode":
        return {"__vault__": True}
    if isinstance(value, dict):
        return {str(k) if isinstance(k, str) else json.dumps(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return str(value)
    return value


def load(text):
    try:
        loader = AnsibleLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        return {"ok": True, "value": plain(data)}
    except Exception as e:  # any refusal by the loader is data for the comparison
        return {"ok": False, "error": type(e).__name__ + ": " + str(e).splitlines()[0]}


json.dump([load(t) for t in json.load(sys.stdin)], sys.stdout, ensure_ascii=True)
